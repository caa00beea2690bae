"""The benchmark of issue 12: every page as the role that uses it, exports, PDFs, reminders, a load run.

Run against the configured database (``DATABASE_URL``), normally PostgreSQL loaded with
``manage.py seed_demo --scale county``; ``--quick`` checks the script on the plain demo in a minute.

    .venv/bin/python scripts/bench.py --out var/bench/county.md          # pages + extras, Markdown + JSON
    .venv/bin/python scripts/bench.py --quick                            # 5 requests a page, small extras
    .venv/bin/python scripts/bench.py --load --skip-pages --skip-extras  # only the gunicorn + locust run

Pages run in this process through the Django test client (``force_login`` per role); the time is taken
around the handler call (middleware + view + template), warm-up requests excluded; the query count is
taken on a separate request with ``CaptureQueriesContext``. Every page is compared with the FLOOR page
(``password_change_done``: an authenticated page that renders only the base layout) measured in the
same run. The Excel export runs in a subprocess so that its peak memory is its own. The reminder pass
runs inside a transaction that is rolled back: the database is left as it was.
See docs/performance.md for the method, the budgets and the results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# The budgets of issue 12.
MAX_QUERIES = 20
MAX_P95_MS = 150.0
MAX_FLOOR_RATIO = 5.0
EXPORT_ROWS = 100_000
EXPORT_MAX_S = 15.0
EXPORT_MAX_MIB = 200.0
REMINDER_PASS_MAX_S = 5.0
LOAD_BASELINE_RPS = 6.9  # measured before issue 12 on 9 townships; the budget is 5× this
FLOOR = "password_change_done"
FLOOR_CLIENT = "floor"  # the staff's second client: the floor requests interleaved with every page's

# Accounts: the first built township's (seed_demo --scale) or else the demo's.
ROLE_ACCOUNTS = {
    "county_admin": ["county_admin"],
    "reviewer": ["reviewer"],
    "chair": ["t01_chair", "chair"],
    "staff": ["t01_staff", "staff"],
    "liaison": ["t01_u01", "liaison"],
    "deputy": ["t01_d0001", "deputy"],
}


def setup_django():
    import logging

    import django

    # Measure what production runs: no DEBUG (its query log would slow every page and fill up).
    os.environ["DJANGO_DEBUG"] = "0"

    django.setup()
    from django.conf import settings

    from config.runtime import tune_collector

    tune_collector()  # as config/wsgi.py does in every web process
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # a 403 is a row in the table
    logging.getLogger("presidium.notifications.reminders").setLevel(logging.ERROR)


# --- what is measured -------------------------------------------------------------------------------


@dataclass
class Page:
    label: str
    role: str  # a key of ROLE_ACCOUNTS, "admin" (a superuser) or "anonymous"
    url_name: str
    args: tuple = ()
    query: dict = field(default_factory=dict)
    group: str = "list"  # list, filter, search, detail, home, public, figures, county, duty, admin, floor


@dataclass
class Result:
    label: str
    role: str
    url: str
    group: str
    status: int
    queries: int
    median_ms: float
    p95_ms: float
    ratio: float | None = None
    # The floor page's times taken in the same seconds: one floor request after each of this page's requests.
    floor_median_ms: float | None = None
    floor_p95_ms: float | None = None
    flags: list[str] = field(default_factory=list)


class Context:
    """The accounts and one real row per detail page, found in the loaded data."""

    def __init__(self):
        from presidium.models import RoleAssignment, User

        self.users = {}
        for role, names in ROLE_ACCOUNTS.items():
            found = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
            self.users[role] = next((found[n] for n in names if n in found), None)
        self.users["admin"] = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        staff = self.users.get("staff")
        self.township_id = (RoleAssignment.objects.filter(user=staff, township__isnull=False)
                            .values_list("township_id", flat=True).first() if staff else None)
        self.year = dt.date.today().year

    def first_pk(self, label: str, *, own=True, exclude=None, **filters):
        """The newest row of model ``label`` in the staff's township (when the model has one), or None."""
        from django.apps import apps
        from django.core.exceptions import FieldDoesNotExist

        try:
            model = apps.get_model(label)
        except LookupError:
            return None
        queryset = model._default_manager.filter(**filters).exclude(**(exclude or {}))
        if own and self.township_id:
            try:
                model._meta.get_field("township")
                queryset = queryset.filter(township_id=self.township_id)
            except FieldDoesNotExist:
                pass
        return queryset.order_by("-pk").values_list("pk", flat=True).first()

    def deputy_pk(self):
        from deputies.models import Deputy

        user = self.users.get("deputy")
        return Deputy.objects.filter(user=user).values_list("pk", flat=True).first() if user else None


