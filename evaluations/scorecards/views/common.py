"""Shared pieces of the scorecard screens: looking rows up through visibility (404) and checking actions (403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from evaluations.models import ChecklistItem, Evidence
from evaluations.scorecards.access import (
    MANAGE,
    VIEW,
    checklists_visible_to,
    may_manage,
    responses_visible_to,
)
from presidium.access import has_perm


def require(user, action: str) -> None:
    if not has_perm(user, action):
        raise PermissionDenied


def checklist_for(user, pk: int):
    """Through visibility only: a row the user may not see is a 404 (deputies and liaisons see none)."""
    return get_object_or_404(checklists_visible_to(user), pk=pk)


def managed_checklist(user, pk: int):
    """A checklist the user may change: another county's is a 404, a township's staff get 403."""
    checklist = checklist_for(user, pk)
    if not may_manage(user, checklist.county_id):
        raise PermissionDenied
    return checklist


def item_for(user, pk: int) -> ChecklistItem:
    item = get_object_or_404(ChecklistItem.objects.filter(checklist__in=checklists_visible_to(user))
                             .select_related("checklist__county"), pk=pk)
    if not may_manage(user, item.checklist.county_id):
        raise PermissionDenied
    return item


def response_for(user, pk: int):
    return get_object_or_404(responses_visible_to(user), pk=pk)


def evidence_for(user, pk: int) -> Evidence:
    return get_object_or_404(Evidence.objects.filter(answer__response__in=responses_visible_to(user))
                             .select_related("answer__response__checklist", "answer__response__township"), pk=pk)


__all__ = ["MANAGE", "VIEW", "checklist_for", "evidence_for", "item_for", "managed_checklist", "require",
           "response_for"]
