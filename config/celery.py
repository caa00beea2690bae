"""The Celery application and its beat schedule: the one place periodic work is defined.

Without ``REDIS_URL`` tasks run eagerly in the calling process and nothing is periodic: run the
management command of each job from cron instead (each entry below names it). With Redis, run one
``celery -A config beat`` process and any number of workers.

Periodic jobs are passes over rows with a due time (DESIGN rule 8), so a missed or doubled run is
harmless; ``expires`` drops a run that waited in the queue past its next one instead of piling up.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("presidium_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # manage.py deliver_outbox
    "deliver-outbox": {
        "task": "notifications.deliver_outbox",
        "schedule": crontab(),  # every minute
        "options": {"expires": 55},
    },
    # manage.py send_due_reminders
    "send-due-reminders": {
        "task": "notifications.send_due_reminders",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 9 * 60},
    },
    # manage.py refresh_figures_snapshots: the counties' and townships' figures (presidium.snapshots)
    "refresh-figures-snapshots": {
        "task": "presidium.refresh_figures_snapshots",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 9 * 60},
    },
    # manage.py purge_notifications: read messages, sent e-mails and finished reminders past retention
    "purge-expired-notifications": {
        "task": "notifications.purge_expired",
        "schedule": crontab(hour=3, minute=40),
        "options": {"expires": 6 * 60 * 60},
    },
    # manage.py purge_import_files: uploaded import files (personal data) left unconfirmed past a day
    "purge-import-files": {
        "task": "documents.purge_import_files",
        "schedule": crontab(hour=3, minute=50),
        "options": {"expires": 6 * 60 * 60},
    },
    # manage.py run_document_jobs: document jobs whose enqueue was lost, and stale "running" ones
    "run-queued-document-jobs": {
        "task": "documents.run_queued_document_jobs",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
}