def page_table(ctx: Context) -> list[Page]:
    y = ctx.year
    t = ctx.township_id
    pages = [Page("floor: password changed", "staff", FLOOR, group="floor")]
    for role in ROLE_ACCOUNTS:
        pages.append(Page(f"home ({role})", role, "home", group="home"))
    for role in ("staff", "county_admin"):
        pages += [
            Page("suggestions", role, "proposals:list"),
            Page("suggestions open", role, "proposals:list", query={"progress": "open"}, group="filter"),
            Page("suggestions overdue", role, "proposals:list", query={"progress": "overdue"}, group="filter"),
            Page("suggestions closed this year", role, "proposals:list", query={"status": "closed", "year": y},
                 group="filter"),
            Page("suggestions search", role, "proposals:list", query={"q": "道路"}, group="search"),
            Page("petitions", role, "petitions:list"),
            Page("petitions open", role, "petitions:list", query={"progress": "open"}, group="filter"),
            Page("petitions overdue", role, "petitions:list", query={"clock": "overdue"}, group="filter"),
            Page("petitions search", role, "petitions:list", query={"q": "补偿"}, group="search"),
            Page("deputies", role, "deputies:deputy_list"),
            Page("deputies serving", role, "deputies:deputy_list", query={"status": "serving"}, group="filter"),
            Page("deputies search", role, "deputies:deputy_list", query={"q": "wang"}, group="search"),
            Page("visits", role, "deputies:visit_list"),
            Page("visits with opinions", role, "deputies:visit_list", query={"has_opinions": "true"},
                 group="filter"),
            Page("visits search", role, "deputies:visit_list", query={"q": "村"}, group="search"),
            Page("duty overview", role, "deputies:duty_overview", group="duty"),
            Page("duty overview behind", role, "deputies:duty_overview", query={"behind": "true"}, group="duty"),
            Page("meetings", role, "meetings:meeting_list"),
            Page("votes", role, "votes:vote_list"),
            Page("livelihood projects", role, "votes:project_list"),
            Page("bulletins reading", role, "bulletins:reading"),
            Page("bulletin series", role, "bulletins:series_list"),
            Page("opinions", role, "proposals:opinion_list"),
            Page("reception days", role, "reception:day_list"),
            Page("handling units", role, "presidium:unit_list"),
            Page("accounts", role, "presidium:account_list"),
            Page("deputy access log", role, "deputies:access_log"),
            Page("suggestion figures", role, "proposals:figures", group="figures"),
            Page("petition figures", role, "petitions:figures", group="figures"),
            Page("deputy composition", role, "deputies:composition", group="figures"),
            Page("reception summary", role, "reception:summary", group="figures"),
            Page("document jobs", role, "documents:job_list"),
            Page("notifications", role, "notifications:inbox"),
        ]
    pages += [
        Page("constituencies", "staff", "deputies:constituency_list"),
        Page("deputy groups", "staff", "deputies:group_list"),
        Page("liaison stations", "staff", "deputies:station_list"),
        Page("hearing", "staff", "proposals:hearing"),
        Page("suggestion categories", "staff", "proposals:category_list"),
        Page("petition categories", "staff", "petitions:category_list"),
        Page("meetings calendar", "staff", "meetings:calendar"),
        Page("work calendar", "staff", "workcalendar:month"),
        Page("visit targets", "staff", "deputies:targets"),
        Page("unit campaigns", "staff", "evaluations:units:campaign_list"),
        Page("townships", "county_admin", "presidium:township_list"),
        Page("scorecard checklists", "county_admin", "scorecards:checklist_list"),
        Page("county report", "county_admin", "proposals:county_report", group="county"),
        Page("county report", "reviewer", "proposals:county_report", group="county"),
        Page("suggestions (unit)", "liaison", "proposals:list"),
        Page("petitions (unit)", "liaison", "petitions:unit_list"),
        Page("my meetings", "deputy", "meetings:mine"),
        Page("suggestions (deputy)", "deputy", "proposals:list"),
        Page("public petitions", "anonymous", "petitions_public:index", group="public"),
        Page("login", "anonymous", "login", group="public"),
    ]
    if t:
        pages += [Page("public suggestions", "anonymous", "proposals_public:suggestions", (t,), group="public"),
                  Page("public projects", "anonymous", "votes_public:projects", (t,), group="public"),
                  Page("township", "county_admin", "presidium:township_detail", (t,), group="detail"),
                  Page("change of term", "chair", "terms:steps", (t,), group="detail")]
    own_issues = {"own": False, "series__township_id": t, "state": "published"}
    details = [
        ("suggestion", "staff", "proposals:detail", "proposals.Suggestion", {"exclude": {"status": "draft"}}),
        ("suggestion", "county_admin", "proposals:detail", "proposals.Suggestion", {"exclude": {"status": "draft"}}),
        ("petition", "staff", "petitions:detail", "petitions.Petition"),
        ("deputy", "staff", "deputies:deputy_detail", "deputies.Deputy"),
        ("duty archive", "staff", "deputies:deputy_archive", "deputies.Deputy"),
        ("visit", "staff", "deputies:visit_detail", "deputies.Visit"),
        ("meeting", "staff", "meetings:meeting_detail", "meetings.Meeting"),
        ("vote", "staff", "votes:vote_detail", "votes.Vote"),
        ("project", "staff", "votes:project_detail", "votes.LivelihoodProject"),
        ("bulletin issue", "staff", "bulletins:issue_detail", "bulletins.BulletinIssue", own_issues),
        ("reception day", "staff", "reception:day_detail", "petitions.ReceptionDay"),
        ("unit campaign", "staff", "evaluations:units:campaign_detail", "evaluations.Campaign"),
        ("scorecard checklist", "county_admin", "scorecards:checklist_detail", "evaluations.Checklist"),
    ]
    for label, role, url_name, model, *options in details:
        pk = ctx.first_pk(model, **(options[0] if options else {}))
        if pk:
            pages.append(Page(f"{label} detail", role, url_name, (pk,), group="detail"))
    checklist = ctx.first_pk("evaluations.Checklist", state__in=["published", "closed"])
    if checklist:
        pages.append(Page("scorecards comparison", "county_admin", "scorecards:comparison", (checklist,),
                          group="county"))
    deputy = ctx.deputy_pk()
    if deputy:
        pages.append(Page("own duty archive", "deputy", "deputies:deputy_archive", (deputy,), group="duty"))
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    for label in ("deputies.Deputy", "deputies.Visit", "proposals.Suggestion", "petitions.Petition",
                  "meetings.Meeting"):
        app_label, model = label.split(".")
        name = f"admin:{app_label}_{model.lower()}_changelist"
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        if any(m._meta.label == label for m in admin.site._registry):
            pages.append(Page(f"admin {model}", "admin", name, group="admin"))
    return pages


