"""Retention of the notification tables: what was read, sent or finished long ago is deleted.

Every notice, e-mail and reminder leaves rows behind (an in-app message per recipient, an outbox row
per e-mail or SMS, a reminder and a ledger row per deadline step). A township sends thousands a year,
so without a purge the inbox queries and the backups grow for ever. What is still useful is kept:

- in-app messages: read ones for ``NOTIFICATION_RETENTION_DAYS`` (365) after they were read; unread
  ones for twice that after they were written (a person who never logs in still gets a year's grace);
  never one whose e-mail is still queued (the e-mail is written from it when it is sent);
- outbox rows: sent ones for ``OUTBOX_RETENTION_DAYS`` (90) after sending; failed ones as long as
  in-app messages, so an operator can still see why; pending ones never;
- reminders: finished ones (sent, cancelled, skipped, failed) a year after their last change, and
  ledger rows a year after their due date — never one whose reminder is still scheduled, because the
  ledger row is what stops a reminder going out twice.

Deletion goes in batches of primary keys, so one pass never holds a long lock on a busy table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from presidium.notifications.choices import OutboxLayout, OutboxStatus, ReminderStatus
from presidium.notifications.models import Notification, OutboxMessage, Reminder, ReminderLedger

FINISHED = [ReminderStatus.SENT, ReminderStatus.CANCELLED, ReminderStatus.SKIPPED, ReminderStatus.FAILED]


@dataclass(frozen=True)
class PurgeResult:
    notifications: int = 0
    outbox: int = 0
    reminders: int = 0
    ledger: int = 0

    @property
    def total(self) -> int:
        return self.notifications + self.outbox + self.reminders + self.ledger


def expired(*, now: datetime | None = None, notification_days: int | None = None,
            outbox_days: int | None = None) -> dict[type[models.Model], models.QuerySet]:
    """The rows past their retention, per model (what :func:`purge_expired` deletes)."""
    now = now or timezone.now()
    keep = timedelta(days=notification_days if notification_days is not None
                     else settings.NOTIFICATION_RETENTION_DAYS)
    keep_sent = timedelta(days=outbox_days if outbox_days is not None else settings.OUTBOX_RETENTION_DAYS)
    return {
        # A notification whose e-mail is still queued stays: the e-mail is written from it when it is sent.
        Notification: Notification.objects.filter(
            Q(read_at__lt=now - keep) | Q(read_at__isnull=True, created_at__lt=now - 2 * keep)).exclude(
            Exists(OutboxMessage.objects.filter(notification=OuterRef("pk"), status=OutboxStatus.PENDING,
                                                layout=OutboxLayout.NOTIFICATION))),
        OutboxMessage: OutboxMessage.objects.filter(
            Q(status=OutboxStatus.SENT, sent_at__lt=now - keep_sent)
            | Q(status=OutboxStatus.FAILED, created_at__lt=now - keep)),
        ReminderLedger: ReminderLedger.objects.filter(due_date__lt=timezone.localdate(now - keep)).exclude(
            reminder__status=ReminderStatus.SCHEDULED),
        Reminder: Reminder.objects.filter(status__in=FINISHED, updated_at__lt=now - keep),
    }


def purge_expired(*, now: datetime | None = None, batch: int = 2000, notification_days: int | None = None,
                  outbox_days: int | None = None, dry_run: bool = False) -> PurgeResult:
    """Delete (or with ``dry_run`` count) every row past its retention; returns the counts per table."""
    if batch < 1:
        raise ValueError("batch must be positive")
    counts = {}
    for model, queryset in expired(now=now, notification_days=notification_days, outbox_days=outbox_days).items():
        counts[model] = queryset.count() if dry_run else _delete_in_batches(model, queryset, batch)
    return PurgeResult(notifications=counts[Notification], outbox=counts[OutboxMessage],
                       reminders=counts[Reminder], ledger=counts[ReminderLedger])


def _delete_in_batches(model: type[models.Model], queryset: models.QuerySet, batch: int) -> int:
    deleted = 0
    while True:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        # Only this model's own rows: what points at them is SET_NULL (outbox → notification,
        # ledger → reminder), so the count is the rows of this table.
        _, per_model = model.objects.filter(pk__in=ids).delete()
        deleted += per_model.get(model._meta.label, 0)
