"""notify(), the transactional outbox and its delivery (DESIGN rule 8), and the Celery wiring."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from presidium.notifications import outbox
from presidium.notifications.choices import Channel, OutboxLayout, OutboxStatus
from presidium.notifications.letters import letter_context
from presidium.notifications.models import Notification, NotificationPreference, OutboxMessage
from presidium.notifications.services import (
    ALL_CHANNELS,
    Notice,
    account_settings_update,
    notify,
    notify_each,
)
from presidium.notifications.sms import LocmemSmsBackend
from tests.factories import UserFactory


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


class RefusingEmailBackend(BaseEmailBackend):
    """A mail server that refuses the recipient for good."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.invalid": (550, b"no such user")})


@pytest.fixture
def sms(settings):
    settings.SMS_BACKEND = "presidium.notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend.outbox


@pytest.fixture
def people(db):
    """Three people: e-mail only (default preferences), SMS only by choice, and no address at all."""
    email_only = UserFactory(username="email_only", mobile="")
    sms_only = UserFactory(username="sms_only", mobile="13812345678")
    NotificationPreference.objects.create(user=sms_only, email_enabled=False, sms_enabled=True)
    no_address = UserFactory(username="no_address", email="", mobile="13900000000")  # default: SMS off
    return email_only, sms_only, no_address


def _outbox(user):
    return list(OutboxMessage.objects.filter(recipient=user).values_list("channel", "address"))


def test_it_writes_in_app_rows_for_all_and_outbox_rows_per_preference_and_address(people):
    email_only, sms_only, no_address = people
    notifications = notify(recipients=people, title="建议已交办", body="请在期限内办理。", url="/proposals/1/",
                           kind="proposals.assigned")
    assert [n.recipient for n in notifications] == list(people)
    assert Notification.objects.filter(title="建议已交办", read_at__isnull=True).count() == 3
    assert _outbox(email_only) == [(Channel.EMAIL, "email_only@example.invalid")]
    assert _outbox(sms_only) == [(Channel.SMS, "13812345678")]
    assert _outbox(no_address) == []
    message = OutboxMessage.objects.get(recipient=email_only)
    assert message.notification == notifications[0]
    assert message.subject == "【乡镇人大主席团工作平台】建议已交办"
    # The e-mail's text is written from its notification when it is sent; the row holds the subject.
    assert (message.layout, message.body, message.html_body) == (OutboxLayout.NOTIFICATION, "", "")
    text, html = outbox.email_texts(message)
    assert "请在期限内办理。" in text and f"/notifications/{notifications[0].pk}/" in text
    assert "查看详情" in html and message.status == OutboxStatus.PENDING
    assert OutboxMessage.objects.get(recipient=sms_only).layout == OutboxLayout.STORED  # an SMS is stored whole


def test_it_writes_the_email_from_its_notification_when_it_is_sent(people, sms):
    """The text sent is the templates rendered for the notification, its recipient and its link."""
    email_only = people[0]
    (notification, *_rest) = notify(recipients=people, title="会议<通知>&", body="第一行\n第二行 <b>", url="/meetings/3/")
    assert outbox.deliver_pending_outbox().sent == 2
    [sent] = mail.outbox
    context = letter_context(notification)
    assert sent.to == [email_only.email]
    assert sent.body == render_to_string("notifications/email/notification.txt", context)
    assert sent.alternatives == [(render_to_string("notifications/email/notification.html", context), "text/html")]
    assert "会议&lt;通知&gt;&amp;" in sent.alternatives[0][0] and "第一行<br>第二行 &lt;b&gt;" in sent.alternatives[0][0]


def test_it_fails_for_good_an_email_whose_notification_was_deleted(people, caplog):
    """Nothing to write it from: the row fails at once with the reason, and the rest are still sent."""
    notify(recipients=people, title="先删除")
    Notification.objects.filter(recipient=people[0]).delete()
    with caplog.at_level(logging.ERROR, logger="presidium.notifications.outbox"):
        result = outbox.deliver_pending_outbox()
    assert (result.sent, result.failed) == (1, 1) and mail.outbox == []
    message = OutboxMessage.objects.get(channel=Channel.EMAIL)
    assert message.status == OutboxStatus.FAILED and "站内消息已删除" in message.last_error