def unlisted_list_urls(pages: list[Page]) -> list[str]:
    """Named GET list URLs (a ListView without URL arguments) that the page table leaves out."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.views.generic.list import MultipleObjectMixin

    covered = {p.url_name for p in pages}
    missing = []

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
                view = getattr(pattern.callback, "view_class", None)
                name = namespace + pattern.name
                if (view and issubclass(view, MultipleObjectMixin) and name not in covered
                        and not name.startswith("admin:")):
                    missing.append(name)

    walk(get_resolver())
    return sorted(missing)


# --- pages ------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[index]


class TimedClient:
    """A test client per role whose handler call is timed (the server's time, not the client's)."""

    def __init__(self, user):
        from django.test import Client

        self.client = Client()
        if user is not None:
            self.client.force_login(user)
        self.timings: list[float] = []
        handler = self.client.handler
        inner = handler.get_response

        def timed(request):
            started = time.perf_counter()
            response = inner(request)
            self.timings.append(time.perf_counter() - started)
            return response

        handler.get_response = timed

    def get(self, url):
        return self.client.get(url)


def measure_page(clients: dict, ctx: Context, page: Page, requests: int, warmup: int = 2) -> Result:
    """The page's query count, then ``requests`` timed requests, each followed by one request of the floor page.

    The host's speed drifts (other processes, CPU frequency) over a run of many minutes, and a floor measured once
    at the start is not the floor of a page measured five minutes later: the ratio to the floor is the page's p95
    over the p95 of the floor requests interleaved with it (`floor_p95_ms`)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils.http import urlencode

    url = reverse(page.url_name, args=page.args) + (f"?{urlencode(page.query)}" if page.query else "")
    if page.role not in clients:
        clients[page.role] = TimedClient(None if page.role == "anonymous" else ctx.users.get(page.role))
    if FLOOR_CLIENT not in clients:
        clients[FLOOR_CLIENT] = TimedClient(ctx.users.get("staff"))
    client, floor = clients[page.role], clients[FLOOR_CLIENT]
    floor_url = reverse(FLOOR)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)  # now: the log is cleared by the next request
    status = response.status_code
    for _ in range(warmup):
        client.get(url)
        floor.get(floor_url)
    client.timings.clear()
    floor.timings.clear()
    for _ in range(requests):
        client.get(url)
        floor.get(floor_url)
    times = [t * 1000 for t in client.timings]
    floor_times = [t * 1000 for t in floor.timings]
    return Result(page.label, page.role, url, page.group, status, queries,
                  statistics.median(times), percentile(times, 0.95),
                  floor_median_ms=statistics.median(floor_times), floor_p95_ms=percentile(floor_times, 0.95))


