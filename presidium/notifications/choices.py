"""Choices of the notifications app. TextChoices only: never bare strings in code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """A channel that leaves the portal through the outbox. In-app messages are always written."""

    EMAIL = "email", _("邮件")
    SMS = "sms", _("短信")


class OutboxStatus(models.TextChoices):
    """Where an outgoing e-mail or SMS stands.

    A row being sent stays ``pending``: claiming it pushes ``next_attempt_at`` one lease ahead, so
    no other worker sees it as due, and if the worker dies the row simply falls due again.
    """

    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OutboxLayout(models.TextChoices):
    """Where an outbox row's text comes from when it is sent."""

    STORED = "", _("按所存内容发送")
    NOTIFICATION = "notification", _("发送时按站内消息生成邮件")


class ReminderStatus(models.TextChoices):
    """Lifecycle of a scheduled reminder (see ``reminders.TRANSITIONS``)."""

    SCHEDULED = "scheduled", _("待提醒")
    SENT = "sent", _("已提醒")
    CANCELLED = "cancelled", _("已取消")
    SKIPPED = "skipped", _("已跳过")
    FAILED = "failed", _("提醒失败")


class InboxFilter(models.TextChoices):
    ALL = "all", _("全部")
    UNREAD = "unread", _("未读")


class ReminderOutcome(models.TextChoices):
    """What one reminder pass did with one due reminder (reported by ``send_due_reminders``)."""

    SENT = "sent", _("已提醒")
    RESCHEDULED = "rescheduled", _("已提醒，已排定下次")
    ALREADY_SENT = "already_sent", _("此前已提醒，未重复发送")
    SKIPPED = "skipped", _("已不需要，跳过")
    RETRY = "retry", _("出错，稍后重试")
    FAILED = "failed", _("出错次数过多，放弃")
