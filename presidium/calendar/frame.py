"""The calendar's part of every page's frame: warnings while a year's holidays are not confirmed."""

from __future__ import annotations

from django.utils import timezone

from presidium.calendar.selectors import calendar_warnings_for


def calendar_shell_context(request) -> dict:
    """Registered with presidium.shell; computed once per request (one query, none for other roles)."""
    warnings = getattr(request, "_calendar_warnings", None)
    if warnings is None:
        warnings = calendar_warnings_for(request.user, today=timezone.localdate())
        request._calendar_warnings = warnings
    return {"calendar_warnings": warnings}