def run_pages(ctx: Context, requests: int, only: str | None) -> tuple[list[Result], list[str]]:
    pages = page_table(ctx)
    warnings = [f"list URL not in the page table: {name}" for name in unlisted_list_urls(pages)]
    for role, user in ctx.users.items():
        if user is None and role != "admin":
            warnings.append(f"no account for role {role} (tried {ROLE_ACCOUNTS.get(role)})")
    if ctx.users.get("admin") is None:
        warnings.append("no superuser: the admin changelists are left out")
        pages = [p for p in pages if p.role != "admin"]
    pages = [p for p in pages if p.role == "anonymous" or ctx.users.get(p.role) is not None]
    if only:
        pages = [p for p in pages if p.group == "floor" or only in p.label or only in p.url_name]
    # In production the beat refreshes the county figures snapshots every 10 minutes; here they are made
    # fresh once, so the county pages read them as they would, not the recompute of a stale one.
    from presidium.snapshots import figures_snapshots_refresh_all

    print(f"  figures snapshots refreshed: {figures_snapshots_refresh_all()}", file=sys.stderr, flush=True)
    clients: dict = {}
    results = []
    for page in pages:
        started = time.perf_counter()
        result = measure_page(clients, ctx, page, requests)
        results.append(result)
        print(f"  {result.status} {result.queries:3}q p50 {result.median_ms:7.1f} p95 {result.p95_ms:7.1f} ms "
              f"({time.perf_counter() - started:5.1f} s)  {page.role:12} {page.label}", file=sys.stderr, flush=True)
    for result in results:
        result.ratio = result.p95_ms / result.floor_p95_ms if result.floor_p95_ms else None
        if result.status != 200:
            result.flags.append(f"status {result.status}")
        if result.group in ("admin", "floor"):
            continue
        if result.queries > MAX_QUERIES:
            result.flags.append(f"queries>{MAX_QUERIES}")
        if result.p95_ms > MAX_P95_MS:
            result.flags.append(f"p95>{MAX_P95_MS:.0f}ms")
        if result.ratio and result.ratio > MAX_FLOOR_RATIO:
            result.flags.append(f"ratio>{MAX_FLOOR_RATIO:.0f}")
    return results, warnings


# --- the extras -------------------------------------------------------------------------------------


def export_child(url: str, username: str) -> None:
    """In a fresh process: one Excel export of ``url`` as ``username``; prints JSON (time, rows, memory)."""
    setup_django()
    from django.conf import settings
    from django.test import Client

    import presidium.views.lists as lists
    from presidium.models import User

    settings.EXPORT_JOB_THRESHOLD = 10**9  # the file itself, not the job that would write it in a worker
    counted = {"rows": 0}
    write = lists.write_xlsx

    def counting_write(rows, columns, **kwargs):
        def each():
            for row in rows:
                counted["rows"] += 1
                yield row
        return write(each(), columns, **kwargs)

    lists.write_xlsx = counting_write
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get(url.split("?")[0])  # warm up: imports, templates, the first connection
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"status": response.status_code, "seconds": seconds, "rows": counted["rows"],
                      "peak_growth_mib": peak - before, "peak_rss_mib": peak,
                      "bytes": len(response.content)}))


def run_export(ctx: Context, query: dict | None = None) -> dict:
    from django.urls import reverse
    from django.utils.http import urlencode

    url = reverse("deputies:visit_list") + "?" + urlencode({**(query or {}), "export": "xlsx"})
    user = ctx.users["county_admin"]
    out = subprocess.run([sys.executable, __file__, "--export-child", url, user.username], capture_output=True,
                         text=True, cwd=ROOT, env=os.environ.copy(), check=False)
    if out.returncode:
        return {"url": url, "error": out.stderr[-2000:]}
    return {"url": url, **json.loads(out.stdout.strip().splitlines()[-1])}


