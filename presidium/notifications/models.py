"""Messages to users: in-app notifications, the e-mail/SMS outbox, and reminders kept on the database.

The database is the queue (DESIGN rule 8): a reminder is a row with a due time; an e-mail or SMS is
an outbox row written in the same transaction as the in-app notification and delivered by a task
that marks it sent. Nothing here runs on a timer of its own; ``tasks.py`` and the management
commands call the services.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.notifications.choices import Channel, OutboxLayout, OutboxStatus, ReminderStatus


def validate_portal_path(value: str) -> None:
    """A notification links inside the portal: a path such as ``/proposals/12/``, never another site."""
    if value and (not value.startswith("/") or value.startswith("//") or "\\" in value):
        raise ValidationError(_("链接必须是本平台内以“/”开头的路径。"), code="external_url")


class Notification(models.Model):
    """站内消息 — one message in one user's inbox: a title, an optional text and a link to the matter."""

    # No index of its own: notification_inbox_idx (recipient, created_at) begins with it. Each index is written for
    # every row a reminder pass inserts (25,000 a county's catch-up).
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("接收人"), db_index=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("触发人"))
    kind = models.CharField(_("类别"), max_length=64, blank=True,
                            help_text=_("发送方定义的类别，如 proposals.assigned、reminder.reply_due。"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True, validators=[validate_portal_path])
    # No index of its own: notification_target_idx (content_type, object_id) begins with it.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name=_("相关对象类型"), db_index=False)
    object_id = models.PositiveBigIntegerField(_("相关对象编号"), null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            # The navigation badge counts these on every page: keep the index to the unread ones.
            models.Index(fields=["recipient", "-created_at"], condition=Q(read_at__isnull=True),
                         name="notification_unread_idx"),
            models.Index(fields=["content_type", "object_id"], name="notification_target_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="notification_target_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """提醒方式 — which channels besides the in-app inbox a user wants; created the first time it is saved."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference", verbose_name=_("用户"))
    email_enabled = models.BooleanField(_("邮件提醒"), default=True)
    sms_enabled = models.BooleanField(_("短信提醒"), default=False)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("提醒方式")
        verbose_name_plural = _("提醒方式")

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, channel: Channel) -> bool:
        return self.email_enabled if channel == Channel.EMAIL else self.sms_enabled


class OutboxMessage(models.Model):
    """待发消息（发件箱） — an e-mail or SMS written with its notification and delivered by a task.

    An SMS, and an e-mail that is not a notification's (a password reset), is stored as it is sent. A
    notification's e-mail (``layout`` = notification) holds its subject and is written around its
    notification's stored title and body when it is sent (``letters.py``): the reminder pass queues tens
    of thousands at once, and the HTML frame of each was most of what it wrote.
    """

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("接收人"))
    address = models.CharField(_("地址"), max_length=254, help_text=_("邮箱或手机号码，写入时的值。"))
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("正文"), blank=True)
    html_body = models.TextField(_("HTML 正文"), blank=True)
    layout = models.CharField(_("正文来源"), max_length=16, choices=OutboxLayout.choices, default=OutboxLayout.STORED,
                              blank=True)
    notification = models.ForeignKey(Notification, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="outbox_messages", verbose_name=_("站内消息"))
    status = models.CharField(_("状态"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status=OutboxStatus.PENDING),
                         name="outbox_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status=OutboxStatus.SENT) | Q(sent_at__isnull=False),
                                   name="outbox_sent_has_time"),
            # A row sends its stored text, or writes its notification's e-mail when it is sent.
            models.CheckConstraint(condition=~Q(body="", layout=OutboxLayout.STORED), name="outbox_has_text"),
            models.CheckConstraint(condition=~Q(layout=OutboxLayout.NOTIFICATION) | Q(channel=Channel.EMAIL),
                                   name="outbox_layout_is_email"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}"

    def clean(self) -> None:
        if self.layout == OutboxLayout.STORED and not self.body:
            raise ValidationError({"body": _("待发消息需要正文。")})
        if self.layout == OutboxLayout.NOTIFICATION and self.channel != Channel.EMAIL:
            raise ValidationError({"layout": _("只有邮件可以在发送时按站内消息生成。")})


class Reminder(models.Model):
    """到期提醒 — "tell someone about this matter at this time": one row per (matter, kind).

    The app that owns the matter schedules it (``reminders.reminder_schedule``) and registers a
    handler that says, when it falls due, who is told what — or that it no longer matters.
    """

    # No index of its own: reminder_one_per_kind (content_type, object_id, kind) begins with it.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("对象类型"), db_index=False)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("提醒类别"), max_length=64, help_text=_("如 reply_due_10wd、overdue_weekly。"))
    due_at = models.DateTimeField(_("提醒时间"))
    status = models.CharField(_("状态"), max_length=10, choices=ReminderStatus.choices,
                              default=ReminderStatus.SCHEDULED)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True,
                                      help_text=_("某次提醒处理正在处理它；超过租期后视为未领取。"))
    attempts = models.PositiveSmallIntegerField(_("失败次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status=ReminderStatus.SCHEDULED), name="reminder_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "kind"], name="reminder_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.content_type_id}:{self.object_id} · {self.due_at:%Y-%m-%d %H:%M}"


class ReminderLedger(models.Model):
    """提醒记录 — proof that (matter, kind, due date) was sent: the unique row makes it go out once."""

    # No index of its own: reminder_ledger_once (content_type, object_id, kind, due date) begins with it.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("对象类型"), db_index=False)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    kind = models.CharField(_("提醒类别"), max_length=64)
    due_date = models.DateField(_("提醒日期"), help_text=_("按北京时间计的到期日期。"))
    reminder = models.ForeignKey(Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="ledger",
                                 verbose_name=_("到期提醒"))
    recipient_count = models.PositiveIntegerField(_("提醒人数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "kind", "due_date"],
                                    name="reminder_ledger_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.content_type_id}:{self.object_id} · {self.due_date}"
