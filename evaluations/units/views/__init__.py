"""Screens of the evaluation of units: campaigns (staff), voting (deputies), results, rectification, the unit's own page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from evaluations.models import Campaign, RectificationItem, Round
from evaluations.units.access import MANAGE, VIEW, campaigns_visible_to, rectifications_visible_to
from presidium.access import has_perm


def visible_campaign(user, pk: int) -> Campaign:
    """The campaign if ``user`` sees it (another township's: 404)."""
    return get_object_or_404(campaigns_visible_to(user), pk=pk)


def visible_round(user, pk: int) -> Round:
    return get_object_or_404(Round.objects.select_related("campaign__township", "campaign__township__county"),
                             pk=pk, campaign__in=campaigns_visible_to(user))


def managed_campaign(user, pk: int) -> Campaign:
    """Seen (404 otherwise) and run by ``user`` (403 otherwise)."""
    campaign = visible_campaign(user, pk)
    if not has_perm(user, MANAGE, campaign.township):
        raise PermissionDenied
    return campaign


def managed_round(user, pk: int) -> Round:
    round_ = visible_round(user, pk)
    if not has_perm(user, MANAGE, round_.campaign.township):
        raise PermissionDenied
    return round_


def visible_item(user, pk: int) -> RectificationItem:
    return get_object_or_404(rectifications_visible_to(user), pk=pk)


def require_view(user) -> None:
    if not has_perm(user, VIEW):
        raise PermissionDenied
