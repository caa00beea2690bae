"""The reminder pass of scripts/bench.py: one pass over every scheduled reminder, rolled back afterwards.

The clock is set 400 days ahead so every open item's reminders are due; the transaction is rolled back, so
the loaded data is left as it was. See docs/performance.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import time


class _Rollback(Exception):
    pass


def run_reminders(max_seconds: float) -> dict:
    """One pass over every scheduled reminder as if all were due, inside a transaction rolled back after."""
    from django.db import connection, transaction
    from django.utils import timezone

    from presidium.notifications import reminders
    from presidium.notifications.models import Reminder

    settings_module = sys.modules["django.conf"].settings
    settings_module.CELERY_TASK_ALWAYS_EAGER = False
    from presidium.notifications import outbox

    outbox._enqueue_now = lambda: None  # delivery is the outbox task's business
    now = timezone.now() + dt.timedelta(days=400)
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
    result = {"scheduled": due}
    reminders._send_batch = timed_batch
    try:
        with contextlib.suppress(_Rollback), transaction.atomic(), connection.execute_wrapper(counter):
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
