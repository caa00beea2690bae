"""Delivering the outbox: claim due rows, send each once, and record the outcome on the row.

Claiming is a conditional update that pushes the row's ``next_attempt_at`` one lease ahead (and
counts the attempt). Only one worker's update matches a due row, on SQLite and PostgreSQL alike, so
two passes never send one row twice; if a worker dies mid-send, the row falls due again when the
lease ends and the next pass sends it (at least once, never lost). The lease is longer than
Celery's hard time limit, so a live sender always finishes before anyone else may claim its row.
"""

from __future__ import annotations

import logging
import smtplib
import threading
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from presidium.models import User
from presidium.notifications.choices import Channel, OutboxLayout, OutboxStatus
from presidium.notifications.letters import LetterWriter
from presidium.notifications.models import OutboxMessage
from presidium.notifications.sms import PermanentSmsError, get_sms_backend, mask_mobile

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=15)
MAX_ATTEMPTS = 10  # with the backoff below: about eight and a half hours of trying
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
ERROR_MAX_CHARS = 2000
_RELATIONS = ["recipient", "notification"]  # loaded from the database: no need to look them up again

class LetterGone(Exception):
    """A notification's e-mail whose notification was deleted before it was sent: nothing to write it from."""


# Errors that another attempt cannot fix: the row fails at once instead of retrying for hours.
PERMANENT_ERRORS: tuple[type[BaseException], ...] = (
    LetterGone,
    PermanentSmsError,
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
)


