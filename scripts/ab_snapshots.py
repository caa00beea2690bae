"""A/B of the sixth round's pages in one process: the township homes and the county figures page computed live
(A, as before the round) against the working tree reading their figures snapshots (B).

    DATABASE_URL=postgres://…/county_home .venv/bin/python scripts/ab_snapshots.py --rounds 20

A is the working tree with the snapshot choice put back to what it was (presidium.snapshots before the round: a
county's snapshot for the county's roles only, so a township's staff and chair compute their blocks live, and the
county's 办理统计 computed live): the live paths are the old code. Old and new alternate request by request (the
order flips every round) and the medians of CPU time (``time.process_time``) are compared, wall time beside it.
Each page's HTML is compared between A and B first (the CSRF tokens and the "统计截至" line masked): the
snapshots must not change what a page shows. The snapshots are refreshed once first (what beat keeps doing).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import bench  # noqa: E402

PAGES = [("staff", "/"), ("chair", "/"), ("county_admin", "/proposals/figures/"), ("county_admin", "/")]
COUNTED = re.compile(rb'<p [^>]*data-testid="counted-at">[^<]*</p>')


def switches():
    """(a, b): put the old snapshot choice in place, and take it out again."""
    from petitions.views import reports as petitions_reports
    from presidium import snapshots
    from proposals.views import reports as proposals_reports

    def county_only(user, action):
        county = snapshots.snapshot_county(user, action)
        return snapshots.SnapshotScope(county) if county is not None else None

    def a():
        proposals_reports.snapshot_scope = petitions_reports.snapshot_scope = county_only
        proposals_reports.snapshot_county = lambda user, action: None

    def b():
        proposals_reports.snapshot_scope = petitions_reports.snapshot_scope = snapshots.snapshot_scope
        proposals_reports.snapshot_county = snapshots.snapshot_county

    return a, b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    bench.setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from presidium.snapshots import figures_snapshots_refresh_all

    figures_snapshots_refresh_all()
    ctx = bench.Context()
    clients = {}
    for role, _url in PAGES:
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(ctx.users[role])
    a, b = switches()
    seen = {}
    for side, switch in (("A", a), ("B", b)):
        switch()
        for role, url in PAGES:
            for _ in range(2):
                clients[role].get(url)
            with CaptureQueriesContext(connection) as captured:
                response = clients[role].get(url)
            html = COUNTED.sub(b"", re.sub(rb"[A-Za-z0-9]{64}", b"TOKEN", response.content))
            seen[(side, role, url)] = (response.status_code, len(captured), html)
    for role, url in PAGES:
        (sa, qa, ha), (sb, qb, hb) = seen[("A", role, url)], seen[("B", role, url)]
        print(f"{role:12} {url:24} status {sa}/{sb} queries {qa}/{qb} same HTML: {ha == hb}")
    times = {(side, role, url): ([], []) for side in "AB" for role, url in PAGES}
    for n in range(args.rounds):
        for side, switch in ((("A", a), ("B", b)) if n % 2 == 0 else (("B", b), ("A", a))):
            switch()
            for role, url in PAGES:
                cpu, wall = time.process_time(), time.perf_counter()
                clients[role].get(url)
                times[(side, role, url)][0].append((time.process_time() - cpu) * 1000)
                times[(side, role, url)][1].append((time.perf_counter() - wall) * 1000)
    b()
    print(f"\n{args.rounds} rounds, medians (wall p95 beside), ms")
    print("| page | role | CPU A | CPU B | wall A | wall B | wall p95 A | wall p95 B |\n"
          "|---|---|---:|---:|---:|---:|---:|---:|")
    for role, url in PAGES:
        (ca, wa), (cb, wb) = times[("A", role, url)], times[("B", role, url)]
        med = statistics.median

        def p95(values):
            return sorted(values)[max(0, round(0.95 * len(values)) - 1)]

        print(f"| `{url}` | {role} | {med(ca):.1f} | {med(cb):.1f} | {med(wa):.1f} | {med(wb):.1f} | "
              f"{p95(wa):.1f} | {p95(wb):.1f} |")


if __name__ == "__main__":
    main()
