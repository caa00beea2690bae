"""In-process A/B of the reminder providers' messages: links and day made once a batch (new) or per item (old).

The suggestion and petition providers fall back to ``reverse()`` and ``localdate()`` per message when their
batch context has no ``urls``/``today``: both are timed on the same 500 due items, alternating, in CPU time,
and their messages compared. Read-only.

    DATABASE_URL=postgres://…/county_copy .venv/bin/python scripts/ab_reminder_messages.py
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

ROUNDS = 21
BATCH = 500


def main() -> None:
    import bench

    bench.setup_django()
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from presidium.notifications.models import Reminder
    from presidium.notifications.reminders import _HANDLERS

    now = timezone.now() + dt.timedelta(days=400)
    for label in ("proposals.suggestion", "petitions.petitionclock"):
        content_type = ContentType.objects.get_by_natural_key(*label.split("."))
        provider = _HANDLERS[label]
        reminders = list(Reminder.objects.filter(content_type=content_type, status="scheduled")
                         .order_by("due_at", "pk")[:BATCH])
        targets = provider.targets(content_type.model_class()).in_bulk([r.object_id for r in reminders])
        due = [(targets[r.object_id], r) for r in reminders if r.object_id in targets]
        new = provider.prefetch(due, now=now)
        old = dataclasses.replace(new, today=None, urls=None)

        def messages(context, provider=provider, due=due):
            return [provider.message(target, reminder, now=now, context=context) for target, reminder in due]

        cpu: dict[str, list[float]] = {"old": [], "new": []}
        for _ in range(ROUNDS):
            for name, context in (("old", old), ("new", new)):
                started = time.process_time()
                messages(context)
                cpu[name].append(time.process_time() - started)
        same = [(m.url, str(m.title)) if m else None for m in messages(old)] == [
            (m.url, str(m.title)) if m else None for m in messages(new)]
        print(f"{label}: {len(due)} items; CPU median old {statistics.median(cpu['old']) * 1000:.1f} ms, "
              f"new {statistics.median(cpu['new']) * 1000:.1f} ms a batch; same messages: {same}")


if __name__ == "__main__":
    main()
