"""Who may see and do what with votes and livelihood projects (defined on the floor's access rules).

The township's staff and chair manage votes and projects; deputies of the township and the county's roles
read them — a vote only once its result is published (before that the figures are the tellers' work in
progress). Another township's vote or project is simply not found (404).
"""

from __future__ import annotations

from presidium.access import STAFF_ROLES, define_action
from presidium.choices import COUNTY_ROLES, Role

READ_ROLES = frozenset(STAFF_ROLES | COUNTY_ROLES | {Role.DEPUTY})

VIEW_VOTES = define_action("votes.view", READ_ROLES, "查看表决结果和民生实事项目")
MANAGE_VOTES = define_action("votes.manage", STAFF_ROLES, "创建表决、录入计票、公布和更正结果；管理民生实事项目")
