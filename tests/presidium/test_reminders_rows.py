"""The reminder pass writes its rows from plain tuples: the same rows the service path writes (issue 12).

``notify_bulk`` (the pass) and ``notify``/``notify_each`` (every other service) must leave the same
notifications and outbox rows — same text, same fields — and every e-mail/SMS row must hold what
rendering its templates gives; the ledger row written from a tuple is the one the single-row path saves.
Run on SQLite and on PostgreSQL (where the rows go in by ``COPY``).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone

from presidium.notifications import reminders
from presidium.notifications.choices import Channel
from presidium.notifications.letters import letter_context
from presidium.notifications.models import Notification, NotificationPreference, OutboxMessage, ReminderLedger
from presidium.notifications.outbox import email_texts
from presidium.notifications.reminders import ReminderMessage, register_reminder_handler, reminder_schedule
from presidium.notifications.services import Notice, notify, notify_bulk, notify_each

TITLE = "到期提醒：2026-01「修<路>&“桥”」将于 2026-03-02 到期"
BODY = "承办单位：交通站 & 水利站。\n答复前须与代表面商。"
NOTIFICATION_FIELDS = ["recipient_id", "actor_id", "kind", "title", "body", "url", "content_type_id", "object_id",
                       "read_at"]
OUTBOX_FIELDS = ["channel", "recipient_id", "address", "subject", "body", "html_body", "layout", "status", "attempts",
                 "last_error", "sent_at"]


@pytest.fixture
def people(world):
    liaison, staff, chair = world.user("unit_liaison"), world.user("presidium_staff"), world.user("presidium_chair")
    staff.mobile = "13800000001"
    staff.save(update_fields=["mobile"])
    NotificationPreference.objects.create(user=staff, email_enabled=True, sms_enabled=True)  # e-mail and SMS
    chair.mobile = "13800000002"
    chair.save(update_fields=["mobile"])
    NotificationPreference.objects.create(user=chair, email_enabled=False, sms_enabled=True)  # SMS only
    return [liaison, staff, chair]


def _rows(notifications) -> list[tuple]:
    """The notifications and their outbox rows as values, the notification's id in the link made neutral."""
    found = []
    for notification in Notification.objects.filter(pk__in=[n.pk for n in notifications]).order_by("recipient_id"):
        link = re.compile(rf"/notifications/{notification.pk}/")
        outbox = [tuple(link.sub("/notifications/N/", str(value)) if isinstance(value, str) else value
                        for value in (getattr(message, name) for name in OUTBOX_FIELDS))
                  + (message.next_attempt_at == message.created_at == notification.created_at,)
                  for message in OutboxMessage.objects.filter(notification=notification).order_by("channel")]
        found.append((tuple(getattr(notification, name) for name in NOTIFICATION_FIELDS), outbox))
    return found


def _assert_rendered(notification: Notification) -> None:
    """Every outbox row of ``notification`` holds, or writes when sent, exactly what its templates render."""
    context = letter_context(notification)
    for message in OutboxMessage.objects.filter(notification=notification):
        if message.channel == Channel.EMAIL:
            subject = " ".join(render_to_string("notifications/email/notification_subject.txt", context).split())
            assert message.subject == subject[:200]
            assert email_texts(message) == (render_to_string("notifications/email/notification.txt", context),
                                            render_to_string("notifications/email/notification.html", context))
        else:
            assert message.body == render_to_string("notifications/sms/notification.txt", context).strip()


def test_it_writes_from_tuples_the_rows_notify_writes(world, people):
    """notify_bulk and notify_each leave, for the same notices, rows equal field by field to notify's."""
    chair = people[2]
    notices = [Notice(recipients=[*people, people[0]], title=TITLE, body=BODY, url="/org/units/", kind="reminder.x",
                      target=world.unit, by=chair),
               Notice(recipients=people[:2], title="  只有标题  ", kind="reminder.y", channels=(Channel.SMS,))]
    by_notify = [notify(recipients=n.recipients, title=n.title, body=n.body, url=n.url, kind=n.kind, target=n.target,
                        by=n.by, channels=n.channels) for n in notices]
    before = set(Notification.objects.values_list("pk", flat=True))
    assert notify_bulk(notices) == 5
    by_bulk = list(Notification.objects.exclude(pk__in=before))
    by_each = notify_each(notices)
    assert [len(n) for n in by_each] == [3, 2]
    for expected, each in zip(by_notify, by_each, strict=True):
        bulk = [n for n in by_bulk if n.title == expected[0].title]
        assert _rows(bulk) == _rows(expected) == _rows(each)
    assert OutboxMessage.objects.count() == 3 * (4 + 1)  # three paths; notice 1: 2 e-mails, 2 SMS; notice 2: 1 SMS
    for notification in by_bulk:
        _assert_rendered(notification)


