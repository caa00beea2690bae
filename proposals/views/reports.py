"""Figures, charts, the PDFs (交办函, handling report) and the public 五公开 page."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from presidium.access import has_perm, scope_of, townships_for_block, townships_where
from presidium.db import reporting
from presidium.documents.excel import (
    Column,
    xlsx_response,
)
from presidium.documents.pdf import pdf_response
from presidium.documents.word import docx_response
from presidium.models import Township
from presidium.snapshots import (
    figures_snapshot,
    scope_snapshot,
    snapshot_county,
    snapshot_html,
    snapshot_scope,
)
from proposals.access import COUNTY_REPORT, FIGURES, OPINION_SEND
from proposals.choices import ResultClass, Satisfaction, SuggestionStatus
from proposals.documents import handling_report_docx, handling_report_pdf
from proposals.forms import ReportForm
from proposals.selectors import (
    HOME_SNAPSHOT,
    HOME_UNITS,
    in_period,
    monthly_intake,
    overview_from_json,
    public_items,
    rates,
    rates_by_township,
    settings_for,
    suggestions_visible_to,
    unit_rows,
    year_overview,
)
from proposals.selectors import county_report as build_county_report
from proposals.selectors.figures_page import FIGURES_SNAPSHOT, figures_from_json

PORTAL_RED = "#a61b1b"


def _year(request) -> int:
    value = request.GET.get("year", "")
    today = timezone.localdate()
    return int(value) if value.isdigit() and 2000 <= int(value) <= today.year + 1 else today.year


def _figure_townships(user):
    return townships_where(user, FIGURES).order_by("county__name", "name")


def unit_label(unit, township) -> str:
    """A unit's name; across townships (``township`` None) with its township, since every township has a 财政所."""
    return unit.name if township is not None else f"{unit.township.name} {unit.name}"


def charts_for(queryset, year: int, units, township=None, *, figures=None, intake=None) -> dict:
    """ECharts options (as data for ``json_script``): monthly intake, status mix, unit rates. ``figures`` are
    ``rates(queryset)`` and ``intake`` ``monthly_intake(queryset, year)`` when the caller has them already."""
    months = [_("%(m)s月") % {"m": m} for m in range(1, 13)]
    intake = intake if intake is not None else monthly_intake(queryset, year)
    figures = figures if figures is not None else rates(queryset)
    status_data = [{"name": str(SuggestionStatus(k).label), "value": v} for k, v in figures.by_status.items() if v]
    top = units[:HOME_UNITS]
    return {
        "intake": {
            "color": [PORTAL_RED], "tooltip": {"trigger": "axis"}, "grid": {"left": 36, "right": 12, "bottom": 28},
            "xAxis": {"type": "category", "data": months}, "yAxis": {"type": "value", "minInterval": 1},
            "series": [{"type": "bar", "name": _("提交件数"), "data": intake}],
        },
        "status": {
            "tooltip": {"trigger": "item"},
            "series": [{"type": "pie", "radius": ["30%", "55%"], "data": status_data,
                        "label": {"formatter": "{b}\n{c}"}}],
        },
        "units": {
            "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
            "grid": {"left": 8, "right": 16, "bottom": 24, "top": 30, "containLabel": True},
            "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
            "yAxis": {"type": "category", "data": [unit_label(u, township) for u, _r in top][::-1]},
            "series": [
                {"type": "bar", "name": _("办复率"), "data": [r.reply_rate or 0 for _u, r in top][::-1],
                 "itemStyle": {"color": PORTAL_RED}},
                {"type": "bar", "name": _("满意率"), "data": [r.satisfaction_rate or 0 for _u, r in top][::-1],
                 "itemStyle": {"color": "#d9a13b"}},
            ],
        },
    }


UNIT_PAGE_SIZE = 50  # a county has ~750 lead units: the page shows 50 at a time, the Excel all of them


def _rate_or_last(value) -> float:
    """A rate for an ascending sort: a unit without the rate (nothing assigned or rated) goes after the others."""
    return 101.0 if value is None else value


