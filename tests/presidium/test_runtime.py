"""The web process's garbage collector (config/runtime.py): set by config/wsgi.py once the application is loaded."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import gc, json
before = {"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count()}
import config.wsgi
from django.apps import apps
print(json.dumps({"before": before, "threshold": gc.get_threshold(), "frozen": gc.get_freeze_count(),
                  "ready": apps.ready, "collections": gc.get_count()}))
"""


def test_the_wsgi_application_freezes_what_it_loaded_and_collects_less_often():
    """In a fresh interpreter, as gunicorn loads it: after ``config.wsgi`` the start-up objects (Django, every app's
    models) are frozen, out of reach of every collection, and the first generation waits for 50,000 allocations."""
    from config.runtime import GEN0_THRESHOLD, GEN1_THRESHOLD, GEN2_THRESHOLD

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_ENV="development")
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    assert probe["before"]["frozen"] == 0 and probe["before"]["threshold"] != probe["threshold"]
    assert probe["ready"] is True
    assert probe["threshold"] == [GEN0_THRESHOLD, GEN1_THRESHOLD, GEN2_THRESHOLD]
    assert probe["frozen"] > 50_000  # Django and the apps: ~190,000 objects at the time of writing
