"""Working-day calendar screens: month grid, a year's exceptions, edits, confirmation, calculator.

Every screen works in a *scope*: the national calendar (superusers) or one county's calendar (the
national rows with the county's own overrides), chosen with ``?county=<id>`` among the counties
the user may view; another county is a 404. Changing a scope is for its editors only (403).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from presidium.access import VIEW_HISTORY, has_perm
from presidium.calendar import selectors, services
from presidium.calendar.access import calendar_counties_for, can_edit_calendar, may_view_calendar
from presidium.calendar.choices import DeadlineUnit
from presidium.calendar.forms import (
    DAY_OFF,
    DAY_WORKING,
    CalendarDayClearForm,
    CalendarDayForm,
    DeadlineForm,
    YearConfirmForm,
    YearReopenForm,
)
from presidium.calendar.models import FIRST_YEAR, LAST_YEAR, CalendarDay, scope_filter
from presidium.models import County
from presidium.views.forms import ServiceFormView


@dataclass(frozen=True)
class CalendarScope:
    """Which calendar a screen shows and whether the user may change it."""

    county: County | None
    counties: tuple[County, ...]
    can_edit: bool
    can_view_history: bool

    @property
    def query(self) -> str:
        return f"?county={self.county.pk}" if self.county else ""

    @property
    def label(self) -> str:
        return self.county.name if self.county else _("全国")

    @property
    def is_national(self) -> bool:
        return self.county is None


def resolve_scope(request) -> CalendarScope:
    user = request.user
    if not may_view_calendar(user):
        raise PermissionDenied
    counties = tuple(calendar_counties_for(user))
    raw = request.GET.get("county", "").strip()
    if raw:
        county = next((c for c in counties if str(c.pk) == raw), None)
        if county is None:
            raise Http404
    elif user.is_superuser:
        county = None
    elif counties:  # the county the user edits, if any; otherwise the first they may view
        county = next((c for c in counties if can_edit_calendar(user, c)), counties[0])
    else:
        raise PermissionDenied
    return CalendarScope(county, counties, can_edit_calendar(user, county),
                         user.is_superuser or has_perm(user, VIEW_HISTORY))


def _check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def _month_url(scope: CalendarScope, day: dt.date) -> str:
    return reverse("workcalendar:month_detail", args=[day.year, day.month]) + scope.query


def _year_url(scope: CalendarScope, year: int) -> str:
    return reverse("workcalendar:year", args=[year]) + scope.query


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int] | None:
    index = year * 12 + month - 1 + delta
    shifted = divmod(index, 12)
    return (shifted[0], shifted[1] + 1) if FIRST_YEAR <= shifted[0] <= LAST_YEAR else None


@login_required
def month_view(request, year: int | None = None, month: int | None = None):
    scope = resolve_scope(request)
    today = timezone.localdate()
    if year is None:
        try:  # the "转到" form: ?year=&month=
            year, month = int(request.GET.get("year", today.year)), int(request.GET.get("month", today.month))
        except ValueError:
            year, month = today.year, today.month
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404
    grid = selectors.month_grid(year, month, county=scope.county, today=today)
    notable = [cell for week in grid for cell in week if cell.in_month and cell.kind]
    return render(request, "workcalendar/calendar_month.html", {
        "scope": scope,
        "year": year,
        "month": month,
        "grid": grid,
        "weekday_labels": selectors.WEEKDAY_LABELS,
        "notable": notable,
        "status": selectors.year_status(year, county=scope.county),
        "previous": _shift_month(year, month, -1),
        "next": _shift_month(year, month, 1),
        "today": today,
        "year_choices": range(max(FIRST_YEAR, today.year - 5), min(LAST_YEAR, today.year + 2) + 1),
        "month_choices": range(1, 13),
    })


@login_required
def year_view(request, year: int):
    scope = resolve_scope(request)
    _check_year(year)
    status = selectors.year_status(year, county=scope.county)
    return render(request, "workcalendar/calendar_year.html", {
        "scope": scope,
        "year": year,
        "rows": selectors.year_exceptions(year, county=scope.county),
        "status": status,
        "confirm_form": YearConfirmForm(),
        "previous": year - 1 if year > FIRST_YEAR else None,
        "next": year + 1 if year < LAST_YEAR else None,
        "today": timezone.localdate(),
    })


@login_required
def history_view(request, year: int):
    scope = resolve_scope(request)
    _check_year(year)
    if not scope.can_view_history:
        raise PermissionDenied
    return render(request, "workcalendar/calendar_history.html", {
        "scope": scope,
        "year": year,
        "records": selectors.calendar_history(year, county=scope.county),
        "today": timezone.localdate(),
    })


class CalendarDayEditView(ServiceFormView):
    """Set a date's arrangement in the current scope (``?date=`` preselects it)."""

    form_class = CalendarDayForm
    template_name = "workcalendar/calendarday_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.scope = resolve_scope(request)
        if not self.scope.can_edit:
            raise PermissionDenied
        self.day = self._requested_date()
        return super().dispatch(request, *args, **kwargs)

    def _requested_date(self) -> dt.date | None:
        raw = self.request.POST.get("date") or self.request.GET.get("date")
        try:
            day = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            return None
        return day if day and FIRST_YEAR <= day.year <= LAST_YEAR else None

    def _rows(self) -> dict:
        """The national and the county's row for the date (to show what holds now)."""
        if not hasattr(self, "_current_rows"):
            self._current_rows = {}
            if self.day is not None:
                rows = CalendarDay.objects.filter(scope_filter(self.scope.county.pk if self.scope.county else None),
                                                  date=self.day).select_related("changed_by")
                self._current_rows = {("local" if row.county_id else "national"): row for row in rows}
        return self._current_rows

    def get_initial(self):
        initial = {"date": self.day}
        current = self._rows()
        row = current.get("local") if self.scope.county else current.get("national")
        if row is not None:
            initial.update(kind=DAY_WORKING if row.is_working_day else DAY_OFF, name=row.name)
        return initial

    def get_context_data(self, **kwargs):
        rows = self._rows()
        back = _month_url(self.scope, self.day) if self.day else reverse("workcalendar:month") + self.scope.query
        return super().get_context_data(
            page_title=_("%(scope)s · 设置放假/上班日期") % {"scope": self.scope.label},
            scope=self.scope, day=self.day, national=rows.get("national"), local=rows.get("local"),
            cancel_url=back, submit_label=_("保存"), **kwargs,
        )

    def perform(self, form):
        row = services.calendar_day_set(
            date=form.cleaned_data["date"], is_working_day=form.is_working_day, name=form.cleaned_data["name"],
            county=self.scope.county, by=self.request.user,
        )
        messages.success(self.request, _("%(date)s 已设为%(kind)s（%(name)s）。") % {
            "date": f"{row.date:%Y-%m-%d}", "kind": _("上班") if row.is_working_day else _("放假"), "name": row.name})
        return _month_url(self.scope, row.date)