@dataclass
class DeliveryResult:
    """What one pass did; ``claimed`` = ``sent`` + ``retrying`` + ``failed``."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"取出 {self.claimed} 条：已发送 {self.sent}，稍后重试 {self.retrying}，失败 {self.failed}"

    def add(self, other: DeliveryResult) -> None:
        self.claimed += other.claimed
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed


def backoff_delay(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: 1, 2, 4, 8 ... minutes, at most six hours."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def outbox_claim(*, message_id: int, now: datetime | None = None) -> bool:
    """Take a due row for sending. True only for the one caller whose update matched it."""
    now = now or timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=timezone.now() + CLAIM_LEASE, attempts=F("attempts") + 1)
    return claimed == 1


def deliver_pending_outbox(*, limit: int = 100, now: datetime | None = None) -> DeliveryResult:
    """Send up to ``limit`` due e-mails and SMS. Idempotent: rows already claimed or sent are left alone."""
    now = now or timezone.now()
    due_ids = list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    result = DeliveryResult()
    mail = _MailConnection()
    try:
        for message_id in due_ids:
            if not outbox_claim(message_id=message_id, now=now):
                continue  # another pass took it between our select and our update
            message = OutboxMessage.objects.select_related("notification__recipient").filter(pk=message_id).first()
            if message is None:  # its recipient was deleted meanwhile (cascade): nothing to send
                continue
            result.claimed += 1
            try:
                if message.channel == Channel.EMAIL:
                    mail.send(message)
                else:
                    get_sms_backend().send(message.address, message.body)
            except Exception as error:  # noqa: BLE001 — any failure is recorded on the row and retried
                status = outbox_record_failure(message=message, error=error)
                if status == OutboxStatus.FAILED:
                    result.failed += 1
                else:
                    result.retrying += 1
            else:
                outbox_mark_sent(message=message)
                result.sent += 1
    finally:
        mail.close()
    return result


def deliver_due_outbox(*, batch: int = 100, budget_seconds: float = 120) -> DeliveryResult:
    """Deliver batch after batch while a batch came back full and the time budget lasts."""
    started = time.monotonic()
    total = DeliveryResult()
    while True:
        result = deliver_pending_outbox(limit=batch)
        total.add(result)
        if result.claimed < batch or time.monotonic() - started > budget_seconds:
            return total


def outbox_mark_sent(*, message: OutboxMessage) -> OutboxMessage:
    message.status = OutboxStatus.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.full_clean(exclude=_RELATIONS)
    message.save(update_fields=["status", "sent_at", "last_error"])
    return message


def outbox_record_failure(*, message: OutboxMessage, error: BaseException) -> OutboxStatus:
    """Keep the error; retry later with exponential backoff, or give up (permanent error, too many tries)."""
    message.last_error = f"{type(error).__name__}: {error}"[:ERROR_MAX_CHARS]
    if isinstance(error, PERMANENT_ERRORS) or message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
        logger.error("outbox %s (%s to %s) failed for good after %s attempts: %s", message.pk, message.channel,
                     _masked(message), message.attempts, message.last_error)
    else:
        message.next_attempt_at = timezone.now() + backoff_delay(message.attempts)
        logger.warning("outbox %s (%s to %s) attempt %s failed, next at %s: %s", message.pk, message.channel,
                       _masked(message), message.attempts, message.next_attempt_at.isoformat(), message.last_error)
    message.full_clean(exclude=_RELATIONS)
    message.save(update_fields=["status", "next_attempt_at", "last_error"])
    return OutboxStatus(message.status)


def outbox_email_queue(*, recipient: User, subject: str, body: str, html_body: str = "",
                       start_delivery: bool = True) -> OutboxMessage:
    """Queue one e-mail that is not a notification (a password-reset link: no inbox row, no preference).

    The row is written in the caller's transaction. ``start_delivery`` asks a worker for delivery after
    the commit; a caller that must not spend the time of a delivery in its request (the password reset
    page, whose timing would tell whether an address exists) passes False and asks after its response.
    """
    with transaction.atomic():
        message = OutboxMessage(channel=Channel.EMAIL, recipient=recipient, address=recipient.email,
                                subject=" ".join(subject.split())[:200], body=body, html_body=html_body)
        message.full_clean(exclude=_RELATIONS)
        message.save()
        if start_delivery:
            transaction.on_commit(enqueue_delivery, robust=True)
    return message


def outbox_retry(*, messages: Iterable[OutboxMessage], by: User) -> int:
    """Put failed messages back in the queue (an operator fixed the address or the mail server)."""
    with transaction.atomic():
        ids = [m.pk for m in messages if m.status == OutboxStatus.FAILED]
        count = OutboxMessage.objects.filter(pk__in=ids, status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now())
        if count:
            logger.info("%s put %s failed outbox messages back in the queue", by, count)
            transaction.on_commit(enqueue_delivery, robust=True)
    return count


_batch = threading.local()


@contextmanager
def batched_delivery():
    """Within this block, commits that wrote outbox rows ask a worker for delivery once, at the end.

    For loops that notify many times (a reminder pass, a bulk assignment): one task instead of one
    per commit. Nested blocks join the outermost one.
    """
    depth = getattr(_batch, "depth", 0)
    _batch.depth = depth + 1
    if depth == 0:
        _batch.wanted = False
    try:
        yield
    finally:
        _batch.depth = depth
        if depth == 0 and _batch.wanted:
            _batch.wanted = False
            _enqueue_now()


def enqueue_delivery() -> None:
    """Ask a worker to deliver now (``notify`` registers this with ``on_commit(..., robust=True)``)."""
    if getattr(_batch, "depth", 0):
        _batch.wanted = True
        return
    _enqueue_now()


def _enqueue_now() -> None:
    """Start delivery; never let a failure to start it fail the caller, whose rows are committed.

    With a broker, ``delay()`` raises after the commit when Redis is unreachable; without one
    (eager), the delivery itself runs here and may hit a locked or lost database. Either way the
    rows are saved: log it and let the once-a-minute pass (or ``manage.py deliver_outbox``) send them.
    """
    from kombu.exceptions import OperationalError

    from presidium.notifications.tasks import deliver_outbox

    try:
        deliver_outbox.delay()
    except OperationalError:
        logger.warning("broker unreachable: outbox delivery left to the periodic pass", exc_info=True)
    except Exception:  # noqa: BLE001 — see above: the periodic pass is the safety net
        logger.exception("outbox delivery could not run now; left to the periodic pass")


def email_texts(message: OutboxMessage, writer: LetterWriter | None = None) -> tuple[str, str]:
    """The plain text and HTML an e-mail row sends: as stored, or written now from its notification.

    Raises :class:`LetterGone` when a notification's e-mail has lost its notification (deleted meanwhile).
    """
    if message.layout != OutboxLayout.NOTIFICATION:
        return message.body, message.html_body
    notification = message.notification
    if notification is None:
        raise LetterGone("站内消息已删除，无法生成邮件正文")
    with translation.override(settings.LANGUAGE_CODE):  # mail is written in Chinese, as its subject was
        return (writer or LetterWriter()).email_texts(notification)


def _masked(message: OutboxMessage) -> str:
    return mask_mobile(message.address) if message.channel == Channel.SMS else message.address


class _MailConnection:
    """One mail connection for the pass, reopened after a failure so one bad send does not spoil the rest."""

    def __init__(self):
        self._connection = None
        self._writer: LetterWriter | None = None

    def send(self, message: OutboxMessage) -> None:
        if self._writer is None:
            self._writer = LetterWriter()
        body, html_body = email_texts(message, self._writer)
        if self._connection is None:
            self._connection = get_connection()
        email = EmailMultiAlternatives(
            subject=message.subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.address], connection=self._connection,
            headers={"Auto-Submitted": "auto-generated", "X-Portal-Outbox-Id": str(message.pk)},
        )
        if html_body:
            email.attach_alternative(html_body, "text/html")
        try:
            email.send()
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # noqa: BLE001 — closing a broken SMTP session may fail too; nothing to keep
                logger.debug("closing the mail connection failed", exc_info=True)
            self._connection = None
