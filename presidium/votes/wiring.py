"""What the votes app plugs into the floor (called from ``AppConfig.ready()``): navigation, demo step."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from presidium.registry import register_demo_step, register_nav
from presidium.votes.access import READ_ROLES

SECTION = _("会议活动")


def connect() -> None:
    register_nav("votes_list", _("表决结果"), "votes:vote_list", READ_ROLES, order=420, icon="check2-square",
                 section=SECTION)
    register_nav("votes_projects", _("民生实事项目"), "votes:project_list", READ_ROLES, order=421,
                 icon="house-heart", section=SECTION)
    from presidium.votes.demo import seed_votes

    register_demo_step("votes", seed_votes, order=700)

