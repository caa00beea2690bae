"""The generic reminder mechanism (DESIGN rule 8): database as the queue, a ledger so each goes out once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from presidium.models import HandlingUnit
from presidium.notifications import reminders
from presidium.notifications.choices import ReminderOutcome, ReminderStatus
from presidium.notifications.models import Notification, OutboxMessage, Reminder, ReminderLedger
from presidium.notifications.reminders import (
    ReminderMessage,
    ReminderProvider,
    register_reminder_handler,
    reminder_schedule,
    reminders_cancel,
    send_due_reminders,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
KIND = "reply_due_10wd"


@dataclass
class FakeApp:
    """Stands in for a later app (proposals): its handler decides, at send time, what to say."""

    recipients: list
    answer: object = "message"  # "message", None, an exception to raise, or a callable
    repeat_every: timedelta | None = None
    calls: list = field(default_factory=list)

    def handler(self, target, reminder):
        self.calls.append((target.pk, reminder.kind, reminder.due_at))
        if isinstance(self.answer, Exception):
            raise self.answer
        if self.answer is None:
            return None
        next_due = reminder.due_at + self.repeat_every if self.repeat_every is not None else None
        return ReminderMessage(recipients=self.recipients, title=f"{target.name}：办理期限还剩 10 个工作日",
                               body="请尽快答复。", url="/org/units/", next_due_at=next_due)


@pytest.fixture
def app(world):
    saved = dict(reminders._HANDLERS)
    fake = FakeApp(recipients=[world.user("unit_liaison"), world.user("presidium_staff")])
    register_reminder_handler("presidium.HandlingUnit", fake.handler)
    yield fake
    reminders._HANDLERS.clear()
    reminders._HANDLERS.update(saved)


@pytest.fixture
def due(world):
    """A reminder that fell due an hour ago."""
    return reminder_schedule(target=world.unit, kind=KIND, due_at=timezone.now() - timedelta(hours=1))


def _ledger():
    return list(ReminderLedger.objects.values_list("object_id", "kind", "due_date"))


def test_it_schedules_one_row_per_target_and_kind_and_moves_it(world):
    when = timezone.now() + timedelta(days=3)
    first = reminder_schedule(target=world.unit, kind=KIND, due_at=when)
    again = reminder_schedule(target=world.unit, kind=KIND, due_at=when)
    moved = reminder_schedule(target=world.unit, kind=KIND, due_at=when + timedelta(days=1))
    other_kind = reminder_schedule(target=world.unit, kind="overdue_weekly", due_at=when)
    assert first.pk == again.pk == moved.pk != other_kind.pk
    assert Reminder.objects.get(pk=first.pk).due_at == when + timedelta(days=1)
    assert Reminder.objects.count() == 2


def test_it_refuses_a_naive_due_time_and_an_unsaved_target(world):
    with pytest.raises(ValueError, match="aware"):
        reminder_schedule(target=world.unit, kind=KIND, due_at=datetime(2026, 12, 1, 9, 0))
    with pytest.raises(ValueError, match="saved"):
        reminder_schedule(target=HandlingUnit(name="未保存"), kind=KIND, due_at=timezone.now())


def test_it_refuses_a_second_handler_for_one_model_and_an_unknown_label(app):
    with pytest.raises(ValueError, match="already registered"):
        register_reminder_handler("presidium.HandlingUnit", lambda target, reminder: None)
    register_reminder_handler(HandlingUnit, app.handler)  # the same handler again is fine
    with pytest.raises(LookupError):
        register_reminder_handler("presidium.NoSuchModel", app.handler)


def test_it_sends_a_due_reminder_once_even_when_the_pass_runs_twice(app, due, world):
    assert send_due_reminders() == 1
    assert send_due_reminders() == 0
    assert Notification.objects.filter(kind=f"reminder.{KIND}").count() == 2  # liaison and staff, once each
    assert len(app.calls) == 1
    assert _ledger() == [(world.unit.pk, KIND, timezone.localdate(due.due_at, SHANGHAI))]
    due.refresh_from_db()
    assert due.status == ReminderStatus.SENT and due.sent_at is not None and due.claimed_at is None
    notification = Notification.objects.filter(recipient=world.user("unit_liaison")).get()
    assert notification.target == world.unit and notification.url == "/org/units/"


def test_it_writes_the_outbox_rows_with_the_ledger_and_delivers_them_later(app, due):
    send_due_reminders()
    assert OutboxMessage.objects.count() == 2  # both users have e-mail addresses
    assert ReminderLedger.objects.get().recipient_count == 2
    call_command("deliver_outbox", stdout=StringIO())
    assert len(mail.outbox) == 2


def test_it_does_not_send_a_reminder_before_it_is_due(app, world):
    reminder_schedule(target=world.unit, kind=KIND, due_at=timezone.now() + timedelta(minutes=5))
    assert send_due_reminders() == 0 and app.calls == []
    assert send_due_reminders(now=timezone.now() + timedelta(minutes=6)) == 1


def test_it_treats_a_ledger_row_written_by_a_concurrent_pass_as_already_sent(app, due):
    """The ledger's unique (item, kind, due date) stops a second send, whatever let two passes reach one row.

    Two passes cannot normally both claim a row (see the claim test below). This simulates the case the
    ledger exists for: another pass already committed the ledger row for this due date (it claimed the
    row, sent, then died before marking it, or its lease ran out mid-send). The IntegrityError on our
    insert rolls back our savepoint: no notification, no outbox row; the reminder is marked and left.
    """
    ReminderLedger.objects.create(content_type=due.content_type, object_id=due.object_id, kind=KIND,
                                  due_date=timezone.localdate(due.due_at, SHANGHAI))
    outcomes = []
    assert send_due_reminders(report=lambda r, outcome, due_at: outcomes.append(outcome)) == 0
    assert outcomes == [ReminderOutcome.ALREADY_SENT]
    assert Notification.objects.count() == 0 and OutboxMessage.objects.count() == 0
    due.refresh_from_db()
    assert due.status == ReminderStatus.SENT


def test_it_lets_only_one_of_two_concurrent_passes_claim_a_row(app, due):
    """The claim is a conditional UPDATE: the second pass's update matches no row (SQLite and PostgreSQL)."""
    assert reminders.reminder_claim(reminder_id=due.pk) is not None
    assert reminders.reminder_claim(reminder_id=due.pk) is None
    assert send_due_reminders() == 0 and app.calls == []  # the pass that lost the claim leaves it alone
    later = timezone.now() + reminders.CLAIM_LEASE + timedelta(seconds=1)
    assert send_due_reminders(now=later) == 1, "a claim whose pass died expires with its lease"