def test_it_refuses_an_outbox_row_without_text_or_a_notification_sms_written_when_sent(people):
    user = people[0]
    with pytest.raises(ValidationError) as error:
        OutboxMessage(channel=Channel.EMAIL, recipient=user, address=user.email, subject="空").full_clean()
    assert "待发消息需要正文。" in str(error.value)
    with pytest.raises(ValidationError) as error:
        OutboxMessage(channel=Channel.SMS, recipient=user, address="13800000000",
                      layout=OutboxLayout.NOTIFICATION).full_clean()
    assert "只有邮件可以在发送时按站内消息生成。" in str(error.value)


def test_it_drops_duplicate_and_deactivated_recipients(db):
    a, b = UserFactory(), UserFactory(is_active=False)
    notifications = notify(recipients=[a, a, b, None], title="通知")
    assert [n.recipient for n in notifications] == [a]
    assert OutboxMessage.objects.count() == 1


def test_it_writes_only_the_in_app_row_when_the_caller_asks_for_no_outside_channel(people):
    notify(recipients=people, title="导出已完成", channels=())
    assert Notification.objects.count() == 3 and OutboxMessage.objects.count() == 0


def test_it_writes_nothing_and_enqueues_nothing_when_the_callers_transaction_rolls_back(people,
                                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=people, title="不会发出")
        assert Notification.objects.count() == 3
        raise RuntimeError("the caller's service failed")
    assert Notification.objects.count() == 0 and OutboxMessage.objects.count() == 0
    assert callbacks == []


def test_it_writes_all_rows_in_a_constant_number_of_queries(db, django_assert_max_num_queries):
    few = [UserFactory() for _ in range(3)]
    many = [UserFactory() for _ in range(30)]
    notify(recipients=few[:1], title="预热")  # content types and templates loaded once
    with django_assert_max_num_queries(6):
        notify(recipients=few, title="三人")
    with django_assert_max_num_queries(6):
        notify(recipients=many, title="三十人")
    assert OutboxMessage.objects.filter(notification__title="三十人").count() == 30


def test_it_refuses_a_link_outside_the_portal(db):
    with pytest.raises(ValidationError):
        notify(recipients=[UserFactory()], title="钓鱼", url="https://evil.example/")
    with pytest.raises(ValidationError):
        notify(recipients=[UserFactory()], title="钓鱼", url="//evil.example/")
    assert Notification.objects.count() == 0


def test_it_delivers_the_email_after_commit_and_marks_it_sent(people, django_capture_on_commit_callbacks, sms):
    email_only, sms_only, _ = people
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=people, title="会议通知", body="周一上午九点开会。", url="/meetings/3/")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["email_only@example.invalid"] and sent.subject == "【乡镇人大主席团工作平台】会议通知"
    assert sent.alternatives[0][1] == "text/html" and "周一上午九点开会。" in sent.alternatives[0][0]
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    assert sms == [("13812345678", sms[0][1])] and "会议通知" in sms[0][1]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0


def test_it_sends_nothing_twice_when_delivery_runs_again(people, sms):
    notify(recipients=people, title="一次")  # the test's transaction never commits: nothing enqueued
    first = outbox.deliver_pending_outbox()
    second = outbox.deliver_pending_outbox()
    assert (first.sent, second.claimed) == (2, 0)
    assert len(mail.outbox) == 1 and len(sms) == 1


def test_it_backs_off_keeps_the_error_and_gives_up_after_the_last_attempt(people, settings):
    settings.EMAIL_BACKEND = "tests.presidium.test_notifications.FailingEmailBackend"
    email_only = people[0]
    notify(recipients=[email_only], title="退避")
    message = OutboxMessage.objects.get()
    result = outbox.deliver_pending_outbox()
    message.refresh_from_db()
    assert (result.retrying, message.status, message.attempts) == (1, OutboxStatus.PENDING, 1)
    assert "ConnectionRefusedError: mail server down" in message.last_error
    wait = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(minutes=1)
    assert outbox.deliver_pending_outbox().claimed == 0, "not due again before the backoff ends"

    for attempt in range(2, outbox.MAX_ATTEMPTS + 1):
        outbox.deliver_pending_outbox(now=message.next_attempt_at)
        message.refresh_from_db()
        assert message.attempts == attempt
        if attempt < outbox.MAX_ATTEMPTS:
            assert message.status == OutboxStatus.PENDING
            expected = outbox.backoff_delay(attempt)
            assert expected - timedelta(seconds=5) < message.next_attempt_at - timezone.now() <= expected
    assert message.status == OutboxStatus.FAILED and message.sent_at is None
    assert outbox.backoff_delay(20) == outbox.BACKOFF_CAP