def test_it_returns_the_notifications_written_as_saved_rows(world, people):
    """notify_each's returned objects are the stored rows, with their recipient, actor and target at hand."""
    [written] = notify_each([Notice(recipients=people, title=TITLE, body=BODY, target=world.unit, by=people[2])])
    for notification in written:
        stored = Notification.objects.get(pk=notification.pk)
        assert [getattr(notification, f) for f in NOTIFICATION_FIELDS] == [getattr(stored, f) for f in NOTIFICATION_FIELDS]
        assert notification.created_at == stored.created_at and not notification._state.adding
        assert notification.actor == people[2] and notification.target == world.unit
    assert [n.pk for n in written] == sorted(n.pk for n in written)  # the ids drawn in order, one per row


@pytest.fixture
def provider(world, people):
    saved = dict(reminders._HANDLERS)

    def handler(target, reminder):
        return ReminderMessage(recipients=people, title=TITLE, body=BODY, url="/org/units/")

    register_reminder_handler("presidium.HandlingUnit", handler)
    yield handler
    reminders._HANDLERS.clear()
    reminders._HANDLERS.update(saved)


def test_it_writes_in_a_pass_the_rows_the_service_writes(world, people, provider):
    """A reminder's rows from the pass equal notify's for the same message; its ledger row, the saved one's."""
    due = reminder_schedule(target=world.unit, kind="reply_due_10wd", due_at=timezone.now() - timedelta(hours=1))
    assert reminders.send_due_reminders() == 1
    by_pass = list(Notification.objects.all())
    expected = notify(recipients=people, title=TITLE, body=BODY, url="/org/units/", kind="reminder.reply_due_10wd",
                      target=world.unit)
    assert _rows(by_pass) == _rows(expected)
    for notification in by_pass:
        _assert_rendered(notification)
    ledger = ReminderLedger.objects.get()
    item = reminders._Due(reminder=due, due_at=due.due_at)
    item.recipient_count = 3
    saved = reminders._ledger_row(item)
    fields = ["content_type_id", "object_id", "kind", "due_date", "reminder_id", "recipient_count"]
    assert [getattr(ledger, f) for f in fields] == [getattr(saved, f) for f in fields]
    assert ledger.sent_at is not None


def test_it_writes_back_the_values_the_pass_set_and_keeps_the_columns_it_does_not(world):
    """The pass holds claimed rows as ``DueReminder`` (a few columns) and writes them back in one ``update_rows``:
    what it changed arrives as set (text with quotes and newlines, an enum, aware times, NULL), what it did not
    read or change (an earlier ``sent_at``, the error kept on a skipped row, ``created_at``) stays as it was."""
    from presidium.notifications.bulk import update_rows
    from presidium.notifications.choices import ReminderStatus
    from presidium.notifications.models import Reminder

    earlier = timezone.now() - timedelta(days=7)
    first = reminder_schedule(target=world.unit, kind="a", due_at=timezone.now() - timedelta(hours=1))
    second = reminder_schedule(target=world.unit, kind="b", due_at=timezone.now() - timedelta(hours=1))
    Reminder.objects.filter(pk=second.pk).update(sent_at=earlier, last_error="上次：超时")
    created = dict(Reminder.objects.values_list("pk", "created_at"))
    claimed = {row.pk: row for row in reminders._claim(timezone.now(), 10)}
    assert set(claimed) == {first.pk, second.pk}
    assert all(row.content_type.model == "handlingunit" for row in claimed.values())
    stamp, later = timezone.now(), timezone.now() + timedelta(days=3)
    retried, skipped = claimed[first.pk], claimed[second.pk]
    retried.status, retried.attempts, retried.claimed_at = ReminderStatus.SCHEDULED, 2, stamp
    retried.last_error, retried.due_at, retried.updated_at = "ValueError: 'x' \"y\"\n第二行 ∑", later, stamp
    skipped.status, skipped.updated_at = ReminderStatus.SKIPPED, stamp
    update_rows(Reminder, [retried, skipped], reminders._SETTLED)
    first, second = Reminder.objects.get(pk=first.pk), Reminder.objects.get(pk=second.pk)
    assert (first.status, first.attempts, first.claimed_at, first.due_at, first.sent_at) == (
        "scheduled", 2, stamp, later, None)
    assert first.last_error == "ValueError: 'x' \"y\"\n第二行 ∑"
    assert (second.status, second.sent_at, second.last_error, second.claimed_at) == (
        "skipped", earlier, "上次：超时", None)
    assert {r.pk: r.created_at for r in (first, second)} == created


