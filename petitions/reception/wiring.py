"""What reception days plug into the floor and the deputies app (called from the petitions app's ready()).

Navigation (the rota for every role, the monthly summary for staff and the county), the deputy's home
block "我的接待日", the duty-archive provider "petitions", and the petitions demo-data step.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from presidium.access import STAFF_ROLES
from presidium.choices import COUNTY_ROLES, Role
from presidium.registry import HomeBlock, register_demo_step, register_home_block, register_nav

SECTION = _("信访")


def register() -> None:
    from deputies.archive import register_archive_provider
    from petitions.demo import seed_petitions
    from petitions.reception.archive import PetitionsArchive
    from petitions.reception.views import home_block

    register_nav("reception_days", _("接待日安排"), "reception:day_list", frozenset(Role), order=308,
                 icon="calendar-week", section=SECTION)
    register_nav("reception_summary", _("接待日汇总"), "reception:summary", STAFF_ROLES | COUNTY_ROLES, order=309,
                 icon="table", section=SECTION)
    register_home_block(HomeBlock(key="reception_my_duty", roles=frozenset({Role.DEPUTY}), render=home_block,
                                  order=3))
    register_archive_provider("petitions", PetitionsArchive())
    # After organisation (0), deputies (10) and proposals (20): the petitions need deputies and units.
    register_demo_step("petitions", seed_petitions, order=30)
