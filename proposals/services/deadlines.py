"""Deadlines (from the calendar service, never ``timedelta``) and the reminders that follow them.

Reminder kinds kept on the floor's reminder rows (one row per item and kind):

* ``due_before_<n>`` — n working days before the deadline (the township's setting, default 10 and 3);
* ``due_today`` — on the day;
* ``overdue`` — the day after, then weekly (the provider moves its row to the next weekly slot after now);
* ``stale`` — the round started N days ago and the unit has not met the deputy (tell the deputy and staff);
* ``promise_<reply id>`` — a class B reply's promised date, then weekly until the promise is recorded kept.

The provider (:class:`SuggestionReminders`) decides at send time, from the item as it is then, whether
the reminder still matters; the floor's pass guarantees each goes out once (ledger per due date).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from deputies.models import Deputy
from presidium.calendar.services import (
    Deadline,
    DeadlineExplanation,
    DeadlineUnit,
    add_calendar_days,
    compute_deadline,
    explain_deadline,
)
from presidium.models import HandlingUnit
from presidium.notifications.links import absolute_urls
from presidium.notifications.loading import Shape
from presidium.notifications.reminders import (
    ReminderMessage,
    ReminderProvider,
    next_slot_after,
    past_its_day,
    reminder_schedule,
    reminders_cancel,
    reminders_for,
)
from presidium.notifications.selectors import RECIPIENT, RECIPIENT_FIELDS, liaisons_and_staff
from presidium.notifications.services import notify
from presidium.records import record
from proposals.choices import OPEN_HANDLING, DeadlineChoice, ResultClass
from proposals.models import Reply, Suggestion
from proposals.selectors import (
    consulted_among,
    consulted_this_round,
    deputy_user,
    settings_for,
    township_staff,
    unit_liaisons,
)
from proposals.services.common import log, save

logger = logging.getLogger(__name__)
SHANGHAI = ZoneInfo("Asia/Shanghai")
REMINDER_TIME = dt.time(9, 0)
REPLY_KINDS_PREFIX = "due_"
OVERDUE = "overdue"
DUE_TODAY = "due_today"
STALE = "stale"
PROMISE_PREFIX = "promise_"
WEEK = dt.timedelta(weeks=1)  # the cadence of overdue and promise reminders, not a deadline


def at_reminder_time(day: dt.date) -> dt.datetime:
    """09:00 Beijing time on ``day``: reminders arrive at the start of the working day."""
    return dt.datetime.combine(day, REMINDER_TIME, tzinfo=SHANGHAI)


def deadline_rule(township, choice: str, working_days: int | None = None) -> tuple[int, DeadlineUnit]:
    """The (amount, unit) rule an assignment's deadline follows: the township's months, or N working days."""
    choice = DeadlineChoice(choice)
    if choice == DeadlineChoice.NORMAL:
        return township.reply_deadline_months, DeadlineUnit.MONTHS
    if choice == DeadlineChoice.HARD:
        return township.hard_case_deadline_months, DeadlineUnit.MONTHS
    if not working_days:
        raise ValueError("working_days is required for a working-day deadline")
    return int(working_days), DeadlineUnit.WORKING_DAYS


def compute(township, start: dt.date, amount: int, unit: str) -> Deadline:
    # A month-based last day that falls on a day off moves to the next working day (民法典 第二百零三条).
    return compute_deadline(start, amount, unit, county=township.county_id,
                            roll_forward=DeadlineUnit(unit) != DeadlineUnit.WORKING_DAYS)


def reminder_label(kind: str) -> str:
    """What a reminder of ``kind`` is about, in the reader's language (the dates are shown with their label)."""
    if kind.startswith(f"{REPLY_KINDS_PREFIX}before_"):
        return _("到期前 %(n)s 个工作日") % {"n": kind.removeprefix(f"{REPLY_KINDS_PREFIX}before_")}
    if kind == DUE_TODAY:
        return str(_("到期当日"))
    if kind == OVERDUE:
        return str(_("逾期提醒（此后每周）"))
    if kind == STALE:
        return str(_("仍未面商提醒"))
    if kind.startswith(PROMISE_PREFIX):
        return str(_("承诺兑现提醒"))
    return kind


@dataclass(frozen=True)
class DeadlinePreview:
    """The deadline an assignment made today would get, how it was counted, and the reminders that follow."""

    explanation: DeadlineExplanation
    reminders: list[tuple[str, dt.date]]


