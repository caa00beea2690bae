"""Reminders with the database as the queue (DESIGN rule 8): the mechanism every deadline uses.

An app that owns a matter with a deadline (a suggestion's reply, a petition's answer, a
rectification item) does two things:

1. In ``AppConfig.ready()``, registers a handler for its model::

       register_reminder_handler("proposals.Suggestion", suggestion_reminder)

   ``suggestion_reminder(target, reminder)`` looks at the matter *now* and returns a
   :class:`ReminderMessage` (who is told what; optionally ``next_due_at`` to come back later,
   e.g. "overdue, then weekly"), or ``None`` when the reminder no longer matters (already replied).

2. In its services, keeps the due time on a row: ``reminder_schedule(target=s, kind="reply_due_10wd",
   due_at=...)`` when the deadline is set or moved, ``reminders_cancel(target=s)`` when it is closed.

A periodic pass (``send_due_reminders``; Celery beat every 10 minutes, or ``manage.py
send_due_reminders``) claims due rows with a conditional update, and for each, in one transaction,
writes the ledger row — unique per (matter, kind, due date) — and the notifications (in-app rows and
outbox rows). Two passes at once therefore tell people once: the claim keeps them off the same row,
and if a row is ever processed twice (a lease ran out, a worker died after commit), the ledger's
unique constraint turns the second into "already sent". Never Celery ``countdown``/``eta``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from presidium.models import User
from presidium.notifications.choices import Channel, ReminderOutcome, ReminderStatus
from presidium.notifications.models import Reminder, ReminderLedger
from presidium.notifications.outbox import batched_delivery
from presidium.notifications.services import ALL_CHANNELS, active_recipients, notify

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=15)  # longer than a pass may run (Celery soft limit 4 min)
MAX_ATTEMPTS = 5  # a handler that keeps raising is given up after this many passes
PASS_LIMIT = 500

S = ReminderStatus
# Allowed status changes. Any status may go back to SCHEDULED: reminder_schedule re-arms a
# reminder when its deadline is set again (the ledger still stops a second send for one due date).
TRANSITIONS: dict[ReminderStatus, frozenset[ReminderStatus]] = {
    S.SCHEDULED: frozenset({S.SCHEDULED, S.SENT, S.SKIPPED, S.CANCELLED, S.FAILED}),
    S.SENT: frozenset({S.SCHEDULED}),
    S.SKIPPED: frozenset({S.SCHEDULED}),
    S.CANCELLED: frozenset({S.SCHEDULED}),
    S.FAILED: frozenset({S.SCHEDULED}),
}


@dataclass(frozen=True)
class ReminderMessage:
    """What a handler wants said. ``kind`` is the notification's kind (default ``reminder.<kind>``)."""

    recipients: Iterable[User]
    title: str
    body: str = ""
    url: str = ""
    next_due_at: datetime | None = None
    kind: str = ""
    channels: Collection[Channel] = ALL_CHANNELS


ReminderHandler = Callable[[models.Model, Reminder], ReminderMessage | None]
_HANDLERS: dict[str, ReminderHandler] = {}


def _label(model_or_label: type[models.Model] | models.Model | str) -> str:
    if isinstance(model_or_label, str):
        return apps.get_model(model_or_label)._meta.label_lower  # raises LookupError on a typo
    return model_or_label._meta.label_lower


def register_reminder_handler(model_or_label: type[models.Model] | str, handler: ReminderHandler) -> None:
    """Say who handles reminders about ``model`` (a model class or ``"app_label.Model"``). One per model."""
    label = _label(model_or_label)
    existing = _HANDLERS.get(label)
    if existing is not None and existing != handler:  # == : a bound method is a new object each time
        raise ValueError(f"a reminder handler for {label} is already registered: {existing!r}")
    _HANDLERS[label] = handler


def reminder_handler_for(model_or_label) -> ReminderHandler | None:
    return _HANDLERS.get(_label(model_or_label))


def transition_allowed(current: ReminderStatus | str, new: ReminderStatus | str) -> bool:
    return ReminderStatus(new) in TRANSITIONS[ReminderStatus(current)]


def _move(reminder: Reminder, new: ReminderStatus) -> None:
    if not transition_allowed(reminder.status, new):
        raise ValueError(f"reminder {reminder.pk}: {reminder.status} → {new} is not allowed")
    reminder.status = new


# --- scheduling (called from other apps' services) -------------------------------------------------