def test_it_skips_a_reminder_the_handler_says_no_longer_matters(app, due):
    app.answer = None
    assert send_due_reminders() == 0
    due.refresh_from_db()
    assert due.status == ReminderStatus.SKIPPED and due.sent_at is None
    assert ReminderLedger.objects.count() == 0 and Notification.objects.count() == 0


def test_it_skips_a_reminder_with_nobody_to_tell(app, due):
    app.recipients = []
    send_due_reminders()
    due.refresh_from_db()
    assert due.status == ReminderStatus.SKIPPED and ReminderLedger.objects.count() == 0


def test_it_skips_a_reminder_whose_matter_was_deleted(app, due):
    Reminder.objects.filter(pk=due.pk).update(object_id=10**9)  # as if the unit had been deleted
    reminder = due
    send_due_reminders()
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SKIPPED and app.calls == []


def test_it_repeats_a_reminder_when_the_handler_asks_to_come_back(app, due):
    """"Overdue, then weekly": each occurrence is sent once and the row moves to the next due time."""
    app.repeat_every = timedelta(days=7)
    first_due = due.due_at
    assert send_due_reminders() == 1
    due.refresh_from_db()
    assert due.status == ReminderStatus.SCHEDULED and due.due_at == first_due + timedelta(days=7)
    assert send_due_reminders() == 0, "next week's is not due yet"
    assert send_due_reminders(now=first_due + timedelta(days=7, minutes=1)) == 1
    assert ReminderLedger.objects.count() == 2 and Notification.objects.count() == 4
    due.refresh_from_db()
    assert due.due_at == first_due + timedelta(days=14)


