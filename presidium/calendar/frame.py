"""The calendar's part of every page's frame: warnings while a year's holidays are not confirmed.

Those who can act on it — county administrators (and superusers), who enter and confirm the holidays —
see the warning on every page. Presidium staff and chairs cannot change the calendar: they are told once
per session, on their home page, and are not nagged on every screen.

"Told" is remembered in a signed cookie bound to the user and the session (a new login starts afresh), which
the home page sets on its response (:func:`remember_warnings_seen`): writing it into the session cost that
first home page the session's save (three queries).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from presidium.access import action_roles, scope_of
from presidium.calendar.access import EDIT_COUNTY_CALENDAR
from presidium.calendar.selectors import calendar_warnings_for

SEEN_COOKIE = "calendar_seen"


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


def remember_warnings_seen(request, response) -> None:
    """Sets the cookie of the warnings shown on this request to someone told once per session (no query)."""
    seen = getattr(request, "_calendar_seen", None)
    if seen is not None:
        response.set_signed_cookie(SEEN_COOKIE, ",".join(sorted(seen)), salt=_salt(request), max_age=None,
                                   secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")


def _warnings_for(request) -> list[str]:
    if may_change_calendar(request.user):
        return calendar_warnings_for(request.user, today=_today())
    if request.path != reverse("home"):
        return []
    warnings = calendar_warnings_for(request.user, today=_today())
    if getattr(request, "session", None) is None or request.session.session_key is None:
        return warnings
    seen = set(request.get_signed_cookie(SEEN_COOKIE, default="", salt=_salt(request)).split(","))
    unseen = [text for text in warnings if _digest(text) not in seen]
    if unseen:
        request._calendar_seen = seen - {""} | {_digest(text) for text in unseen}
    return unseen


def _salt(request) -> str:
    return f"presidium.calendar.seen:{request.user.pk}:{request.session.session_key}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _today():
    return timezone.localdate()
