"""The staff home block: which of the meeting rules are behind (会议活动开展情况)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from presidium.access import STAFF_ROLES, scope_of
from presidium.meetings.rules import rule_gaps

MAX_TOWNSHIPS = 5


def _kept_reader(user, township_id: int):
    """``rule_gaps``'s queries with their SQL kept for the user's roles and the day (built and compiled once)."""
    from presidium.home_cards import kept_today

    def read(name, build):
        return kept_today(f"meetings_gaps_{name}_{township_id}", lambda _user: build(), user)

    return read


def gaps_block(request) -> str | None:
    """Per township the user arranges meetings for (the staff's own: no query to find it), its gaps."""
    from presidium.models import Township

    today = timezone.localdate()
    ids = sorted(scope_of(request.user).township_ids(STAFF_ROLES))[:MAX_TOWNSHIPS]
    if not ids:
        return None
    names = dict(Township.objects.filter(pk__in=ids).values_list("pk", "name")) if len(ids) > 1 else {}
    rows = [{"township": names.get(pk, ""), "gaps": rule_gaps(pk, today=today, read=_kept_reader(request.user, pk))}
            for pk in ids]
    return render_to_string("meetings/home_gaps.html", {
        "rows": rows, "show_township": len(rows) > 1, "today": today,
        "all_clear": not any(r["gaps"] for r in rows)}, request=request)
