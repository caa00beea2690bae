"""Where one reminder pass spends its time: per phase (wall and CPU), or a cProfile of the whole pass.

Runs scripts/bench_reminders.py's pass (every scheduled reminder as if due, rolled back) against
``DATABASE_URL``. VACUUM the notification tables between runs: a rolled-back pass leaves dead rows behind.

    DATABASE_URL=postgres://…/county_copy .venv/bin/python scripts/profile_reminders.py [phases|cprofile] [--batch N]
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import functools
import os
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

WALL: dict[str, float] = collections.defaultdict(float)
CPU: dict[str, float] = collections.defaultdict(float)


def _timed(function, label):
    @functools.wraps(function)
    def timed(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            WALL[label] += time.perf_counter() - wall
            CPU[label] += time.process_time() - cpu
    return timed


def _instrument() -> None:
    from presidium.notifications import reminders, services

    for module, name, label in [
        (reminders, "_claim", "claim"), (reminders, "_ask", "load + prefetch + messages"),
        (reminders, "_accept", "accept"), (reminders, "_ledger_keys", "ledger lookup"),
        (reminders, "notify_bulk", "notifications + outbox"), (services, "_plan", "plan notices"),
        (services, "_outbox_rows", "render outbox rows"), (reminders, "_settle", "settle"),
    ]:
        setattr(module, name, _timed(getattr(module, name), label))
    for module in (reminders, services):
        insert = module.insert_tuples

        def timed_insert(model, *args, _insert=insert, **kwargs):
            return _timed(_insert, f"COPY {model.__name__}")(model, *args, **kwargs)
        module.insert_tuples = timed_insert
    for provider in {type(p) for p in reminders._HANDLERS.values()}:
        for name in ("prefetch", "message"):
            setattr(provider, name, _timed(getattr(provider, name), name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", choices=["phases", "cprofile"], default="phases")
    parser.add_argument("--batch", type=int, help="batch size (default: reminders.BATCH_SIZE)")
    args = parser.parse_args()
    import bench

    bench.setup_django()
    from bench_reminders import run_reminders
    from django.urls import get_resolver, reverse

    # The URLconf and the views loaded first, as in the bench's process (which has served its pages): a fresh
    # process would otherwise pay their first import (about 0.7 s) inside the pass.
    get_resolver().url_patterns  # noqa: B018
    reverse("notifications:open", args=[1])

    from presidium.notifications import reminders

    if args.batch:
        reminders.send_due_reminders = functools.partial(reminders.send_due_reminders, batch_size=args.batch)
    if args.mode == "cprofile":
        profile = cProfile.Profile()
        profile.enable()
        result = run_reminders(5, os.environ.get("MODE", "catch_up"))
        profile.disable()
        print(result)
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(40)
        stats.sort_stats("cumtime").print_stats(40)
        return
    _instrument()
    cpu = time.process_time()
    result = run_reminders(5, os.environ.get("MODE", "catch_up"))
    print(result, f"cpu {time.process_time() - cpu:.2f} s")
    batches = max(result["batches"], 1)
    for label, wall in sorted(WALL.items(), key=lambda item: -item[1]):
        print(f"{label:28s} wall {wall * 1000:7.0f} ms {wall * 1000 / batches:6.1f}/batch   "
              f"cpu {CPU[label] * 1000:7.0f} ms {CPU[label] * 1000 / batches:6.1f}/batch")


if __name__ == "__main__":
    main()