def reminder_schedule(*, target: models.Model, kind: str, due_at: datetime) -> Reminder:
    """Make sure ``target`` gets the ``kind`` reminder at ``due_at`` (insert, or move the existing one).

    Idempotent: scheduling the same (target, kind, due_at) again changes nothing. Re-arming a
    reminder that was sent for the same due date does not send it twice (the ledger remembers).
    """
    if timezone.is_naive(due_at):
        raise ValueError("reminder_schedule(due_at=...) must be an aware datetime")
    if target.pk is None:
        raise ValueError("reminder_schedule(target=...) needs a saved object")
    content_type = ContentType.objects.get_for_model(target)
    with transaction.atomic():
        reminder, created = Reminder.objects.select_for_update().get_or_create(
            content_type=content_type, object_id=target.pk, kind=kind, defaults={"due_at": due_at},
        )
        if created:
            reminder.full_clean(exclude=["content_type"])
            return reminder
        if reminder.status == ReminderStatus.SCHEDULED and reminder.due_at == due_at:
            return reminder
        _move(reminder, ReminderStatus.SCHEDULED)
        reminder.due_at = due_at
        reminder.claimed_at = None
        reminder.attempts = 0
        reminder.last_error = ""
        reminder.full_clean(exclude=["content_type"])
        reminder.save(update_fields=["status", "due_at", "claimed_at", "attempts", "last_error", "updated_at"])
    return reminder


def reminders_cancel(*, target: models.Model, kinds: Iterable[str] | None = None) -> int:
    """Cancel the scheduled reminders of ``target`` (all kinds, or only ``kinds``). Returns how many."""
    content_type = ContentType.objects.get_for_model(target)
    reminders = Reminder.objects.filter(content_type=content_type, object_id=target.pk,
                                        status=ReminderStatus.SCHEDULED)
    if kinds is not None:
        reminders = reminders.filter(kind__in=list(kinds))
    # A conditional update: a pass holding one of these rows (locked on PostgreSQL) finishes first,
    # and then its row is no longer "scheduled" and stays as the pass left it.
    return reminders.update(status=ReminderStatus.CANCELLED, claimed_at=None, updated_at=timezone.now())


def reminders_for(target: models.Model):
    """The reminders of one matter (for its detail page: "next reminder on ...")."""
    return Reminder.objects.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)


# --- the periodic pass ------------------------------------------------------------------------------


def _claimable(clock: datetime) -> Q:
    return Q(status=ReminderStatus.SCHEDULED) & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=clock - CLAIM_LEASE))


def reminder_claim(*, reminder_id: int, now: datetime | None = None) -> datetime | None:
    """Claim a due reminder for this pass; returns the claim stamp, or None if another pass has it.

    The stamp is both the lease (a claim older than ``CLAIM_LEASE`` is free again: its pass died)
    and the token the pass checks before it writes, so a pass whose lease ran out writes nothing.
    """
    stamp = now or timezone.now()
    claimed = Reminder.objects.filter(_claimable(stamp), pk=reminder_id, due_at__lte=stamp).update(claimed_at=stamp)
    return stamp if claimed == 1 else None


def send_due_reminders(now: datetime | None = None, *, limit: int = PASS_LIMIT,
                       report: Callable[[Reminder, ReminderOutcome, datetime], None] | None = None) -> int:
    """One pass: send every reminder due by ``now``. Returns how many were sent (notifications written).

    ``report(reminder, outcome, due_at)`` is called for each reminder handled, with the due time it
    was handled for (a repeating reminder's row already holds the next one); the command prints it.
    """
    clock = now or timezone.now()
    due_ids = list(
        Reminder.objects.filter(_claimable(clock), due_at__lte=clock)
        .order_by("due_at", "pk").values_list("pk", flat=True)[:limit]
    )
    sent = 0
    with batched_delivery():  # one delivery task for the whole pass, not one per reminder
        for reminder_id in due_ids:
            # A given ``now`` (a test, a catch-up run) is the pass's clock throughout; otherwise each
            # claim is stamped with the real time, so a long pass does not shorten its later leases.
            stamp = reminder_claim(reminder_id=reminder_id, now=now)
            if stamp is None:
                continue
            reminder, outcome, due_at = _process(reminder_id, stamp)
            if outcome in (ReminderOutcome.SENT, ReminderOutcome.RESCHEDULED):
                sent += 1
            if report is not None and reminder is not None:
                report(reminder, outcome, due_at)
    return sent


def _process(reminder_id: int, stamp: datetime) -> tuple[Reminder | None, ReminderOutcome, datetime | None]:
    """Handle one claimed reminder in one transaction; returns it, the outcome and the due time handled."""
    with transaction.atomic():
        reminder = (Reminder.objects.select_for_update(of=("self",)).select_related("content_type")
                    .filter(pk=reminder_id, claimed_at=stamp, status=ReminderStatus.SCHEDULED).first())
        if reminder is None:  # moved or cancelled while claimed: the new schedule stands
            return None, ReminderOutcome.LOST, None
        due_at = reminder.due_at
        return reminder, _handle(reminder), due_at


