"""Telling people things: every state change of notifications, preferences and the user's own profile.

Other apps call :func:`notify` inside their own service's transaction. The in-app rows and the
outbox rows are written in that transaction, so a rolled-back action tells nobody, and a committed
one is told exactly once in-app; e-mail and SMS leave through the outbox after the commit
(``outbox.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import validators
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from presidium.models import User
from presidium.notifications.bulk import insert_tuples
from presidium.notifications.choices import Channel, OutboxLayout, OutboxStatus
from presidium.notifications.letters import LetterWriter
from presidium.notifications.models import Notification, NotificationPreference, OutboxMessage
from presidium.notifications.outbox import (  # noqa: F401 — part of this module's public API
    DeliveryResult,
    batched_delivery,
    deliver_pending_outbox,
    enqueue_delivery,
    outbox_email_queue,
    outbox_retry,
)

ALL_CHANNELS: tuple[Channel, ...] = (Channel.EMAIL, Channel.SMS)
_ALL_CHANNELS_SET = frozenset(ALL_CHANNELS)


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

    For passes that tell many people many things: one insert of notifications, one read of preferences,
    one insert of outbox rows, one delivery request after the commit. Every notice is validated before
    anything is written: a bad one raises and writes nothing. Returns, for each notice, the notifications
    written for it.
    """
    planned, ids = _write_notices(notices)
    pks = iter(ids)
    written = []
    for plan in planned:
        values = dict(zip(_NOTIFICATION_COLUMNS[1:], plan.values, strict=True)) if plan.users else {}
        values.pop("actor_id", None), values.pop("content_type_id", None)
        content_type = ContentType.objects.get_for_model(plan.notice.target) if plan.notice.target is not None else None
        notifications = [Notification(pk=next(pks), recipient=user, actor=plan.notice.by, content_type=content_type,
                                      **values) for user in plan.users]
        for notification in notifications:
            notification._state.adding, notification._state.db = False, connection.alias
        written.append(notifications)
    return written


def notify_bulk(notices: Sequence[Notice]) -> int:
    """:func:`notify_each` for passes that write thousands (the reminder pass): returns how many notifications.

    The same rows, written from plain tuples (no model instance per row) and validated once per distinct
    value. Nothing is returned to look at, so nothing is built for it. Its writes join the caller's atomic block
    without a savepoint of their own (the pass wraps them with its ledger rows in one, and a savepoint is two
    statements a batch): a failure leaves the caller's block to roll back, all of it or nothing.
    """
    _planned, ids = _write_notices(notices, savepoint=False)
    return len(ids)


# Every column of a notification but its id; the first is the recipient's, the others are the notice's.
_NOTIFICATION_COLUMNS = ("recipient_id", "actor_id", "kind", "title", "body", "url", "content_type_id", "object_id",
                         "created_at", "read_at")
_OUTBOX_COLUMNS = ("channel", "recipient_id", "address", "subject", "body", "html_body", "layout", "notification_id",
                   "status", "attempts", "next_attempt_at", "last_error", "sent_at", "created_at")
# What a notification's validation looks at (``full_clean`` without the relations, constraints held by construction).
_VALIDATED = ("kind", "title", "body", "url", "object_id", "created_at")


@dataclass(frozen=True)
class _Planned:
    """One notice as it is written: its active recipients, and the values its rows share (after the recipient)."""

    notice: Notice
    users: list[User]
    values: tuple


def _write_notices(notices: Sequence[Notice], *, savepoint: bool = True) -> tuple[list[_Planned], list[int]]:
    """Validate every notice, then insert the notifications and their outbox rows; the notifications' ids in order.

    The inserts are atomic: in a savepoint of their own, or (``savepoint=False``) in the caller's block.
    """
    now = timezone.now()
    checked = _Checked(Notification, _NOTIFICATION_COLUMNS[1:], _VALIDATED)
    # Stored text is in the portal's language, not in the language the actor happens to browse in.
    with translation.override(settings.LANGUAGE_CODE):
        planned = [_plan(notice, now, checked) for notice in notices]
    rows = [(user.pk, *plan.values) for plan in planned for user in plan.users]
    if not rows:
        return planned, []
    with transaction.atomic(savepoint=savepoint):
        ids = insert_tuples(Notification, _NOTIFICATION_COLUMNS, rows, with_ids=True)
        messages = _outbox_rows(planned, ids)
        if messages:
            insert_tuples(OutboxMessage, _OUTBOX_COLUMNS, messages)
            transaction.on_commit(enqueue_delivery, robust=True)
    return planned, ids


def _plan(notice: Notice, now, checked: _Checked) -> _Planned:
    """The recipients of one notice and its rows' shared values, validated (no one left to tell: no rows)."""
    target = notice.target
    if target is not None and target.pk is None:
        raise ValueError("notify(target=...) needs a saved object")
    users = active_recipients(notice.recipients)
    if not users:
        return _Planned(notice=notice, users=[], values=())
    content_type_id = ContentType.objects.get_for_model(target).pk if target is not None else None
    title, body = str(notice.title).strip(), str(notice.body).strip()  # in the portal's language (the caller's)
    values = (notice.by.pk if notice.by is not None else None, notice.kind, title, body, notice.url, content_type_id,
              target.pk if target is not None else None, now, None)
    # The rows differ only in their recipient: validating the shared values validates all. The target's
    # check constraint (type and id together or neither) holds by construction.
    checked.check(values)
    return _Planned(notice=notice, users=users, values=values)


