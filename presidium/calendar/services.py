"""The working-day calendar service: deadlines from the table, and every change staff make to it.

Deadlines
---------
Every deadline in the portal is computed here, never with ``timedelta`` in a view::

    compute_deadline(start, amount, DeadlineUnit.WORKING_DAYS, county=township.county_id)

The result is a :class:`Deadline` ``(date, provisional)``. Counting follows 民法典 第二百零一条: the
start day is not counted; "N working days after" is the N-th working day after ``start``. A date
takes its value from the table (a county's row wins over the national row), otherwise Monday to
Friday are working days. A computation that runs through a year whose holidays are not confirmed
is *provisional*: in that year only the rows staff have entered so far, and otherwise weekends,
count as days off. Callers store the flag and recompute when the year is confirmed (see
:func:`register_year_confirmed_listener`).

Each call reads the table once (one query for the whole range it needs, however many days), and
never calls chinesecalendar: the library was read into the table by a migration.

Changes
-------
``calendar_day_set``, ``calendar_day_clear``, ``calendar_year_confirm`` and ``calendar_year_reopen``
are the only writers: keyword-only, checked (who may, what is valid, in Chinese), atomic, recorded.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import contextlib
import contextvars
import datetime as dt
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateField, F, IntegerField, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.calendar.choices import CalendarSource, DeadlineUnit
from presidium.calendar.models import FIRST_YEAR, LAST_YEAR, CalendarDay, CalendarYear, scope_filter
from presidium.models import County

__all__ = [
    "Deadline",
    "DeadlineUnit",
    "add_calendar_days",
    "add_months",
    "add_working_days",
    "calendar_day_clear",
    "calendar_day_set",
    "calendar_year_confirm",
    "calendar_year_reopen",
    "compute_deadline",
    "describe_period",
    "explain_deadline",
    "is_working_day",
    "register_year_confirmed_listener",
    "register_day_changed_listener",
    "working_days_between",
    "year_is_confirmed",
]

CountyArg = County | int | None


@dataclass(frozen=True)
class Deadline:
    """A computed date; ``provisional`` when it ran through a year whose holidays are not confirmed."""

    date: dt.date
    provisional: bool = False

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}" + ("（暂定）" if self.provisional else "")


# --- reading the table --------------------------------------------------------------------------


def _as_date(value) -> dt.date:
    """A date, or an aware datetime taken as its date in Asia/Shanghai (never a naive datetime)."""
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            raise ValueError("pass a date or an aware datetime, not a naive datetime")
        return timezone.localdate(value)
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"expected a date, got {type(value).__name__}")


def _county_id(county: CountyArg) -> int | None:
    """Accept a County, its id or None (national). A Township is refused: pass ``township.county_id``."""
    if county is None:
        return None
    if isinstance(county, County):
        return county.pk
    if isinstance(county, int) and not isinstance(county, bool):
        return county
    raise TypeError(f"county must be a County, its id or None, got {type(county).__name__}")


_PRELOADED: contextvars.ContextVar[CalendarWindow | None] = contextvars.ContextVar("calendar_preloaded",
                                                                                    default=None)


@contextlib.contextmanager
def preloaded(first: dt.date, last: dt.date, *, county: CountyArg = None) -> Iterator[CalendarWindow]:
    """Answer every calendar question about ``county`` inside [first, last] from one window read once.

    For bulk work (``seed_demo --scale`` computes thousands of deadlines): each deadline function
    otherwise reads its own window, one query per call. The answers are the same — the same rows,
    the same code; only the reading is shared. Not for requests: a calendar change made meanwhile
    by another process would not be seen until the block ends.
    """
    window = CalendarWindow(first, last, county=county)
    token = _PRELOADED.set(window)
    try:
        yield window
    finally:
        _PRELOADED.reset(token)


def _window(first: dt.date, last: dt.date, *, county: CountyArg = None) -> CalendarWindow:
    window = _PRELOADED.get()
    if window is not None and window.county_id == _county_id(county) and window.first <= first and last <= window.last:
        return window
    return CalendarWindow(first, last, county=county)


class CalendarWindow:
    """The calendar of one county (or the nation) over a window of dates, read in one query.

    Reads exceptions and year confirmations together (a UNION ALL of the two tables). Asking about a
    date outside the window widens it with one more query, so callers need not guess the range
    exactly; the services size the first window so that this does not happen in practice.
    """

    def __init__(self, first: dt.date, last: dt.date, *, county: CountyArg = None):
        self.county_id = _county_id(county)
        self.first, self.last = first, last
        self._global_days: dict[dt.date, bool] = {}
        self._county_days: dict[dt.date, bool] = {}
        self._global_years: dict[int, bool] = {}
        self._county_years: dict[int, bool] = {}
        self._load(first, last)

    def _load(self, first: dt.date, last: dt.date) -> None:
        scope = scope_filter(self.county_id)
        days = (
            CalendarDay.objects.filter(scope, date__range=(first, last)).order_by()
            .annotate(row_date=F("date"), flag=F("is_working_day"), row_county=F("county_id"),
                      row_year=Cast(Value(None), IntegerField()))
            .values_list("row_date", "flag", "row_county", "row_year")
        )
        years = (
            CalendarYear.objects.filter(scope, year__range=(first.year, last.year)).order_by()
            .annotate(row_date=Cast(Value(None), DateField()), flag=F("confirmed"), row_county=F("county_id"),
                      row_year=F("year"))
            .values_list("row_date", "flag", "row_county", "row_year")
        )
        for row_date, flag, row_county, row_year in days.union(years, all=True):
            if row_date is not None:
                (self._county_days if row_county else self._global_days)[row_date] = bool(flag)
            else:
                (self._county_years if row_county else self._global_years)[row_year] = bool(flag)

    def _cover(self, day: dt.date) -> None:
        if day < self.first:
            first = min(day, self.first - dt.timedelta(days=1)) - dt.timedelta(days=31)
            self._load(first, self.first - dt.timedelta(days=1))
            self.first = first
        elif day > self.last:
            last = max(day, self.last + dt.timedelta(days=1)) + dt.timedelta(days=31)
            self._load(self.last + dt.timedelta(days=1), last)
            self.last = last

    def is_working_day(self, day: dt.date) -> bool:
        if not self.first <= day <= self.last:
            self._cover(day)
        value = self._county_days.get(day)
        if value is None:
            value = self._global_days.get(day)
        return day.weekday() < 5 if value is None else value

    def is_confirmed(self, year: int) -> bool:
        """A county's own year row wins; otherwise the national row; no row: not confirmed."""
        if year < self.first.year or year > self.last.year:
            self._cover(dt.date(year, 1, 1) if year < self.first.year else dt.date(year, 12, 31))
        value = self._county_years.get(year)
        if value is None:
            value = self._global_years.get(year, False)
        return value

    def provisional_between(self, a: dt.date, b: dt.date) -> bool:
        low, high = min(a, b), max(a, b)
        return not all(self.is_confirmed(year) for year in range(low.year, high.year + 1))


