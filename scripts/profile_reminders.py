"""Where one reminder pass spends its time: per phase (wall and CPU), per kind of SQL statement, or a cProfile.

Runs scripts/bench_reminders.py's pass (every scheduled reminder as if due, rolled back) against
``DATABASE_URL``. VACUUM the notification tables between runs: a rolled-back pass leaves dead rows behind.

    DATABASE_URL=postgres://…/county_copy .venv/bin/python scripts/profile_reminders.py [phases|statements|cprofile] [--batch N]

``statements`` times each statement the pass sends (the wall of its call: the server's work, the round trip and the
client's handling of the rows), summed by kind: the claim, each table's read, each ``COPY``, the write-back, the
savepoints (``pg_stat_statements`` is not loaded on the measuring host).
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import functools
import os
import pstats
import re
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


def _statement_kind(sql: str) -> str:
    text = " ".join(sql.split())
    if text.startswith(("COPY", "SAVEPOINT", "RELEASE", "ROLLBACK")):
        return " ".join(text.split()[:2]) if text.startswith("COPY") else text.split()[0]
    if text.startswith("UPDATE"):
        return "UPDATE " + text.split()[1]
    if "nextval" in text:
        return "ids (nextval)"
    if "FOR UPDATE" in text:
        return "claim"
    table = re.search(r"\bFROM \"?(\w+)\"?", text)
    return f"SELECT {table.group(1)}" if table else text[:50]


def _time_statements(run) -> dict:
    from django.db import connection

    wall: dict[str, float] = collections.defaultdict(float)
    count: collections.Counter = collections.Counter()

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = _statement_kind(sql)
            wall[kind] += time.perf_counter() - started
            count[kind] += 1

    with connection.execute_wrapper(timed):
        result = run()
    print(result, f"in statements {sum(wall.values()) * 1000:.0f} ms")
    for kind, seconds in sorted(wall.items(), key=lambda item: -item[1]):
        print(f"{kind:40s} {seconds * 1000:7.0f} ms {count[kind]:5d} statements")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", choices=["phases", "statements", "cprofile"], default="phases")
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
    if args.mode == "statements":
        _time_statements(lambda: run_reminders(5, os.environ.get("MODE", "catch_up")))
        return
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