# The orders of the per-unit table, the worst first: what the county looks for is who lags (key, label, sort key).
UNIT_SORTS = {
    "worst": (_l("办复率、满意率低的在前"), lambda row: (not row.flagged, _rate_or_last(row.rates.reply_rate),
                                                     _rate_or_last(row.rates.satisfaction_rate), -row.rates.assigned)),
    "satisfaction": (_l("满意率低的在前"), lambda row: (_rate_or_last(row.rates.satisfaction_rate),
                                                   _rate_or_last(row.rates.reply_rate), -row.rates.assigned)),
    "overdue": (_l("逾期多的在前"), lambda row: (-row.rates.overdue, _rate_or_last(row.rates.reply_rate))),
    "unsatisfied": (_l("不满意多的在前"), lambda row: (-row.unsatisfied, _rate_or_last(row.rates.satisfaction_rate))),
    "assigned": (_l("交办多的在前"), lambda row: (-row.rates.assigned, -row.rates.total)),
}


def sorted_unit_rows(rows, order: str) -> list:
    """The per-unit rows in ``order`` (a key of ``UNIT_SORTS``; unknown: the worst first), ties by name."""
    key = UNIT_SORTS.get(order, UNIT_SORTS["worst"])[1]
    return sorted(rows, key=lambda row: (*key(row), row.unit.township.name if row.unit.township_id else "",
                                         row.unit.name, row.unit.pk))


def _pct(attr: str, rates_of):
    """A column value: the rate ``attr`` of ``rates_of(row)`` as "87.5%", empty when there is none."""
    def value(row):
        rate = getattr(rates_of(row), attr)
        return "" if rate is None else f"{rate:g}%"
    return value


def _unit_columns(township) -> list[Column]:
    def pct(attr):
        return _pct(attr, lambda row: row.rates)

    return [
        Column("乡镇", lambda row: row.unit.township.name, 10), Column("主办单位", "unit.name", 24),
        Column("交办", "rates.assigned", 8), Column("办复率", pct("reply_rate"), 10),
        Column("见面率", pct("consultation_rate"), 10), Column("满意率", pct("satisfaction_rate"), 10),
        Column("解决率", pct("solved_rate"), 10), Column("按期率", pct("on_time_rate"), 10),
        Column("逾期", "rates.overdue", 8), Column("不满意（无正当理由）", "unsatisfied", 12),
        Column("取消评先", lambda row: "是" if row.flagged else "", 10),
    ][0 if township is None else 1:]


@login_required
def figures(request):
    """办理统计: a township's (or the county's) figures for a year, per unit, with the 评先 flag and charts.

    The per-unit table shows ``UNIT_PAGE_SIZE`` units a page in the order chosen (the worst first); ``?export=xlsx``
    downloads every unit's row in that order. The county's page as it opens (no township, no year) is read from
    the county's figures snapshot (proposals.selectors.figures_page) and says when it was counted."""
    if not has_perm(request.user, FIGURES):
        raise PermissionDenied
    townships = list(_figure_townships(request.user))
    chosen = request.GET.get("township", "")
    township = next((t for t in townships if str(t.pk) == chosen), None)
    if township is None and len(townships) == 1:
        township = townships[0]
    year = _year(request)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    order = request.GET.get("sort", "")
    order = order if order in UNIT_SORTS else "worst"
    export = request.GET.get("export") == "xlsx"
    can_send_opinion = has_perm(request.user, OPINION_SEND)
    page = {"request": request, "townships": townships, "township": township, "year": year, "order": order,
            "can_send_opinion": can_send_opinion}
    # As the county's page opens (this year, every township): from the county's snapshot, which holds it all.
    county = (snapshot_county(request.user, FIGURES) if not export and len(townships) > 1 and not chosen
              and "year" not in request.GET else None)
    if county is not None:
        # The body is the same for every reader of this snapshot who asks the same query with the same rights: it
        # is rendered once per snapshot (snapshot_html), and the snapshot's JSON (190 KB at county scale) is read
        # only then.
        snapshot = figures_snapshot(FIGURES_SNAPSHOT, county, year, data=False)
        asked = hashlib.sha256(f"{request.GET.urlencode()}|{[t.pk for t in townships]}".encode()).hexdigest()[:32]

        def from_snapshot() -> str:
            found = figures_from_json(snapshot.data, townships)
            return _figures_body(**page, rows=found.unit_rows, figures=found.figures,
                                 township_rows=found.township_rows, intake=found.intake,
                                 counted_at=snapshot.computed_at)

        body = snapshot_html(snapshot, f"proposals-figures:{int(can_send_opinion)}:{asked}", from_snapshot)
    else:
        base = suggestions_visible_to(request.user).filter(township__in=[t.pk for t in townships])
        if township is not None:
            base = base.filter(township=township)
        items = in_period(base, start, end)
        rows = unit_rows(items, township_ids=[township.pk] if township else [t.pk for t in townships], year=year)
        if export:
            name = township.name if township else "全县"
            return xlsx_response(sorted_unit_rows(rows, order), _unit_columns(township),
                                 f"{name}{year}年承办单位办理情况", title=f"{name}{year}年议案建议承办单位办理情况",
                                 sheet_name="承办单位")
        figures = rates(items)
        body = _figures_body(**page, rows=rows, figures=figures,
                             township_rows=rates_by_township(items) if township is None else [],
                             intake=monthly_intake(items, year), counted_at=None)
    return render(request, "proposals/figures.html", {
        "township": township, "year": year, "can_county_report": has_perm(request.user, COUNTY_REPORT),
        "body": mark_safe(body),  # noqa: S308 -- rendered by the template engine, escaped there
    })