def preview(township, *, choice: str, working_days: int | None = None, today: dt.date | None = None) -> DeadlinePreview:
    """What 交办 (or 改办) today would set: the same rule and calendar as :func:`apply_rule`, nothing written."""
    today = today or timezone.localdate()
    amount, unit = deadline_rule(township, choice, working_days)
    explanation = explain_deadline(today, amount, unit, county=township.county_id,
                                   roll_forward=DeadlineUnit(unit) != DeadlineUnit.WORKING_DAYS)
    deadline = explanation.deadline.date
    settings = settings_for(township.pk)
    reminders = [(reminder_label(STALE), add_calendar_days(today, settings.stale_after_days).date)]
    for n in settings.reminder_days:
        day = compute_deadline(deadline, -n, DeadlineUnit.WORKING_DAYS, county=township.county_id).date
        if day >= today:
            reminders.append((reminder_label(f"{REPLY_KINDS_PREFIX}before_{n}"), day))
    reminders += [(reminder_label(DUE_TODAY), deadline), (reminder_label(OVERDUE), add_calendar_days(deadline, 1).date)]
    return DeadlinePreview(explanation, sorted(reminders, key=lambda pair: pair[1]))


def apply_rule(suggestion: Suggestion, *, start: dt.date, amount: int, unit: str, choice: str = "") -> Deadline:
    """Set the item's deadline from a rule, storing the rule and the provisional flag with it."""
    deadline = compute(suggestion.township, start, amount, unit)
    suggestion.deadline_start = start
    suggestion.deadline_amount = amount
    suggestion.deadline_unit = DeadlineUnit(unit)
    if choice:
        suggestion.deadline_choice = choice
    suggestion.deadline = deadline.date
    suggestion.deadline_provisional = deadline.provisional
    return deadline


def apply_fixed_date(suggestion: Suggestion, day: dt.date) -> None:
    """An approved extension sets a date, not a rule: nothing to recompute later."""
    suggestion.deadline = day
    suggestion.deadline_amount = None
    suggestion.deadline_unit = ""
    suggestion.deadline_provisional = False


# --- scheduling -------------------------------------------------------------------------------------


def schedule_reply_reminders(suggestion: Suggestion) -> None:
    """(Re)arm the deadline reminders of an item being handled; cancel them when it is not."""
    if suggestion.status not in OPEN_HANDLING or suggestion.deadline is None:
        reminders_cancel(target=suggestion, kinds=_reply_kinds(suggestion) + [STALE])
        return
    settings = settings_for(suggestion.township_id)
    today = timezone.localdate()
    county = suggestion.township.county_id
    wanted: dict[str, dt.date] = {}
    for n in settings.reminder_days:
        day = compute_deadline(suggestion.deadline, -n, DeadlineUnit.WORKING_DAYS, county=county).date
        if day >= today:
            wanted[f"{REPLY_KINDS_PREFIX}before_{n}"] = day
    if suggestion.deadline >= today:
        wanted[DUE_TODAY] = suggestion.deadline
    wanted[OVERDUE] = add_calendar_days(suggestion.deadline, 1).date
    stale = [k for k in _reply_kinds(suggestion) if k not in wanted]
    if stale:
        reminders_cancel(target=suggestion, kinds=stale)
    for kind, day in wanted.items():
        reminder_schedule(target=suggestion, kind=kind, due_at=at_reminder_time(day))
    if suggestion.deadline_start and not consulted_this_round(suggestion):
        day = add_calendar_days(suggestion.deadline_start, settings.stale_after_days).date
        reminder_schedule(target=suggestion, kind=STALE, due_at=at_reminder_time(max(day, today)))
    else:
        reminders_cancel(target=suggestion, kinds=[STALE])


def _reply_kinds(suggestion: Suggestion) -> list[str]:
    kinds = reminders_for(suggestion).values_list("kind", flat=True)
    return [k for k in kinds if k.startswith(REPLY_KINDS_PREFIX) or k == OVERDUE]


def schedule_promise_reminder(reply: Reply) -> None:
    if reply.promise_open and reply.promised_date:
        reminder_schedule(target=reply.suggestion, kind=f"{PROMISE_PREFIX}{reply.pk}",
                          due_at=at_reminder_time(max(reply.promised_date, timezone.localdate())))
    else:
        reminders_cancel(target=reply.suggestion, kinds=[f"{PROMISE_PREFIX}{reply.pk}"])


# --- the reminder provider ------------------------------------------------------------------------------


def handlers_of(suggestion: Suggestion) -> list:
    """Who is reminded of a deadline: the lead unit's liaisons, the responsible leader's account, staff."""
    liaisons = list(unit_liaisons([suggestion.lead_unit_id])) if suggestion.lead_unit_id else []
    return _handlers(suggestion, liaisons, list(township_staff(suggestion.township_id)))


