"""The deputies app's actions, declared on the floor's access rules (``presidium.access``).

Who does what:

* presidium staff and the chair administer their township's deputies (registry, groups, stations,
  duty records, targets, import) and see personal data unmasked (each such view is logged);
* the county administrator may do the same for every township of the county (county deputies based
  in a township are the county's to maintain);
* county reviewers read everything of their county, with personal data masked;
* a deputy sees their own profile, visits and archive, and records their own visits.

Row-level rules ("a deputy only their own") live in :mod:`deputies.selectors`.
"""

from __future__ import annotations

from presidium.access import STAFF_ROLES, define_action, has_perm, scope_of
from presidium.choices import Role

COUNTY = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER})
ADMINISTRATORS = STAFF_ROLES | {Role.COUNTY_ADMIN}

VIEW_REGISTRY = define_action("deputies.view", COUNTY | STAFF_ROLES, "查看代表名册、小组、联络站和构成统计")
MANAGE = define_action("deputies.manage", ADMINISTRATORS, "维护代表名册、选区、小组、联络站，导入名册")
VIEW_PERSONAL = define_action(
    "deputies.view_personal", ADMINISTRATORS, "查看代表的完整身份证号码、手机号码和住址（每次查看留痕）"
)
RECORD_VISIT = define_action("deputies.visit.record", STAFF_ROLES | {Role.DEPUTY}, "登记走访选民（代表只能登记本人的）")
VIEW_VISITS = define_action("deputies.visit.view", COUNTY | STAFF_ROLES | {Role.DEPUTY}, "查看走访选民记录")
MANAGE_TARGETS = define_action("deputies.targets.manage", STAFF_ROLES, "设定本乡镇的走访目标")
VIEW_DUTY = define_action("deputies.duty.view", COUNTY | STAFF_ROLES, "查看全体代表的履职情况和“三不代表”提示")
MANAGE_DUTY = define_action("deputies.duty.manage", ADMINISTRATORS,
                            "登记履职承诺、向选民述职、年度考核、培训和表彰")
VIEW_ARCHIVE = define_action("deputies.archive.view", COUNTY | STAFF_ROLES | {Role.DEPUTY}, "查看代表履职档案")


def administers_deputies(user, township=None) -> bool:
    """May ``user`` administer deputies (in ``township``, or anywhere)?"""
    return has_perm(user, MANAGE, township)


def sees_personal_data(user, township=None) -> bool:
    return has_perm(user, VIEW_PERSONAL, township)


def is_deputy_only(user) -> bool:
    """A user whose only way into deputies' data is being a deputy (sees only their own rows)."""
    scope = scope_of(user)
    if scope.is_superuser:
        return False
    return scope.has_role(Role.DEPUTY) and not scope.has_role(*(COUNTY | STAFF_ROLES))
