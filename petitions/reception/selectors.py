"""Reads of reception days that encode a rule: who sees which days, holidays, a deputy's next duty,
the petitions taken on a day, and the monthly summary (月度汇总) — each a fixed number of queries."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from petitions.models import ReceptionDay, ReceptionDuty
from petitions.reception.access import reception_q
from petitions.reception.choices import DayStatus, DutyStatus
from presidium.calendar.models import CalendarDay, scope_filter


def reception_days_visible_to(user) -> QuerySet[ReceptionDay]:
    """The days of every township whose rota ``user`` may read; another county's are simply not there."""
    return ReceptionDay.objects.filter(reception_q(user)).select_related("township")


def duties_prefetch(*, names_only: bool = False) -> Prefetch:
    """Each day's ``duty_list``: its duties with their deputies and groups, in the rota's order.

    ``names_only``: only what a list of days shows (each duty's status, its deputy's and group's names), not the
    deputy's record (whose ID number would be decrypted for nothing, a county page of 30 days: ~100 decryptions)."""
    duties = ReceptionDuty.objects.select_related("deputy", "group").order_by("position", "pk")
    if names_only:
        duties = duties.only("day", "status", "position", "deputy__name", "group__name")
    return Prefetch("duties", queryset=duties, to_attr="duty_list")


def _petitions():
    from petitions.models import Petition

    return Petition.objects


