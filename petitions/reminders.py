"""Reminders of the petitions' statutory clocks, through the floor's database-as-queue (shared code).

Each running duty clock (acceptance, completion, extension, review, re-review) has reminder rows on
the floor's table (``presidium.notifications.reminders``), one per kind:

* ``before_3`` and ``before_1`` — 3 and 1 days before the due date (calendar days, like the limits);
* ``due_today`` — on the day;
* ``overdue`` — the day after, then weekly (:func:`next_slot_after`).

They are armed when the clock starts and cancelled when it stops (``petitions.clocks``); the provider
decides again at send time, from the clock as it is then, whether it still runs. Told: the township's
staff, the lead leader (领导包案), and for completion and extension the owner of the open transfer (or,
without an account, the unit's liaisons). The floor's ledger makes each reminder go out once, even when
two passes run together.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from petitions.choices import ClockKind, ClockState
from petitions.models import Petition, PetitionClock, PetitionTransfer
from presidium.calendar.services import add_calendar_days
from presidium.notifications.links import absolute_urls
from presidium.notifications.loading import Shape
from presidium.notifications.reminders import (
    ReminderMessage,
    ReminderProvider,
    next_slot_after,
    past_its_day,
    reminder_schedule,
    reminders_cancel,
)
from presidium.notifications.selectors import RECIPIENT, RECIPIENT_FIELDS, liaisons_and_staff
from presidium.records import label as choice_label
from presidium.records import record

logger = logging.getLogger(__name__)
SHANGHAI = ZoneInfo("Asia/Shanghai")
REMINDER_TIME = dt.time(9, 0)
BEFORE_DAYS = (3, 1)
BEFORE_PREFIX = "before_"
DUE_TODAY = "due_today"
OVERDUE = "overdue"
KINDS = [f"{BEFORE_PREFIX}{n}" for n in BEFORE_DAYS] + [DUE_TODAY, OVERDUE]
WEEK = dt.timedelta(weeks=1)  # the cadence of overdue reminders, not a deadline
UNIT_KINDS = frozenset({ClockKind.COMPLETION, ClockKind.EXTENSION})


def at_reminder_time(day: dt.date) -> dt.datetime:
    """09:00 Beijing time on ``day``."""
    return dt.datetime.combine(day, REMINDER_TIME, tzinfo=SHANGHAI)


def schedule_clock_reminders(clock: PetitionClock, *, today: dt.date | None = None) -> None:
    """Arm the reminders of a running clock (those still ahead, and the overdue series)."""
    today = today or timezone.localdate()
    wanted: dict[str, dt.date] = {}
    for n in BEFORE_DAYS:
        day = add_calendar_days(clock.due_on, -n).date
        if day >= today:
            wanted[f"{BEFORE_PREFIX}{n}"] = day
    if clock.due_on >= today:
        wanted[DUE_TODAY] = clock.due_on
    wanted[OVERDUE] = max(add_calendar_days(clock.due_on, 1).date, today)
    for kind, day in wanted.items():
        reminder_schedule(target=clock, kind=kind, due_at=at_reminder_time(day))


def cancel_clock_reminders(clock: PetitionClock) -> int:
    return reminders_cancel(target=clock)


def _label(petition) -> str:
    return f"{petition.registration_number}「{petition.subject[:40]}」"


@dataclass(frozen=True)
class _People:
    staff: dict[int, list]
    liaisons: dict[int, list]
    transfers: dict[int, PetitionTransfer]
    today: dt.date | None = None  # the pass's day, worked out once a batch
    urls: Callable[[Petition], str] | None = None  # the cases' links, reversed once a batch (links.absolute_urls)

    def recipients(self, clock: PetitionClock) -> list:
        petition = clock.petition
        people = list(self.staff.get(petition.township_id, []))
        if petition.lead_leader_id:
            people.append(petition.lead_leader)
        if clock.kind in UNIT_KINDS:
            transfer = self.transfers.get(petition.pk)
            if transfer is not None:
                if transfer.owner_user_id:
                    people.append(transfer.owner_user)
                else:
                    people.extend(self.liaisons.get(transfer.unit_id, []))
        return people


# What a clock's reminder reads of its case: its label, township, link and leader.
_CASE_FIELDS = ("petition__id", "petition__year", "petition__number", "petition__subject", "petition__township_id",
                "petition__lead_leader_id")
# The same, as rows (``loading.Shape``): the clock, its case's fields above and the leader's account.
_CLOCK = Shape(PetitionClock, tuple(f.name for f in PetitionClock._meta.concrete_fields), related=(
    ("petition", Shape(Petition, ("id", "year", "number", "subject", "township", "lead_leader"),
                       related=(("lead_leader", RECIPIENT),))),
))
# An open transfer: its case, unit and owner's account, all the messages read of it.
_TRANSFER = Shape(PetitionTransfer, ("id", "petition", "unit", "owner_user"), related=(("owner_user", RECIPIENT),))


@dataclass(frozen=True)
class ClockReminders(ReminderProvider):
    """Registered with the floor for ``petitions.PetitionClock``. A batch costs a fixed number of queries:
    the clocks with their petitions, the open transfers, the staff and the liaisons."""

    def past_due(self, reminder, *, today) -> bool:
        """A countdown ("还有 n 天", "今天到期") handled after its day."""
        kind = reminder.kind
        return (kind == DUE_TODAY or kind.startswith(BEFORE_PREFIX)) and past_its_day(reminder, today)

    def targets(self, model):
        # The clock, and of its case only what the messages read: a whole case decrypts its petitioner's four
        # encrypted fields (about 0.3 s of CPU for the county's 5,000 clocks a pass). A field read that is not
        # listed costs a query per clock: the pass's query-count test shows it.
        return (PetitionClock.objects.select_related("petition", "petition__lead_leader")
                .only(*(f.name for f in PetitionClock._meta.concrete_fields), *_CASE_FIELDS,
                      *(f"petition__lead_leader__{f}" for f in RECIPIENT_FIELDS)))

    def load(self, model, ids):
        # The instances ``targets`` gives, made from rows (``loading.Shape``).
        # Unordered: a dict by id (the model's ordering, its case's, sorted the batch for nothing).
        return {clock.pk: clock for clock in _CLOCK.load(PetitionClock.objects.filter(pk__any=ids).order_by())}

    def prefetch(self, due, *, now) -> _People:
        # Two queries whatever the clocks' kinds: the open transfers of every petition in the batch (read
        # only for the unit clocks), then the staff of their townships and the liaisons of the transfers' units.
        clocks = [clock for clock, _ in due]
        # Unordered: a case has one open transfer at most (petition_one_open_transfer), and the model's ordering,
        # its case's first, joined every transfer to its case only to sort.
        transfers = {t.petition_id: t for t in _TRANSFER.load(PetitionTransfer.objects.filter(
            petition_id__any=sorted({c.petition_id for c in clocks}), replied_at__isnull=True,
            cancelled_at__isnull=True,
        ).order_by())}
        holders = liaisons_and_staff(unit_ids={t.unit_id for t in transfers.values() if not t.owner_user_id},
                                     township_ids={c.petition.township_id for c in clocks})
        from petitions.services.common import url_of

        return _People(staff=holders.staff, liaisons=holders.liaisons, transfers=transfers,
                       today=timezone.localdate(now), urls=absolute_urls([c.petition for c in clocks], url_of))

    def message(self, clock, reminder, *, now, context: _People) -> ReminderMessage | None:
        from petitions.services.common import url_of

        if clock.state != ClockState.RUNNING:
            return None
        today = context.today or timezone.localdate(now)
        kind = reminder.kind
        if self.past_due(reminder, today=today):
            return None  # the pass ran late: "还有 n 天" is no longer true; the next reminder speaks
        petition = clock.petition
        label, what = _label(petition), choice_label(clock, "kind")  # lazy: rendered in Chinese when stored
        url = context.urls(petition) if context.urls else url_of(petition)
        people = context.recipients(clock)
        if kind == OVERDUE:
            if clock.due_on >= today:
                return None
            return ReminderMessage(
                recipients=people, url=url, next_due_at=next_slot_after(reminder.due_at, every=WEEK, after=now),
                kind="reminder.petitions.overdue",
                title=record(_l("超期提醒：信访件%(label)s的%(what)s已超过 %(days)s 天"), {
                    "label": label, "what": what, "days": (today - clock.due_on).days}),
                body=record(_l("%(what)s于 %(due)s 届满（%(basis)s）。请尽快办理并出具相应文书。"), {
                    "what": what, "due": clock.due_on, "basis": clock.legal_basis}),
            )
        if kind == DUE_TODAY:
            return ReminderMessage(
                recipients=people, url=url, kind="reminder.petitions.due_today",
                title=record(_l("今日到期：信访件%(label)s的%(what)s今天届满"), {"label": label, "what": what}),
                body=record(_l("依据：%(basis)s。"), {"basis": clock.legal_basis}),
            )
        if kind.startswith(BEFORE_PREFIX):
            return ReminderMessage(
                recipients=people, url=url, kind="reminder.petitions.due_soon",
                title=record(_l("到期提醒：信访件%(label)s的%(what)s将于 %(due)s 届满（还有 %(n)s 天）"), {
                    "label": label, "what": what, "due": clock.due_on, "n": kind.removeprefix(BEFORE_PREFIX)}),
                body=record(_l("依据：%(basis)s。"), {"basis": clock.legal_basis}),
            )
        logger.warning("unknown petition reminder kind %s", kind)
        return None
