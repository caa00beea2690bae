"""Retention: read messages, sent e-mails and finished reminders go after their time; nothing still useful does."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from presidium.models import HandlingUnit
from presidium.notifications.choices import Channel, OutboxLayout, OutboxStatus, ReminderStatus
from presidium.notifications.models import Notification, OutboxMessage, Reminder, ReminderLedger
from presidium.notifications.retention import purge_expired
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.NOTIFICATION_RETENTION_DAYS = 365
    settings.OUTBOX_RETENTION_DAYS = 90


def _message(user, *, created, read=None, title="消息"):
    return Notification.objects.create(recipient=user, title=title, created_at=created, read_at=read)


def _outbox(user, *, status, created, sent=None, notification=None):
    return OutboxMessage.objects.create(channel=Channel.EMAIL, recipient=user, address="a@example.invalid",
                                        body="正文", status=status, created_at=created, sent_at=sent,
                                        notification=notification)


def _reminder(target, kind, *, status, updated):
    reminder = Reminder.objects.create(content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
                                       kind=kind, due_at=updated, status=status)
    Reminder.objects.filter(pk=reminder.pk).update(updated_at=updated)  # auto_now would overwrite it on save
    return reminder


def _ledger(target, kind, *, due_date, reminder=None):
    return ReminderLedger.objects.create(content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
                                         kind=kind, due_date=due_date, reminder=reminder)


def test_it_deletes_read_messages_after_a_year_and_unread_ones_only_after_two(world):
    user = UserFactory()
    old_read = _message(user, created=NOW - 500 * DAY, read=NOW - 400 * DAY)
    recently_read = _message(user, created=NOW - 500 * DAY, read=NOW - 10 * DAY)
    old_unread = _message(user, created=NOW - 400 * DAY)
    ancient_unread = _message(user, created=NOW - 800 * DAY)
    result = purge_expired(now=NOW)
    assert result.notifications == 2
    assert set(Notification.objects.values_list("pk", flat=True)) == {recently_read.pk, old_unread.pk}
    assert not Notification.objects.filter(pk__in=[old_read.pk, ancient_unread.pk]).exists()


def test_it_keeps_pending_mail_for_ever_sent_mail_for_ninety_days_and_failures_for_a_year(world):
    user = UserFactory()
    read_long_ago = _message(user, created=NOW - 500 * DAY, read=NOW - 400 * DAY)
    pending = _outbox(user, status=OutboxStatus.PENDING, created=NOW - 900 * DAY, notification=read_long_ago)
    sent_old = _outbox(user, status=OutboxStatus.SENT, created=NOW - 100 * DAY, sent=NOW - 91 * DAY)
    sent_recent = _outbox(user, status=OutboxStatus.SENT, created=NOW - 100 * DAY, sent=NOW - 89 * DAY)
    failed_recent = _outbox(user, status=OutboxStatus.FAILED, created=NOW - 200 * DAY)
    failed_old = _outbox(user, status=OutboxStatus.FAILED, created=NOW - 366 * DAY)
    result = purge_expired(now=NOW)
    assert (result.notifications, result.outbox) == (1, 2)
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {pending.pk, sent_recent.pk, failed_recent.pk}
    pending.refresh_from_db()
    assert pending.notification is None and pending.status == OutboxStatus.PENDING  # still goes out
    assert not OutboxMessage.objects.filter(pk__in=[sent_old.pk, failed_old.pk]).exists()


def test_it_keeps_a_message_whose_email_is_still_to_be_written_from_it(world):
    """A notification's e-mail is written from it when sent: the notification stays until the e-mail has gone."""
    user = UserFactory()
    queued, gone = (_message(user, created=NOW - 500 * DAY, read=NOW - 400 * DAY) for _ in range(2))
    for notification, status in ((queued, OutboxStatus.PENDING), (gone, OutboxStatus.SENT)):
        OutboxMessage.objects.create(channel=Channel.EMAIL, recipient=user, address="a@example.invalid",
                                     layout=OutboxLayout.NOTIFICATION, status=status, created_at=NOW - 10 * DAY,
                                     sent_at=NOW - DAY if status == OutboxStatus.SENT else None,
                                     notification=notification)
    assert purge_expired(now=NOW).notifications == 1
    assert list(Notification.objects.values_list("pk", flat=True)) == [queued.pk]