def run_exports(ctx: Context) -> dict:
    from deputies.models import Visit

    full = run_export(ctx)
    dates = Visit.objects.order_by("visited_on").values_list("visited_on", flat=True)
    total = dates.count()
    half = None
    if total > 10:
        middle = dates[total // 2]
        half = run_export(ctx, {"end": middle.isoformat()})
    result = {"full": full, "half": half}
    flags = []
    if "error" not in full:
        per_100k = full["seconds"] * EXPORT_ROWS / max(full["rows"], 1)
        result["seconds_per_100k_rows"] = per_100k
        flags.append("PASS" if per_100k <= EXPORT_MAX_S else "MISS")
        flags.append("PASS" if full["peak_growth_mib"] <= EXPORT_MAX_MIB else "MISS")
        if half and "error" not in half and half["rows"]:
            growth = full["peak_growth_mib"] - half["peak_growth_mib"]
            result["memory_growth_full_vs_half_mib"] = growth
            flags.append("PASS" if growth <= max(20.0, 0.2 * half["peak_growth_mib"]) else "MISS")
    result["verdict"] = flags
    return result


from bench_pdfs import run_pdfs  # noqa: E402 — scripts/ is on sys.path
from bench_report import describe_data, markdown  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="5 requests a page, one PDF each (a check, not a result)")
    parser.add_argument("--requests", type=int, default=None, help="timed requests a page (default 30)")
    parser.add_argument("--only", help="only pages whose label or URL name contains this (and the floor)")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-extras", action="store_true", help="no export, PDFs, reminder pass")
    parser.add_argument("--load", action="store_true", help="also the gunicorn + locust load runs")
    parser.add_argument("--load-users", type=int, default=50)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--load-threads", type=int, default=1,
                        help="threads per gunicorn worker (more than 1: the gthread worker, as docs/deployment.md)")
    parser.add_argument("--out", help="write the Markdown here and the JSON beside it (.json)")
    parser.add_argument("--export-child", nargs=2, metavar=("URL", "USERNAME"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        export_child(*args.export_child)
        return
    setup_django()
    from django.db import connection

    requests = args.requests or (5 if args.quick else 30)
    meta = {"started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "database": connection.vendor,
            "requests": requests, "data": describe_data(), "cpus": os.cpu_count(), "load": os.getloadavg()[0]}
    print(f"data: {meta['data']} on {meta['database']}", file=sys.stderr)
    ctx = Context()
    results, warnings, extras = [], [], {}
    if not args.skip_pages:
        results, warnings = run_pages(ctx, requests, args.only)
    if not args.skip_extras:
        print("export, PDFs, reminders ...", file=sys.stderr, flush=True)
        extras["Excel export (visits ledger, county)"] = run_exports(ctx)
        extras["PDFs"] = run_pdfs(ctx, 1 if args.quick else 3)
        from bench_reminders import run_reminders  # scripts/ is on sys.path: the script's own folder

        extras["Reminder pass"] = run_reminders(REMINDER_PASS_MAX_S)  # the catch-up (scripts/bench_reminders.py)
        extras["Reminder pass, every reminder due now"] = run_reminders(REMINDER_PASS_MAX_S, "due_now")
    if args.load:
        from bench_load import run_load  # scripts/ is on sys.path: the script's own folder

        seconds = 15 if args.quick else args.load_seconds
        threads = args.load_threads
        print(f"load run: 2 workers × {threads} threads ...", file=sys.stderr, flush=True)
        two = run_load(ctx, page_table(ctx), results or None, workers=2, users=args.load_users, seconds=seconds,
                       threads=threads)
        if "rps" in two:
            two["verdict"] = ["PASS" if two["failures"] == 0 else "MISS",
                              "PASS" if two["rps"] >= 5 * LOAD_BASELINE_RPS else "MISS"]
        extras["Load run (gunicorn 2 workers, locust)"] = two
        print("load run: 1 worker ...", file=sys.stderr, flush=True)
        extras["One gunicorn worker"] = run_load(ctx, page_table(ctx), results or None, workers=1,
                                                 users=args.load_users, seconds=seconds, threads=threads)
    meta["load_after"] = os.getloadavg()[0]
    text = markdown(results, warnings, extras, meta)
    print(text)
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        out.with_suffix(".json").write_text(json.dumps(
            {"meta": meta, "pages": [asdict(r) for r in results], "extras": extras, "warnings": warnings},
            ensure_ascii=False, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