def _window_for_working_days(start: dt.date, n: int) -> tuple[dt.date, dt.date]:
    # About 250 working days in 365: 1.5 calendar days per working day, plus room for the longest
    # holiday run (春节 with its weekends: 9–10 days). CalendarWindow widens itself if this is short.
    span = dt.timedelta(days=math.ceil(abs(n) * 1.5) + 16)
    return (start, start + span) if n >= 0 else (start - span, start)


def _check_amount(n) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"amount must be an int, got {type(n).__name__}")
    return n


def is_working_day(day, *, county: CountyArg = None) -> bool:
    """Is ``day`` a working day for ``county``'s townships (None: the national calendar)?"""
    day = _as_date(day)
    return _window(day, day, county=county).is_working_day(day)


def year_is_confirmed(year: int, *, county: CountyArg = None) -> bool:
    """Has ``year``'s holiday arrangement been confirmed (for ``county``, whose own row wins)?"""
    county_id = _county_id(county)
    rows = dict(
        CalendarYear.objects.filter(scope_filter(county_id), year=year).values_list("county_id", "confirmed")
    )
    if county_id in rows:
        return rows[county_id]
    return rows.get(None, False)


def add_working_days(start, n: int, *, county: CountyArg = None) -> Deadline:
    """The ``n``-th working day after ``start`` (before it when ``n`` is negative); ``start`` is not counted.

    2026-09-30 + 5 = 2026-10-13 (10-10 is a make-up Saturday); ``n == 0`` returns ``start``.
    """
    start, n = _as_date(start), _check_amount(n)
    calendar = _window(*_window_for_working_days(start, n), county=county)
    step = dt.timedelta(days=1 if n > 0 else -1)
    day, remaining = start, abs(n)
    while remaining:
        day += step
        if calendar.is_working_day(day):
            remaining -= 1
    return Deadline(day, calendar.provisional_between(start, day))


