"""The reminder pass of scripts/bench.py: one pass over every scheduled reminder, rolled back afterwards.

Two ways to make every scheduled reminder due at once (the transaction is rolled back either way, so the loaded
data is left as it was; see docs/performance.md):

* ``catch_up`` (the budget's pass): the clock is set 400 days ahead, as after a long stop of the beat. Every
  open item's reminders are due; the countdowns ("还有 3 天", "今天到期") are past their day and are read and
  skipped, and each open item is told what is true now (overdue, not yet met, a promise due).
* ``due_now`` (the heaviest write): every scheduled reminder is moved to a minute ago inside the transaction,
  so each is handled on its own day and every countdown is sent too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import time


class _Rollback(Exception):
    pass


def run_reminders(max_seconds: float, mode: str = "catch_up") -> dict:
    """One pass over every scheduled reminder as if all were due, inside a transaction rolled back after."""
    from django.db import connection, transaction
    from django.utils import timezone

    from presidium.notifications import reminders
    from presidium.notifications.models import Reminder

    settings_module = sys.modules["django.conf"].settings
    settings_module.CELERY_TASK_ALWAYS_EAGER = False
    from presidium.notifications import outbox

    outbox._enqueue_now = lambda: None  # delivery is the outbox task's business
    if mode not in ("catch_up", "due_now"):
        raise ValueError(f"unknown mode {mode!r}")
    now = timezone.now() + dt.timedelta(days=400) if mode == "catch_up" else timezone.now()
    counted = {"queries": 0}

    def counter(execute, sql, params, many, context):
        counted["queries"] += 1
        return execute(sql, params, many, context)

    batches = []
    send_batch = reminders._send_batch

    def timed_batch(clock, size):
        queries, started = counted["queries"], time.perf_counter()
        batch = send_batch(clock, size)
        batches.append((len(batch), counted["queries"] - queries, time.perf_counter() - started))
        return batch

    due = Reminder.objects.filter(status="scheduled").count()
    result = {"mode": mode, "scheduled": due}
    reminders._send_batch = timed_batch
    try:
        with contextlib.suppress(_Rollback), transaction.atomic():
            if mode == "due_now":  # not timed: the set-up of the scenario
                Reminder.objects.filter(status="scheduled").update(due_at=now - dt.timedelta(minutes=1))
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                sent = reminders.send_due_reminders(now=now, limit=max(due, 1))
                result.update(seconds=time.perf_counter() - started, sent=sent, queries=counted["queries"])
                raise _Rollback
    finally:
        reminders._send_batch = send_batch
    per_batch = [q for _n, q, _s in batches if _n]
    result["batches"] = len(batches)
    result["queries_per_batch"] = sorted(set(per_batch))
    result["verdict"] = "PASS" if result["seconds"] <= max_seconds else "MISS"
    return result
