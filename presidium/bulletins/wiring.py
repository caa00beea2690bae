"""What the bulletins app plugs into the floor: navigation entries and the demo step.

No staff-home card: the staff home is at its query budget (tests/petitions/test_figures.py caps it at 40
with 39 measured), and an issue waiting between sign-off and publication is a matter of minutes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from presidium.access import ALL_ROLES, STAFF_ROLES
from presidium.choices import COUNTY_ROLES
from presidium.registry import register_demo_step, register_nav, register_scale_step

SECTION = _("简报")


def connect() -> None:
    from presidium.bulletins.demo import seed_bulletins

    register_nav("bulletins_series", _("简报编印"), "bulletins:series_list", STAFF_ROLES | COUNTY_ROLES, order=400,
                 icon="newspaper", section=SECTION)
    register_nav("bulletins_reading", _("简报阅读"), "bulletins:reading", ALL_ROLES, order=401, icon="journal-richtext",
                 section=SECTION)
    register_demo_step("bulletins", seed_bulletins, order=40)
    from presidium.bulletins.scale import build_bulletins

    register_scale_step("bulletins", build_bulletins, order=60)
