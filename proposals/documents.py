"""Documents: the assignment letter (交办函) to a unit and the township's handling report for a period.

Each function takes objects and returns bytes. The report carries the figures and the table of items;
the full list goes to the Excel ledger (STACK-NOTES: big PDF tables are slow), so the table in the
PDF is capped and says so.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.documents.pdf import render_pdf
from proposals.models import Suggestion
from proposals.selectors import flagged_units, in_period, rates, rates_by_unit

REPORT_TABLE_LIMIT = 300


def assignment_letter_pdf(suggestion: Suggestion) -> bytes:
    """交办函: what the unit is asked to handle, by when, how it will be supervised, and the rules."""
    co_units = [link.unit.name for link in suggestion.co_unit_links.filter(released_at__isnull=True)
                .select_related("unit")]
    cosigners = [c.deputy.name for c in suggestion.cosignatures.select_related("deputy").filter(
        confirmed_at__isnull=False)]
    township = suggestion.township
    return render_pdf("proposals/pdf/assignment_letter.html", {
        "s": suggestion,
        "co_units": co_units,
        "cosigners": cosigners,
        "township": township,
        "assigned_on": timezone.localdate(suggestion.assigned_at) if suggestion.assigned_at else None,
    }, title=_("代表%(kind)s交办函") % {"kind": suggestion.get_kind_display()},
        header=_("%(t)s人大主席团") % {"t": township.name})


def handling_report_pdf(township, start: dt.date, end: dt.date) -> bytes:
    """The township's handling report for [start, end]: counts, rates, per-unit figures, the items."""
    items = in_period(Suggestion.objects.filter(township=township), start, end)
    figures = rates(items)
    units = rates_by_unit(items)
    flagged = flagged_units(township_ids=[township.pk], year=end.year)
    unit_rows = [(unit, r, flagged.get(unit.pk)) for unit, r in units]
    table = list(
        items.exclude(status__in=["draft", "withdrawn"]).select_related("lead_deputy", "lead_unit", "category")
        .order_by("-kind", F("serial_year").asc(nulls_last=True), F("serial_number").asc(nulls_last=True), "pk")
        [: REPORT_TABLE_LIMIT + 1]
    )
    truncated = len(table) > REPORT_TABLE_LIMIT
    return render_pdf("proposals/pdf/handling_report.html", {
        "township": township, "start": start, "end": end, "figures": figures, "unit_rows": unit_rows,
        "items": table[:REPORT_TABLE_LIMIT], "truncated": truncated, "limit": REPORT_TABLE_LIMIT,
        "today": timezone.localdate(),
    }, title=_("%(t)s代表议案建议办理情况报告") % {"t": township.name},
        header=_("%(t)s人大主席团") % {"t": township.name}, landscape=True)
