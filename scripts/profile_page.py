"""Profile one page as a bench role against ``DATABASE_URL``: wall, CPU and SQL time per request, then cProfile.

    DATABASE_URL=postgres://…/county .venv/bin/python scripts/profile_page.py ROLE URL [--n 20] [--noprof]
        [--sort cumtime] [--top 40]

ROLE is one of scripts/bench.py's roles (staff, chair, county_admin, deputy, liaison, reviewer, admin). Prints
"wall p50 … cpu p50 … sql … ms/req queries …" and, unless --noprof, the profile's top functions (also written
to /tmp/page.prof). See docs/performance.md.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("role")
    parser.add_argument("url")
    parser.add_argument("--n", type=int, default=20, help="timed requests")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--noprof", action="store_true", help="only the timings")
    args = parser.parse_args()
    import bench

    bench.setup_django()
    from django.db import connection
    from django.test import Client

    client = Client()
    if args.role != "anonymous":
        client.force_login(bench.Context().users[args.role])
    for _ in range(3):  # warm: templates, caches, the first query plans
        response = client.get(args.url)
    print("status", response.status_code)
    sql = {"seconds": 0.0, "queries": 0}

    def timed(execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            sql["seconds"] += time.perf_counter() - started
            sql["queries"] += 1

    walls, cpus = [], []
    with connection.execute_wrapper(timed):
        for _ in range(args.n):
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(args.url)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    walls.sort()
    cpus.sort()
    print(f"wall p50 {walls[len(walls) // 2] * 1000:.1f} ms  cpu p50 {cpus[len(cpus) // 2] * 1000:.1f} ms  "
          f"sql {sql['seconds'] / args.n * 1000:.1f} ms/req  queries {sql['queries'] / args.n:.1f}")
    if not args.noprof:
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for _ in range(args.n):
            client.get(args.url)
        profile.disable()
        profile.dump_stats("/tmp/page.prof")
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