def with_taken(days: QuerySet[ReceptionDay]) -> QuerySet[ReceptionDay]:
    """Annotate each day with the petitions taken at it: ``cases`` (件) and ``visits`` (人次)."""
    taken = _petitions().filter(reception_day=OuterRef("pk")).order_by().values("reception_day")
    return days.annotate(
        cases=Coalesce(Subquery(taken.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
                       Value(0)),
        visits=Coalesce(Subquery(taken.annotate(n=Sum("people_count")).values("n")[:1],
                                 output_field=IntegerField()), Value(0)),
    )


def holidays_between(first: dt.date, last: dt.date, county_ids) -> dict[tuple[int | None, dt.date], str]:
    """Statutory holidays in [first, last] by (county id, date) → name, one query for all counties.

    A market day is not a holiday (it is just the day the rota uses); a reception day that falls on a
    holiday of the calendar is flagged so the staff can move or cancel it. A county's own row wins
    over the national one (a county may declare a day a working day).
    """
    rows = CalendarDay.objects.filter(date__range=(first, last)).filter(
        Q(county__isnull=True) | Q(county_id__in=sorted(set(county_ids)))).values_list(
        "county_id", "date", "is_working_day", "name")
    national: dict[dt.date, tuple[bool, str]] = {}
    own: dict[int, dict[dt.date, tuple[bool, str]]] = {}
    for county_id, date, working, name in rows:
        if county_id:
            own.setdefault(county_id, {})[date] = (working, name)
        else:
            national[date] = (working, name)
    result = {}
    for county_id in set(county_ids):
        merged = {**national, **own.get(county_id, {})}
        for date, (working, name) in merged.items():
            if not working:
                result[(county_id, date)] = name
    return result


def label_groups(days: list[ReceptionDay]) -> list[ReceptionDay]:
    """Set ``group_label``: the group on duty when the whole day's duty is one group's (needs ``duty_list``)."""
    for day in days:
        groups = {duty.group.name if duty.group_id else "" for duty in getattr(day, "duty_list", [])}
        day.group_label = groups.pop() if len(groups) == 1 else ""
    return days


def flag_holidays(days: list[ReceptionDay]) -> list[ReceptionDay]:
    """Set ``holiday`` (the holiday's name, or "") on each day; one query whatever the number of days."""
    if not days:
        return days
    county_ids = {d.township.county_id for d in days}
    found = holidays_between(min(d.date for d in days), max(d.date for d in days), county_ids)
    for d in days:
        d.holiday = found.get((d.township.county_id, d.date), "")
    return days


def holiday_of(day: ReceptionDay) -> str:
    county_id = day.township.county_id
    row = (CalendarDay.objects.filter(scope_filter(county_id), date=day.date).order_by("-county_id")
           .values_list("is_working_day", "name").first())
    return row[1] if row and not row[0] else ""


def next_duties(deputy, *, on: dt.date, limit: int = 3) -> list[ReceptionDuty]:
    """我的接待日: the deputy's duties from ``on`` on (today's first), days not cancelled."""
    return list(ReceptionDuty.objects.filter(deputy=deputy, day__date__gte=on)
                .exclude(day__status=DayStatus.CANCELLED).select_related("day__township", "deputy")
                .order_by("day__date", "pk")[:limit])


def petitions_taken(day: ReceptionDay, user) -> QuerySet:
    """The petitions taken at ``day`` that ``user`` may see (through p-core's visibility rule)."""
    from petitions.selectors import petitions_visible_to

    return (petitions_visible_to(user).filter(reception_day=day).select_related("category")
            .order_by("received_on", "pk"))


# --- the monthly summary ----------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class DutyCounts:
    """One line of the summary: a deputy or a group, and its duties by status."""

    label: str
    group: str = ""
    scheduled: int = 0
    attended: int = 0
    leave: int = 0
    absent: int = 0
    pending: int = 0  # on duty, not signed in yet (the day is today or ahead, or not settled)
    township: str = ""

    @property
    def attendance_rate(self) -> str:
        settled = self.attended + self.leave + self.absent
        return f"{self.attended * 100 / settled:.0f}%" if settled else "—"


@dataclass
class MonthSummary:
    year: int
    month: int
    deputies: list[DutyCounts] = field(default_factory=list)
    groups: list[DutyCounts] = field(default_factory=list)
    days: list[ReceptionDay] = field(default_factory=list)
    total: DutyCounts = field(default_factory=lambda: DutyCounts(label=_("合计")))
    cases: int = 0
    visits: int = 0
    held_days: int = 0
    cancelled_days: int = 0


_STATUS_FIELD = {DutyStatus.SIGNED_IN: "attended", DutyStatus.LEAVE: "leave", DutyStatus.ABSENT: "absent",
                 DutyStatus.ON_DUTY: "pending"}


def month_summary(days: QuerySet[ReceptionDay], year: int, month: int, *, duty_lists: bool = True) -> MonthSummary:
    """Per deputy and per group: duties scheduled, attended, on leave, absent; per day and in all: 件 and 人次.

    ``days`` is a visible queryset (already narrowed to a township if the page chose one). Four queries
    whatever the number of days, duties and petitions; cancelled days' duties are not counted as scheduled.
    ``duty_lists=False`` leaves out each day's ``duty_list`` (its duties and their deputies, one query): the
    page does not show them, only the days' export names who was on duty (a county month: 1,000 rows fewer).
    """
    first, last = month_bounds(year, month)
    in_month = days.filter(date__range=(first, last))
    summary = MonthSummary(year=year, month=month)
    listed = with_taken(in_month).select_related("township__county").order_by("date", "township__name", "pk")
    summary.days = flag_holidays(list(listed.prefetch_related(duties_prefetch()) if duty_lists else listed))
    duties = (ReceptionDuty.objects.filter(day__in=in_month).exclude(day__status=DayStatus.CANCELLED).order_by()
              .values("deputy_id", "deputy__name", "deputy__name_pinyin", "group__name", "day__township__name",
                      "status").annotate(n=Count("pk")))
    per_deputy: dict[int, DutyCounts] = {}
    per_group: dict[str, DutyCounts] = {}
    for row in duties:
        d = per_deputy.setdefault(row["deputy_id"], DutyCounts(
            label=row["deputy__name"], group=row["group__name"] or "", township=row["day__township__name"]))
        d.sort_key = row["deputy__name_pinyin"]
        g = per_group.setdefault(row["group__name"] or "", DutyCounts(label=row["group__name"] or _("未分组")))
        for target in (d, g, summary.total):
            target.scheduled += row["n"]
            name = _STATUS_FIELD.get(row["status"])
            if name:
                setattr(target, name, getattr(target, name) + row["n"])
    summary.deputies = sorted(per_deputy.values(), key=lambda c: (c.township, c.group, getattr(c, "sort_key", "")))
    summary.groups = sorted(per_group.values(), key=lambda c: str(c.label))
    for day in summary.days:
        summary.cases += day.cases
        summary.visits += day.visits
        summary.held_days += day.status == DayStatus.HELD
        summary.cancelled_days += day.status == DayStatus.CANCELLED
    return summary
