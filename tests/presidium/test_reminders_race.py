"""Reminders under real concurrency on PostgreSQL: two passes at once still tell each person once.

SQLite cannot run two writers at once in the test database (its in-memory test database refuses a
second writer instead of waiting), so these run with the ``stack`` marker against PostgreSQL; the
default suite covers the same guarantees one step at a time in ``test_reminders.py``.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from presidium.models import HandlingUnit
from presidium.notifications import reminders
from presidium.notifications.choices import ReminderOutcome, ReminderStatus
from presidium.notifications.models import Notification, Reminder, ReminderLedger
from presidium.notifications.reminders import ReminderMessage, register_reminder_handler, reminder_schedule

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]
KIND = "reply_due_10wd"
TIMEOUT = 20


@pytest.fixture(autouse=True)
def _require_postgres():
    if connection.vendor != "postgresql":
        pytest.fail(f"needs PostgreSQL (the database is {connection.vendor}); run through .ci/run "
                    "or leave out with -m 'not stack'", pytrace=False)


@pytest.fixture
def handler(world):
    recipients = [world.user("unit_liaison"), world.user("presidium_staff")]
    saved = dict(reminders._HANDLERS)
    register_reminder_handler(HandlingUnit, lambda target, reminder: ReminderMessage(
        recipients=recipients, title=f"{target.name}：办理期限将到", url="/org/units/"))
    yield recipients
    reminders._HANDLERS.clear()
    reminders._HANDLERS.update(saved)


def _in_threads(*functions):
    """Run each function in its own thread (own database connection), together; re-raise their errors."""
    errors, results = [], [None] * len(functions)
    start = threading.Barrier(len(functions))

    def run(index, function):
        try:
            start.wait(TIMEOUT)
            results[index] = function()
        except BaseException as error:  # noqa: BLE001 — reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a pass hung"
    if errors:
        raise errors[0]
    return results


def test_it_sends_each_reminder_once_when_two_passes_run_at_the_same_time(world, handler):
    """Two whole passes started together over 30 due reminders: the claim splits them, nothing twice."""
    units = [HandlingUnit.objects.create(township=world.township, name=f"并发单位{i}") for i in range(30)]
    for unit in units:
        reminder_schedule(target=unit, kind=KIND, due_at=timezone.now() - timedelta(minutes=1))
    first, second = _in_threads(reminders.send_due_reminders, reminders.send_due_reminders)
    assert first + second == 30
    assert ReminderLedger.objects.count() == 30
    assert Notification.objects.count() == 60  # two people per reminder, once each
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_it_gives_two_passes_of_small_batches_disjoint_rows(world, handler):
    """Batches of 4 from two passes at once over 30 due reminders: SKIP LOCKED keeps them apart, nothing twice."""
    units = [HandlingUnit.objects.create(township=world.township, name=f"小批单位{i}") for i in range(30)]
    for unit in units:
        reminder_schedule(target=unit, kind=KIND, due_at=timezone.now() - timedelta(minutes=1))
    first, second = _in_threads(lambda: reminders.send_due_reminders(batch_size=4),
                                lambda: reminders.send_due_reminders(batch_size=4))
    assert first + second == 30
    assert ReminderLedger.objects.count() == 30 and Notification.objects.count() == 60
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_it_lets_the_ledger_stop_a_second_transaction_that_reaches_the_same_due_date(world, handler):
    """The ledger guarantee itself, with the claim taken out of the way.

    Transaction A writes the ledger row and the notifications and holds its commit until transaction B
    (another pass whose claim let it through, e.g. after A's lease ran out) is blocked inserting the
    same (item, kind, due date). When A commits, B's insert fails on the unique constraint, B's savepoint
    rolls back its notifications, and B reports "already sent": one set of notifications in all.
    """
    reminder = reminder_schedule(target=world.unit, kind=KIND, due_at=timezone.now() - timedelta(minutes=1))
    a_has_written = threading.Event()
    message = ReminderMessage(recipients=handler, title="到期", url="/org/units/")

    def pass_a():
        with transaction.atomic():
            row = Reminder.objects.get(pk=reminder.pk)
            outcome = reminders._deliver(row, row.target, message)
            a_has_written.set()
            _wait_for_a_blocked_lock()
        return outcome

    def pass_b():
        assert a_has_written.wait(TIMEOUT)
        with transaction.atomic():
            row = Reminder.objects.get(pk=reminder.pk)
            return reminders._deliver(row, row.target, message)

    outcome_a, outcome_b = _in_threads(pass_a, pass_b)
    assert (outcome_a, outcome_b) == (ReminderOutcome.SENT, ReminderOutcome.ALREADY_SENT)
    assert ReminderLedger.objects.count() == 1
    assert Notification.objects.count() == 2


def _wait_for_a_blocked_lock():
    """Poll until another connection waits on a lock we hold (B's insert of the same ledger key)."""
    deadline = time.monotonic() + TIMEOUT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second transaction never blocked on the ledger row")