def test_it_sends_a_repeating_reminder_once_after_weeks_without_a_pass(app, world):
    """A handler stepping its own due time (+7 days) after a four-week gap: each person is told once.

    The old due time plus a week is still past, so without the floor's catch-up every pass would send
    again. The next due time is the series' first slot after now: same weekday, same time of day.
    """
    app.repeat_every = timedelta(days=7)
    first_due = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday, 09:00 in Beijing
    reminder = reminder_schedule(target=world.unit, kind=KIND, due_at=first_due)
    back = first_due + timedelta(weeks=4, hours=3)
    sent = [send_due_reminders(now=back + timedelta(minutes=m)) for m in (0, 10, 20, 30)]
    assert sent == [1, 0, 0, 0]
    assert Notification.objects.count() == 2 and ReminderLedger.objects.count() == 1
    reminder.refresh_from_db()
    assert reminder.due_at == first_due + timedelta(weeks=5)
    assert timezone.localtime(reminder.due_at, SHANGHAI).strftime("%a %H:%M") == "Mon 09:00"


def test_it_finds_the_next_slot_of_a_series_strictly_after_now():
    """Weekly at 09:00 Beijing time: the slot itself is not "after" it; a second later is next week's."""
    due = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
    week = timedelta(weeks=1)
    assert reminders.next_slot_after(due, every=week, after=due - timedelta(days=1)) == due
    assert reminders.next_slot_after(due, every=week, after=due) == due + week
    assert reminders.next_slot_after(due, every=week, after=due + timedelta(weeks=4, seconds=1)) == due + 5 * week
    assert reminders.next_slot_after(due, every=week, after=due + 4 * week - timedelta(seconds=1)) == due + 4 * week
    with pytest.raises(ValueError):
        reminders.next_slot_after(due, every=timedelta(0), after=due)


def test_it_refuses_a_next_due_time_that_is_not_later(app, due):
    app.repeat_every = timedelta(0)
    send_due_reminders()
    due.refresh_from_db()
    assert due.status == ReminderStatus.SCHEDULED and due.attempts == 1
    assert "next_due_at" in due.last_error and Notification.objects.count() == 0


def test_it_keeps_the_error_of_a_failing_handler_and_gives_up_after_the_last_attempt(app, due):
    app.answer = RuntimeError("handler broke")
    outcomes = []
    send_due_reminders(report=lambda r, outcome, due_at: outcomes.append(outcome))
    due.refresh_from_db()
    assert outcomes == [ReminderOutcome.RETRY] and due.attempts == 1
    assert due.status == ReminderStatus.SCHEDULED and "RuntimeError: handler broke" in due.last_error
    assert ReminderLedger.objects.count() == 0 and Notification.objects.count() == 0
    assert send_due_reminders() == 0 and len(app.calls) == 1, "tried again only when the lease ends"
    later = timezone.now()
    for _ in range(reminders.MAX_ATTEMPTS - 1):
        later += reminders.CLAIM_LEASE + timedelta(seconds=1)
        send_due_reminders(now=later)
    due.refresh_from_db()
    assert due.status == ReminderStatus.FAILED and due.attempts == reminders.MAX_ATTEMPTS


def test_it_fails_a_reminder_no_app_handles(world):
    reminder = reminder_schedule(target=world.township, kind=KIND, due_at=timezone.now())
    send_due_reminders()
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FAILED and "no reminder handler" in reminder.last_error


def test_it_cancels_the_scheduled_reminders_of_a_matter(app, world, due):
    other = reminder_schedule(target=world.unit, kind="overdue_weekly", due_at=due.due_at)
    assert reminders_cancel(target=world.unit, kinds=["overdue_weekly"]) == 1
    assert reminders_cancel(target=world.unit) == 1
    assert send_due_reminders() == 0
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.CANCELLED}
    assert other.pk != due.pk


def test_it_does_not_resend_a_reminder_rearmed_for_the_same_due_date(app, due):
    send_due_reminders()
    reminder_schedule(target=due.target, kind=KIND, due_at=due.due_at)  # a service sets the same deadline again
    due.refresh_from_db()
    assert due.status == ReminderStatus.SCHEDULED
    assert send_due_reminders() == 0
    assert Notification.objects.count() == 2
    due.refresh_from_db()
    assert due.status == ReminderStatus.SENT


