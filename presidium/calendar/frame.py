"""The calendar's part of every page's frame: warnings while a year's holidays are not confirmed.

Those who can act on it — county administrators (and superusers), who enter and confirm the holidays —
see the warning on every page. Presidium staff and chairs cannot change the calendar: they are told once
per session, on their home page, and are not nagged on every screen.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from presidium.access import action_roles, scope_of
from presidium.calendar.access import EDIT_COUNTY_CALENDAR
from presidium.calendar.selectors import calendar_warnings_for

SEEN_KEY = "calendar_warnings_seen"


def may_change_calendar(user) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or bool(scope.roles & action_roles(EDIT_COUNTY_CALENDAR))


def calendar_shell_context(request) -> dict:
    """Registered with presidium.shell; computed once per request (one query, none where nothing is shown)."""
    warnings = getattr(request, "_calendar_warnings", None)
    if warnings is None:
        warnings = _warnings_for(request)
        request._calendar_warnings = warnings
    return {"calendar_warnings": warnings}


def _warnings_for(request) -> list[str]:
    if may_change_calendar(request.user):
        return calendar_warnings_for(request.user, today=_today())
    if request.path != reverse("home"):
        return []
    warnings = calendar_warnings_for(request.user, today=_today())
    session = getattr(request, "session", None)
    if session is None:
        return warnings
    seen = session.get(SEEN_KEY, [])
    unseen = [text for text in warnings if text not in seen]
    if unseen:
        session[SEEN_KEY] = [*seen, *unseen]
    return unseen


def _today():
    return timezone.localdate()