def test_it_fails_at_once_on_a_permanent_refusal(people, settings):
    settings.EMAIL_BACKEND = "tests.presidium.test_notifications.RefusingEmailBackend"
    notify(recipients=people[:1], title="拒收")
    result = outbox.deliver_pending_outbox()
    message = OutboxMessage.objects.get()
    assert (result.failed, message.status, message.attempts) == (1, OutboxStatus.FAILED, 1)
    assert "SMTPRecipientsRefused" in message.last_error


def test_it_lets_one_worker_claim_a_row_and_another_take_it_over_only_after_the_lease(people):
    """Two passes never send one row twice; a row whose worker died is sent when the lease ends."""
    notify(recipients=people[:1], title="租约")
    message = OutboxMessage.objects.get()
    assert outbox.outbox_claim(message_id=message.pk) is True
    assert outbox.outbox_claim(message_id=message.pk) is False
    assert outbox.deliver_pending_outbox().claimed == 0  # the first worker is still sending
    later = timezone.now() + outbox.CLAIM_LEASE + timedelta(seconds=1)
    result = outbox.deliver_pending_outbox(now=later)  # the first worker died without a word
    message.refresh_from_db()
    assert result.sent == 1 and message.status == OutboxStatus.SENT and message.attempts == 2
    assert len(mail.outbox) == 1


def test_it_puts_failed_messages_back_in_the_queue(people, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.presidium.test_notifications.RefusingEmailBackend"
    notify(recipients=people[:1], title="重发")
    outbox.deliver_pending_outbox()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        count = outbox.outbox_retry(messages=OutboxMessage.objects.all(), by=UserFactory(is_superuser=True))
    assert count == 1
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT and len(mail.outbox) == 1


@pytest.fixture
def broker_down(settings):
    """Celery not eager, its broker unreachable: what a request sees when Redis is down."""
    from config.celery import app

    # Read first: Celery loads its configuration from the Django settings on first access, and must
    # not load (and keep for the rest of the session) the value changed below.
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "broker_transport_options")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0",
                    broker_transport_options={"socket_connect_timeout": 0.5})
    app._pool = None
    app.amqp._producer_pool = None
    yield
    app.conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None


def test_it_saves_and_returns_normally_when_the_broker_is_down(people, broker_down, caplog,
                                                               django_capture_on_commit_callbacks):
    """Broker down at enqueue: the service succeeds, the rows stay pending, the periodic pass sends them."""
    caplog.set_level(logging.WARNING, logger="presidium.notifications.outbox")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notifications = notify(recipients=people, title="中断")
    assert len(callbacks) == 1 and len(notifications) == 3
    assert "broker unreachable" in caplog.text
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.PENDING}
    assert outbox.deliver_pending_outbox().sent == 2  # what the periodic pass does later


def test_it_returns_normally_when_eager_delivery_itself_fails(people, monkeypatch, caplog,
                                                             django_capture_on_commit_callbacks):
    """Without Redis delivery runs in-process after the commit; its failure must not fail the caller."""
    from django.db import OperationalError

    from presidium.notifications import tasks

    def locked(**kwargs):
        raise OperationalError("database table is locked")

    monkeypatch.setattr(tasks, "deliver_due_outbox", locked)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=people, title="本地发送失败")
    assert "left to the periodic pass" in caplog.text
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 2


def test_it_schedules_delivery_every_minute_and_reminders_every_ten_under_registered_task_names():
    from celery.schedules import crontab

    from config.celery import app

    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert schedule["notifications.deliver_outbox"] == crontab()
    assert schedule["notifications.send_due_reminders"] == crontab(minute="*/10")
    app.loader.import_default_modules()
    assert set(schedule) <= set(app.tasks), "every scheduled task name is a registered task"