def _figures_body(*, request, townships, township, year, order, can_send_opinion, rows, figures, township_rows,
                  intake, counted_at) -> str:
    """The figures page's body (``proposals/_figures_body.html``): the filter, the rates, the charts, the township
    and unit tables, the report form."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    units = [(row.unit, row.rates) for row in rows if row.rates.total]
    unit_page = Paginator(sorted_unit_rows(rows, order), UNIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render_to_string("proposals/_figures_body.html", {
        "request": request, "townships": townships, "township": township, "year": year,
        "years": range(timezone.localdate().year, 2019, -1),
        "figures": figures, "kinds": figures.by_kind, "counted_at": counted_at,
        "unit_rows": unit_page.object_list, "unit_page": unit_page, "unit_count": len(rows),
        "unit_sorts": [(key, label) for key, (label, _key) in UNIT_SORTS.items()], "unit_sort": order,
        "township_rows": township_rows,
        "flagged_count": sum(row.flagged for row in rows),
        "can_send_opinion": can_send_opinion,
        "charts": charts_for(None, year, units, township, figures=figures, intake=intake),
        "report_form": ReportForm(initial={"start": start, "end": min(end, timezone.localdate())}),
    })


def home_block(request) -> str | None:
    """The staff home page's chart block: this year's figures and charts for the user's township(s); a county's or
    one township's from its figures snapshot (presidium.snapshots), with the time it was counted."""
    user = request.user
    if not has_perm(user, FIGURES):
        return None
    found = townships_for_block(user, FIGURES)
    if found is None:
        return None
    townships, single = found
    year = timezone.localdate().year
    scope = snapshot_scope(user, FIGURES)
    if scope is not None:
        snapshot = scope_snapshot(HOME_SNAPSHOT, scope, year)
        return snapshot_html(snapshot, f"proposals-home:{single}", lambda: _home_block_html(
            request, year, overview_from_json(snapshot.data), single, counted_at=snapshot.computed_at))
    items = in_period(suggestions_visible_to(user).filter(township__in=townships),
                      dt.date(year, 1, 1), dt.date(year, 12, 31))
    return _home_block_html(request, year, year_overview(items, year), single, counted_at=None)


def _home_block_html(request, year, overview, single, *, counted_at) -> str:
    return render_to_string("proposals/home_block.html", {
        "year": year, "figures": overview.figures, "counted_at": counted_at,
        "charts": charts_for(None, year, overview.units, Township(pk=single) if single else None,
                             figures=overview.figures, intake=overview.intake),
    }, request=request)