def test_it_writes_back_integers_and_times_sent_as_one_array_text_exactly(world):
    """``update_rows`` sends a column of integers or aware datetimes (and NULLs) as one array's text on PostgreSQL
    (psycopg dumped a list element by element): times in any zone, with microseconds, far years and NULL, and
    integers come back as the same values; a column holding anything else goes value by value as before."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from presidium.notifications.bulk import _column, array_literal, update_rows
    from presidium.notifications.models import Reminder

    field = Reminder._meta.get_field
    utc, shanghai = dt.UTC, ZoneInfo("Asia/Shanghai")
    times = [dt.datetime(2026, 12, 4, 15, 1, 2, 345678, tzinfo=utc), None,
             dt.datetime(2026, 3, 1, 9, 0, tzinfo=shanghai), dt.datetime(1900, 1, 1, tzinfo=shanghai),
             dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=53, seconds=28))),
             dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=utc)]
    assert _column(field("claimed_at"), times) == (
        "{2026-12-04T15:01:02.345678+00:00,NULL,2026-03-01T09:00:00+08:00,1900-01-01T00:00:00+08:05:43,"
        "2026-01-01T00:00:00+05:53:28,9999-12-31T23:59:59.999999+00:00}")
    assert _column(field("attempts"), [0, None, 12]) == "{0,NULL,12}"
    assert isinstance(_column(field("attempts"), [1, True]), list)  # a bool is not sent as a number's text
    assert array_literal([times[0], dt.datetime(2026, 1, 1)], dt.datetime) is None  # naive: through the field
    # Text is quoted and escaped (a choice as its value); a lazy string or a NUL goes through the field.
    from django.utils.functional import lazy

    from presidium.notifications.choices import ReminderStatus

    assert _column(field("status"), ["sent", ReminderStatus.SKIPPED]) == '{"sent","skipped"}'
    assert _column(field("last_error"), ['a "b" \\ c', "NULL", ""]) == '{"a \\"b\\" \\\\ c","NULL",""}'
    assert isinstance(_column(field("last_error"), ["x", lazy(lambda: "y", str)()]), list)
    assert isinstance(_column(field("last_error"), ["x\x00"]), list)

    rows = [reminder_schedule(target=world.unit, kind=f"k{i}", due_at=timezone.now() + dt.timedelta(days=1))
            for i in range(len(times))]
    errors = ['引号 "甲" 与反斜杠 \\ 和 {花括号}, 逗号', "NULL", "", "line\nbreak\ttab", "'single'", "\\"]
    for i, (row, stamp) in enumerate(zip(rows, times, strict=True)):
        row.claimed_at, row.sent_at, row.attempts = stamp, times[-1 - i], [3, 0, 0, 7, 32767, 1][i]
        row.last_error, row.status = errors[i], [ReminderStatus.FAILED, "sent"][i % 2]
    update_rows(Reminder, rows, ["claimed_at", "sent_at", "attempts", "last_error", "status"])
    back = {r.pk: r for r in Reminder.objects.filter(pk__in=[r.pk for r in rows])}
    assert [(back[r.pk].claimed_at, back[r.pk].sent_at, back[r.pk].attempts, back[r.pk].last_error,
             back[r.pk].status) for r in rows] == [
        (r.claimed_at, r.sent_at, r.attempts, r.last_error, r.status) for r in rows]


def test_it_finds_the_ledger_keys_already_there_exactly(world):
    """``bulk.existing_keys`` (the batch's ledger lookup): of a mix of keys, exactly those in the table, in one
    query; kinds with quotes, backslashes, commas, braces and the word NULL; a key differing in one column only is
    not found."""
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from presidium.notifications.bulk import existing_keys

    unit_type = ContentType.objects.get_for_model(world.unit).pk
    kinds = ['a "b"', "c\\d", "e,f", "{g}", "NULL", "提醒", ""]
    day = dt.date(2026, 12, 4)
    there = [(unit_type, world.unit.pk + i, kind, day + dt.timedelta(days=i)) for i, kind in enumerate(kinds)]
    ReminderLedger.objects.bulk_create([ReminderLedger(content_type_id=ct, object_id=obj, kind=kind, due_date=due)
                                        for ct, obj, kind, due in there])
    names = ("content_type_id", "object_id", "kind", "due_date")
    near = [(ct + 1000, obj, kind, due) for ct, obj, kind, due in there[:2]] + [
        (ct, obj + 1, kind, due) for ct, obj, kind, due in there[2:4]] + [
        (ct, obj, kind + "x", due) for ct, obj, kind, due in there[4:6]] + [
        (ct, obj, kind, due + dt.timedelta(days=1)) for ct, obj, kind, due in there[6:]]
    with CaptureQueriesContext(connection) as captured:
        found = existing_keys(ReminderLedger, names, [*there[::2], *near])
    assert len(captured) == 1
    assert found == set(there[::2])
    assert existing_keys(ReminderLedger, names, there) == set(there)
    assert existing_keys(ReminderLedger, names, []) == set()


def test_the_quick_check_of_a_notice_never_passes_what_clean_refuses(db):
    """``services._quick_check`` judges a notice's title, kind, body and matter without ``field.clean``: for values
    at and past every bound, empty, with a NUL, of another type, it passes only what ``clean`` passes, and it does
    pass the ordinary values (so they skip ``clean``). The link (a portal path: its own validator) is not judged."""
    from django.core.exceptions import ValidationError
    from django.utils.functional import lazy

    from presidium.notifications.services import _quick_check

    field = Notification._meta.get_field
    assert _quick_check(field("url")) is None and _quick_check(field("created_at")) is None
    high = 2 ** 63
    cases = {
        "title": ["提醒", "甲" * 200, "甲" * 201, "", " ", "a\x00b", None, 5, lazy(lambda: "懒", str)()],
        "kind": ["reminder.overdue", "k" * 64, "k" * 65, "", None],
        "body": ["", "正文\n第二行", "x" * 100_000, "a\x00", None],
        "object_id": [0, 1, -1, high - 1, high, None, "3", 2.0, True],
    }
    for name, values in cases.items():
        quick = _quick_check(field(name))
        assert quick is not None
        for value in values:
            try:
                field(name).clean(value, None)
                valid = True
            except ValidationError:
                valid = False
            assert not quick(value) or valid, (name, value)
    assert all(_quick_check(field("title"))(v) for v in ("提醒", "甲" * 200))
    assert _quick_check(field("object_id"))(12345) and _quick_check(field("body"))("")


def test_a_notice_with_a_title_too_long_is_refused_with_the_fields_message(world):
    """The quick check leaves a refusal to ``clean``: the same error as before, and nothing written."""
    from django.core.exceptions import ValidationError

    staff = world.user("presidium_staff")
    with pytest.raises(ValidationError) as raised:
        notify_bulk([Notice(recipients=[staff], title="长" * 201, url="/"), Notice(recipients=[staff], title="短")])
    assert "title" in raised.value.message_dict
    assert not Notification.objects.exists()


def test_the_pass_writes_a_batchs_ledger_notifications_and_outbox_in_one_savepoint(world, people, provider):
    """``notify_bulk`` joins the pass's savepoint (its ledger rows and notices: all or nothing) instead of making
    its own: two statements a batch. A notice whose rows fail after the notifications went in leaves nothing: not
    its notifications, not its ledger row; the reminder is kept to try again."""
    from django.db import DatabaseError, transaction
    from django.test.utils import CaptureQueriesContext

    from presidium.notifications import services
    from presidium.notifications.choices import ReminderStatus
    from presidium.notifications.models import Reminder

    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        assert notify_bulk([Notice(recipients=people, title=TITLE, body=BODY)]) == 3
    assert not [q for q in captured.captured_queries if "SAVEPOINT" in q["sql"].upper()]
    Notification.objects.all().delete()

    due = reminder_schedule(target=world.unit, kind="reply_due_10wd", due_at=timezone.now() - timedelta(hours=1))
    insert = services.insert_tuples

    def outbox_refused(model, *args, **kwargs):
        if model is OutboxMessage:
            raise DatabaseError("outbox refused")
        return insert(model, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "insert_tuples", outbox_refused)
        assert reminders.send_due_reminders() == 0
    assert not Notification.objects.exists() and not ReminderLedger.objects.exists()
    due = Reminder.objects.get(pk=due.pk)
    assert due.status == ReminderStatus.SCHEDULED and due.attempts == 1 and "outbox refused" in due.last_error
    assert reminders.send_due_reminders(now=timezone.now() + reminders.CLAIM_LEASE) == 1
    assert Notification.objects.count() == 3 and ReminderLedger.objects.count() == 1