def test_it_counts_the_ledger_date_in_beijing_time(app, world):
    """16:30 UTC on 1 December is 00:30 on 2 December in Shanghai: the ledger says 2 December."""
    due_at = datetime(2026, 12, 1, 16, 30, tzinfo=ZoneInfo("UTC"))
    reminder_schedule(target=world.unit, kind=KIND, due_at=due_at)
    send_due_reminders(now=due_at + timedelta(minutes=1))
    assert ReminderLedger.objects.get().due_date.isoformat() == "2026-12-02"


def test_it_walks_every_allowed_and_forbidden_status_change():
    """A scheduled reminder may end any way; every ended one may only be scheduled again."""
    allowed = ({(ReminderStatus.SCHEDULED, status) for status in ReminderStatus}
               | {(status, ReminderStatus.SCHEDULED) for status in ReminderStatus})
    for current in ReminderStatus:
        for new in ReminderStatus:
            assert reminders.transition_allowed(current, new) == ((current, new) in allowed), (current, new)


def test_it_prints_what_the_pass_did_from_the_management_command(app, due, world):
    out = StringIO()
    call_command("send_due_reminders", stdout=out)
    text = out.getvalue()
    assert f"presidium.handlingunit#{world.unit.pk}" in text and KIND in text and "已提醒" in text
    assert "本次发送提醒 1 条" in text


# Claim, matters, ledger check, ledger insert, notifications, preferences, outbox, reminders' update,
# and the savepoints around them. SQLite splits a bulk insert every 999 parameters (about 90
# notifications), so 50 reminders for two people each may take two more statements there.
# One batch — claim, matters, savepoints, ledger check and insert, notification ids (PostgreSQL), notifications,
# preferences, outbox, the reminders' write-back — and the claim that finds nothing more due.
PASS_QUERIES = 20


def _due_units(world, count: int, name: str) -> list[HandlingUnit]:
    units = HandlingUnit.objects.bulk_create(
        [HandlingUnit(township=world.township, name=f"{name}{i}") for i in range(count)])
    for unit in units:
        reminder_schedule(target=unit, kind=KIND, due_at=timezone.now() - timedelta(minutes=1))
    return units


def test_it_sends_5_or_50_due_reminders_in_the_same_fixed_number_of_queries(app, world,
                                                                            django_assert_max_num_queries):
    _due_units(world, 5, "五")
    with django_assert_max_num_queries(PASS_QUERIES) as five:
        assert send_due_reminders() == 5
    _due_units(world, 50, "五十")
    split_inserts = 0 if connection.vendor == "postgresql" else 2  # SQLite: 999 parameters a statement
    with django_assert_max_num_queries(PASS_QUERIES + split_inserts) as fifty:
        assert send_due_reminders() == 50
    assert len(five.captured_queries) <= len(fifty.captured_queries) <= len(five.captured_queries) + split_inserts
    assert Notification.objects.count() == 110 and OutboxMessage.objects.count() == 110
    assert ReminderLedger.objects.count() == 55
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_it_works_through_more_due_reminders_than_a_batch_holds(app, world):
    """A pass takes batch after batch until nothing is due; ``limit`` caps what one pass does."""
    _due_units(world, 7, "批")
    assert send_due_reminders(batch_size=3, limit=5) == 5
    assert send_due_reminders(batch_size=3) == 2
    assert ReminderLedger.objects.count() == 7 and Notification.objects.count() == 14


def _outcomes_by_unit(**kwargs) -> dict:
    outcomes = {}
    send_due_reminders(report=lambda r, outcome, due_at: outcomes.__setitem__(r.object_id, outcome), **kwargs)
    return outcomes