def _roll(day: dt.date, *, backwards: bool, county: CountyArg) -> Deadline:
    """Move a last day that falls on a day off to the next working day (民法典 第二百零三条)."""
    window = (day - dt.timedelta(days=31), day) if backwards else (day, day + dt.timedelta(days=31))
    calendar = _window(*window, county=county)
    step = dt.timedelta(days=-1 if backwards else 1)
    rolled = day
    while not calendar.is_working_day(rolled):
        rolled += step
    return Deadline(rolled, calendar.provisional_between(day, rolled))


def add_calendar_days(start, n: int, *, county: CountyArg = None, roll_forward: bool = False) -> Deadline:
    """``start`` + ``n`` days (信访 limits: 15 日, 60 日). Never provisional unless ``roll_forward``.

    With ``roll_forward`` a last day that is a day off moves to the next working day (the previous
    one when counting backwards), which depends on the calendar and so may be provisional.
    """
    start, n = _as_date(start), _check_amount(n)
    day = start + dt.timedelta(days=n)
    if roll_forward:
        return _roll(day, backwards=n < 0, county=county)
    return Deadline(day, False)


def add_months(start, n: int, *, county: CountyArg = None, roll_forward: bool = False) -> Deadline:
    """The same day ``n`` months later, clamped to the month's end: 01-31 + 1 month = 02-28 (02-29).

    This is 民法典 第二百零二条 (no corresponding day: the last day of the month). ``roll_forward``
    as in :func:`add_calendar_days`.
    """
    start, n = _as_date(start), _check_amount(n)
    month_index = start.year * 12 + (start.month - 1) + n
    year, month = divmod(month_index, 12)
    month += 1
    day = dt.date(year, month, min(start.day, stdlib_calendar.monthrange(year, month)[1]))
    if roll_forward:
        return _roll(day, backwards=n < 0, county=county)
    return Deadline(day, False)


def compute_deadline(start, amount: int, unit: DeadlineUnit | str, *, county: CountyArg = None,
                     roll_forward: bool = False) -> Deadline:
    """The one entry point for rules stored as (amount, unit).

    ``roll_forward`` applies to calendar days and months only (a working-day count always ends on
    a working day).
    """
    unit = DeadlineUnit(unit)
    if unit == DeadlineUnit.WORKING_DAYS:
        return add_working_days(start, amount, county=county)
    if unit == DeadlineUnit.CALENDAR_DAYS:
        return add_calendar_days(start, amount, county=county, roll_forward=roll_forward)
    return add_months(start, amount, county=county, roll_forward=roll_forward)


def describe_period(amount: int, unit: DeadlineUnit | str) -> str:
    """A rule as people write it: “5 个工作日”, “15 日”, “3 个月”; “前 3 个工作日” when negative."""
    unit = DeadlineUnit(unit)
    text = {
        DeadlineUnit.WORKING_DAYS: _("%(n)s 个工作日"),
        DeadlineUnit.CALENDAR_DAYS: _("%(n)s 日"),
        DeadlineUnit.MONTHS: _("%(n)s 个月"),
    }[unit] % {"n": abs(amount)}
    return _("前 %(period)s") % {"period": text} if amount < 0 else text


@dataclass(frozen=True)
class DeadlineExplanation:
    """How a deadline was counted, for showing before the step that sets it (Froide: a date shows its basis)."""

    start: dt.date
    deadline: Deadline
    rule: str  # “3 个月”, “20 个工作日”
    unit: DeadlineUnit
    days_off: tuple[tuple[dt.date, str], ...]  # holidays on weekdays that were skipped (or rolled over)
    make_up_days: tuple[tuple[dt.date, str], ...]  # weekends worked (调休上班) that were counted
    weekend_days: int  # Saturdays and Sundays skipped by a working-day count
    rolled_from: dt.date | None  # a last day on a day off, moved to the next working day