def test_it_never_deletes_a_scheduled_reminder_nor_the_ledger_row_that_stops_it_repeating(world):
    unit = HandlingUnit.objects.create(township=world.township, name="留存测试单位")
    old = NOW - 400 * DAY
    finished = _reminder(unit, "done", status=ReminderStatus.SENT, updated=old)
    cancelled = _reminder(unit, "cancelled", status=ReminderStatus.CANCELLED, updated=old)
    recent = _reminder(unit, "recent", status=ReminderStatus.SENT, updated=NOW - 30 * DAY)
    scheduled = _reminder(unit, "weekly", status=ReminderStatus.SCHEDULED, updated=old)
    old_ledger = _ledger(unit, "done", due_date=(old - DAY).date(), reminder=finished)
    guarding = _ledger(unit, "weekly", due_date=(old - DAY).date(), reminder=scheduled)
    orphan = _ledger(unit, "gone", due_date=(old - DAY).date())
    fresh = _ledger(unit, "recent", due_date=(NOW - 30 * DAY).date(), reminder=recent)
    result = purge_expired(now=NOW)
    assert (result.reminders, result.ledger) == (2, 2)
    assert set(Reminder.objects.values_list("pk", flat=True)) == {recent.pk, scheduled.pk}
    assert set(ReminderLedger.objects.values_list("pk", flat=True)) == {guarding.pk, fresh.pk}
    assert not ReminderLedger.objects.filter(pk__in=[old_ledger.pk, orphan.pk]).exists()
    assert not Reminder.objects.filter(pk__in=[finished.pk, cancelled.pk]).exists()


def test_it_counts_without_deleting_on_a_dry_run_and_deletes_in_batches(world):
    user = UserFactory()
    for i in range(7):
        _message(user, created=NOW - 500 * DAY, read=NOW - 400 * DAY, title=f"旧消息{i}")
    assert purge_expired(now=NOW, dry_run=True).notifications == 7
    assert Notification.objects.count() == 7
    assert purge_expired(now=NOW, batch=3).notifications == 7
    assert Notification.objects.count() == 0
    assert purge_expired(now=NOW).total == 0  # a second pass finds nothing


def test_it_runs_batches_in_a_constant_number_of_queries_per_batch(world, django_assert_max_num_queries):
    user = UserFactory()

    def make(count):
        for i in range(count):
            _message(user, created=NOW - 500 * DAY, read=NOW - 400 * DAY, title=f"批{i}")

    make(5)
    with django_assert_max_num_queries(20):
        purge_expired(now=NOW, batch=1000)
    make(50)
    with django_assert_max_num_queries(20):
        purge_expired(now=NOW, batch=1000)


def test_it_honours_the_configured_retention(world, settings):
    settings.NOTIFICATION_RETENTION_DAYS = 30
    user = UserFactory()
    _message(user, created=NOW - 40 * DAY, read=NOW - 31 * DAY)
    _message(user, created=NOW - 40 * DAY, read=NOW - 29 * DAY)
    assert purge_expired(now=NOW).notifications == 1


def test_it_reports_from_the_command_and_the_task_is_scheduled_nightly(world):
    from celery.schedules import crontab

    from config.celery import app
    from presidium.notifications.tasks import purge_expired_notifications

    user = UserFactory()
    _message(user, created=timezone.now() - 500 * DAY, read=timezone.now() - 400 * DAY)
    out = StringIO()
    call_command("purge_notifications", "--dry-run", stdout=out)
    assert "将删除：站内消息 1 条" in out.getvalue() and Notification.objects.count() == 1
    call_command("purge_notifications", stdout=out)
    assert "已删除：站内消息 1 条" in out.getvalue() and Notification.objects.count() == 0
    assert purge_expired_notifications.delay().get() == {"notifications": 0, "outbox": 0, "reminders": 0,
                                                        "ledger": 0}
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert schedule["notifications.purge_expired"] == crontab(hour=3, minute=40)