def _handlers(suggestion: Suggestion, liaisons: list, staff: list) -> list:
    leader = [suggestion.responsible_leader_user] if suggestion.responsible_leader_user_id else []
    return [*liaisons, *leader, *staff]


def _label(suggestion: Suggestion) -> str:
    return f"{suggestion.serial}「{suggestion.title}」" if suggestion.serial else f"「{suggestion.title}」"


def deadline_for_record(suggestion: Suggestion):
    """The deadline as stored text says it: the date, marked 暂定 when it is provisional."""
    if suggestion.deadline_provisional:
        return record(_l("%(date)s（暂定）"), {"date": suggestion.deadline})
    return str(suggestion.deadline)


def _next_weekly(reminder, now: dt.datetime) -> dt.datetime:
    """The series' next weekly slot after now (same weekday, 09:00): after a gap, one reminder, not one per week missed."""
    return next_slot_after(reminder.due_at, every=WEEK, after=now)


def _promised_reply_id(reminder) -> int | None:
    try:
        return int(reminder.kind[len(PROMISE_PREFIX):]) if reminder.kind.startswith(PROMISE_PREFIX) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class _People:
    """Who may be told, loaded for a whole batch: liaisons by unit, staff by township, promised replies by id."""

    liaisons: dict[int, list]
    staff: dict[int, list]
    replies: dict[int, Reply]
    consulted: frozenset[int] = frozenset()  # the items whose lead unit has met the deputy this round
    today: dt.date | None = None  # the pass's day, worked out once a batch
    urls: Callable[[Suggestion], str] | None = None  # the items' links, reversed once a batch (links.absolute_urls)

    def handlers_of(self, suggestion: Suggestion) -> list:
        return _handlers(suggestion, self.liaisons.get(suggestion.lead_unit_id, []),
                         self.staff.get(suggestion.township_id, []))


# What a suggestion's reminder reads of the item (its label, state, deadline, people).
_ITEM_FIELDS = ("id", "kind", "serial_year", "serial_number", "title", "status", "township_id", "round", "deadline",
                "deadline_start", "lead_unit_id", "responsible_leader_user_id", "lead_deputy_id")
# The same, as rows: the item, its lead unit's name, its leader's account, its deputy and the deputy's account
# (what ``SuggestionReminders.targets`` selects; a batch of 500: about 60 ms of CPU through the ORM, 15 as rows).
_ITEM = Shape(Suggestion, _ITEM_FIELDS, related=(
    ("lead_unit", Shape(HandlingUnit, ("id", "name"))),
    ("responsible_leader_user", RECIPIENT),
    ("lead_deputy", Shape(Deputy, ("id", "user"), related=(("user", RECIPIENT),))),
))
# A batch's open promises: what the promise reminder reads of a reply and its unit (not its texts).
_PROMISE = Shape(Reply, ("id", "suggestion", "unit", "result_class", "promised_date", "promise_kept_on"),
                 related=(("unit", Shape(HandlingUnit, ("id", "name"))),))


@dataclass(frozen=True)
class SuggestionReminders(ReminderProvider):
    """Registered with the floor: what a suggestion's due reminder says, from the item as it is at the pass.

    A batch costs four queries whatever its size: the items (with unit, leader and deputy), their
    consultations (whether the unit has met the deputy this round), the promised replies, and the
    liaisons and staff.
    """

    def targets(self, model):
        # Only the columns the messages read (an item row with its deputy and two accounts is 122 columns;
        # loading them all cost a batch of 200 about 30 ms of CPU). A field read that is not listed here
        # costs a query per item: the pass's query-count test shows it.
        return (Suggestion.objects.select_related("lead_unit", "responsible_leader_user", "lead_deputy__user")
                .only(*_ITEM_FIELDS, "lead_unit__name", *(f"responsible_leader_user__{f}" for f in RECIPIENT_FIELDS),
                      "lead_deputy__user_id", *(f"lead_deputy__user__{f}" for f in RECIPIENT_FIELDS)))

    def load(self, model, ids):
        # The instances ``targets`` gives, made from rows (``loading.Shape``).
        # Unordered: a dict by id (the model's ordering sorted the batch for nothing).
        return {item.pk: item for item in _ITEM.load(Suggestion.objects.filter(pk__any=ids).order_by())}

    def prefetch(self, due, *, now) -> _People:
        # Three queries whatever the kinds: the consultations of the batch's items (by their ids, where
        # with_consulted's subquery made PostgreSQL hash every consultation of the county), their open
        # promises (few per item), whether or not a promise reminder is among them, then the liaisons and
        # staff of every unit and township named.
        suggestions = [suggestion for suggestion, _ in due]
        # Unordered: Reply's ordering starts with its suggestion's, which joined every reply to its item only to
        # sort a dict by id.
        replies = {reply.pk: reply for reply in _PROMISE.load(Reply.objects.filter(
            suggestion_id__any=sorted({s.pk for s in suggestions}), result_class=ResultClass.B,
            promise_kept_on__isnull=True).order_by())}
        unit_ids = {s.lead_unit_id for s in suggestions} | {r.unit_id for r in replies.values()}
        holders = liaisons_and_staff(unit_ids=unit_ids, township_ids={s.township_id for s in suggestions})
        return _People(liaisons=holders.liaisons, staff=holders.staff, replies=replies,
                       consulted=frozenset(consulted_among(suggestions)), today=timezone.localdate(now),
                       urls=absolute_urls(suggestions))

    def past_due(self, reminder, *, today) -> bool:
        return _countdown_past_its_day(reminder, today)

    def message(self, suggestion, reminder, *, now, context: _People) -> ReminderMessage | None:
        return _message(suggestion, reminder, now=now, people=context)


