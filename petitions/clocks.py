"""The statutory clocks of a petition (法定时限): started and stopped by notices, counted by the calendar service.

One :class:`~petitions.models.PetitionClock` per limit and round. The number of days of each kind is a
setting (``PETITION_*_DAYS``), the unit is calendar days unless ``PETITION_CLOCK_UNITS`` names another
for a kind (``{"acceptance": "working_days"}``); the due date always comes from
:func:`presidium.calendar.services.explain_deadline`, never from ``timedelta``. Calendar days need no
holiday data, so a clock in a year the holiday library does not know (2027) is computed all the same.

Clocks do not pause. A clock stopped on or before its due date is ``met``, after it ``missed``. An
approved extension turns the running completion clock ``extended`` and starts the extension clock at
its due date. The petitioner's windows (the 30 days to ask for a review or re-review) are clocks too,
but nobody is reminded of them and they are never "overdue": they are the petitioner's time, not a duty.

Only the services call these functions, inside their transaction (``petitions.services.notices``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _l

from petitions.choices import CLOCK_DEFAULT_DAYS, CLOCK_SETTINGS, LEGAL_BASIS, ClockKind, ClockState
from petitions.models import Petition, PetitionClock, PetitionNotice
from presidium.calendar.models import CalendarDay
from presidium.calendar.services import DeadlineUnit, explain_deadline
from presidium.records import as_stored, record

# The petitioner's own time: no reminders, never overdue.
WINDOW_KINDS = frozenset({ClockKind.REVIEW_REQUEST, ClockKind.RE_REVIEW_REQUEST})
# The presidium's duties: reminded before, on and after the due date; late means missed.
DUTY_KINDS = frozenset(set(ClockKind) - WINDOW_KINDS)
# The clocks a written answer stops (the completion limit, or its extension).
HANDLING_KINDS = frozenset({ClockKind.COMPLETION, ClockKind.EXTENSION})


def clock_days(kind: str) -> int:
    """The number of days of ``kind`` (its setting; the extension's is the maximum)."""
    kind = ClockKind(kind)
    return int(getattr(settings, CLOCK_SETTINGS[kind], CLOCK_DEFAULT_DAYS[kind]))


def clock_unit(kind: str) -> DeadlineUnit:
    """Calendar days (信访工作条例 counts 日), unless ``PETITION_CLOCK_UNITS`` says otherwise for ``kind``."""
    units = getattr(settings, "PETITION_CLOCK_UNITS", None) or {}
    return DeadlineUnit(units.get(str(ClockKind(kind)), DeadlineUnit.CALENDAR_DAYS))


def _county(petition: Petition):
    return petition.township.county_id if petition.township_id else None


def named_days_off(county_id) -> list[tuple[dt.date, str]]:
    """Every named day off (national, or the county's) as (date, name): :func:`counted_text`'s input when many
    clocks are counted at once (the scale builder), instead of a query per clock."""
    return list(CalendarDay.objects.filter(Q(county__isnull=True) | Q(county_id=county_id), is_working_day=False)
                .exclude(name="").values_list("date", "name"))


def counted_text(petition: Petition, start: dt.date, amount: int, unit: DeadlineUnit, due: dt.date, *,
                 days_off: list[tuple[dt.date, str]] | None = None):
    """How the due date was counted, as a stored record (Chinese): the rule, and the holidays passed over.

    Calendar days count holidays like any day (the 2026 National Day holiday does not move a 15-day
    limit); the text says so when the window holds one, so nobody "corrects" the date by hand.
    ``days_off`` (from :func:`named_days_off`) saves the query for calendar-day clocks.
    """
    if unit == DeadlineUnit.CALENDAR_DAYS:
        if days_off is not None:
            names = sorted({name for day, name in days_off if start < day <= due})
        else:
            names = sorted(set(CalendarDay.objects.filter(
                Q(county__isnull=True) | Q(county_id=_county(petition)), date__gt=start, date__lte=due,
                is_working_day=False,
            ).exclude(name="").values_list("name", flat=True)))
        if names:
            return record(_l("自 %(start)s 次日起算 %(n)s 日（自然日），至 %(due)s 届满；期间的%(holidays)s照常计算"), {
                "start": start, "n": amount, "due": due, "holidays": "、".join(names)})
        return record(_l("自 %(start)s 次日起算 %(n)s 日（自然日），至 %(due)s 届满"), {
            "start": start, "n": amount, "due": due})
    explanation = explain_deadline(start, amount, unit, county=_county(petition))
    unit_label = {DeadlineUnit.WORKING_DAYS: _l("个工作日"), DeadlineUnit.MONTHS: _l("个月")}[unit]
    text = record(_l("自 %(start)s 起 %(n)s %(unit)s，至 %(due)s 届满"), {
        "start": start, "n": amount, "unit": unit_label, "due": explanation.deadline})
    if explanation.days_off:
        text = record(_l("%(text)s；跳过节假日 %(days)s 天"), {"text": text, "days": len(explanation.days_off)})
    if explanation.deadline.provisional:
        text = record(_l("%(text)s（暂定：该年节假日安排尚未确认）"), {"text": text})
    return text


def next_round(petition: Petition, kind: str) -> int:
    last = PetitionClock.objects.filter(petition=petition, kind=kind).aggregate(m=Max("round"))["m"]
    return (last or 0) + 1


def running(petition: Petition, kinds, *, lock: bool = True) -> PetitionClock | None:
    """The running clock of one of ``kinds`` (the latest round), locked for the caller's transaction.

    ``lock=False`` for pages that only read it (they run outside a transaction, where PostgreSQL's
    ``SELECT … FOR UPDATE`` is refused).
    """
    clocks = PetitionClock.objects.filter(petition=petition, kind__in=list(kinds), state=ClockState.RUNNING)
    if lock:
        clocks = clocks.select_for_update()
    return clocks.order_by("-round", "-pk").first()


def clock_start(*, petition: Petition, kind: str, started_on: dt.date, start_event, amount: int | None = None,
                notice: PetitionNotice | None = None) -> PetitionClock:
    """Start the ``kind`` clock at ``started_on`` (a new round if one ran before) and arm its reminders."""
    kind = ClockKind(kind)
    unit = clock_unit(kind)
    amount = int(amount or clock_days(kind))
    explanation = explain_deadline(started_on, amount, unit, county=_county(petition))
    due = explanation.deadline.date
    clock = PetitionClock(
        petition=petition, kind=kind, round=next_round(petition, kind), legal_basis=as_stored(LEGAL_BASIS[kind])[:300],
        unit=unit, amount=amount, start_event=as_stored(start_event)[:100], started_on=started_on, due_on=due,
        counted=as_stored(counted_text(petition, started_on, amount, unit, due))[:300], started_by_notice=notice,
    )
    clock.full_clean()
    clock.save()
    if kind in DUTY_KINDS:
        from petitions.reminders import schedule_clock_reminders

        schedule_clock_reminders(clock)
    return clock


def clock_stop(*, clock: PetitionClock, stopped_on: dt.date, stop_event, notice: PetitionNotice | None = None,
               state: ClockState | None = None) -> PetitionClock:
    """Stop a running clock: ``met`` on or before its due date, ``missed`` after (or the ``state`` given)."""
    clock.stopped_on = stopped_on
    clock.stop_event = as_stored(stop_event)[:100]
    clock.stopped_by_notice = notice
    clock.state = state or (ClockState.MET if stopped_on <= clock.due_on else ClockState.MISSED)
    _save_changed(clock, ["stopped_on", "stop_event", "stopped_by_notice", "state"])
    from petitions.reminders import cancel_clock_reminders

    cancel_clock_reminders(clock)
    return clock


def _save_changed(clock: PetitionClock, fields: list[str]) -> None:
    """Validate the changed fields and the constraints on them (a whole-row check is a query per constraint)."""
    clock.full_clean(exclude=[f.name for f in PetitionClock._meta.fields if f.name not in fields])
    clock.save(update_fields=[f for f in fields if f != "started_on"])


def clocks_stop(*, petition: Petition, kinds, stopped_on: dt.date, stop_event, notice=None,
                state: ClockState | None = None) -> PetitionClock | None:
    """Stop the running clock of one of ``kinds``, if there is one."""
    clock = running(petition, kinds)
    if clock is None:
        return None
    return clock_stop(clock=clock, stopped_on=stopped_on, stop_event=stop_event, notice=notice, state=state)


def clocks_void(*, petition: Petition, kinds, on: dt.date, event) -> int:
    """Void every running clock of ``kinds`` (a reopened case's old review window)."""
    voided = 0
    for clock in PetitionClock.objects.select_for_update().filter(petition=petition, kind__in=list(kinds),
                                                                  state=ClockState.RUNNING):
        clock_stop(clock=clock, stopped_on=max(on, clock.started_on), stop_event=event, state=ClockState.VOID)
        voided += 1
    return voided


def clock_extend(*, petition: Petition, days: int, on: dt.date, notice: PetitionNotice) -> PetitionClock:
    """延期: the running completion clock becomes ``extended``; the extension clock runs ``days`` from its due date.

    The new due date is the old due date + ``days``, counted by the calendar service and recorded.
    """
    completion = running(petition, [ClockKind.COMPLETION])
    if completion is None:
        raise ValueError("no running completion clock to extend")
    clock_stop(clock=completion, stopped_on=max(on, completion.started_on),
               stop_event=_l("延期告知书"), notice=notice,
               state=ClockState.EXTENDED)
    return clock_start(petition=petition, kind=ClockKind.EXTENSION, started_on=completion.due_on, amount=days,
                       start_event=_l("延期告知书"), notice=notice)


def refresh_next_due(petition: Petition) -> dt.date | None:
    """Store the earliest due date among the running duty clocks on the petition (for lists and counts)."""
    due = (PetitionClock.objects.filter(petition=petition, state=ClockState.RUNNING, kind__in=sorted(DUTY_KINDS))
           .order_by("due_on").values_list("due_on", flat=True).first())
    if petition.next_due_on != due:
        petition.next_due_on = due
        Petition.objects.filter(pk=petition.pk).update(next_due_on=due)
    return due


def window_open(petition: Petition, kind: str, on: dt.date, *, lock: bool = False) -> PetitionClock | None:
    """The running window clock of ``kind`` if ``on`` is within it (a review may be asked), else None.

    Read by the item page and the public look-up to say whether a review may be asked (no lock); the
    review-request service locks it (``lock=True``) inside its transaction.
    """
    clock = running(petition, [kind], lock=lock)
    if clock is None or on > clock.due_on or on < clock.started_on:
        return None
    return clock


# --- calendar changes: only clocks counted in working days move --------------------------------------------


def clock_recompute(*, clock: PetitionClock) -> bool:
    """Count a running clock again from its start with the calendar as it is now; True when its due date moved.

    Calendar-day clocks (the regulation's 日) never move with the calendar; a clock a setting counts in working
    days does when a holiday or make-up day inside its window changes. Runs in the caller's transaction.
    """
    if clock.state != ClockState.RUNNING or clock.unit == DeadlineUnit.CALENDAR_DAYS:
        return False
    petition = clock.petition
    explanation = explain_deadline(clock.started_on, clock.amount, clock.unit, county=_county(petition))
    due = explanation.deadline.date
    counted = as_stored(counted_text(petition, clock.started_on, clock.amount, DeadlineUnit(clock.unit), due))[:300]
    if due == clock.due_on and counted == clock.counted:
        return False
    moved = due != clock.due_on
    clock.due_on, clock.counted = due, counted
    _save_changed(clock, ["due_on", "counted", "started_on"])
    if moved:
        from petitions.reminders import cancel_clock_reminders, schedule_clock_reminders

        if clock.kind in DUTY_KINDS:
            cancel_clock_reminders(clock)
            schedule_clock_reminders(clock)
        refresh_next_due(petition)
    return moved


def _recompute_each(clocks) -> int:
    from django.db import transaction

    moved = 0
    for clock in clocks.select_related("petition__township").order_by("pk"):
        with transaction.atomic():
            moved += clock_recompute(clock=clock)
    return moved


def recompute_clocks_for_day(day: dt.date, county=None) -> int:
    """Calendar listener: ``day`` became a holiday or a working day (in ``county``, or nationally)."""
    clocks = PetitionClock.objects.filter(state=ClockState.RUNNING, started_on__lte=day, due_on__gte=day).exclude(
        unit=DeadlineUnit.CALENDAR_DAYS)
    if county is not None:
        clocks = clocks.filter(petition__township__county_id=getattr(county, "pk", county))
    return _recompute_each(clocks)


def recompute_clocks_for_year(year: int, county=None) -> int:
    """Calendar listener: ``year``'s holidays were confirmed; working-day clocks running into it are counted again."""
    clocks = PetitionClock.objects.filter(state=ClockState.RUNNING, due_on__year__gte=year,
                                          started_on__year__lte=year).exclude(unit=DeadlineUnit.CALENDAR_DAYS)
    if county is not None:
        clocks = clocks.filter(petition__township__county_id=getattr(county, "pk", county))
    return _recompute_each(clocks)
