"""Who may read and arrange meetings and activities (actions on the floor's access rules, presidium/access.py).

The township's staff and chair arrange meetings, record attendance and outcomes; county roles read their
county's; a deputy reads the meetings they are invited to and those open to all the township's deputies;
anyone invited through their own account (a 列席 unit head) reads that meeting. Another township's
meeting is not found (404); a step the role may not take is refused (403).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, Subquery

from presidium.access import STAFF_ROLES, define_action, has_perm, scope_of, township_q
from presidium.choices import COUNTY_ROLES, Role

VIEW = define_action("meetings.view", STAFF_ROLES | COUNTY_ROLES | {Role.DEPUTY},
                     "查看会议活动（人大办、主席：本乡镇；县级：全县；代表：受邀的和公开的）")
READ_ALL = define_action("meetings.read_all", STAFF_ROLES | COUNTY_ROLES, "查看本乡镇（本县）全部会议活动及出席情况")
MANAGE = define_action("meetings.manage", STAFF_ROLES, "安排会议活动，登记出席、请假、缺席和会议成果")

READ_ROLES = frozenset(STAFF_ROLES | COUNTY_ROLES)


def meetings_q(user, *, field: str = "") -> Q:
    """The meetings ``user`` may read (``field``: the path to the meeting from the queried model)."""
    from presidium.meetings.models import Invitation

    prefix = f"{field}__" if field else ""
    scope = scope_of(user)
    if scope.is_superuser:
        return Q()
    condition = township_q(user, roles=READ_ROLES, field=f"{prefix}township")
    if scope.user_id is None:
        return condition
    from deputies.models import Deputy

    outer = OuterRef(field) if field else OuterRef("pk")
    # The account's deputy (one at most: a one-to-one link) as a scalar subquery, not a join to every deputy:
    # PostgreSQL answers the OR with two index lookups instead of joining a county's 50,000 invitations to its
    # deputies (county /meetings/ count: 50 ms → 1 ms; selectors.invitations_of does the same).
    own_deputy = Deputy.objects.filter(user_id=scope.user_id).order_by().values("pk")[:1]
    mine = Invitation.objects.filter(meeting_id=outer).filter(Q(user_id=scope.user_id)
                                                              | Q(deputy_id=Subquery(own_deputy)))
    condition |= Exists(mine)
    if scope.has_role(Role.DEPUTY):
        condition |= township_q(user, roles={Role.DEPUTY}, field=f"{prefix}township") & Q(
            **{f"{prefix}open_to_deputies": True})
    return condition


def may_manage(user, township) -> bool:
    return has_perm(user, MANAGE, township)


def may_read_all(user, township) -> bool:
    return has_perm(user, READ_ALL, township)


def is_own_invitation(user, invitation) -> bool:
    """The invitation is the user's: through their account, or the deputy linked to it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if invitation.user_id and invitation.user_id == user.pk:
        return True
    deputy = invitation.deputy
    return bool(deputy is not None and deputy.user_id and deputy.user_id == user.pk)
