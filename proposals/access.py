"""The proposals app's actions on the floor's access rules, and who stands in which relation to an item.

Role-level rules ("staff may assign") are actions defined here with :func:`presidium.access.define_action`;
row-level rules ("only the lead unit's liaison replies", "only the lead deputy rates") come from the
user's *relation* to one item (:func:`relations`), matched against the lifecycle table's roles.
"""

from __future__ import annotations

from deputies.selectors import is_own_deputy
from presidium.access import ALL_ROLES, STAFF_ROLES, define_action, has_perm, scope_of
from presidium.choices import COUNTY_ROLES, Role

VIEW = define_action("proposals.view", ALL_ROLES,
                     "查看议案建议（代表：本人领衔和联名的；联络员：本单位承办的；人大办和县级：本乡镇/本县的）")
SUBMIT = define_action("proposals.submit", STAFF_ROLES | {Role.DEPUTY}, "提出议案建议，人大办可代代表录入")
MANAGE = define_action("proposals.manage", STAFF_ROLES, "登记、退回、交办、督办、审批延期、办结、五公开")
HANDLE = define_action("proposals.handle", {Role.UNIT_LIAISON}, "签收、面商、答复、申请延期（本单位承办的）")
RATE = define_action("proposals.rate", STAFF_ROLES | {Role.DEPUTY}, "评价答复（代表本人，或人大办代为登记）")
FIGURES = define_action("proposals.figures", STAFF_ROLES | COUNTY_ROLES, "查看建议办理统计、台账和办理情况报告")
CONFIGURE = define_action("proposals.configure", STAFF_ROLES, "维护建议类别和办理设置")
OPINION_VIEW = define_action("proposals.opinion.view", STAFF_ROLES | COUNTY_ROLES,
                             "查看县人大常委会的督办意见（县级：全县；乡镇：本乡镇收到的）")
OPINION_SEND = define_action("proposals.opinion.send", COUNTY_ROLES,
                             "向乡镇发出督办意见（关于一件议案建议或一个承办单位），确认乡镇的答复")
OPINION_ANSWER = define_action("proposals.opinion.answer", STAFF_ROLES, "答复县人大常委会的督办意见")
COUNTY_REPORT = define_action("proposals.county_report", COUNTY_ROLES, "生成全县议案建议办理情况报告（分乡镇）")


def relations(user, suggestion) -> frozenset[Role]:
    """The roles ``user`` holds *for this item*: staff of its township, its lead deputy, its lead unit's liaison.

    A superuser stands in every relation (used by the demo data and by administrators fixing data).
    """
    scope = scope_of(user)
    if scope.user_id is None:
        return frozenset()
    if scope.is_superuser:
        return frozenset({Role.PRESIDIUM_STAFF, Role.PRESIDIUM_CHAIR, Role.DEPUTY, Role.UNIT_LIAISON})
    held: set[Role] = set()
    for grant in scope.grants:
        if grant.role in STAFF_ROLES and grant.township_id == suggestion.township_id:
            held.add(grant.role)
    if suggestion.lead_deputy_id and scope.has_role(Role.DEPUTY) and is_own_deputy(suggestion.lead_deputy, user.pk):
        held.add(Role.DEPUTY)
    if suggestion.lead_unit_id and suggestion.lead_unit_id in scope.unit_ids():
        held.add(Role.UNIT_LIAISON)
    return frozenset(held)


def is_staff_for(user, suggestion) -> bool:
    return has_perm(user, MANAGE, suggestion.township_id) or scope_of(user).is_superuser


def liaison_unit_ids(user) -> frozenset[int]:
    return scope_of(user).unit_ids()


def co_unit_ids_for(user, suggestion) -> list[int]:
    """The current co-units of ``suggestion`` for which ``user`` is a liaison (a 改办 may have released some)."""
    units = liaison_unit_ids(user)
    return [link.unit_id for link in suggestion.co_unit_links.all()
            if link.unit_id in units and link.released_at is None]
