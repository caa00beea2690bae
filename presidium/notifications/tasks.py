"""Celery tasks: thin wrappers over the services, safe to run twice or concurrently.

Both tasks are passes over rows with a due time rather than messages about one row, so they take
no ids: a lost or repeated task costs nothing, because the rows say what is left to do. The beat
schedule that runs them is in ``config/celery.py``; ``manage.py deliver_outbox`` and
``manage.py send_due_reminders`` do the same without Celery. Only database hiccups are retried
here; a failed e-mail or SMS is retried by the outbox row itself, with its own backoff.
"""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task
from django.db import InterfaceError, OperationalError

from presidium.notifications import reminders
from presidium.notifications.outbox import deliver_due_outbox
from presidium.notifications.retention import purge_expired

TRANSIENT_ERRORS = (OperationalError, InterfaceError)
DELIVERY_BATCH = 100
DELIVERY_BUDGET_SECONDS = 120  # well inside the 240 s soft time limit; the next minute's pass goes on


@shared_task(name="notifications.deliver_outbox", autoretry_for=TRANSIENT_ERRORS, retry_backoff=5,
             retry_backoff_max=120, retry_jitter=True, max_retries=3)
def deliver_outbox() -> dict[str, int]:
    """Deliver every due outbox row (enqueued after each commit that wrote some, and every minute)."""
    return asdict(deliver_due_outbox(batch=DELIVERY_BATCH, budget_seconds=DELIVERY_BUDGET_SECONDS))


@shared_task(name="notifications.send_due_reminders", autoretry_for=TRANSIENT_ERRORS, retry_backoff=5,
             retry_backoff_max=120, retry_jitter=True, max_retries=3)
def send_due_reminders() -> int:
    """One reminder pass (every 10 minutes from beat)."""
    return reminders.send_due_reminders()


@shared_task(name="notifications.purge_expired", autoretry_for=TRANSIENT_ERRORS, retry_backoff=60,
             retry_backoff_max=600, retry_jitter=True, max_retries=3)
def purge_expired_notifications() -> dict[str, int]:
    """Delete notification rows past their retention (every night from beat)."""
    return asdict(purge_expired())
