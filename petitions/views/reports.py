"""信访统计: the figures of a period with charts, per township for the county, and the staff home page's block."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from petitions.access import FIGURES
from petitions.figures import (
    HOME_SNAPSHOT,
    by_category,
    by_channel,
    figures,
    figures_by_township,
    in_period,
    monthly,
    overview_from_json,
    total_of,
    township_rows_from_json,
    year_overview,
)
from petitions.forms import PeriodForm
from petitions.selectors import petitions_visible_to
from presidium.access import has_perm, townships_for_block, townships_where
from presidium.snapshots import (
    figures_snapshot,
    scope_snapshot,
    snapshot_county,
    snapshot_html,
    snapshot_scope,
)

PORTAL_RED = "#a61b1b"
GOLD = "#d9a13b"


def figure_townships(user):
    return townships_where(user, FIGURES).order_by("county__name", "name")


def charts_for(queryset, year: int, channels, categories, *, months=None) -> dict:
    """ECharts options (data for ``json_script``): 件 and 人次 per month, per channel, per category. ``months`` is
    ``monthly(queryset, year)`` when the caller has it already."""
    cases, people = months if months is not None else monthly(queryset, year)
    months = [_("%(m)s月") % {"m": m} for m in range(1, 13)]
    case_label, people_label = _("件数"), _("人次")
    top = categories[:10]
    return {
        "monthly": {
            "color": [PORTAL_RED, GOLD], "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
            "grid": {"left": 36, "right": 12, "bottom": 28, "top": 30},
            "xAxis": {"type": "category", "data": months}, "yAxis": {"type": "value", "minInterval": 1},
            "series": [{"type": "bar", "name": case_label, "data": cases},
                       {"type": "line", "name": people_label, "data": people}],
        },
        "channels": {
            "color": [PORTAL_RED, GOLD], "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
            "grid": {"left": 8, "right": 16, "bottom": 24, "top": 30, "containLabel": True},
            "xAxis": {"type": "value", "minInterval": 1},
            "yAxis": {"type": "category", "data": [row.label for row in channels][::-1]},
            "series": [{"type": "bar", "name": case_label, "data": [row.cases for row in channels][::-1]},
                       {"type": "bar", "name": people_label, "data": [row.person_visits for row in channels][::-1]}],
        },
        "categories": {
            "tooltip": {"trigger": "item"},
            "series": [{"type": "pie", "radius": ["30%", "55%"], "label": {"formatter": "{b}\n{c}"},
                        "data": [{"name": row.label, "value": row.cases} for row in top if row.cases]}],
        },
    }


def _chosen_township(request, townships):
    chosen = request.GET.get("township", "")
    township = next((t for t in townships if str(t.pk) == chosen), None)
    if township is None and len(townships) == 1:
        township = townships[0]
    return township


@login_required
def figures_view(request):
    """信访统计 for a period (a year by default): a township's, or the county's with a row per township."""
    if not has_perm(request.user, FIGURES):
        raise PermissionDenied
    townships = list(figure_townships(request.user))
    township = _chosen_township(request, townships)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"start": dt.date(today.year, 1, 1), "end": today})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end = dt.date(today.year, 1, 1), today
    county = snapshot_county(request.user, FIGURES) if township is None and not form.is_bound else None
    if county is not None and len(townships) > 1:
        return _county_figures_from_snapshot(request, form, townships, county, start, end)
    base = petitions_visible_to(request.user).filter(township__in=[t.pk for t in townships])
    if township is not None:
        base = base.filter(township=township)
    items = in_period(base, start, end)
    channels, categories = by_channel(items), by_category(items)
    # The county's view: the townships' rows, and their sum as the total (the cases and clocks read once, not twice).
    township_rows = figures_by_township(items, today=today) if township is None and len(townships) > 1 else []
    return render(request, "petitions/figures.html", {
        "page_title": _("信访统计"), "form": form, "townships": townships, "township": township,
        "start": start, "end": end, "figures": total_of(township_rows) if township_rows else figures(items, today=today),
        "channels": channels, "categories": categories,
        "township_rows": township_rows, "counted_at": None,
        "charts": charts_for(base, end.year, channels, categories), "chart_year": end.year,
    }, status=400 if form.is_bound and not form.is_valid() else 200)


def _county_figures_from_snapshot(request, form, townships, county: int, start, end):
    """The county's figures page as it opens (this year to date, every township): from the county's figures
    snapshot, which holds exactly these figures (presidium.snapshots), with the time they were counted."""
    snapshot = figures_snapshot(HOME_SNAPSHOT, county, end.year)
    overview = overview_from_json(snapshot.data)
    return render(request, "petitions/figures.html", {
        "page_title": _("信访统计"), "form": form, "townships": townships, "township": None,
        "start": start, "end": end, "figures": overview.figures,
        "channels": overview.channels, "categories": overview.categories,
        "township_rows": township_rows_from_json(snapshot.data, townships), "counted_at": snapshot.computed_at,
        "charts": charts_for(None, end.year, overview.channels, overview.categories, months=overview.monthly),
        "chart_year": end.year,
    })


def home_block(request) -> str | None:
    """The staff home page's block: this year's petitions figures and charts for the user's township(s); a
    county's or one township's from its figures snapshot (presidium.snapshots), with the time it was counted."""
    user = request.user
    if not has_perm(user, FIGURES):
        return None
    found = townships_for_block(user, FIGURES)
    if found is None:
        return None
    today = timezone.localdate()
    scope = snapshot_scope(user, FIGURES)
    if scope is not None:
        snapshot = scope_snapshot(HOME_SNAPSHOT, scope, today.year)
        return snapshot_html(snapshot, "petitions-home", lambda: _home_block_html(
            request, today.year, overview_from_json(snapshot.data), counted_at=snapshot.computed_at))
    overview = year_overview(petitions_visible_to(user).filter(township__in=found[0]), today=today)
    return _home_block_html(request, today.year, overview, counted_at=None)


def _home_block_html(request, year, overview, *, counted_at) -> str:
    return render_to_string("petitions/home_block.html", {
        "year": year, "figures": overview.figures, "counted_at": counted_at,
        "charts": charts_for(None, year, overview.channels, overview.categories, months=overview.monthly),
    }, request=request)
