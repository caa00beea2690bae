"""Reads of the working-day calendar for screens and the page frame (each a fixed number of queries)."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from presidium.access import scope_of
from presidium.calendar.access import WARNED_ROLES
from presidium.calendar.models import CalendarDay, CalendarYear, scope_filter
from presidium.choices import COUNTY_ROLES
from presidium.models import County, Township

# The one-character day names of the month grid (星期一 … 星期日); English shows "Mon" … "Sun".
WEEKDAY_LABELS = (
    pgettext_lazy("weekday", "一"), pgettext_lazy("weekday", "二"), pgettext_lazy("weekday", "三"),
    pgettext_lazy("weekday", "四"), pgettext_lazy("weekday", "五"), pgettext_lazy("weekday", "六"),
    pgettext_lazy("weekday", "日"),
)


@dataclass(frozen=True)
class DayCell:
    """One square of the month grid."""

    date: dt.date
    in_month: bool
    is_today: bool
    is_working_day: bool
    name: str = ""
    kind: str = ""  # "off" (放假), "work" (调休上班 or a weekday kept working), "" (as its weekday says)
    local: bool = False  # the value comes from the county's own row

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def weekday_label(self) -> str:
        return WEEKDAY_LABELS[self.date.weekday()]


@dataclass(frozen=True)
class YearStatus:
    """A year's confirmation for a scope: the national row, the county's row, and what holds."""

    year: int
    national: CalendarYear | None
    local: CalendarYear | None

    @property
    def effective(self) -> CalendarYear | None:
        return self.local or self.national

    @property
    def confirmed(self) -> bool:
        return bool(self.effective and self.effective.confirmed)


@dataclass(frozen=True)
class ExceptionRow:
    """One date of a year's list: the national row, the county's row, the one that holds."""

    date: dt.date
    national: CalendarDay | None
    local: CalendarDay | None

    @property
    def effective(self) -> CalendarDay:
        return self.local or self.national

    @property
    def overrides_national(self) -> bool:
        return self.local is not None and self.national is not None

    @property
    def weekday_label(self) -> str:
        return WEEKDAY_LABELS[self.date.weekday()]


def month_grid(year: int, month: int, *, county: County | None, today: dt.date) -> list[list[DayCell]]:
    """The weeks (Monday first) covering ``month``, each day with its value for ``county``. One query."""
    weeks = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    national: dict[dt.date, CalendarDay] = {}
    local: dict[dt.date, CalendarDay] = {}
    rows = CalendarDay.objects.filter(scope_filter(county.pk if county else None), date__range=(first, last))
    for row in rows.only("date", "is_working_day", "name", "county_id"):
        (local if row.county_id else national)[row.date] = row
    grid = []
    for week in weeks:
        cells = []
        for day in week:
            row = local.get(day) or national.get(day)
            working = day.weekday() < 5 if row is None else row.is_working_day
            kind = "" if row is None else ("work" if row.is_working_day else "off")
            if row is not None and row.is_working_day and day.weekday() < 5 and not row.county_id:
                kind = ""  # a national weekday marked working says nothing a reader needs
            cells.append(DayCell(
                date=day, in_month=day.month == month, is_today=day == today, is_working_day=working,
                name=row.name if row else "", kind=kind, local=bool(row and row.county_id),
            ))
        grid.append(cells)
    return grid


def year_status(year: int, *, county: County | None) -> YearStatus:
    rows = {row.county_id: row for row in CalendarYear.objects.filter(
        scope_filter(county.pk if county else None), year=year).select_related("changed_by")}
    return YearStatus(year, rows.get(None), rows.get(county.pk) if county else None)


def year_exceptions(year: int, *, county: County | None) -> list[ExceptionRow]:
    """Every dated exception of ``year`` for the scope, national and local side by side. One query."""
    national: dict[dt.date, CalendarDay] = {}
    local: dict[dt.date, CalendarDay] = {}
    rows = CalendarDay.objects.filter(
        scope_filter(county.pk if county else None), date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31))
    ).select_related("changed_by")
    for row in rows:
        (local if row.county_id else national)[row.date] = row
    return [ExceptionRow(day, national.get(day), local.get(day)) for day in sorted(national.keys() | local.keys())]


@dataclass(frozen=True)
class HistoryLine:
    """One change to the calendar, as the history screen shows it."""

    when: dt.datetime
    who: object
    action: str
    subject: str
    detail: str
    scope: str


_ACTIONS = {"+": gettext_lazy("新增"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}


def _history_line(record, county_names: dict) -> HistoryLine:
    scope = county_names.get(record.county_id, "") if record.county_id else _("全国")
    action = str(_ACTIONS.get(record.history_type, record.history_type))
    if hasattr(record, "date"):
        kind = _("上班") if record.is_working_day else _("放假")
        weekday = _("星期%(w)s") % {"w": WEEKDAY_LABELS[record.date.weekday()]}
        subject = f"{record.date:%Y-%m-%d}（{weekday}）"
        return HistoryLine(record.history_date, record.history_user, action, subject, f"{kind} · {record.name}", scope)
    state = _("已确认") if record.confirmed else _("未确认")
    detail = f"{state}" + (f" · {record.note}" if record.note else "")
    return HistoryLine(record.history_date, record.history_user, action, _("%(year)s 年度") % {"year": record.year},
                       detail, scope)


def calendar_history(year: int, *, county: County | None, limit: int = 200) -> list[HistoryLine]:
    """Who changed what in ``year`` for the scope, newest first: days and the year's confirmation. Two queries."""
    scope = scope_filter(county.pk if county else None)
    days = list(
        CalendarDay.history.filter(scope, date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        .select_related("history_user").order_by("-history_date")[:limit]
    )
    years = list(CalendarYear.history.filter(scope, year=year).select_related("history_user")
                 .order_by("-history_date")[:limit])
    names = {county.pk: county.name} if county else {}
    records = sorted(days + years, key=lambda record: record.history_date, reverse=True)[:limit]
    return [_history_line(record, names) for record in records]


# --- the frame's warning ------------------------------------------------------------------------


def _confirmed_expression(year: int) -> Coalesce:
    local = CalendarYear.objects.filter(county=OuterRef("pk"), year=year).order_by().values("confirmed")[:1]
    national = CalendarYear.objects.filter(county__isnull=True, year=year).order_by().values("confirmed")[:1]
    return Coalesce(Subquery(local), Subquery(national), Value(False), output_field=BooleanField())


def unconfirmed_years_for(user, years: list[int], *, roles=WARNED_ROLES) -> list[int]:
    """Which of ``years`` are not confirmed where ``user`` works through ``roles``. One query.

    A superuser answers for the national calendar; everyone else for the counties of their roles
    (a county's own year row wins over the national one).
    """
    scope = scope_of(user)
    if not years:
        return []
    if scope.is_superuser:
        confirmed = set(CalendarYear.objects.filter(county__isnull=True, year__in=years, confirmed=True)
                        .values_list("year", flat=True))
        return [year for year in years if year not in confirmed]
    roles = frozenset(roles)
    county_ids = sorted(scope.county_ids(roles & COUNTY_ROLES))
    township_ids = sorted(scope.township_ids(roles - COUNTY_ROLES))
    if not county_ids and not township_ids:
        return []

    def build():
        condition = Q(pk__in=county_ids) | Q(pk__in=Township.objects.filter(pk__in=township_ids).values("county_id"))
        names = {f"confirmed_{year}": _confirmed_expression(year) for year in years}
        return County.objects.filter(condition).annotate(**names).values_list(*names)

    # The query's SQL depends on the roles and the years alone: compiled once per process and key (its two
    # subqueries a year cost more to build than to run, on every home page of staff and chairs and every page of a
    # county administrator); the flags are read fresh.
    from presidium.home_cards import kept_sql

    unconfirmed: set[int] = set()
    for flags in kept_sql(("calendar_unconfirmed", scope, tuple(years), roles), build).tuples():
        unconfirmed |= {year for year, flag in zip(years, flags, strict=True) if not flag}
    return [year for year in years if year in unconfirmed]


def calendar_warnings_for(user, *, today: dt.date) -> list[str]:
    """The frame's reminders: this year unconfirmed, or from 1 December next year unconfirmed.

    Shown to presidium staff and chairs, county administrators and superusers (who enter the
    national arrangement); ``today`` is passed in so the December rule can be tested.
    """
    scope = scope_of(user)
    if scope.user_id is None or not (scope.is_superuser or scope.roles & WARNED_ROLES):
        return []
    years = [today.year] + ([today.year + 1] if today.month == 12 else [])
    return [
        _("%(year)s 年法定节假日尚未设置，涉及 %(year)s 年的期限按仅扣除周末临时计算，请在国务院公布安排后录入并确认。")
        % {"year": year}
        for year in unconfirmed_years_for(user, years)
    ]
