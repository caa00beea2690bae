"""The bulletins app's actions on the floor's access rules.

A township's series are managed (compose, sign off, publish, void) by that township's staff and chair;
a county series (no township) by the county's administrators. County roles read what is published in
their county; deputies read published issues of their township's series and those sent to them; a
unit's liaison reads published issues sent to the unit. Which rows a user sees at all is
:func:`presidium.bulletins.selectors.issues_visible_to`.
"""

from __future__ import annotations

from presidium.access import ALL_ROLES, STAFF_ROLES, define_action, has_perm, scope_of
from presidium.choices import COUNTY_ROLES, Role

MANAGE = define_action("bulletins.manage", STAFF_ROLES, "编辑、签发、印发和作废本乡镇的简报，维护简报系列")
MANAGE_COUNTY = define_action("bulletins.manage_county", {Role.COUNTY_ADMIN}, "编辑、签发、印发县级简报")
BROWSE = define_action("bulletins.browse", STAFF_ROLES | COUNTY_ROLES, "查看简报系列和各期简报台账")
READ = define_action("bulletins.read", ALL_ROLES, "阅读印发给本人或本乡镇的简报")


def can_manage(user, series) -> bool:
    """May ``user`` compose and issue bulletins of ``series``?"""
    scope = scope_of(user)
    if scope.user_id is None:
        return False
    if scope.is_superuser:
        return True
    if series.township_id:
        return has_perm(user, MANAGE, series.township_id)
    return series.county_id in scope.county_ids({Role.COUNTY_ADMIN})


def may_create_series(user) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or scope.has_role(*STAFF_ROLES, Role.COUNTY_ADMIN)
