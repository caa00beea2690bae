"""What the staff screens plug into the floor: navigation, home cards and the chart block.

Called from p-core's ``petitions.wiring`` (``AppConfig.ready()``) through :func:`register`.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from presidium.access import STAFF_ROLES, townships_where
from presidium.choices import COUNTY_ROLES, Role
from presidium.registry import HomeBlock, HomeCard, register_home_block, register_home_card, register_nav

SECTION = _("信访")
FIGURE_ROLES = frozenset(STAFF_ROLES | COUNTY_ROLES)
LEDGER_ROLES = frozenset(FIGURE_ROLES | {Role.DEPUTY})
STAFF_ONLY = frozenset({Role.PRESIDIUM_STAFF})
LIAISON = frozenset({Role.UNIT_LIAISON})


def register() -> None:
    register_nav("petitions_register", _("登记信访"), "petitions:register", STAFF_ROLES, order=300,
                 icon="pencil-square", section=SECTION)
    register_nav("petitions_list", _("信访台账"), "petitions:list", LEDGER_ROLES, order=302, icon="envelope-paper",
                 section=SECTION)
    register_nav("petitions_unit", _("交给我单位的信访"), "petitions:unit_list", LIAISON, order=303, icon="inbox",
                 section=SECTION)
    register_nav("petitions_figures", _("信访统计"), "petitions:figures", FIGURE_ROLES, order=306, icon="bar-chart-line",
                 section=SECTION)
    for card in HOME_CARDS:
        register_home_card(card)
    from petitions.views.reports import home_block

    register_home_block(HomeBlock(key="petitions_charts", roles=FIGURE_ROLES, render=home_block, order=25))
    from petitions.figures import HOME_SNAPSHOT, home_snapshot
    from presidium.snapshots import register_figures_snapshot

    register_figures_snapshot(HOME_SNAPSHOT, home_snapshot)


def _visible(user):
    from petitions.selectors import petitions_visible_to

    return petitions_visible_to(user)


def _staff_items(user):
    return _visible(user).filter(township__in=townships_where(user, "petitions.handle"))


def _to_accept_rows(user):
    return _staff_items(user).filter(status="registered")


def _to_accept(user) -> int:
    return _to_accept_rows(user).count()


def _overdue_rows(user):
    """Cases with a statutory clock running past its due date (the petitioner's own windows left out).

    The case's id among the late clocks (an uncorrelated IN, read once through the index of the running duty
    clocks' due dates, ``RUNNING_DUTY_DUE``), not an EXISTS per case: the county's home counts tens of thousands of
    cases, few of them late, and the expression's own statistics tell PostgreSQL so.
    """
    from petitions.selectors import duty_clocks_overdue

    late = duty_clocks_overdue().values("petition_id")
    return _visible(user).filter(township__in=townships_where(user, "petitions.figures"), pk__in=late)


def _overdue(user) -> int:
    return _overdue_rows(user).count()


def _unit_replied_rows(user):
    """Transfers the unit has answered, waiting for the presidium's written answer."""
    from django.db.models import Exists, OuterRef

    from petitions.models import PetitionTransfer

    transfers = PetitionTransfer.objects.filter(petition=OuterRef("pk"))
    replied = transfers.filter(replied_at__isnull=False)
    still_open = transfers.filter(replied_at__isnull=True, cancelled_at__isnull=True)
    # The EXISTS run only on the transferred cases (the status index finds them first).
    return _staff_items(user).filter(status="transferred").filter(Exists(replied) & ~Exists(still_open))


def _unit_replied(user) -> int:
    return _unit_replied_rows(user).count()


STAFF_CARD_ROWS = {
    "petitions_to_accept": _to_accept_rows,
    "petitions_overdue": _overdue_rows,
    "petitions_unit_replied": _unit_replied_rows,
}


def _staff_counts(user) -> dict[str, int]:
    """The staff's and county's petition cards in one query (``presidium.counting.count_each``)."""
    from presidium.counting import count_each

    return count_each(STAFF_CARD_ROWS, user)


def _my_unit_open(user) -> int | None:
    from petitions.models import PetitionTransfer
    from presidium.access import scope_of

    units = sorted(scope_of(user).unit_ids())
    if not units:
        return None
    return PetitionTransfer.objects.filter(unit_id__in=units, replied_at__isnull=True,
                                           cancelled_at__isnull=True).count()


def _list_url(query: str):
    return lambda user: reverse("petitions:list") + query


HOME_CARDS = [
    HomeCard(key="petitions_to_accept", title=_("待受理的信访件"), roles=STAFF_ONLY, count=_to_accept, rows=_to_accept_rows,
             url=_list_url("?status=registered"), order=40, tone="primary", hint=_("15 日内告知是否受理")),
    HomeCard(key="petitions_overdue", title=_("超期的信访件"), roles=FIGURE_ROLES, count=_overdue, rows=_overdue_rows,
             url=_list_url("?clock=overdue"), order=41, tone="danger", hint=_("法定时限已过")),
    HomeCard(key="petitions_unit_replied", title=_("承办单位已回复的信访件"), roles=STAFF_ONLY, count=_unit_replied, rows=_unit_replied_rows,
             url=_list_url("?status=transferred"), order=42, tone="warning", hint=_("请出具书面答复意见书")),
    HomeCard(key="petitions_my_unit", title=_("交给本单位的信访件"), roles=LIAISON, count=_my_unit_open,
             url=lambda user: reverse("petitions:unit_list") + "?progress=open", order=12, tone="primary",
             hint=_("在办结期限前回复办理情况")),
]
