"""Who may read and arrange reception days (actions on the floor's access rules, presidium/access.py).

Every role of a township reads the published rota (a liaison through the township of their unit; the
county through its townships); the township's staff arrange it; a deputy acts on their own duty only.
"""

from __future__ import annotations

from django.db.models import Q

from petitions.access import RECEPTION
from presidium.access import ALL_ROLES, STAFF_ROLES, define_action, has_perm, scope_of, township_q
from presidium.choices import COUNTY_ROLES, Role

VIEW = define_action("petitions.reception.view", ALL_ROLES, "查看接待日安排（本乡镇各角色；县级：全县）")
# Arranging the rota, registering a leave asked by phone, marking absent, confirming: the app's own action.
MANAGE = RECEPTION
SUMMARY = define_action("petitions.reception.summary", STAFF_ROLES | COUNTY_ROLES, "查看、导出接待日月度汇总")


def reception_q(user, *, field: str = "township") -> Q:
    """Rows of the townships whose rota ``user`` may read (a liaison: their unit's township)."""
    return township_q(user, roles=ALL_ROLES, field=field)


def may_manage(user, township_id) -> bool:
    return has_perm(user, MANAGE, township_id)


def is_own_duty(user, duty) -> bool:
    """The duty is the user's: their account is linked to the deputy on duty and they hold the deputy role."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    scope = scope_of(user)
    return bool(duty.deputy.user_id and duty.deputy.user_id == user.pk
                and (scope.has_role(Role.DEPUTY) or scope.is_superuser))
