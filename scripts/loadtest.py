"""The locustfile of the load run (issue 12): logged-in users of every role opening a realistic mix of pages.

Started by ``scripts/bench.py --load`` (which starts gunicorn, logs each role in and writes the plan);
by hand:

    LOADTEST_PLAN=plan.json .venv/bin/locust -f scripts/loadtest.py --headless -u 50 -r 10 -t 60s \\
        --host http://127.0.0.1:8000

The plan (JSON) holds the session cookie name, one session key per role (made with Django's
``force_login``: the login form and its five-failure lockout are not what is measured) and the pages
each role opens. The mix follows who works in the portal: township staff most, then deputies, unit
liaisons, chairs, the county, and the public pages. ``LOADTEST_WAIT`` ("min,max" seconds, default
"0.2,1.0") is the think time between pages.
"""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

with open(os.environ["LOADTEST_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
WEIGHTS = {"staff": 35, "deputy": 20, "liaison": 15, "chair": 10, "county_admin": 8, "reviewer": 4, "anonymous": 8}
ROLES = [role for role in WEIGHTS if PLAN["pages"].get(role)]
WAIT = [float(x) for x in os.environ.get("LOADTEST_WAIT", "0.2,1.0").split(",")]


class PortalUser(HttpUser):
    wait_time = between(*WAIT)

    def on_start(self):
        self.role = random.choices(ROLES, weights=[WEIGHTS[r] for r in ROLES])[0]
        self.pages = PLAN["pages"][self.role]
        session = PLAN["sessions"].get(self.role)
        if session:
            self.client.cookies.set(PLAN["cookie"], session)

    @task
    def open_page(self):
        label, url = random.choice(self.pages)
        with self.client.get(url, name=f"{self.role}: {label}", allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
