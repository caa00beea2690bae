"""What meetings plug into the floor and the deputies app (called from ``MeetingsConfig.ready()``).

Navigation (会议活动, 会议日历, 我的会议, 日历订阅), the staff home block of the meeting rules' gaps, the
invitee's home block "我的会议", the reminders about outcomes, the duty-archive provider "meetings",
the chair's desk sections (meetings coming up, opinions the government owes), and the demo-data step.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from presidium.access import STAFF_ROLES
from presidium.choices import COUNTY_ROLES, Role
from presidium.registry import (
    HomeBlock,
    register_chair_section,
    register_demo_step,
    register_home_block,
    register_nav,
    register_quick_action,
    register_scale_step,
)

SECTION = _("会议活动")
READERS = frozenset(STAFF_ROLES | COUNTY_ROLES | {Role.DEPUTY})


def connect() -> None:
    from deputies.archive import register_archive_provider
    from presidium.meetings.archive import MeetingsArchive
    from presidium.meetings.demo import seed_meetings
    from presidium.meetings.reminders import OutcomeReminders
    from presidium.meetings.views.chair import CHAIR_SECTIONS
    from presidium.meetings.views.home import gaps_block
    from presidium.meetings.views.mine import home_block
    from presidium.notifications.reminders import register_reminder_handler

    register_nav("meetings_list", _("会议活动"), "meetings:meeting_list", READERS, order=400, icon="people",
                 section=SECTION)
    register_nav("meetings_calendar", _("会议日历"), "meetings:calendar", READERS, order=401, icon="calendar3",
                 section=SECTION)
    register_nav("meetings_mine", _("我的会议"), "meetings:mine", frozenset({Role.DEPUTY}), order=402,
                 icon="person-check", section=SECTION)
    register_nav("meetings_feed", _("日历订阅"), "meetings:feed", READERS, order=403, icon="calendar-plus",
                 section=SECTION)
    register_quick_action("meetings_schedule", _("安排会议"), "meetings:meeting_schedule", STAFF_ROLES,
                          icon="calendar-plus", order=40)
    register_home_block(HomeBlock(key="meetings_gaps", roles=frozenset(STAFF_ROLES), render=gaps_block, order=6))
    register_home_block(HomeBlock(key="meetings_mine", roles=frozenset(Role), render=home_block, order=2))
    for section in CHAIR_SECTIONS:
        register_chair_section(section)
    register_reminder_handler("meetings.Outcome", OutcomeReminders())
    register_archive_provider("meetings", MeetingsArchive())
    # After organisation, deputies, proposals (20) and petitions (30): meetings need deputies, units, terms.
    register_demo_step("meetings", seed_meetings, order=40)
    from presidium.meetings.scale import build_meetings

    # seed_demo --scale: after the deputies (10), before proposals (30) and votes (50).
    register_scale_step("meetings", build_meetings, order=20)
