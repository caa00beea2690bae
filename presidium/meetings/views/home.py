"""The staff home block: which of the meeting rules are behind (会议活动提醒)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from presidium.access import townships_where
from presidium.meetings.access import MANAGE
from presidium.meetings.rules import rule_gaps


def gaps_block(request) -> str | None:
    today = timezone.localdate()
    townships = list(townships_where(request.user, MANAGE).order_by("name")[:5])
    if not townships:
        return None
    rows = [{"township": t, "gaps": rule_gaps(t, today=today)} for t in townships]
    return render_to_string("meetings/home_gaps.html", {
        "rows": rows, "show_township": len(rows) > 1, "today": today,
        "all_clear": not any(r["gaps"] for r in rows)}, request=request)
