"""Who may see and do what with county scorecards (actions on the floor's rules, presidium/access.py).

The county's reviewers (and admins) publish checklists, review evidence, score and finalise; the township's
chair and staff answer their own township's checklist; a township sees its own response, scores and rank, never
another township's (404). A reviewer of county A sees nothing of county B (404). Deputies and liaisons have no part.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from presidium.access import STAFF_ROLES, define_action, has_perm, scope_of, township_q
from presidium.choices import COUNTY_ROLES, Role

VIEW = define_action("scorecards.view", COUNTY_ROLES | STAFF_ROLES, "查看县人大考评清单和本乡镇的填报、得分和名次")
MANAGE = define_action("scorecards.manage", COUNTY_ROLES, "发布考评清单、审核佐证材料、评分、退回、定稿、横向比较")
RESPOND = define_action("scorecards.respond", STAFF_ROLES, "填报本乡镇的考评清单、上传佐证材料、提交")
REOPEN = define_action("scorecards.reopen", {Role.COUNTY_ADMIN}, "撤销已定稿的考评（县人大常委会管理员）")


def checklists_visible_to(user) -> QuerySet:
    """County roles: every checklist of their counties; township staff: the published ones of their county."""
    from evaluations.models import Checklist
    from evaluations.scorecards.choices import ChecklistState
    from presidium.models import Township

    scope = scope_of(user)
    qs = Checklist.objects.select_related("county")
    if scope.is_superuser:
        return qs
    county_ids = sorted(scope.county_ids(COUNTY_ROLES))
    staff_counties = Township.objects.filter(pk__in=sorted(scope.township_ids(STAFF_ROLES))).values("county_id")
    return qs.filter(Q(county_id__in=county_ids)
                     | (Q(county_id__in=staff_counties) & ~Q(state=ChecklistState.DRAFT)))


def responses_visible_to(user) -> QuerySet:
    """County roles: their county's responses; township staff: their own township's only."""
    from evaluations.models import TownshipResponse

    return TownshipResponse.objects.filter(township_q(user, roles=COUNTY_ROLES | STAFF_ROLES)).select_related(
        "checklist__county", "township")


def may_manage(user, county_id) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or county_id in scope.county_ids(COUNTY_ROLES)


def may_respond(user, township) -> bool:
    return has_perm(user, RESPOND, township)


def may_reopen(user, county_id) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or county_id in scope.county_ids({Role.COUNTY_ADMIN})