def _countdown_past_its_day(reminder, today: dt.date) -> bool:
    """A countdown ("还有 n 个工作日", "今天到期") handled after its day: its text is no longer true, and the series'
    next reminder, or the overdue one, speaks instead."""
    kind = reminder.kind
    return (kind == DUE_TODAY or kind.startswith(REPLY_KINDS_PREFIX + "before_")) and past_its_day(reminder, today)


def _message(suggestion: Suggestion, reminder, *, now: dt.datetime, people: _People) -> ReminderMessage | None:
    kind = reminder.kind
    # The pass's day (a reminder is never handled before it is due): after a gap, the true count of days.
    today = people.today or timezone.localdate(now)
    if _countdown_past_its_day(reminder, today):
        return None  # the pass ran late: the next reminder speaks
    url = people.urls(suggestion) if people.urls else suggestion.get_absolute_url()
    label = _label(suggestion)
    if kind.startswith(PROMISE_PREFIX):
        return _promise_message(suggestion, reminder, label, url, now=now, people=people)
    if suggestion.status not in OPEN_HANDLING or suggestion.deadline is None:
        return None
    unit = suggestion.lead_unit.name if suggestion.lead_unit_id else ""
    if kind == STALE:
        if suggestion.pk in people.consulted:
            return None
        days = (today - suggestion.deadline_start).days if suggestion.deadline_start else 0
        recipients = [deputy_user(suggestion), *people.staff.get(suggestion.township_id, [])]
        return ReminderMessage(
            recipients=recipients, url=url,
            title=record(_l("办理提醒：%(label)s交办已 %(days)s 天，%(unit)s尚未与代表面商"), {
                "label": label, "days": days, "unit": unit}),
            body=_l("按“先面商、再答复”的要求，承办单位应在答复前与领衔代表见面商量。人大办可督促承办单位尽快联系代表。"),
        )
    if kind == OVERDUE:
        if suggestion.deadline >= today:
            return None  # the deadline moved later; the rescheduled reminder will come in time
        days = (today - suggestion.deadline).days
        return ReminderMessage(
            recipients=people.handlers_of(suggestion), url=url, next_due_at=_next_weekly(reminder, now),
            title=record(_l("逾期提醒：%(label)s已超过办理期限 %(days)s 天"), {"label": label, "days": days}),
            body=record(_l("办理期限 %(deadline)s，承办单位：%(unit)s。请尽快答复代表，确有困难的请提交延期申请。"), {
                "deadline": suggestion.deadline, "unit": unit}),
        )
    if kind == DUE_TODAY:
        return ReminderMessage(
            recipients=people.handlers_of(suggestion), url=url,
            title=record(_l("今日到期：%(label)s今天到达办理期限"), {"label": label}),
            body=record(_l("承办单位：%(unit)s。请在今天内答复代表。"), {"unit": unit}),
        )
    if kind.startswith(REPLY_KINDS_PREFIX + "before_"):
        n = kind.rsplit("_", 1)[-1]
        return ReminderMessage(
            recipients=people.handlers_of(suggestion), url=url,
            title=record(_l("到期提醒：%(label)s将于 %(deadline)s 到期（还有 %(n)s 个工作日）"), {
                "label": label, "deadline": suggestion.deadline, "n": n}),
            body=record(_l("承办单位：%(unit)s。答复前须与代表面商。"), {"unit": unit}),
        )
    logger.warning("unknown suggestion reminder kind %s", kind)
    return None