def _handle(reminder: Reminder) -> ReminderOutcome:
    label = f"{reminder.content_type.app_label}.{reminder.content_type.model}"
    handler = _HANDLERS.get(label)
    if handler is None or reminder.content_type.model_class() is None:
        return _fail(reminder, f"no reminder handler registered for {label}", final=True)
    target = reminder.target
    if target is None:  # the matter was deleted
        return _finish(reminder, ReminderStatus.SKIPPED, ReminderOutcome.SKIPPED)
    try:
        with transaction.atomic():  # a savepoint: a failing handler leaves nothing half-written
            message = handler(target, reminder)
            outcome = _deliver(reminder, target, message)
    except Exception as error:  # noqa: BLE001 — one broken handler must not stop the pass
        logger.exception("reminder %s (%s) failed", reminder.pk, reminder.kind)
        return _fail(reminder, f"{type(error).__name__}: {error}")
    if outcome == ReminderOutcome.SKIPPED:
        return _finish(reminder, ReminderStatus.SKIPPED, outcome)
    if message.next_due_at is not None:
        return _reschedule(reminder, message.next_due_at, outcome)
    return _finish(reminder, ReminderStatus.SENT, outcome)


def _deliver(reminder: Reminder, target, message: ReminderMessage | None) -> ReminderOutcome:
    if message is None:
        return ReminderOutcome.SKIPPED
    recipients = active_recipients(message.recipients)
    if not recipients:
        logger.warning("reminder %s (%s) has nobody to tell: skipped", reminder.pk, reminder.kind)
        return ReminderOutcome.SKIPPED
    if message.next_due_at is not None and (timezone.is_naive(message.next_due_at)
                                            or message.next_due_at <= reminder.due_at):
        raise ValueError("next_due_at must be an aware datetime after the current due time")
    try:
        with transaction.atomic():  # a savepoint: a duplicate ledger row leaves no notification behind
            ledger = ReminderLedger.objects.create(
                content_type=reminder.content_type, object_id=reminder.object_id, kind=reminder.kind,
                due_date=timezone.localdate(reminder.due_at), reminder=reminder, recipient_count=len(recipients),
            )
            notify(recipients=recipients, title=message.title, body=message.body, url=message.url,
                   kind=message.kind or f"reminder.{reminder.kind}", target=target, channels=message.channels)
    except IntegrityError:
        logger.info("reminder %s (%s) for %s was already sent", reminder.pk, reminder.kind,
                    timezone.localdate(reminder.due_at))
        return ReminderOutcome.ALREADY_SENT
    logger.info("reminder %s (%s) sent to %s people (ledger %s)", reminder.pk, reminder.kind,
                len(recipients), ledger.pk)
    return ReminderOutcome.SENT


_FIELDS = ["status", "due_at", "claimed_at", "sent_at", "attempts", "last_error", "updated_at"]


def _finish(reminder: Reminder, status: ReminderStatus, outcome: ReminderOutcome) -> ReminderOutcome:
    _move(reminder, status)
    reminder.claimed_at = None
    if outcome == ReminderOutcome.SENT:
        reminder.sent_at = timezone.now()
    reminder.full_clean(exclude=["content_type"])
    reminder.save(update_fields=_FIELDS)
    return outcome


def _reschedule(reminder: Reminder, next_due_at: datetime, outcome: ReminderOutcome) -> ReminderOutcome:
    _move(reminder, ReminderStatus.SCHEDULED)
    reminder.due_at = next_due_at
    reminder.claimed_at = None
    reminder.attempts = 0
    reminder.last_error = ""
    if outcome == ReminderOutcome.SENT:
        reminder.sent_at = timezone.now()
        outcome = ReminderOutcome.RESCHEDULED
    reminder.full_clean(exclude=["content_type"])
    reminder.save(update_fields=_FIELDS)
    return outcome


def _fail(reminder: Reminder, error: str, *, final: bool = False) -> ReminderOutcome:
    """Keep the error; the claim stays, so the row is tried again when the lease runs out."""
    reminder.attempts += 1
    reminder.last_error = error[:2000]
    if final or reminder.attempts >= MAX_ATTEMPTS:
        _move(reminder, ReminderStatus.FAILED)
        reminder.claimed_at = None
        outcome = ReminderOutcome.FAILED
        logger.error("reminder %s (%s) given up after %s attempts: %s", reminder.pk, reminder.kind,
                     reminder.attempts, error)
    else:
        outcome = ReminderOutcome.RETRY
    reminder.full_clean(exclude=["content_type"])
    reminder.save(update_fields=_FIELDS)
    return outcome