def explain_deadline(start, amount: int, unit: DeadlineUnit | str, *, county: CountyArg = None,
                     roll_forward: bool = False) -> DeadlineExplanation:
    """:func:`compute_deadline` and how it was counted: the rule, holidays skipped, make-up days, weekends."""
    start, unit = _as_date(start), DeadlineUnit(unit)
    deadline = compute_deadline(start, amount, unit, county=county, roll_forward=roll_forward)
    rolled_from = None
    if unit != DeadlineUnit.WORKING_DAYS and roll_forward:
        plain = compute_deadline(start, amount, unit, county=county).date
        rolled_from = plain if plain != deadline.date else None
    # The days that mattered: every day counted by a working-day rule; the rolled-over days otherwise.
    low = start + dt.timedelta(days=1) if unit == DeadlineUnit.WORKING_DAYS else (rolled_from or deadline.date)
    high = deadline.date
    rows: dict[dt.date, tuple[bool, str]] = {}
    county_id = _county_id(county)
    for day, working, name, row_county in (CalendarDay.objects.filter(scope_filter(county_id), date__range=(low, high))
                                           .order_by("date").values_list("date", "is_working_day", "name", "county_id")):
        if row_county or day not in rows:  # a county's own row wins over the national one
            rows[day] = (working, name)
    days_off = tuple((day, name) for day, (working, name) in sorted(rows.items()) if not working and day.weekday() < 5)
    make_up = tuple((day, name) for day, (working, name) in sorted(rows.items()) if working and day.weekday() >= 5)
    weekend_days = 0
    if unit == DeadlineUnit.WORKING_DAYS and high >= low:
        total_weekend = sum(1 for n in range((high - low).days + 1) if (low + dt.timedelta(days=n)).weekday() >= 5)
        weekend_days = total_weekend - len(make_up)
    return DeadlineExplanation(start=start, deadline=deadline, rule=describe_period(amount, unit), unit=unit,
                               days_off=days_off, make_up_days=make_up, weekend_days=weekend_days,
                               rolled_from=rolled_from)


def working_days_between(start, end, *, county: CountyArg = None) -> int:
    """The working days after ``start`` up to and including ``end``: start exclusive, end inclusive.

    The inverse of :func:`add_working_days`: ``working_days_between(s, add_working_days(s, n).date) == n``.
    Negative when ``end`` is before ``start``; 0 when they are equal.
    """
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start, county=county)
    if end == start:
        return 0
    calendar = _window(start + dt.timedelta(days=1), end, county=county)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


# --- the year-confirmed hook ---------------------------------------------------------------------

YearConfirmedListener = Callable[[int, County | None], None]
_year_confirmed_listeners: list[YearConfirmedListener] = []


def register_year_confirmed_listener(listener: YearConfirmedListener) -> YearConfirmedListener:
    """Call ``listener(year, county)`` after a year is confirmed (county None: nationally).

    Register in ``AppConfig.ready()``. Listeners run after the commit, each on its own
    (``on_commit(robust=True)``: one that fails is logged and does not stop the others); they should
    recompute their provisional deadlines in ``year`` for ``county``'s townships (all, when None), or
    enqueue a task that does. Usable as a decorator.
    """
    if listener not in _year_confirmed_listeners:
        _year_confirmed_listeners.append(listener)
    return listener


def unregister_year_confirmed_listener(listener: YearConfirmedListener) -> None:
    if listener in _year_confirmed_listeners:
        _year_confirmed_listeners.remove(listener)


def _announce_year_confirmed(year: int, county: County | None) -> None:
    for listener in list(_year_confirmed_listeners):
        transaction.on_commit(_deferred_call(listener, year, county), robust=True)


DayChangedListener = Callable[[dt.date, County | None], None]
_day_changed_listeners: list[DayChangedListener] = []


def register_day_changed_listener(listener: DayChangedListener) -> DayChangedListener:
    """Call ``listener(date, county)`` after staff made ``date`` a day off or a working day, or cleared it.

    ``county`` is None for a national change. Like the year-confirmed listeners they run after the
    commit, each on its own; they should recompute the stored deadlines whose counting window contains
    ``date`` in ``county``'s townships (all, when None). Usable as a decorator.
    """
    if listener not in _day_changed_listeners:
        _day_changed_listeners.append(listener)
    return listener


def unregister_day_changed_listener(listener: DayChangedListener) -> None:
    if listener in _day_changed_listeners:
        _day_changed_listeners.remove(listener)


def _announce_day_changed(date: dt.date, county: County | None) -> None:
    for listener in list(_day_changed_listeners):
        transaction.on_commit(_deferred_call(listener, date, county), robust=True)


def _deferred_call(listener: Callable, *args) -> Callable[[], None]:
    # A plain function, not functools.partial: Django names a failing robust callback by its
    # __qualname__ when it logs it, and a partial has none (the log call itself would raise).
    def call() -> None:
        listener(*args)

    call.__qualname__ = f"calendar_listener[{getattr(listener, '__qualname__', repr(listener))}]"
    return call


# --- staff edits --------------------------------------------------------------------------------


def _require_editor(by, county: County | None) -> None:
    from presidium.calendar.access import can_edit_calendar

    if not can_edit_calendar(by, county):
        if county is None:
            raise PermissionDenied(_("只有系统管理员可以修改全国统一的节假日安排。"))
        raise PermissionDenied(_("只有本县（区）人大常委会管理员可以修改本县的工作日历。"))


