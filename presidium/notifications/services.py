"""Telling people things: every state change of notifications, preferences and the user's own profile.

Other apps call :func:`notify` inside their own service's transaction. The in-app rows and the
outbox rows are written in that transaction, so a rolled-back action tells nobody, and a committed
one is told exactly once in-app; e-mail and SMS leave through the outbox after the commit
(``outbox.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from presidium.models import User
from presidium.notifications.bulk import insert_rows
from presidium.notifications.choices import Channel
from presidium.notifications.models import Notification, NotificationPreference, OutboxMessage
from presidium.notifications.outbox import (  # noqa: F401 — part of this module's public API
    DeliveryResult,
    batched_delivery,
    deliver_pending_outbox,
    enqueue_delivery,
    outbox_email_queue,
    outbox_retry,
)
from presidium.notifications.stencils import Stencils

ALL_CHANNELS: tuple[Channel, ...] = (Channel.EMAIL, Channel.SMS)


@dataclass(frozen=True)
class Notice:
    """One piece of news for some people, as :func:`notify` takes it; :func:`notify_each` writes many at once."""

    recipients: Iterable[User]
    title: str
    body: str = ""
    url: str = ""
    kind: str = ""
    target: models.Model | None = None
    by: User | None = None
    channels: Collection[Channel] = ALL_CHANNELS


def notify(*, recipients: Iterable[User], title: str, body: str = "", url: str = "", kind: str = "",
           target: models.Model | None = None, by: User | None = None,
           channels: Collection[Channel] = ALL_CHANNELS) -> list[Notification]:
    """Write an in-app notification for each recipient, and e-mail/SMS outbox rows per their preferences.

    ``recipients`` are users (duplicates and inactive accounts are dropped; the actor ``by`` is not
    left out: a caller who does not want to tell the actor excludes them). ``url`` is a portal path;
    ``target`` the matter it is about. ``channels`` limits the outside channels this message merits
    (``()`` = in-app only); a user's preference and a missing address narrow it further.
    Returns the notifications written, in recipient order.
    """
    return notify_each([Notice(recipients=recipients, title=title, body=body, url=url, kind=kind, target=target,
                               by=by, channels=channels)])[0]


def notify_each(notices: Sequence[Notice]) -> list[list[Notification]]:
    """:func:`notify` for many notices at once, in a fixed number of queries however many there are.

    For passes that tell many people many things (the reminder pass): one insert of notifications,
    one read of preferences, one insert of outbox rows, one delivery request after the commit.
    Every notice is validated before anything is written: a bad one raises and writes nothing.
    Returns, for each notice, the notifications written for it.
    """
    now = timezone.now()
    written = [_notifications_for(notice, now) for notice in notices]
    rows = [row for notifications in written for row in notifications]
    if not rows:
        return written
    with transaction.atomic():
        insert_rows(Notification, rows, with_ids=True)
        messages = _outbox_messages([(notifications, notice.channels)
                                     for notice, notifications in zip(notices, written, strict=True)])
        if messages:
            insert_rows(OutboxMessage, messages)
            transaction.on_commit(enqueue_delivery, robust=True)
    return written


def _notifications_for(notice: Notice, now) -> list[Notification]:
    """The unsaved, validated in-app rows of one notice (none when nobody active is left to tell)."""
    target = notice.target
    if target is not None and target.pk is None:
        raise ValueError("notify(target=...) needs a saved object")
    users = active_recipients(notice.recipients)
    if not users:
        return []
    content_type = ContentType.objects.get_for_model(target) if target is not None else None
    # Stored text is in the portal's language, not in the language the actor happens to browse in.
    with translation.override(settings.LANGUAGE_CODE):
        title, body = str(notice.title).strip(), str(notice.body).strip()
    notifications = [
        Notification(recipient=user, actor=notice.by, kind=notice.kind, title=title, body=body, url=notice.url,
                     content_type=content_type, object_id=target.pk if target is not None else None, created_at=now)
        for user in users
    ]
    # The rows differ only in their recipient: validating one validates all. The target's check
    # constraint (type and id together or neither) holds by construction and costs a query plan to check.
    notifications[0].full_clean(exclude=["recipient", "actor", "content_type"], validate_constraints=False)
    return notifications


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark one notification read (idempotent). Only its recipient may."""
    if notification.recipient_id != by.pk:
        raise PermissionDenied
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user: User, by: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many were unread."""
    if user.pk != by.pk:
        raise PermissionDenied
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def account_settings_update(*, user: User, by: User, real_name: str, mobile: str, email: str,
                            email_enabled: bool, sms_enabled: bool) -> User:
    """A user keeps their own name, contact details and the channels they want to be reminded through."""
    if user.pk != by.pk:
        raise PermissionDenied
    real_name, mobile, email = real_name.strip(), mobile.strip(), email.strip()
    errors = {}
    if email_enabled and not email:
        errors["email"] = _("开启邮件提醒需要填写邮箱。")
    if sms_enabled and not mobile:
        errors["mobile"] = _("开启短信提醒需要填写手机号码。")
    if errors:
        raise ValidationError(errors)
    before = (user.real_name, user.mobile, user.email)
    user.real_name, user.mobile, user.email = real_name, mobile, email
    try:
        user.full_clean(exclude=["password"])
    except ValidationError:
        user.real_name, user.mobile, user.email = before  # the page re-renders with the saved name
        raise
    user.save(update_fields=["real_name", "mobile", "email"])
    preference = NotificationPreference.objects.select_for_update().filter(user=user).first()
    preference = preference or NotificationPreference(user=user)
    preference.email_enabled, preference.sms_enabled = email_enabled, sms_enabled
    preference.full_clean(exclude=["user"])
    preference.save()
    return user


# --- helpers --------------------------------------------------------------------------------------


def active_recipients(recipients: Iterable[User]) -> list[User]:
    """``recipients`` without duplicates, ``None`` or deactivated accounts, in their first order."""
    seen: set[int] = set()
    users = []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


def _outbox_messages(batches: list[tuple[list[Notification], Collection[Channel]]]) -> list[OutboxMessage]:
    """The e-mail and SMS rows for notifications, each batch limited to its channels: one read of preferences.

    Each template is rendered once per batch as a stencil and filled per message (``stencils.py``): the
    text is what ``render_to_string`` gives, at a fraction of its cost when thousands are written at once.
    """
    batches = [(notifications, {Channel(c) for c in channels}) for notifications, channels in batches]
    batches = [(notifications, channels) for notifications, channels in batches if notifications and channels]
    user_ids = {n.recipient.pk for notifications, _ in batches for n in notifications
                if n.recipient.email or n.recipient.mobile}
    if not user_ids:
        return []
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=user_ids)}
    default = NotificationPreference()
    messages = []
    writer = _MessageWriter()
    with translation.override(settings.LANGUAGE_CODE):  # mail is written in Chinese, whoever triggered it
        for notifications, channels in batches:
            for notification in notifications:
                user = notification.recipient
                preference = preferences.get(user.pk, default)
                wanted = [c for c in (Channel.EMAIL, Channel.SMS) if c in channels and preference.wants(c)]
                if Channel.EMAIL in wanted and user.email:
                    messages.append(writer.email(notification))
                if Channel.SMS in wanted and user.mobile:
                    messages.append(writer.sms(notification))
    return messages


def open_link(notification: Notification) -> str:
    """The absolute link e-mail and SMS carry: it opens (and marks read) the notification after login."""
    base = settings.PORTAL_BASE_URL.rstrip("/")
    return base + reverse("notifications:open", args=[notification.pk])


def _context(notification: Notification) -> dict:
    return {"notification": notification, "recipient": notification.recipient, "link": open_link(notification),
            "portal_name": settings.PORTAL_NAME}


class _MessageWriter:
    """The e-mail and SMS rows of many notifications: templates as stencils, the link's path reversed once."""

    SUBJECT, TEXT, HTML = ("notifications/email/notification_subject.txt", "notifications/email/notification.txt",
                           "notifications/email/notification.html")
    SMS = "notifications/sms/notification.txt"
    _PK = 987654321  # stands for the notification's id in the reversed path

    def __init__(self):
        self.stencils = Stencils(settings.PORTAL_NAME)
        self.subjects: dict[str, str] = {}  # title → subject: the same for every recipient of a notice
        link = open_link(Notification(pk=self._PK))
        self._link = link.split(str(self._PK)) if link.count(str(self._PK)) == 1 else None

    def link(self, notification: Notification) -> str:
        return f"{self._link[0]}{notification.pk}{self._link[1]}" if self._link else open_link(notification)

    def _values(self, notification: Notification) -> dict[str, str]:
        return {"title": notification.title, "body": notification.body, "name": notification.recipient.display_name,
                "link": self.link(notification)}

    def _render(self, name: str, notification: Notification, values: dict[str, str]) -> str:
        return self.stencils.render(name, values, lambda: {**_context(notification), "link": values["link"]})

    def email(self, notification: Notification) -> OutboxMessage:
        values = self._values(notification)
        subject = self.subjects.get(notification.title)
        if subject is None:
            subject = " ".join(self._render(self.SUBJECT, notification, values).split())[:200]
            self.subjects[notification.title] = subject
        return OutboxMessage(
            channel=Channel.EMAIL, recipient=notification.recipient, address=notification.recipient.email,
            subject=subject, body=self._render(self.TEXT, notification, values),
            html_body=self._render(self.HTML, notification, values),
            notification=notification, next_attempt_at=notification.created_at, created_at=notification.created_at,
        )

    def sms(self, notification: Notification) -> OutboxMessage:
        text = self._render(self.SMS, notification, self._values(notification)).strip()
        return OutboxMessage(
            channel=Channel.SMS, recipient=notification.recipient, address=notification.recipient.mobile,
            body=text, notification=notification, next_attempt_at=notification.created_at,
            created_at=notification.created_at,
        )
