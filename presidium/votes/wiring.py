"""What the votes app plugs into the floor (called from ``AppConfig.ready()``): navigation, demo step."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from presidium.registry import register_demo_step, register_nav, register_scale_step
from presidium.votes.access import READ_ROLES

SECTION = _("会议活动")


def connect() -> None:
    register_nav("votes_list", _("表决结果"), "votes:vote_list", READ_ROLES, order=420, icon="check2-square",
                 section=SECTION)
    register_nav("votes_projects", _("民生实事项目"), "votes:project_list", READ_ROLES, order=421,
                 icon="house-heart", section=SECTION)
    _register_meeting_section()
    from presidium.votes.demo import seed_votes

    register_demo_step("votes", seed_votes, order=700)
    from presidium.votes.scale import build_votes

    # seed_demo --scale: after the meetings (20) it reads the sessions and their attendance from.
    register_scale_step("votes", build_votes, order=50)



def _meeting_rows(user, meeting):
    """The meeting's votes this user may see: the printed line once published, the state before (staff)."""
    from presidium.meetings.sections import SectionRow
    from presidium.votes.choices import VoteState
    from presidium.votes.selectors import votes_visible_to
    from presidium.votes.services import result_text

    votes = list(votes_visible_to(user).filter(meeting=meeting).prefetch_related("items").order_by("pk"))
    return [SectionRow(title=vote.title, url=vote.get_absolute_url(),
                       text=result_text(vote) if vote.state == VoteState.PUBLISHED else "",
                       badge="" if vote.state == VoteState.PUBLISHED else vote.get_state_display())
            for vote in votes]


def _register_meeting_section() -> None:
    from django.urls import reverse

    from presidium.meetings.sections import MeetingSection, register_meeting_section

    register_meeting_section(MeetingSection(
        key="votes", title=_("表决结果"), order=10, rows=_meeting_rows, empty_text=_("本次会议还没有表决。"),
        action_label=_("新建表决"), action_url=lambda meeting: reverse("votes:vote_create", args=[meeting.pk])))
