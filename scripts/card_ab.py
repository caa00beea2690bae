"""The lists' kept filter cards, kept and not: time and bytes (docs/performance.md, thirteenth round).

    DATABASE_URL=…/county .venv/bin/python scripts/card_ab.py times [--requests 30]
    DATABASE_URL=…/county .venv/bin/python scripts/card_ab.py same-html

``times``: for each page, requests alternate between the kept card and keeping switched off
(``PortalFilterSet.kept_card_key`` returning None) in the same process, after 3 warm-ups; p50 and p95 of each.
``same-html``: every role × zh-hans/en × address, read twice each way; the second read (from the kept card) must equal
the first, and the kept pages must equal the pages rendered without keeping (CSRF tokens masked). The access log's
pages list the reads themselves, so they are compared only within a read.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import bench  # noqa: E402

TIMED = [("county_admin", "/proposals/items/?status=closed&year={year}"), ("county_admin", "/proposals/items/"),
         ("deputy", "/proposals/items/"), ("staff", "/proposals/items/"), ("liaison", "/proposals/items/"),
         ("county_admin", "/petitions/"), ("county_admin", "/petitions/?progress=open"),
         ("county_admin", "/petitions/?q=%E8%A1%A5%E5%81%BF"), ("staff", "/petitions/"),
         ("county_admin", "/deputies/roster/"), ("staff", "/")]
ADDRESSES = [
    "/proposals/items/", "/proposals/items/?status=closed&year={year}", "/proposals/items/?progress=overdue",
    "/proposals/items/?q=%E9%81%93%E8%B7%AF", "/proposals/items/?lead_unit=5",
    "/proposals/items/?lead_unit=abc&category=999999", "/proposals/items/?page=2", "/proposals/items/?year=1900",
    "/proposals/hearing/", "/petitions/", "/petitions/?progress=open", "/petitions/?clock=overdue",
    "/petitions/?unit=7&category=3", "/petitions/?received_from=2026-01-01&received_to=bad",
    "/petitions/?page=3&q=%E8%A1%A5%E5%81%BF", "/deputies/roster/", "/deputies/roster/?term=all",
    "/deputies/roster/?group=5", "/deputies/roster/?group=abc&gender=male", "/deputies/visits/",
    "/deputies/duty/?behind=true", "/deputies/duty/?year=1900", "/deputies/groups/", "/deputies/stations/",
    "/deputies/constituencies/", "/deputies/access-log/"]
ROLES = ["staff", "chair", "county_admin", "reviewer", "deputy", "liaison", "admin"]
_CSRF = re.compile(rb'(X-CSRFToken": "|csrfmiddlewaretoken" value="|csrf[^"]*" content=")[^"]+')


def _switch():
    from presidium.filters import PortalFilterSet

    kept = PortalFilterSet.kept_card_key

    def use(keep: bool) -> None:
        PortalFilterSet.kept_card_key = kept if keep else (lambda self, context: None)
    return use


def times(ctx, requests: int) -> None:
    from django.test import Client

    use = _switch()
    for role, url in TIMED:
        if ctx.users.get(role) is None:
            continue
        url = url.format(year=ctx.year)
        client = Client()
        client.force_login(ctx.users[role])
        taken: dict[bool, list[float]] = {True: [], False: []}
        for i in range(requests + 3):
            for keep in (True, False):
                use(keep)
                start = time.perf_counter()
                assert client.get(url).status_code == 200, url
                if i >= 3:
                    taken[keep].append((time.perf_counter() - start) * 1000)

        def cell(xs):
            xs = sorted(xs)
            return f"{statistics.median(xs):6.1f} / {xs[max(0, int(len(xs) * 0.95) - 1)]:6.1f}"
        print(f"{role:13} {url:50} kept {cell(taken[True])} | not kept {cell(taken[False])}", flush=True)
    use(True)


def same_html(ctx) -> None:
    from django.conf import settings
    from django.test import Client

    from presidium.templatetags.portal import forget_filter_cards

    use = _switch()
    pages: dict[bool, dict] = {True: {}, False: {}}
    for keep in (True, False):
        use(keep)
        forget_filter_cards()
        for role in ROLES:
            if ctx.users.get(role) is None:
                continue
            client = Client()
            client.force_login(ctx.users[role])
            for language in ("zh-hans", "en"):
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                for url in ADDRESSES:
                    url = url.format(year=ctx.year)
                    reads = []
                    for _ in range(2):
                        response = client.get(url)
                        reads.append((response.status_code, _CSRF.sub(rb"\1", response.content)))
                    if "access-log" not in url:
                        assert reads[0] == reads[1], (keep, role, language, url)
                    pages[keep][(role, language, url)] = reads[1]
    use(True)
    differ = [key for key in pages[True] if "access-log" not in key[2] and pages[True][key] != pages[False][key]]
    print(f"{len(pages[True])} pages, each read twice with the card kept and without: "
          f"{len(differ)} differ {differ[:5]}")
    if differ:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["times", "same-html"])
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    bench.setup_django()
    ctx = bench.Context()
    if args.what == "times":
        times(ctx, args.requests)
    else:
        same_html(ctx)


if __name__ == "__main__":
    main()
