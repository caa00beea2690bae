"""Benchmark: one reminder pass over 2,000 due reminders of suggestions (issue 7: the target is < 5 s on PostgreSQL).

Run: .venv/bin/python tests/benchmarks/bench_reminders.py [--reminders 2000] [--batch 200]
With ``DATABASE_URL`` set (``eval "$(bash scripts/stack_services.sh env)"``) it runs on PostgreSQL,
otherwise on SQLite. It creates and drops its own test database (Django's test-database machinery,
named ``test_bench_reminders`` on PostgreSQL), never touching the portal's data. It leaves out
``setup_test_environment``: its instrumented template rendering would slow the e-mails down.

The data: townships with handling units, liaisons, staff and deputies; one suggestion per township
assigned through the real services, copied to reach ``--reminders / 5`` overdue suggestions, each
with five reminders all due an hour ago (10 and 3 working days before, the day, overdue, stale), on
their day, so that each is sent. Each reminder tells three or four people, in-app and by e-mail.
Not a test: wall-clock depends on the machine; this prints seconds and queries per batch.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

KINDS = ["due_before_10", "due_before_3", "due_today", "overdue", "stale"]
UNITS_PER_TOWNSHIP = 5


class QueryCounter:
    """Counts the statements sent to the database without keeping their text (unlike debug capture)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def backend_cpu_seconds() -> float | None:
    """CPU time of the PostgreSQL process serving this connection, when it runs on this machine and /proc shows it.

    The machine's other work slows the wall clock; CPU in this process plus CPU in its database
    backend is the work the pass itself costs.
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def build(reminder_count: int, townships: int) -> None:
    from presidium.choices import Role
    from presidium.models import User
    from presidium.notifications.models import Reminder
    from proposals import services
    from proposals.models import Suggestion
    from tests.factories import (
        CountyFactory,
        HandlingUnitFactory,
        TermFactory,
        TownshipFactory,
        proposals_deputy,
        proposals_suggestion,
        user_with_role,
    )

    admin = User.objects.create_superuser("bench_admin", "bench@example.invalid", "Bench-pass-2026")
    county = CountyFactory(name="基准县")
    templates = []
    for t in range(townships):
        township = TownshipFactory(county=county, name=f"基准{t}镇")
        TermFactory(township=township)
        user_with_role(Role.PRESIDIUM_STAFF, township, username=f"staff{t}")
        chair = user_with_role(Role.PRESIDIUM_CHAIR, township, username=f"chair{t}")
        units = [HandlingUnitFactory(township=township, name=f"基准{t}镇单位{u}") for u in range(UNITS_PER_TOWNSHIP)]
        for u, unit in enumerate(units):
            user_with_role(Role.UNIT_LIAISON, unit, username=f"liaison{t}_{u}")
        deputies = [proposals_deputy(township, user=user_with_role(Role.DEPUTY, township, username=f"deputy{t}_{d}"),
                                     name=f"基准代表{t}{d}") for d in range(UNITS_PER_TOWNSHIP)]
        item = proposals_suggestion(township, lead_deputy=deputies[0], by=admin, status_to="registered")
        item = services.suggestion_assign(suggestion=item, by=admin, lead_unit=units[0], supervision_mode="routine",
                                          deadline_choice="working_days", working_days=20,
                                          responsible_leader_user=chair)
        templates.append((item, units, deputies))

    # Copies of the assigned items, overdue since three days, spread over the units and deputies.
    today = timezone.localdate()
    copies = []
    for n in range(reminder_count // len(KINDS)):
        item, units, deputies = templates[n % len(templates)]
        copy = Suggestion.objects.get(pk=item.pk)
        copy.pk = None
        copy.serial_number = 1000 + n
        copy.title = f"基准建议{n}"
        copy.lead_unit = units[n % len(units)]
        copy.lead_deputy = deputies[n % len(deputies)]
        copy.deadline = today - dt.timedelta(days=3)
        copy.deadline_start = today - dt.timedelta(days=40)
        copies.append(copy)
    Suggestion.objects.bulk_create(copies)
    content_type = ContentType.objects.get_for_model(Suggestion)
    due_at = timezone.now() - dt.timedelta(hours=1)
    Reminder.objects.bulk_create([Reminder(content_type=content_type, object_id=copy.pk, kind=kind, due_at=due_at)
                                  for copy in copies for kind in KINDS])


def run(batch_size: int) -> None:
    from presidium.notifications import reminders
    from presidium.notifications.models import Notification, OutboxMessage, Reminder, ReminderLedger

    due = Reminder.objects.filter(due_at__lte=timezone.now(), status="scheduled").count()
    counter = QueryCounter()
    batches = []
    send_batch = reminders._send_batch

    def timed_batch(clock, size):
        queries, started = counter.count, time.perf_counter()
        batch = send_batch(clock, size)
        batches.append((len(batch), counter.count - queries, time.perf_counter() - started))
        return batch

    reminders._send_batch = timed_batch
    try:
        backend = backend_cpu_seconds()
        with connection.execute_wrapper(counter):
            started, cpu = time.perf_counter(), time.process_time()
            sent = reminders.send_due_reminders(batch_size=batch_size)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        backend = backend_cpu_seconds() - backend if backend is not None else None
    finally:
        reminders._send_batch = send_batch
    for number, (size, queries, batch_seconds) in enumerate(batches, 1):
        print(f"  batch {number:2}: {size:4} reminders  {queries:3} queries  {batch_seconds:6.2f} s")
    print(f"pass: {due} due, {sent} sent in {len(batches)} batches of up to {batch_size}: {counter.count} queries, "
          f"{seconds:.2f} s ({seconds / max(sent, 1) * 1000:.2f} ms per reminder)")
    on_server = f" + {backend:.2f} s in the PostgreSQL backend" if backend is not None else ""
    print(f"work: {cpu:.2f} s CPU in this process{on_server}; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs while it ran")
    print(f"written: {ReminderLedger.objects.count()} ledger rows, {Notification.objects.count()} notifications, "
          f"{OutboxMessage.objects.count()} outbox rows")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reminders", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--townships", type=int, default=4)
    args = parser.parse_args()

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # set-up speed only
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the pass asks for delivery; nothing is delivered here
    from config.celery import app as celery_app
    from presidium.notifications import outbox

    outbox._enqueue_now = lambda: None  # delivery is the outbox task's business, measured elsewhere
    celery_app.conf.task_always_eager = False
    connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = "test_bench_reminders"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        version = connection.cursor().connection.info.server_version if connection.vendor == "postgresql" else ""
        print(f"database: {connection.vendor} {version}".rstrip())
        started = time.perf_counter()
        build(args.reminders, args.townships)
        print(f"set-up: {args.reminders} due reminders in {time.perf_counter() - started:.1f} s")
        run(args.batch)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
