"""Helpers every proposals service shares: the permission check, the lifecycle move, the timeline."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.records import as_stored
from proposals import lifecycle
from proposals.access import relations
from proposals.choices import Action
from proposals.models import Suggestion, SuggestionLog


def lock(suggestion: Suggestion) -> Suggestion:
    """Re-read the item under a row lock (PostgreSQL) so two clicks cannot both move it."""
    locked = Suggestion.objects.select_for_update(of=("self",)).select_related("lead_deputy", "lead_unit", "township").get(
        pk=suggestion.pk)
    return locked


def require_relation(by, suggestion: Suggestion, roles, message: str | None = None) -> frozenset:
    held = relations(by, suggestion)
    if not held & frozenset(roles):
        raise PermissionDenied(message or _("您无权对这件议案建议执行此操作。"))
    return held


def move(suggestion: Suggestion, action: Action, *, by, title="", note="") -> Suggestion:
    """Check the lifecycle table and the user's relation, set the new status and write the timeline row.

    The caller saves the suggestion (with its other changed fields) afterwards.
    """
    step = lifecycle.transition(suggestion.status, action, suggestion.kind)
    require_relation(by, suggestion, step.roles)
    source = suggestion.status
    suggestion.status = step.to
    log(suggestion, event=action, by=by, title=title or Action(action).label, note=note, from_status=source,
        to_status=step.to)
    return suggestion


def log(suggestion: Suggestion, *, event: str, by, title, note="", from_status: str = "",
        to_status: str = "") -> SuggestionLog:
    """One timeline row. ``title`` and ``note`` are stored in the portal's language whoever acted
    (pass :func:`presidium.records.record` or lazy text; a user's own words pass through unchanged)."""
    entry = SuggestionLog(suggestion=suggestion, event=str(event)[:40], title=as_stored(title)[:300],
                          note=as_stored(note),
                          from_status=from_status, to_status=to_status, by=by if getattr(by, "pk", None) else None)
    entry.save()
    return entry


def save(suggestion: Suggestion, by, fields: list[str] | None = None) -> Suggestion:
    """Validate and save; ``fields`` for an existing row (DESIGN rule 3). Records the history user."""
    suggestion._history_user = by
    suggestion.last_activity_at = timezone.now()
    suggestion.full_clean()
    if fields and suggestion.pk:
        suggestion.save(update_fields=sorted({*fields, "last_activity_at", "updated_at"}))
    else:
        suggestion.save()
    return suggestion


def clean_text(value: str | None) -> str:
    return (value or "").strip()