def test_it_sends_exactly_the_reminders_whose_ledger_row_it_inserted(app, world, monkeypatch):
    """A key inserted by another pass after our ledger check fails the bulk insert: written one by one.

    The reminder whose (matter, kind, due date) is taken is "already sent" and tells nobody; the
    others of the batch go out once.
    """
    units = _due_units(world, 3, "冲突")
    taken = Reminder.objects.get(object_id=units[1].pk)
    ReminderLedger.objects.create(content_type=taken.content_type, object_id=taken.object_id, kind=KIND,
                                  due_date=timezone.localdate(taken.due_at, SHANGHAI))
    monkeypatch.setattr(reminders, "_ledger_keys", lambda items: set())  # as if inserted after the check
    assert _outcomes_by_unit() == {units[0].pk: ReminderOutcome.SENT, units[1].pk: ReminderOutcome.ALREADY_SENT,
                                   units[2].pk: ReminderOutcome.SENT}
    told = Counter(Notification.objects.values_list("object_id", flat=True))
    assert told == {units[0].pk: 2, units[2].pk: 2}
    assert ReminderLedger.objects.count() == 3 and OutboxMessage.objects.count() == 4


@dataclass(frozen=True)
class _BatchProvider(ReminderProvider):
    """A batch provider for units: ``prefetch`` breaks on one unit, ``message`` links off the portal for another."""

    recipients: tuple
    breaks_prefetch: int = 0
    bad_link: int = 0

    def prefetch(self, due, *, now):
        if any(target.pk == self.breaks_prefetch for target, _ in due):
            raise RuntimeError("prefetch broke")
        return {target.pk: target.name for target, _ in due}

    def message(self, target, reminder, *, now, context):
        url = "https://example.com/" if target.pk == self.bad_link else "/org/units/"
        return ReminderMessage(recipients=self.recipients, title=f"{context[target.pk]}：到期", url=url)


def test_it_fails_only_the_reminder_a_provider_cannot_answer_for(app, world):
    """One matter that breaks the batch's prefetch, one message refused: those two retry, the rest go out."""
    units = _due_units(world, 4, "批内")
    provider = _BatchProvider(recipients=tuple(app.recipients), breaks_prefetch=units[1].pk, bad_link=units[2].pk)
    reminders._HANDLERS["presidium.handlingunit"] = provider  # the app fixture restores the registry
    outcomes = _outcomes_by_unit()
    assert outcomes == {units[0].pk: ReminderOutcome.SENT, units[1].pk: ReminderOutcome.RETRY,
                        units[2].pk: ReminderOutcome.RETRY, units[3].pk: ReminderOutcome.SENT}
    assert set(Notification.objects.values_list("object_id", flat=True)) == {units[0].pk, units[3].pk}
    broken, refused = Reminder.objects.get(object_id=units[1].pk), Reminder.objects.get(object_id=units[2].pk)
    assert "RuntimeError: prefetch broke" in broken.last_error and "url" in refused.last_error
    assert broken.status == refused.status == ReminderStatus.SCHEDULED and broken.claimed_at is not None
    assert Notification.objects.get(object_id=units[0].pk, recipient=app.recipients[0]).title == f"{units[0].name}：到期"


def test_it_recovers_from_a_database_error_in_one_handler(app, world):
    """A handler whose query fails (a savepoint rolls it back) fails its own reminder; the batch goes on."""
    units = _due_units(world, 3, "库错")
    plain = app.handler

    def handler(target, reminder):
        if target.pk == units[1].pk:
            with connection.cursor() as cursor:
                cursor.execute("SELECT no_such_column FROM presidium_handlingunit")
        return plain(target, reminder)

    reminders._HANDLERS["presidium.handlingunit"] = reminders._HandlerFunction(handler)
    assert _outcomes_by_unit() == {units[0].pk: ReminderOutcome.SENT, units[1].pk: ReminderOutcome.RETRY,
                                   units[2].pk: ReminderOutcome.SENT}
    assert "no_such_column" in Reminder.objects.get(object_id=units[1].pk).last_error
    assert ReminderLedger.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_it_asks_for_delivery_once_per_pass_not_once_per_reminder(app, world, monkeypatch):
    """Each reminder commits on its own, but the pass enqueues one outbox delivery at its end."""
    from presidium.notifications import tasks

    enqueued = []
    monkeypatch.setattr(tasks.deliver_outbox, "delay", lambda *a, **kw: enqueued.append(1))
    for i in range(3):
        unit = HandlingUnit.objects.create(township=world.township, name=f"批量{i}")
        reminder_schedule(target=unit, kind=KIND, due_at=timezone.now())
    assert send_due_reminders() == 3
    assert len(enqueued) == 1 and OutboxMessage.objects.count() == 6