@login_required
@reporting()
def handling_report(request):
    """The township's handling report for a period, as PDF (or, with ``format=docx``, as an editable Word file)."""
    townships = list(_figure_townships(request.user))
    if not townships:
        raise PermissionDenied
    chosen = request.GET.get("township", "")
    township = next((t for t in townships if str(t.pk) == chosen), townships[0] if len(townships) == 1 else None)
    form = ReportForm(request.GET or None)
    if township is None or not form.is_valid():
        return render(request, "proposals/report_form.html", {
            "form": form, "townships": townships, "township": township,
            "error": _("请选择乡镇和起止日期。") if request.GET else "",
        }, status=400 if request.GET else 200)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    filename = f"{township.name}议案建议办理情况报告-{start:%Y%m%d}-{end:%Y%m%d}"
    if request.GET.get("format") == "docx":
        return docx_response(handling_report_docx(township, start, end), filename)
    return pdf_response(handling_report_pdf(township, start, end), filename)


def public_list(request, township_id: int):
    """五公开: item, handling unit, deadline, result, satisfaction — no login, no personal data."""
    township = get_object_or_404(Township.objects.select_related("county"), pk=township_id)
    settings = settings_for(township)
    page = Paginator(public_items(township.pk), 50).get_page(request.GET.get("page"))
    return render(request, "proposals/public_list.html", {
        "township": township, "page_obj": page, "items": page.object_list,
        "show_names": settings.public_show_deputy_names, "today": timezone.localdate(),
        "result_labels": dict(ResultClass.choices), "satisfaction_labels": dict(Satisfaction.choices),
        "anonymous_shell": not scope_of(request.user).user_id,
    })


def _county_report_columns() -> list[Column]:
    def pct(attr):
        return _pct(attr, lambda row: row[1])

    return [
        Column("乡镇", lambda row: row[0] if isinstance(row[0], str) else row[0].name, 12),
        Column("收到件数", lambda row: row[1].total, 10), Column("已交办", lambda row: row[1].assigned, 10),
        Column("已答复", lambda row: row[1].replied, 10), Column("办复率", pct("reply_rate"), 10),
        Column("见面率", pct("consultation_rate"), 10), Column("满意率", pct("satisfaction_rate"), 10),
        Column("解决率", pct("solved_rate"), 10), Column("按期答复率", pct("on_time_rate"), 12),
        Column("当前逾期", lambda row: row[1].overdue, 10), Column("已办结", lambda row: row[1].closed, 10),
        Column("取消评先的单位", lambda row: row[2], 14), Column("督办意见", lambda row: row[3], 10),
    ]


@login_required
@reporting()
def county_report(request):
    """全县议案建议办理情况: one row per township and the county's total, for the county's roles (HTML or Excel)."""
    if not has_perm(request.user, COUNTY_REPORT):
        raise PermissionDenied
    townships = townships_where(request.user, COUNTY_REPORT).order_by("county__name", "name")
    today = timezone.localdate()
    form = ReportForm(request.GET or None, initial={"start": dt.date(today.year, 1, 1), "end": today})
    if request.GET and not form.is_valid():
        return render(request, "proposals/county_report.html", {"form": form, "report": None}, status=400)
    start, end = (form.cleaned_data["start"], form.cleaned_data["end"]) if request.GET else (
        dt.date(today.year, 1, 1), today)
    report = build_county_report(townships, start=start, end=end)
    if request.GET.get("format") == "xlsx":
        rows = [*report.rows, ("合计", report.total, report.flagged_total, report.opinions_total)]
        title = f"全县议案建议办理情况（{start:%Y年%m月%d日}至{end:%Y年%m月%d日}）"
        return xlsx_response(rows, _county_report_columns(), f"全县议案建议办理情况-{start:%Y%m%d}-{end:%Y%m%d}",
                             title=title, sheet_name="分乡镇")
    return render(request, "proposals/county_report.html", {"form": form, "report": report,
                                                             "query": request.GET.urlencode()})