def _scope_label(county: County | None) -> str:
    return county.name if county else _("全国")


def _check_year(year, field: str = "year") -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({field: _("年份须在 %(first)s 年至 %(last)s 年之间。") % {
            "first": FIRST_YEAR, "last": LAST_YEAR}})
    return year


@transaction.atomic
def calendar_day_set(*, date: dt.date, is_working_day: bool, name: str, county: County | None,
                     by) -> CalendarDay:
    """Make ``date`` a day off (``is_working_day=False``) or a working day, nationally or for ``county``.

    Replaces an existing row for the same (date, county). National rows: superusers only; a
    county's rows: that county's administrators.
    """
    date = _as_date(date)
    _require_editor(by, county)
    _check_year(date.year, "date")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写名称，例如“国庆节”或“春节调休上班”。")})
    row = CalendarDay.objects.select_for_update().filter(date=date, county=county).first()
    if row is not None and row.is_working_day == bool(is_working_day) and row.name == name:
        return row
    if row is None:
        row = CalendarDay(date=date, county=county)
    row.is_working_day = bool(is_working_day)
    row.name = name
    row.source = CalendarSource.STAFF
    row.changed_by = by
    row.changed_at = timezone.now()
    row._history_user = by
    row.full_clean()
    row.save()
    _announce_day_changed(date, county)
    return row


@transaction.atomic
def calendar_day_clear(*, date: dt.date, county: County | None, by) -> CalendarDay:
    """Remove the row for (date, county): the date falls back to the national row, or its weekday.

    Returns the removed row (without a primary key); simple-history keeps who removed it.
    """
    date = _as_date(date)
    _require_editor(by, county)
    row = CalendarDay.objects.select_for_update().filter(date=date, county=county).first()
    if row is None:
        raise ValidationError(_("%(date)s 没有%(scope)s的调整，无需清除。") % {
            "date": f"{date:%Y-%m-%d}", "scope": _scope_label(county)})
    row._history_user = by
    row.delete()
    _announce_day_changed(date, county)
    return row


@transaction.atomic
def calendar_year_confirm(*, year: int, county: County | None, by, note: str = "") -> CalendarYear:
    """Confirm that ``year``'s holidays are entered (nationally, or for ``county`` only).

    From then on deadlines through ``year`` are no longer provisional; registered listeners are
    called with (year, county) after the commit to recompute the ones already stored.
    """
    _check_year(year)
    _require_editor(by, county)
    note = (note or "").strip()
    has_holidays = CalendarDay.objects.filter(
        scope_filter(county.pk if county else None), date__year=year, is_working_day=False
    ).exists()
    if not has_holidays:
        raise ValidationError(_("%(year)s 年还没有录入任何放假日期，请先按国务院办公厅公布的安排录入，再确认。")
                              % {"year": year})
    row = CalendarYear.objects.select_for_update().filter(year=year, county=county).first()
    if row is not None and row.confirmed:
        raise ValidationError(_("%(scope)s %(year)s 年的节假日安排已经确认过了。") % {
            "scope": _scope_label(county), "year": year})
    if row is None:
        row = CalendarYear(year=year, county=county)
    row.confirmed = True
    row.source = CalendarSource.STAFF
    row.note = note or row.note
    row.changed_by = by
    row.changed_at = timezone.now()
    row._history_user = by
    row.full_clean()
    row.save()
    _announce_year_confirmed(year, county)
    return row


@transaction.atomic
def calendar_year_reopen(*, year: int, county: County | None, by, note: str) -> CalendarYear:
    """Withdraw a confirmation (the arrangement was changed or confirmed too early); a reason is required.

    For a county this may add a county row that is unconfirmed while the nation's is confirmed: the
    county's local arrangement for the year is not final, so its deadlines become provisional.
    """
    _check_year(year)
    _require_editor(by, county)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请说明撤销确认的原因。")})
    county_id = county.pk if county else None
    if not year_is_confirmed(year, county=county_id):
        raise ValidationError(_("%(scope)s %(year)s 年的节假日安排尚未确认，无需撤销。") % {
            "scope": _scope_label(county), "year": year})
    row = CalendarYear.objects.select_for_update().filter(year=year, county=county).first()
    if row is None:
        row = CalendarYear(year=year, county=county)
    row.confirmed = False
    row.source = CalendarSource.STAFF
    row.note = note
    row.changed_by = by
    row.changed_at = timezone.now()
    row._history_user = by
    row.full_clean()
    row.save()
    return row