class _Checked:
    """Field values checked as ``Model.clean_fields`` checks them, each distinct (field, value) once per call.

    A notice's title, link and matter are new with each notice (6,000 a catch-up pass): a value of a plain text or
    integer field is checked by :func:`_quick_check` (its length, a NUL, its bounds); what that does not pass goes
    through ``field.clean`` (its own message, or valid after all).
    """

    def __init__(self, model: type[models.Model], names: Sequence[str], validated: Sequence[str]):
        self._fields = [(i, field, _quick_check(field)) for i, name in enumerate(names) if name in validated
                        for field in [model._meta.get_field(name)]]
        self._seen: set[tuple] = set()

    def check(self, values: tuple) -> None:
        errors = {}
        for i, field, quick in self._fields:
            value = values[i]
            key = (i, value)
            if key in self._seen:
                continue
            if quick is not None and quick(value):
                self._seen.add(key)
                continue
            if not (field.blank and value in field.empty_values):
                try:
                    field.clean(value, None)
                except ValidationError as error:
                    errors[field.name] = error.error_list
                    continue
            self._seen.add(key)
        if errors:
            raise ValidationError(errors)


# The fields whose ``clean`` of a value of their exact type is ``validate`` (null, blank) and their validators.
_QUICK_TYPES = {models.CharField: str, models.TextField: str, models.IntegerField: int,
                models.PositiveIntegerField: int, models.PositiveBigIntegerField: int, models.BigIntegerField: int}


def _quick_check(field: models.Field) -> Callable[[Any], bool] | None:
    """A check that passes what ``field.clean`` passes, for the values it can judge; None for other fields.

    Only for the exact field types above, without choices, whose validators are the standard length, NUL and
    bound validators with fixed limits (a URL, an e-mail or a custom validator: no quick check). It may say
    False for a valid value (``clean`` then decides); it never says True for one that ``clean`` refuses.
    """
    kind = _QUICK_TYPES.get(type(field))
    if kind is None or field.choices:
        return None
    limits = []
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        if type(validator) is validators.ProhibitNullCharactersValidator:
            continue
        if callable(limit) or type(validator) not in _BOUNDS:
            return None
        limits.append((_BOUNDS[type(validator)], limit))
    max_length = next((limit for bound, limit in limits if bound == "max_length"), None)
    low = [limit for bound, limit in limits if bound == "min_value"]
    high = [limit for bound, limit in limits if bound == "max_value"]
    if kind is str:
        if low or high or any(bound == "min_length" for bound, _ in limits):
            return None
        return lambda value: (type(value) is str and (value != "" or field.blank) and "\x00" not in value
                              and (max_length is None or len(value) <= max_length))
    if max_length is not None or any(bound == "min_length" for bound, _ in limits):
        return None
    return lambda value: (type(value) is int and all(value >= limit for limit in low)
                          and all(value <= limit for limit in high))


_BOUNDS = {validators.MaxLengthValidator: "max_length", validators.MinLengthValidator: "min_length",
           validators.MinValueValidator: "min_value", validators.MaxValueValidator: "max_value"}


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


def _outbox_rows(planned: list[_Planned], ids: list[int]) -> list[tuple]:
    """The e-mail and SMS rows (``_OUTBOX_COLUMNS``) of the notifications ``ids``: one read of preferences.

    Each notice is limited to its channels, each recipient to what their preference wants and their
    addresses. An e-mail row holds its subject; its text is written when it is sent (``letters.py``).
    """
    batches, start = [], 0
    for plan in planned:
        wanted = plan.notice.channels  # nearly always ALL_CHANNELS: not converted per notice
        channels = _ALL_CHANNELS_SET if wanted is ALL_CHANNELS else {Channel(c) for c in wanted}
        if plan.users and channels:
            batches.append((plan, channels, ids[start:start + len(plan.users)]))
        start += len(plan.users)
    user_ids = {user.pk for plan, _, _ in batches for user in plan.users if user.email or user.mobile}
    if not user_ids:
        return []
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__any=user_ids)}
    default = NotificationPreference()
    rows = []
    writer = LetterWriter()
    pending = OutboxStatus.PENDING.value
    with translation.override(settings.LANGUAGE_CODE):  # mail is written in Chinese, whoever triggered it
        for plan, channels, pks in batches:
            title, body, created_at = plan.values[2], plan.values[3], plan.values[7]
            for user, pk in zip(plan.users, pks, strict=True):
                preference = preferences.get(user.pk, default)
                if user.email and Channel.EMAIL in channels and preference.wants(Channel.EMAIL):
                    subject = writer.subject(user=user, pk=pk, title=title, body=body, created_at=created_at)
                    rows.append((Channel.EMAIL.value, user.pk, user.email, subject, "", "",
                                 OutboxLayout.NOTIFICATION.value, pk, pending, 0, created_at, "", None, created_at))
                if user.mobile and Channel.SMS in channels and preference.wants(Channel.SMS):
                    text = writer.sms_text(user=user, pk=pk, title=title, body=body, created_at=created_at)
                    rows.append((Channel.SMS.value, user.pk, user.mobile, "", text, "", OutboxLayout.STORED.value, pk,
                                 pending, 0, created_at, "", None, created_at))
    return rows
