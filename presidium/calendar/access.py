"""Who may see and change the working-day calendar (defined through presidium.access).

* Viewing: presidium staff and chairs, county administrators and reviewers. They see the national
  calendar with their own county's overrides; another county is not found (404).
* A county's overrides and its year confirmations: the administrators of that county.
* The national rows and national confirmations: superusers only (no role holds that action).

Staff are told about the calendar but do not change it: a holiday applies to the whole county,
not to one township.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from presidium.access import STAFF_ROLES, action_roles, define_action, scope_of, townships_where
from presidium.choices import COUNTY_ROLES, Role

VIEW_CALENDAR = define_action(
    "workcalendar.view", COUNTY_ROLES | STAFF_ROLES, "查看工作日历（全国安排和本县调整）"
)
EDIT_COUNTY_CALENDAR = define_action(
    "workcalendar.edit_county", {Role.COUNTY_ADMIN}, "录入、清除和确认本县（区）的工作日历调整"
)
EDIT_NATIONAL_CALENDAR = define_action(
    "workcalendar.edit_national", set(), "录入和确认全国统一的节假日安排（仅系统管理员）"
)

# Who is reminded in the page frame that a year is not confirmed.
WARNED_ROLES = frozenset({Role.COUNTY_ADMIN, *STAFF_ROLES})


def may_view_calendar(user) -> bool:
    scope = scope_of(user)
    return scope.user_id is not None and (scope.is_superuser or bool(scope.roles & action_roles(VIEW_CALENDAR)))


def can_edit_calendar(user, county) -> bool:
    """May ``user`` change the national calendar (``county`` None) or ``county``'s overrides?"""
    scope = scope_of(user)
    if scope.user_id is None:
        return False
    if scope.is_superuser:
        return True
    if county is None:
        return bool(scope.roles & action_roles(EDIT_NATIONAL_CALENDAR))
    county_id = getattr(county, "pk", county)
    return county_id in scope.county_ids(action_roles(EDIT_COUNTY_CALENDAR))


def calendar_counties_for(user) -> QuerySet:
    """The counties whose calendar ``user`` may view: their county roles' and their townships' counties."""
    from presidium.models import County

    scope = scope_of(user)
    if scope.is_superuser:
        return County.objects.order_by("name")
    roles = action_roles(VIEW_CALENDAR)
    condition = Q(pk__in=sorted(scope.county_ids(roles & COUNTY_ROLES)))
    if scope.township_ids(roles - COUNTY_ROLES):
        condition |= Q(pk__in=townships_where(user, VIEW_CALENDAR).values("county_id"))
    return County.objects.filter(condition).order_by("name")