@login_required
@require_POST
def day_clear_view(request):
    scope = resolve_scope(request)
    if not scope.can_edit:
        raise PermissionDenied
    form = CalendarDayClearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请输入有效的日期。"))
        return redirect(reverse("workcalendar:month") + scope.query)
    day = form.cleaned_data["date"]
    try:
        services.calendar_day_clear(date=day, county=scope.county, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已清除 %(date)s 的%(scope)s调整。") % {
            "date": f"{day:%Y-%m-%d}", "scope": scope.label})
    return redirect(_month_url(scope, day))


@login_required
@require_POST
def year_confirm_view(request, year: int):
    scope = resolve_scope(request)
    _check_year(year)
    if not scope.can_edit:
        raise PermissionDenied
    form = YearConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(_year_url(scope, year))
    try:
        services.calendar_year_confirm(year=year, county=scope.county, by=request.user,
                                       note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(scope)s %(year)s 年的节假日安排已确认，涉及该年的期限不再是暂定。")
                         % {"scope": scope.label, "year": year})
    return redirect(_year_url(scope, year))


class YearReopenView(ServiceFormView):
    form_class = YearReopenForm
    submit_label = gettext_lazy("撤销确认")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.scope = resolve_scope(request)
        self.year = _check_year(kwargs["year"])
        if not self.scope.can_edit:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title=_("%(scope)s · 撤销 %(year)s 年的确认") % {"scope": self.scope.label, "year": self.year},
            form_intro=_("撤销后，涉及该年的期限重新按暂定计算，直到再次确认。"),
            cancel_url=_year_url(self.scope, self.year), **kwargs,
        )

    def perform(self, form):
        services.calendar_year_reopen(year=self.year, county=self.scope.county, by=self.request.user,
                                      note=form.cleaned_data["note"])
        messages.success(self.request, _("已撤销 %(year)s 年的确认。") % {"year": self.year})
        return _year_url(self.scope, self.year)


@login_required
def deadline_view(request):
    """The calculator: GET only, nothing is stored."""
    scope = resolve_scope(request)
    bound = any(name in request.GET for name in ("start", "amount", "unit"))
    form = DeadlineForm(request.GET if bound else None,
                        initial={"start": timezone.localdate(), "unit": DeadlineUnit.WORKING_DAYS})
    result = None
    if bound and form.is_valid():
        data = form.cleaned_data
        result = services.compute_deadline(data["start"], data["amount"], data["unit"], county=scope.county,
                                           roll_forward=data["roll_forward"])
    return render(request, "workcalendar/deadline_calculator.html", {
        "scope": scope,
        "form": form,
        "result": result,
        "period": services.describe_period(form.cleaned_data["amount"], form.cleaned_data["unit"]) if result else "",
        "result_weekday": selectors.WEEKDAY_LABELS[result.date.weekday()] if result else "",
        "today": timezone.localdate(),
    })
