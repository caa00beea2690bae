"""Who may do what in the evaluation of units (actions on the floor's access rules) and which rows they see.

Staff of a township run its campaigns; the county sees them; deputies vote; a unit's liaison sees its own
unit's published results and rectification items, never another unit's and never a ballot.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from presidium.access import STAFF_ROLES, define_action, scope_of, township_q
from presidium.choices import COUNTY_ROLES, Role

VIEW = define_action("evaluations.units.view", STAFF_ROLES | COUNTY_ROLES, "查看工作评议活动、投票进度和评议结果")
MANAGE = define_action("evaluations.units.manage", STAFF_ROLES,
                       "组织工作评议：设置活动、指标、轮次，扣分，公布结果，整改事项")
VOTE = define_action("evaluations.units.vote", {Role.DEPUTY}, "参加工作评议投票")
UNIT_VIEW = define_action("evaluations.units.unit_view", {Role.UNIT_LIAISON}, "查看本单位的评议结果和整改事项")


def campaigns_visible_to(user) -> QuerySet:
    """Campaigns of the townships where ``user`` is staff or a county role (another township's: 404)."""
    from evaluations.models import Campaign

    scope = scope_of(user)
    if scope.user_id is None:
        return Campaign.objects.none()
    return Campaign.objects.filter(township_q(user, roles=STAFF_ROLES | COUNTY_ROLES)).select_related("township")


def rectifications_visible_to(user) -> QuerySet:
    """Staff and county see their townships' items; a liaison sees their own unit's only."""
    from evaluations.models import RectificationItem

    scope = scope_of(user)
    if scope.user_id is None:
        return RectificationItem.objects.none()
    condition = township_q(user, roles=STAFF_ROLES | COUNTY_ROLES, field="campaign__township")
    if scope.unit_ids():
        condition |= Q(unit_id__in=sorted(scope.unit_ids()))
    return RectificationItem.objects.filter(condition).select_related("campaign__township", "unit")


def manages(user, township) -> bool:
    from presidium.access import has_perm

    return has_perm(user, MANAGE, township)
