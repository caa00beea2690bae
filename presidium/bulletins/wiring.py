"""What the bulletins app plugs into the floor: navigation entries, a staff home card, the demo step."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from presidium.access import ALL_ROLES, STAFF_ROLES
from presidium.choices import COUNTY_ROLES
from presidium.registry import HomeCard, register_demo_step, register_home_card, register_nav

SECTION = _("简报")


def _drafts_to_issue(user) -> int | None:
    from presidium.bulletins.choices import IssueState
    from presidium.bulletins.models import BulletinIssue
    from presidium.bulletins.selectors import series_managed_by

    return BulletinIssue.objects.filter(series__in=series_managed_by(user).values("pk"),
                                        state=IssueState.SIGNED_OFF).count()


def connect() -> None:
    from presidium.bulletins.demo import seed_bulletins

    register_nav("bulletins_series", _("简报编印"), "bulletins:series_list", STAFF_ROLES | COUNTY_ROLES, order=400,
                 icon="newspaper", section=SECTION)
    register_nav("bulletins_reading", _("简报阅读"), "bulletins:reading", ALL_ROLES, order=401, icon="journal-richtext",
                 section=SECTION)
    register_home_card(HomeCard(key="bulletins_signed_off", title=_("已签发待印发的简报"), roles=frozenset(STAFF_ROLES),
                                count=_drafts_to_issue, url=lambda user: reverse("bulletins:series_list"), order=60,
                                tone="warning", hint=_("印发后生成 PDF 并通知代表")))
    register_demo_step("bulletins", seed_bulletins, order=40)
