"""Reads that encode a rule, returning querysets. Every read starts from :func:`petitions_visible_to`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from petitions.choices import OPEN_STATUSES, ClockState
from petitions.models import Petition, PetitionClock, PetitionTransfer
from presidium.access import STAFF_ROLES, scope_of, township_q
from presidium.choices import COUNTY_ROLES, Role


def _base() -> QuerySet:
    return Petition.objects.select_related("township", "category", "current_unit")


def petitions_visible_to(user) -> QuerySet:
    """The cases ``user`` may see (another township's case is simply not there: 404).

    * township staff and the chair: their township's cases;
    * county roles: their county's cases;
    * a unit liaison: the cases that were ever transferred to their unit;
    * a deputy: the cases they raised (代表代言);
    * everyone else: none.
    """
    scope = scope_of(user)
    if scope.user_id is None:
        return Petition.objects.none()
    if scope.is_superuser:
        return _base()
    condition = Q(pk__in=[])
    if scope.has_role(*STAFF_ROLES):
        condition |= township_q(user, roles=STAFF_ROLES)
    if scope.has_role(*COUNTY_ROLES):
        condition |= township_q(user, roles=COUNTY_ROLES)
    units = sorted(scope.unit_ids())
    if units:
        transferred = PetitionTransfer.objects.filter(unit_id__in=units).values("petition_id")
        condition |= Q(current_unit_id__in=units) | Q(pk__in=transferred)
    if scope.has_role(Role.DEPUTY):
        condition |= township_q(user, roles={Role.DEPUTY}) & Q(raised_by_deputy__user_id=user.pk)
    return _base().filter(condition)


def open_petitions(queryset: QuerySet) -> QuerySet:
    return queryset.filter(status__in=sorted(OPEN_STATUSES))


def overdue_petitions(queryset: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Cases with a running clock past its due date."""
    today = today or timezone.localdate()
    late = PetitionClock.objects.filter(state=ClockState.RUNNING, due_on__lt=today).values("petition_id")
    return queryset.filter(pk__in=late)
