"""The load run of scripts/bench.py (``--load``): gunicorn with N workers driven by locust (scripts/loadtest.py).

Kept apart from bench.py, which measures pages in process; see docs/performance.md for the method.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_plan(ctx, pages: list, results: list | None) -> dict:
    """Session cookies per role and the pages each role opens (those that answered 200)."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse
    from django.utils.http import urlencode

    ok = {(r.role, r.url) for r in results or [] if r.status == 200}
    plan = {"cookie": settings.SESSION_COOKIE_NAME, "sessions": {}, "pages": {}}
    for role, user in ctx.users.items():
        if user is None or role == "admin":
            continue
        client = Client()
        client.force_login(user)
        plan["sessions"][role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    for page in pages:
        if page.role == "admin" or page.group == "floor" or (page.role != "anonymous" and page.role not in
                                                             plan["sessions"]):
            continue
        url = reverse(page.url_name, args=page.args) + (f"?{urlencode(page.query)}" if page.query else "")
        if results is None or (page.role, url) in ok:
            plan["pages"].setdefault(page.role, []).append([page.label, url])
    return plan


def run_load(ctx, pages: list, results, *, workers: int, users: int, seconds: int, threads: int = 1) -> dict:
    plan = load_plan(ctx, pages, results)
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="presidium-load-"))
    plan_file = workdir / "plan.json"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False))
    # As production runs it: no DEBUG, connections kept between requests (DJANGO_ENV=production would also
    # redirect to HTTPS, which a local run cannot follow).
    env = {**os.environ, "DJANGO_DEBUG": "0", "DATABASE_CONN_MAX_AGE": "60", "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "LOADTEST_PLAN": str(plan_file)}
    bin_dir = Path(sys.executable).parent
    server_log = (workdir / "gunicorn.log").open("w")
    server = subprocess.Popen([str(bin_dir / "gunicorn"), "config.wsgi", "--workers", str(workers),
                               "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--timeout", "120",
                               "--log-level", "warning"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=server_log, start_new_session=True)
    try:
        # Ready when both workers answer (they import Django after the socket listens): a few pages each.
        deadline, answered = time.monotonic() + 120, 0
        while time.monotonic() < deadline and answered < 4 * workers:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=30) as reply:
                    answered += reply.status == 200
            except OSError:
                time.sleep(0.5)  # waiting for gunicorn to start, not pacing a measurement
        prefix = workdir / "locust"
        with (workdir / "locust.log").open("w") as locust_log:
            subprocess.run([str(bin_dir / "locust"), "-f", str(ROOT / "scripts" / "loadtest.py"), "--headless",
                            "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s",
                            "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
                            "--stop-timeout", "10"], cwd=ROOT, env=env, check=False,
                           stdout=subprocess.DEVNULL, stderr=locust_log)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server_log.close()
    import csv

    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    if total is None or not int(total["Request Count"] or 0):
        return {"error": f"no requests were made (no pages in the plan?); see {workdir}"}
    count, failures = int(total["Request Count"]), int(total["Failure Count"])
    slowest = sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: -float(r["95%"] or 0))[:5]
    return {"workers": workers, "threads": threads, "users": users, "seconds": seconds, "requests": count,
            "failures": failures,
            "rps": float(total["Requests/s"]), "p50_ms": float(total["50%"]), "p95_ms": float(total["95%"]),
            "slowest_p95": [(r["Name"], float(r["95%"])) for r in slowest], "logs": str(workdir)}


