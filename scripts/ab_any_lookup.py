"""``pk__in`` against ``pk__any`` for a list of 500 ids, CPU per read in one process (docs/performance.md).

    DATABASE_URL=postgres://…/county .venv/bin/python scripts/ab_any_lookup.py [--rounds 30]
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    import bench

    bench.setup_django()
    from presidium.notifications.models import Reminder

    ids = list(Reminder.objects.values_list("pk", flat=True)[:500])

    def read(lookup):
        return list(Reminder.objects.filter(**{f"pk__{lookup}": ids}).values_list("pk", "kind"))

    assert sorted(read("in")) == sorted(read("any"))
    cpu = {"in": [], "any": []}
    for _ in range(args.rounds):
        for lookup in cpu:
            started = time.process_time()
            read(lookup)
            cpu[lookup].append((time.process_time() - started) * 1000)
    for lookup, times in cpu.items():
        print(f"pk__{lookup}: {statistics.median(times):.2f} ms CPU (median of {args.rounds}, {len(ids)} ids)")


if __name__ == "__main__":
    main()
