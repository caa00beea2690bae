"""A/B of the fifth round's pages in one process: the pages as they were at REV (A) against the working tree (B).

    DATABASE_URL=postgres://…/county .venv/bin/python scripts/ab_pages.py --rev 8b55d27 --rounds 20

The machine is shared, so old and new code alternate request by request (the order flips every round) and the
medians of CPU time (``time.process_time``) are compared; wall time is printed beside it. Each page's HTML is
compared between A and B first (the CSRF tokens masked): the changes must not change what a page shows. A is:

* REV's templates of the duty overview, the reception summary and the meeting page (read with ``git show``);
* the duty overview's rows query with every join of the visible deputies (REV's ``visible_queryset``), and no
  rows written in Python (``DutyRows`` and ``AttendanceRows`` replaced by a stand-in that writes nothing);
* the reception summary reading every day's duties (``duty_lists=True``, REV's behaviour).

The visits' index is a database object: measured with ``EXPLAIN``-free timings of the count, the index dropped
inside a rolled-back transaction for A (``--index``).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import bench  # noqa: E402

PAGES = [("county_admin", "/deputies/duty/"), ("county_admin", "/deputies/duty/?behind=true"),
         ("staff", "/deputies/duty/"), ("county_admin", "/petitions/reception/summary/"),
         ("staff", "/petitions/reception/summary/")]
TEMPLATES = ["deputies/duty_overview.html", "petitions/reception/receptionday_summary.html",
             "meetings/meeting_detail.html"]


class _NoRows:
    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, row):
        return ""


def switches(rev: str):
    """(a, b): functions that put REV's pieces in place and take them out again."""
    from django.template import engines

    from deputies.views import duty
    from petitions.reception import views as reception
    from presidium.meetings.views import meetings

    engine = engines["django"].engine
    old_sources = {name: subprocess.check_output(["git", "show", f"{rev}:templates/{name}"], text=True)
                   for name in TEMPLATES}
    old_templates = {name: engine.from_string(source) for name, source in old_sources.items()}
    get_template = engine.get_template
    new_queryset, new_summary = duty.DutyOverviewView.visible_queryset, reception.SummaryView.summary

    def old_queryset(self):
        from deputies import access as deputies_access
        from deputies import selectors
        from presidium.access import townships_where

        term = self.request.GET.get("term", "")
        return selectors.seated(selectors.deputies_visible_to(self.request.user), term).filter(
            township__in=townships_where(self.request.user, deputies_access.VIEW_DUTY)
        ).defer("id_number").order_by("name_pinyin", "name", "pk")

    def a():
        engine.get_template = lambda name: old_templates.get(name) or get_template(name)
        duty.DutyOverviewView.visible_queryset = old_queryset
        duty.DutyRows = meetings.AttendanceRows = _NoRows
        reception.SummaryView.summary = lambda self, duty_lists=True: new_summary(self, duty_lists=True)

    def b():
        from deputies.duty_rows import DutyRows
        from presidium.meetings.attendance_rows import AttendanceRows

        engine.get_template = get_template
        duty.DutyOverviewView.visible_queryset = new_queryset
        duty.DutyRows, meetings.AttendanceRows = DutyRows, AttendanceRows
        reception.SummaryView.summary = new_summary

    return a, b


def run_pages(rev: str, rounds: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    ctx = bench.Context()
    pages = list(PAGES)
    meeting = ctx.first_pk("meetings.Meeting")
    if meeting:
        pages.append(("staff", f"/meetings/{meeting}/"))
    clients = {}
    for role, _url in pages:
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(ctx.users[role])
    a, b = switches(rev)
    seen = {}
    for side, switch in (("A", a), ("B", b)):
        switch()
        for role, url in pages:
            with CaptureQueriesContext(connection) as captured:
                response = clients[role].get(url)
            html = re.sub(rb"[A-Za-z0-9]{64}", b"TOKEN", response.content)
            seen[(side, role, url)] = (response.status_code, len(captured), html)
            for _ in range(2):
                clients[role].get(url)
    for role, url in pages:
        (sa, qa, ha), (sb, qb, hb) = seen[("A", role, url)], seen[("B", role, url)]
        print(f"{role:12} {url:40} status {sa}/{sb} queries {qa}/{qb} same HTML: {ha == hb}")
    times = {(side, role, url): ([], []) for side in "AB" for role, url in pages}
    for n in range(rounds):
        for side, switch in ((("A", a), ("B", b)) if n % 2 == 0 else (("B", b), ("A", a))):
            switch()
            for role, url in pages:
                cpu, wall = time.process_time(), time.perf_counter()
                clients[role].get(url)
                times[(side, role, url)][0].append((time.process_time() - cpu) * 1000)
                times[(side, role, url)][1].append((time.perf_counter() - wall) * 1000)
    b()
    print(f"\n{rounds} rounds, medians, ms")
    print("| page | role | CPU A | CPU B | wall A | wall B |\n|---|---|---:|---:|---:|---:|")
    for role, url in pages:
        (ca, wa), (cb, wb) = times[("A", role, url)], times[("B", role, url)]
        med = statistics.median
        print(f"| `{url}` | {role} | {med(ca):.1f} | {med(cb):.1f} | {med(wa):.1f} | {med(wb):.1f} |")


def run_index(rounds: int) -> None:
    from django.db import connection, transaction

    from deputies import selectors

    user = bench.Context().users["county_admin"]
    for value in (True, False):
        timings = {"A": [], "B": []}
        for n in range(rounds):
            for side in ("A", "B") if n % 2 == 0 else ("B", "A"):
                with transaction.atomic():
                    if side == "A":
                        with connection.cursor() as cursor:
                            cursor.execute("DROP INDEX visit_township_opinions")
                    visits = selectors.visits_visible_to(user)
                    visits = visits.filter(opinion_count__gt=0) if value else visits.filter(opinion_count=0)
                    started = time.perf_counter()
                    count = visits.count()
                    timings[side].append((time.perf_counter() - started) * 1000)
                    transaction.set_rollback(True)
        print(f"has_opinions={str(value).lower()} ({count} visits): count query wall median "
              f"A {statistics.median(timings['A']):.1f} ms, B {statistics.median(timings['B']):.1f} ms ({rounds} rounds)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="8b55d27", help="the commit before the fifth round (A)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--index", action="store_true", help="also the visits' index (PostgreSQL, drops it in a "
                                                             "rolled-back transaction)")
    args = parser.parse_args()
    bench.setup_django()
    run_pages(args.rev, args.rounds)
    if args.index:
        run_index(args.rounds)


if __name__ == "__main__":
    main()