def test_it_delivers_from_the_management_command(people, sms):
    from io import StringIO

    notify(recipients=people, title="命令")
    out = StringIO()
    call_command("deliver_outbox", stdout=out)
    assert "已发送 2" in out.getvalue() and len(mail.outbox) == 1


def test_it_lets_users_change_only_their_own_settings_and_checks_the_channels(db):
    user, other = UserFactory(mobile=""), UserFactory()
    with pytest.raises(PermissionDenied):
        account_settings_update(user=user, by=other, real_name="某", mobile="", email="", email_enabled=False,
                                sms_enabled=False)
    with pytest.raises(ValidationError) as error:
        account_settings_update(user=user, by=user, real_name="张三", mobile="", email="", email_enabled=True,
                                sms_enabled=True)
    assert set(error.value.message_dict) == {"email", "mobile"}
    assert not NotificationPreference.objects.filter(user=user).exists()
    account_settings_update(user=user, by=user, real_name=" 张三 ", mobile="13812345678", email="z@example.com",
                            email_enabled=False, sms_enabled=True)
    user.refresh_from_db()
    assert (user.real_name, user.mobile, user.email) == ("张三", "13812345678", "z@example.com")
    preference = NotificationPreference.objects.get(user=user)
    assert (preference.email_enabled, preference.sms_enabled) == (False, True)


def test_it_stores_a_translatable_title_in_chinese_whatever_language_the_actor_uses(db):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    with translation.override("en"):
        (notification,) = notify(recipients=[UserFactory()], title=gettext_lazy("消息"), channels=())
    assert notification.title == "消息"


def test_it_lets_a_superuser_requeue_failed_messages_from_the_admin(people, settings, client):
    settings.EMAIL_BACKEND = "tests.presidium.test_notifications.RefusingEmailBackend"
    notify(recipients=people[:1], title="后台重发")
    outbox.deliver_pending_outbox()
    message = OutboxMessage.objects.get()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = "/admin/notifications/outboxmessage/"
    assert client.get(url).status_code == 200
    detail = client.get(f"{url}{message.pk}/change/")  # read-only view, with the text written from the notification
    assert detail.status_code == 200 and "后台重发" in detail.content.decode() and "发送的正文" in detail.content.decode()
    response = client.post(url, {"action": "retry", "_selected_action": [message.pk]}, follow=True)
    assert "已重新排队 1 条消息" in response.content.decode()
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 0


def test_it_writes_many_notices_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    """notify_each: one insert of notifications, one read of preferences, one insert of outbox rows for all."""
    liaison, staff = world.user("unit_liaison"), world.user("presidium_staff")
    notify(recipients=[liaison], title="预热", target=world.unit)  # the unit's content type is cached from here on
    notices = [Notice(recipients=[liaison, staff, liaison], title=f"第 {i} 条", url="/org/units/", target=world.unit,
                      channels=ALL_CHANNELS if i % 2 else ()) for i in range(30)]
    # A savepoint, two inserts, one read, the release; on PostgreSQL the notifications' ids from their
    # sequence first (the rows go in by COPY, which returns none).
    with django_assert_max_num_queries(5 + (connection.vendor == "postgresql")):
        written = notify_each(notices)
    assert [len(rows) for rows in written] == [2] * 30  # the duplicate recipient is told once
    assert written[3][1].recipient == staff and written[3][1].title == "第 3 条" and written[3][1].pk
    assert OutboxMessage.objects.filter(notification__title__startswith="第 ").count() == 15 * 2  # e-mail only for odd


def test_it_writes_nothing_when_one_of_many_notices_is_refused(world):
    notices = [Notice(recipients=[world.user("unit_liaison")], title="好的", url="/org/units/"),
               Notice(recipients=[world.user("unit_liaison")], title="坏的", url="https://example.com/")]
    with pytest.raises(ValidationError):
        notify_each(notices)
    assert Notification.objects.count() == 0 and OutboxMessage.objects.count() == 0
