"""Reminders with the database as the queue (DESIGN rule 8): the mechanism every deadline uses.

An app that owns a matter with a deadline (a suggestion's reply, a petition's answer, a
rectification item) does two things:

1. In ``AppConfig.ready()``, registers a provider for its model::

       register_reminder_handler("proposals.Suggestion", SuggestionReminders())

   A :class:`ReminderProvider` looks at the matters *now* and says, for each due reminder, what to
   send — a :class:`ReminderMessage` (who is told what; optionally ``next_due_at`` to come back later,
   e.g. "overdue, then weekly") — or ``None`` when the reminder no longer matters (already replied).
   It answers a batch at a time: ``prefetch`` loads what the messages need for all the batch's
   matters in a fixed number of queries, and ``message`` builds each one from that. A plain function
   ``handler(target, reminder)`` may be registered instead; it is asked one reminder at a time, so
   whatever it reads costs its queries once per reminder.

2. In its services, keeps the due time on a row: ``reminder_schedule(target=s, kind="reply_due_10wd",
   due_at=...)`` when the deadline is set or moved, ``reminders_cancel(target=s)`` when it is closed.

A periodic pass (``send_due_reminders``; Celery beat every 10 minutes, or ``manage.py
send_due_reminders``) works through the due rows in batches, each batch one transaction with a fixed
number of queries whatever its size and mix of kinds: it claims up to ``BATCH_SIZE`` due rows of one
model — the model of the row due first — (``SELECT … FOR UPDATE SKIP LOCKED``: on PostgreSQL two passes
take disjoint rows; SQLite lets one writer at a time), loads their matters and asks their provider,
inserts the ledger rows — unique per (matter, kind, due date) — and only for the rows that are its own
writes the in-app notifications and the e-mail/SMS outbox rows in bulk (``COPY`` on PostgreSQL), then
finishes or reschedules the reminders in one statement. The pass ends at the first empty batch.
Ledger and notifications commit together: told exactly once in-app, and e-mail/SMS leave through the
outbox, delivered by its own task. A worker that dies mid-batch rolls the batch back and the rows are due
again; a row reached twice for one due date (re-armed for the same day, two passes around a failure) finds
the ledger row and is "already sent".
A pass that runs late (a stopped beat, a first deployment) says what is true now: a repeating reminder is sent
once and goes on at its next slot, and a countdown ("还有 3 天", "今天到期") whose day has passed is skipped by
its provider (``past_its_day``), the series' next reminder or the overdue one speaking instead.
Never Celery ``countdown``/``eta``. The provider API and its registry are in
``presidium/notifications/providers.py`` (importable from here).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, IntegrityError, models, transaction
from django.db.models import Q, Subquery
from django.utils import timezone

from presidium.notifications.bulk import existing_keys, insert_tuples, update_rows
from presidium.notifications.choices import ReminderOutcome, ReminderStatus
from presidium.notifications.models import Reminder, ReminderLedger
from presidium.notifications.outbox import batched_delivery
from presidium.notifications.providers import (  # noqa: F401 — part of this module's public API
    _HANDLERS,
    DueReminder,
    ReminderHandler,
    ReminderMessage,
    ReminderProvider,
    _HandlerFunction,
    _label,
    past_its_day,
    register_reminder_handler,
    reminder_provider_for,
)
from presidium.notifications.services import (
    Notice,
    active_recipients,
    notify_bulk,
)

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=15)  # a reminder whose provider failed is tried again after this
MAX_ATTEMPTS = 5  # a provider that keeps failing on a reminder is given up after this many passes
# Reminders per transaction: one claim, one set of reads, one set of bulk writes. Measured on the county
# (14,000 due): 500 costs a pass a quarter less CPU than 200 (each batch reads every township's staff and
# makes its stencils once); once the batch's reads stopped sorting (eleventh round), 1,000 cost a catch-up pass,
# committed batch by batch, a fifth less CPU and a third less time than 500 (17 batches, not 33: each one's
# reads, savepoints, claim and write-back fewer), and 2,000 no less than 1,000. A batch holds its rows' locks for
# a fraction of a second.
BATCH_SIZE = 1000
# Reminders per pass at most; the pass ten minutes later goes on. A county's catch-up after a stopped beat
# (14,000 due) fits in one pass; PASS_BUDGET_SECONDS is what stops a pass that meets more.
PASS_LIMIT = 50_000
PASS_BUDGET_SECONDS = 120  # no new batch after this: well inside Celery's 240 s soft time limit
ERROR_MAX_CHARS = 2000

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


def transition_allowed(current: ReminderStatus | str, new: ReminderStatus | str) -> bool:
    return ReminderStatus(new) in TRANSITIONS[ReminderStatus(current)]


def _move(reminder: Reminder | DueReminder, new: ReminderStatus) -> None:
    if not transition_allowed(reminder.status, new):
        raise ValueError(f"reminder {reminder.pk}: {reminder.status} → {new} is not allowed")
    reminder.status = new


def next_slot_after(start: datetime, *, every: timedelta, after: datetime) -> datetime:
    """The first time of the series ``start, start + every, start + 2 × every, …`` strictly after ``after``.

    Counted on the portal's wall clock (``TIME_ZONE``, Asia/Shanghai): a reminder due Mondays at 09:00
    stays on Mondays at 09:00, however long the passes stopped.
    """
    if every <= timedelta(0):
        raise ValueError("every must be a positive interval")
    if timezone.is_naive(start) or timezone.is_naive(after):
        raise ValueError("next_slot_after needs aware datetimes")
    if start > after:
        return start
    zone = timezone.get_default_timezone()
    wall = timezone.localtime(start, zone).replace(tzinfo=None)
    steps = (timezone.localtime(after, zone).replace(tzinfo=None) - wall) // every + 1
    slot = timezone.make_aware(wall + steps * every, zone)
    while slot <= after:  # only where the wall clock jumps (daylight saving time, not in China)
        steps += 1
        slot = timezone.make_aware(wall + steps * every, zone)
    return slot


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
    """Hold a due reminder for one lease; returns the claim stamp, or None if it is held already.

    Passes leave a claimed row alone until ``CLAIM_LEASE`` has run out from its stamp. The pass itself
    holds the rows of a batch by their lock while it works, and leaves a claim on a row whose provider
    failed, so that row is tried again once per lease rather than on every pass.
    """
    stamp = now or timezone.now()
    claimed = Reminder.objects.filter(_claimable(stamp), pk=reminder_id, due_at__lte=stamp).update(claimed_at=stamp)
    return stamp if claimed == 1 else None


def send_due_reminders(now: datetime | None = None, *, limit: int = PASS_LIMIT, batch_size: int = BATCH_SIZE,
                       report: Callable[[DueReminder, ReminderOutcome, datetime], None] | None = None) -> int:
    """One pass: send the reminders due by ``now``, a batch at a time. Returns how many were sent.

    Batches follow each other until nothing claimable is due, ``limit`` reminders were handled or the
    pass has run ``PASS_BUDGET_SECONDS``; what is left waits for the next pass. ``report(reminder,
    outcome, due_at)`` is called for each reminder handled, after its batch committed, with the due time
    it was handled for (a repeating reminder's row already holds the next one); the command prints it.
    """
    started = time.monotonic()
    sent = handled = 0
    with batched_delivery():  # one delivery task for the whole pass, not one per batch
        while handled < limit:
            size = min(batch_size, limit - handled)
            # A given ``now`` (a test, a catch-up run) is the pass's clock throughout; otherwise each
            # batch reads the clock, so a long pass does not shorten the leases it leaves.
            batch = _send_batch(now or timezone.now(), size)
            handled += len(batch)
            for item in batch:
                sent += item.outcome in (ReminderOutcome.SENT, ReminderOutcome.RESCHEDULED)
                if report is not None:
                    report(item.reminder, item.outcome, item.due_at)
            # A batch holds one model's reminders: a short one may leave another model's due, so only
            # an empty batch says nothing claimable is left.
            if not batch or time.monotonic() - started > PASS_BUDGET_SECONDS:
                break
    return sent


@dataclass(eq=False)
class _Due:
    """One claimed reminder on its way through a batch."""

    reminder: DueReminder
    due_at: datetime  # the due time handled; a repeating reminder's row moves on to the next one
    target: models.Model | None = None
    notice: Notice | None = None
    recipient_count: int = 0
    next_due_at: datetime | None = None
    outcome: ReminderOutcome | None = None  # None: still to be sent
    error: str = ""
    final: bool = False

    @cached_property  # the reminder's matter, kind and the due time handled stay as they are within a batch
    def key(self) -> tuple[int, int, str, date]:
        """The ledger's unique key: (matter, kind, due date in Beijing time)."""
        r = self.reminder
        return r.content_type_id, r.object_id, r.kind, timezone.localdate(self.due_at)

    def fail(self, error: BaseException | str, *, final: bool = False) -> None:
        self.error = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        self.outcome, self.final = ReminderOutcome.RETRY, final

    def reset(self) -> None:
        self.target, self.notice, self.recipient_count, self.next_due_at = None, None, 0, None
        self.outcome, self.error, self.final = None, "", False


def _send_batch(clock: datetime, size: int) -> list[_Due]:
    """Claim up to ``size`` due reminders and handle them in one transaction; returns them, handled.

    What one reminder's matter, provider or rows break fails that reminder only (kept on its row,
    tried again after the lease). A database that is gone fails the batch's last statement, so the
    whole batch rolls back and the exception reaches the task, which retries the pass.
    """
    with transaction.atomic():
        batch = [_Due(reminder=row, due_at=row.due_at) for row in _claim(clock, size)]
        if batch:
            _compose(batch, clock)
        _write([item for item in batch if item.outcome is None])
        _settle(batch, clock)
    if batch:
        outcomes = Counter(item.outcome.value for item in batch)
        logger.info("reminder batch of %s: %s", len(batch), ", ".join(f"{k} {n}" for k, n in sorted(outcomes.items())))
    return batch


def _claim(clock: datetime, size: int) -> list[DueReminder]:
    """Lock up to ``size`` due reminders of one model: the model of the reminder due first, in one query.

    One model a batch: its provider is asked once, so a batch costs the same queries whatever mix of
    matters is due. PostgreSQL skips rows another pass holds, here and in the choice of the model (SQLite
    ignores the locking clauses and lets one writing transaction run at a time).
    """
    claimable = Reminder.objects.filter(_claimable(clock), due_at__lte=clock)
    first = claimable.order_by("due_at", "pk").select_for_update(skip_locked=True).values("content_type_id")[:1]
    rows = list(claimable.filter(content_type_id=Subquery(first)).order_by("due_at", "pk")
                .select_for_update(skip_locked=True, of=("self",)).values_list(*DueReminder.COLUMNS)[:size])
    if not rows:
        return []
    # One model a batch: its content type from Django's cache (a query the first time in a process), set on
    # every row, so that whoever reads ``reminder.content_type`` (the command's report) costs no query.
    content_type = ContentType.objects.get_for_id(rows[0][1])
    return [DueReminder(*row, content_type=content_type) for row in rows]


def _compose(items: list[_Due], clock: datetime) -> None:
    """Ask the provider of these reminders' model what each says; mark the ones that say nothing."""
    content_type = items[0].reminder.content_type
    label = f"{content_type.app_label}.{content_type.model}"
    provider, model = _HANDLERS.get(label), content_type.model_class()
    if provider is None or model is None:
        for item in items:
            item.fail(f"no reminder handler registered for {label}", final=True)
        return
    try:
        with transaction.atomic():  # a savepoint: a database error in the provider leaves the batch usable
            _ask(provider, model, items, clock)
    except Exception:  # noqa: BLE001 — one matter that breaks the provider must not stop the others
        logger.exception("reminder provider for %s failed on a batch of %s; asking one at a time", label, len(items))
        for item in items:
            item.reset()
            try:
                with transaction.atomic():
                    _ask(provider, model, [item], clock)
            except Exception as error:  # noqa: BLE001 — kept on the row and tried again after the lease
                logger.exception("reminder %s (%s) failed", item.reminder.pk, item.reminder.kind)
                item.fail(error)


def _ask(provider: ReminderProvider, model: type[models.Model], items: list[_Due], clock: datetime) -> None:
    today = timezone.localdate(clock)
    asked = []
    for item in items:
        if provider.past_due(item.reminder, today=today):  # says nothing whatever the matter: not loaded
            item.outcome = ReminderOutcome.SKIPPED
        else:
            asked.append(item)
    if not asked:
        return
    items = asked
    targets = provider.load(model, [item.reminder.object_id for item in items])
    live = []
    for item in items:
        item.target = targets.get(item.reminder.object_id)
        if item.target is None:  # the matter was deleted
            item.outcome = ReminderOutcome.SKIPPED
        else:
            live.append(item)
    if not live:
        return
    context = provider.prefetch([(item.target, item.reminder) for item in live], now=clock)
    for item in live:
        try:
            _accept(item, provider.message(item.target, item.reminder, now=clock, context=context), clock)
        except DatabaseError:
            raise  # the savepoint must roll back; the caller asks again one reminder at a time
        except Exception as error:  # noqa: BLE001 — a broken message fails its own reminder only
            logger.exception("reminder %s (%s) failed", item.reminder.pk, item.reminder.kind)
            item.fail(error)


def _accept(item: _Due, message: ReminderMessage | None, clock: datetime) -> None:
    """Check what the provider said and turn it into a notice; raises if its next time is wrong."""
    reminder = item.reminder
    if message is None:
        item.outcome = ReminderOutcome.SKIPPED
        return
    recipients = active_recipients(message.recipients)
    if not recipients:
        logger.warning("reminder %s (%s) has nobody to tell: skipped", reminder.pk, reminder.kind)
        item.outcome = ReminderOutcome.SKIPPED
        return
    item.next_due_at = _next_due(item, message.next_due_at, clock)
    # Validated when written: a title too long or a link off the portal fails the bulk write, and the
    # batch is then written one reminder at a time, so that only this reminder fails.
    item.notice = Notice(recipients=recipients, title=message.title, body=message.body, url=message.url,
                         kind=message.kind or f"reminder.{reminder.kind}", target=item.target,
                         channels=message.channels)
    item.recipient_count = len(recipients)


def _next_due(item: _Due, next_due_at: datetime | None, clock: datetime) -> datetime | None:
    if next_due_at is None:
        return None
    if timezone.is_naive(next_due_at) or next_due_at <= item.due_at:
        raise ValueError("next_due_at must be an aware datetime after the current due time")
    if next_due_at > clock:
        return next_due_at
    # The pass ran late: one reminder now, and the series goes on at its first slot after now.
    slot = next_slot_after(next_due_at, every=next_due_at - item.due_at, after=clock)
    logger.info("reminder %s (%s) was due %s; missed occurrences skipped, next at %s", item.reminder.pk,
                item.reminder.kind, item.due_at.isoformat(), slot.isoformat())
    return slot


def _write(items: list[_Due]) -> None:
    """Ledger rows, then notifications and outbox rows, for the reminders that have something to say.

    A (matter, kind, due date) found in the ledger is not sent again. The others' ledger rows and
    notifications are inserted in bulk; if that fails (another pass inserted one of the keys since we
    looked, or one row is refused), they are written one at a time, each in its own savepoint, so
    exactly the reminders whose ledger row is ours are sent.
    """
    if not items:
        return
    in_ledger = _ledger_keys(items)
    fresh = []
    for item in items:
        if item.key in in_ledger:
            logger.info("reminder %s (%s) for %s was already sent", item.reminder.pk, item.reminder.kind, item.key[3])
            item.outcome = ReminderOutcome.ALREADY_SENT
        else:
            fresh.append(item)
    if not fresh:
        return
    try:
        with transaction.atomic():
            sent_at = timezone.now()
            insert_tuples(ReminderLedger, _LEDGER_COLUMNS,
                          [(*item.key, item.reminder.pk, item.recipient_count, sent_at) for item in fresh])
            notify_bulk([item.notice for item in fresh])
    except Exception:  # noqa: BLE001 — a key taken meanwhile, or one reminder's rows refused: isolate it
        logger.warning("reminder batch: the bulk insert failed; writing its %s reminders one at a time", len(fresh),
                       exc_info=True)
        for item in fresh:
            _write_one(item)
    else:
        for item in fresh:
            item.outcome = ReminderOutcome.SENT


def _write_one(item: _Due) -> None:
    try:
        with transaction.atomic():  # the ledger row and the notifications of one reminder: both or neither
            if _insert_ledger_row(item):
                notify_bulk([item.notice])
                item.outcome = ReminderOutcome.SENT
            else:
                logger.info("reminder %s (%s) for %s was already sent", item.reminder.pk, item.reminder.kind,
                            item.key[3])
                item.outcome = ReminderOutcome.ALREADY_SENT
    except Exception as error:  # noqa: BLE001 — kept on the row and tried again after the lease
        logger.exception("reminder %s (%s) could not be written", item.reminder.pk, item.reminder.kind)
        item.fail(error)


def _insert_ledger_row(item: _Due) -> bool:
    """Insert the reminder's ledger row; False if its (matter, kind, due date) is in the ledger already."""
    try:
        with transaction.atomic():
            _ledger_row(item).save(force_insert=True)
    except IntegrityError:
        return False
    return True


def _ledger_keys(items: list[_Due]) -> set[tuple]:
    """The keys of ``items`` already in the ledger: one query on the four columns (``bulk.existing_keys``)."""
    return existing_keys(ReminderLedger, _LEDGER_COLUMNS[:4], (item.key for item in items))


# A ledger row's columns as the batch writes them: its key, then what it records.
_LEDGER_COLUMNS = ("content_type_id", "object_id", "kind", "due_date", "reminder_id", "recipient_count", "sent_at")


def _ledger_row(item: _Due) -> ReminderLedger:
    content_type_id, object_id, kind, due_date = item.key
    return ReminderLedger(content_type_id=content_type_id, object_id=object_id, kind=kind, due_date=due_date,
                          reminder_id=item.reminder.pk, recipient_count=item.recipient_count)


def _settle(batch: list[_Due], clock: datetime) -> None:
    """Finish, reschedule or keep for another try every reminder of the batch, in one statement.

    Each row is moved on in memory (its status change checked against ``TRANSITIONS``), and the batch's
    rows are written back together: ``UPDATE … FROM`` a table of their new values, one statement
    whatever mix of outcomes (``bulk_update``'s per-row ``CASE`` would cost Python time per row and field).
    """
    if not batch:
        return
    now = timezone.now()
    validated: set[tuple] = set()
    for item in batch:
        reminder = item.reminder
        reminder.updated_at = now
        if item.outcome == ReminderOutcome.RETRY:
            _keep_for_retry(item, clock)
            reminder.as_model().clean_fields(exclude=_UNCHANGED)  # its error and attempts: its own values
        else:
            key = tuple(sorted(_finish(item, now).items()))
            if key not in validated:  # the rows that end alike differ only in their due time, checked by _next_due
                validated.add(key)
                reminder.as_model().clean_fields(exclude=_UNCHANGED)
    update_rows(Reminder, [item.reminder for item in batch], _SETTLED)


_SETTLED = ["status", "due_at", "claimed_at", "attempts", "last_error", "sent_at", "updated_at"]


# What the pass never changes on a reminder row (a rescheduled row's due time is checked by _next_due).
_UNCHANGED = ["content_type", "object_id", "kind", "due_at", "created_at"]


def _finish(item: _Due, now: datetime) -> dict[str, Any]:
    """Move a handled reminder on (in memory) and return the column values it ends with, ``due_at`` aside."""
    reminder = item.reminder
    if item.outcome == ReminderOutcome.SKIPPED:
        _move(reminder, ReminderStatus.SKIPPED)
        reminder.claimed_at = None
        return {"status": reminder.status, "claimed_at": None}
    sent = item.outcome == ReminderOutcome.SENT
    if sent:
        reminder.sent_at = now
    if item.next_due_at is not None:  # sent (now or before) and coming back
        _move(reminder, ReminderStatus.SCHEDULED)
        reminder.due_at, reminder.claimed_at, reminder.attempts, reminder.last_error = item.next_due_at, None, 0, ""
        if sent:
            item.outcome = ReminderOutcome.RESCHEDULED
        values = {"status": reminder.status, "claimed_at": None, "attempts": 0, "last_error": ""}
    else:
        _move(reminder, ReminderStatus.SENT)
        reminder.claimed_at = None
        values = {"status": reminder.status, "claimed_at": None}
    return {**values, "sent_at": now} if sent else values


def _keep_for_retry(item: _Due, clock: datetime) -> None:
    """Keep the error; the claim stays for a lease, so the row is tried again when it runs out."""
    reminder = item.reminder
    reminder.attempts += 1
    reminder.last_error = item.error[:ERROR_MAX_CHARS]
    if item.final or reminder.attempts >= MAX_ATTEMPTS:
        _move(reminder, ReminderStatus.FAILED)
        reminder.claimed_at = None
        item.outcome = ReminderOutcome.FAILED
        logger.error("reminder %s (%s) given up after %s attempts: %s", reminder.pk, reminder.kind,
                     reminder.attempts, item.error)
    else:
        reminder.claimed_at = clock


def _deliver(reminder: Reminder, target: models.Model, message: ReminderMessage | None) -> ReminderOutcome:
    """Write one reminder's ledger row and notifications as a batch of one (inside the caller's transaction).

    The batch's write step on its own: the PostgreSQL race test drives two of these at once.
    """
    item = _Due(reminder=DueReminder.of(reminder), due_at=reminder.due_at, target=target)
    _accept(item, message, timezone.now())
    if item.outcome is None:
        _write([item])
    return item.outcome