def _promise_message(suggestion: Suggestion, reminder, label: str, url: str, *, now: dt.datetime,
                     people: _People) -> ReminderMessage | None:
    reply = people.replies.get(_promised_reply_id(reminder))
    if reply is None or reply.suggestion_id != suggestion.pk or not reply.promise_open:
        return None
    recipients = [*people.liaisons.get(reply.unit_id, []), *people.staff.get(suggestion.township_id, [])]
    return ReminderMessage(
        recipients=recipients, url=url, next_due_at=_next_weekly(reminder, now),
        title=record(_l("承诺兑现提醒：%(label)s承诺于 %(date)s 解决"), {"label": label, "date": reply.promised_date}),
        body=record(_l("%(unit)s在 B 类答复中承诺的事项请登记兑现情况；未兑现的，每周提醒一次。"), {"unit": reply.unit.name}),
    )


# --- the calendar's year confirmation -------------------------------------------------------------------


def recompute_provisional_deadlines(year: int, county=None) -> int:
    """Listener for the calendar: recompute provisional deadlines now that ``year`` is confirmed.

    Returns how many deadlines moved. Each item is its own transaction: one failure does not stop the rest.
    """
    items = Suggestion.objects.filter(
        deadline_provisional=True, status__in=[s.value for s in OPEN_HANDLING], deadline_amount__isnull=False,
        deadline_start__isnull=False, deadline__year__gte=year, deadline_start__year__lte=year,
    )
    return _recompute_each(items, county, _l("节假日安排确认后按原规则重新计算。"))


def recompute_deadlines_for_day(day: dt.date, county=None) -> int:
    """Listener for the calendar: a day became a holiday or a working day (or was cleared) in ``county``.

    Every open rule-based deadline whose counting window (start .. deadline) contains ``day`` is computed
    again; the ones that move are logged, the people handling them told and the reminders moved.
    """
    items = Suggestion.objects.filter(
        status__in=[s.value for s in OPEN_HANDLING], deadline_amount__isnull=False,
        deadline_start__lte=day, deadline__gte=day,
    )
    return _recompute_each(items, county, record(_l("工作日历调整（%(date)s）后按原规则重新计算。"), {"date": day}))


def _recompute_each(items, county, reason) -> int:
    items = items.select_related("township", "lead_unit", "lead_deputy").order_by("pk")
    if county is not None:
        items = items.filter(township__county_id=getattr(county, "pk", county))
    moved = 0
    for suggestion in items:
        try:
            if suggestion_recompute_deadline(suggestion=suggestion, by=None, reason=reason):
                moved += 1
        except Exception:  # noqa: BLE001 — keep going; the item keeps its deadline and is logged
            logger.exception("could not recompute the deadline of suggestion %s", suggestion.pk)
    return moved


@transaction.atomic
def suggestion_recompute_deadline(*, suggestion: Suggestion, by=None, reason="") -> bool:
    """Recompute a rule-based deadline from the calendar as it is now; tell the people affected if it moved.

    Writes nothing when neither the date nor the provisional flag changed.
    """
    suggestion = Suggestion.objects.select_for_update(of=("self",)).select_related("township", "lead_unit", "lead_deputy").get(
        pk=suggestion.pk)
    if suggestion.deadline_amount is None or suggestion.deadline_start is None:
        return False
    old, was_provisional = suggestion.deadline, suggestion.deadline_provisional
    new = apply_rule(suggestion, start=suggestion.deadline_start, amount=suggestion.deadline_amount,
                     unit=suggestion.deadline_unit)
    if new.date == old and new.provisional == was_provisional:
        return False
    save(suggestion, by, ["deadline", "deadline_provisional", "deadline_start", "deadline_amount", "deadline_unit"])
    if new.date == old:
        return False
    reason = reason or _l("按原办理期限规则重新计算。")
    title = record(_l("办理期限调整：%(label)s的办理期限由 %(old)s 调整为 %(new)s"), {
        "label": _label(suggestion), "old": old, "new": new.date})
    log(suggestion, event="deadline_recomputed", by=by, title=title, note=reason)
    notify(recipients=[*handlers_of(suggestion), deputy_user(suggestion)], title=title,
           body=reason, url=suggestion.get_absolute_url(),
           kind="proposals.deadline_changed", target=suggestion, by=by)
    schedule_reply_reminders(suggestion)
    return True
