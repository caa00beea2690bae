"""A/B of the home pages in one process: the fourth round's pieces as they were at REV (A) against the working tree (B).

    DATABASE_URL=postgres://…/county .venv/bin/python scripts/ab_homes.py --rev 5a84bc3 --rounds 30

The machine is shared, so old and new code alternate request by request (the order flips every round) and the
medians of CPU time (``time.process_time``) are compared; wall time is printed beside it. A is built by loading
REV's source of the changed modules next to the current ones and swapping what the home page calls:

* ``presidium.context_processors.portal`` (the frame's context, now once per request);
* ``presidium.counting._counted`` (a plain queryset counted on its keys; A counts it as it stands);
* ``proposals.home._desk_items`` (the chair's desk reads the fields it shows).

The calendar cookie is not part of it: it only changes a session's first request (tests/presidium/test_home_queries).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import types

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import bench  # noqa: E402

ROLES = ["county_admin", "reviewer", "chair", "staff", "deputy", "liaison"]


def old_module(rev: str, path: str) -> types.ModuleType:
    source = subprocess.check_output(["git", "show", f"{rev}:{path}"], text=True)
    module = types.ModuleType(path.replace("/", "_").removesuffix(".py") + "_at_" + rev)
    module.__file__ = path
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, path, "exec"), module.__dict__)
    return module


def toggles(rev: str) -> list[tuple]:
    from django.template import engines

    import presidium.context_processors as frame_context
    import presidium.counting as counting
    import proposals.home as desk

    engine = engines["django"].engine
    index = [f.__name__ for f in engine.template_context_processors].index("portal")

    def set_portal(function):
        processors = list(engine.template_context_processors)
        processors[index] = function
        engine.__dict__["template_context_processors"] = tuple(processors)

    old_portal = old_module(rev, "presidium/context_processors.py").portal
    new_counted, new_desk = counting._counted, desk._desk_items
    old_desk = old_module(rev, "proposals/home.py")._desk_items
    return [
        (lambda: set_portal(old_portal), lambda: set_portal(frame_context.portal)),
        (lambda: setattr(counting, "_counted", lambda queryset: queryset.order_by()),
         lambda: setattr(counting, "_counted", new_counted)),
        (lambda: setattr(desk, "_desk_items", old_desk), lambda: setattr(desk, "_desk_items", new_desk)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", required=True, help="the commit whose pieces are A")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("roles", nargs="*", default=ROLES)
    args = parser.parse_args()
    bench.setup_django()
    from django.test import Client

    swaps = toggles(args.rev)
    context = bench.Context()
    clients = {}
    for role in args.roles:
        clients[role] = Client()
        clients[role].force_login(context.users[role])

    def use(side: int) -> None:
        for swap in swaps:
            swap[side]()

    for side in (0, 1):  # warm both
        use(side)
        for client in clients.values():
            for _ in range(3):
                client.get("/")
    times: dict[tuple[str, int], list[tuple[float, float]]] = {(r, s): [] for r in args.roles for s in (0, 1)}
    for n in range(args.rounds):
        for side in ((0, 1) if n % 2 else (1, 0)):
            use(side)
            for role, client in clients.items():
                cpu, wall = time.process_time(), time.perf_counter()
                assert client.get("/").status_code == 200
                times[(role, side)].append(((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000))
    for role in args.roles:
        (cpu_a, wall_a), (cpu_b, wall_b) = (
            (statistics.median(t[0] for t in times[(role, s)]), statistics.median(t[1] for t in times[(role, s)]))
            for s in (0, 1))
        print(f"{role:13s} CPU p50 A {cpu_a:6.1f} ms  B {cpu_b:6.1f} ms ({(cpu_b - cpu_a) / cpu_a:+.0%})"
              f"   wall p50 A {wall_a:6.1f}  B {wall_b:6.1f} ({(wall_b - wall_a) / wall_a:+.0%})")


if __name__ == "__main__":
    main()
