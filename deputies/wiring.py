"""What the deputies app adds to the portal's frame: navigation, home cards, demo data, archive sections."""

from __future__ import annotations

import calendar

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deputies import access as deputies_access
from presidium.access import STAFF_ROLES, action_roles
from presidium.choices import Role
from presidium.registry import (
    HomeCard,
    register_demo_step,
    register_home_card,
    register_nav,
    register_quick_action,
    register_scale_step,
)

SECTION = _("代表工作")
REGISTRY_ROLES = {Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, *STAFF_ROLES}


def _my_visits_this_year_rows(user):
    """The visits of the user's own deputy this year; None (no card) for an account not linked to a deputy."""
    from deputies.models import Visit
    from deputies.selectors import deputy_of

    deputy = deputy_of(user)
    if deputy is None:
        return None
    return Visit.objects.filter(deputy=deputy, visited_on__year=timezone.localdate().year)


def _my_visits_this_year(user) -> int | None:
    rows = _my_visits_this_year_rows(user)
    return None if rows is None else rows.count()


def _behind_rows(user, targets: tuple | None = None):
    """The serving deputies behind their township's target, where the user sees duty (None: no target set).

    ``targets`` are :func:`_behind_targets`' rows, as the home reads them on every page (so the card's SQL, written
    from them, is kept under them); without, they are read here."""
    from deputies.models import VisitTarget
    from deputies.selectors import deputies_behind, deputies_visible_to, serving, targets_for
    from presidium.access import townships_where

    year = timezone.localdate().year
    townships = townships_where(user, deputies_access.VIEW_DUTY)
    if targets is None:
        in_force = targets_for(townships.order_by().values("pk"), year)
    else:
        alias = VisitTarget.objects.db
        in_force = {row[0]: VisitTarget.from_db(alias, TARGET_FIELDS, row) for row in targets}
    if not in_force:
        return None  # no targets set: nothing to be behind of
    deputies = serving(deputies_visible_to(user)).filter(township__in=townships)
    return deputies_behind(deputies, year, targets=in_force)


# What "behind" reads of a target (in the model's field order, as ``from_db`` takes them).
TARGET_FIELDS = ["township_id", "year", "visits_per_month", "people_per_year", "households_per_year"]


def _behind_targets(user) -> tuple:
    """The targets in force this year of the townships where the user sees duty, as :func:`targets_for` finds them
    (each township's latest year up to this one), as tuples of ``TARGET_FIELDS``: the behind card's input, read on
    every page by SQL kept for the user's roles and the year (:func:`presidium.home_cards.kept_sql`)."""
    from deputies.selectors import targets_in_force
    from presidium.access import scope_of, townships_where
    from presidium.home_cards import kept_sql

    year = timezone.localdate().year

    def build():
        townships = townships_where(user, deputies_access.VIEW_DUTY).order_by().values("pk")
        return targets_in_force(townships, year).select_related(None).order_by("township_id").values(*TARGET_FIELDS)

    return tuple(kept_sql(("deputies_behind_targets", scope_of(user), year), build).tuples())


def _behind_count(user) -> int | None:
    rows = _behind_rows(user)
    return None if rows is None else rows.count()


def _visits_this_month_rows(user):
    from deputies.selectors import visits_visible_to

    today = timezone.localdate()
    # A date range, which the (township, date) index answers; ``visited_on__month`` is an EXTRACT the index cannot
    # use, and read every visit of the year (4 ms a county home).
    last = calendar.monthrange(today.year, today.month)[1]
    return visits_visible_to(user).filter(visited_on__range=(today.replace(day=1), today.replace(day=last)))


def _visits_this_month(user) -> int:
    return _visits_this_month_rows(user).count()


def register() -> None:
    from deputies import providers, scale
    from deputies.demo import seed_deputies

    providers.register()
    register_demo_step("deputies", seed_deputies, order=10)
    register_scale_step(scale.KEY, scale.build, order=10)

    register_quick_action("deputies_visit_new", _("记录走访"), "deputies:visit_create", {Role.DEPUTY},
                          icon="house-add", order=10)
    register_nav("deputies_visit_new", _("记录走访"), "deputies:visit_create", {Role.DEPUTY}, order=100,
                 icon="plus-circle", section=SECTION)
    register_nav("deputies_me", _("我的履职档案"), "deputies:me", {Role.DEPUTY}, order=102, icon="journal-text",
                 section=SECTION)
    register_nav("deputies_list", _("代表名册"), "deputies:deputy_list", REGISTRY_ROLES, order=104,
                 icon="person-vcard", section=SECTION)
    register_nav("deputies_visits", _("走访选民"), "deputies:visit_list", action_roles(deputies_access.VIEW_VISITS),
                 order=110, icon="house-heart", section=SECTION)
    register_nav("deputies_duty", _("履职情况"), "deputies:duty_overview", action_roles(deputies_access.VIEW_DUTY),
                 order=120, icon="clipboard-data", section=SECTION)
    register_nav("deputies_groups", pgettext_lazy("list", "代表小组"), "deputies:group_list", REGISTRY_ROLES, order=130,
                 icon="people", section=SECTION)
    register_nav("deputies_stations", pgettext_lazy("list", "代表联络站"), "deputies:station_list", REGISTRY_ROLES, order=140,
                 icon="house-door", section=SECTION)
    register_nav("deputies_constituencies", pgettext_lazy("list", "选区"), "deputies:constituency_list", REGISTRY_ROLES, order=150,
                 icon="map", section=SECTION)
    register_nav("deputies_composition", _("代表构成统计"), "deputies:composition", REGISTRY_ROLES, order=160,
                 icon="pie-chart", section=SECTION)

    register_home_card(HomeCard(
        key="deputies_my_visits", title=_("本年度我的走访"), roles=frozenset({Role.DEPUTY}),
        count=_my_visits_this_year, rows=_my_visits_this_year_rows, url_name="deputies:visit_list", order=20,
        tone="primary",
        hint=_("点击查看记录和进度"),
    ))
    register_home_card(HomeCard(
        key="deputies_behind", title=_("走访进度落后的代表"),
        roles=frozenset(action_roles(deputies_access.VIEW_DUTY)), count=_behind_count, rows=_behind_rows,
        inputs=_behind_targets,
        url=lambda user: reverse("deputies:duty_overview") + "?behind=true", order=40, tone="warning",
        hint=_("按本乡镇走访目标折算到今天"),
    ))
    register_home_card(HomeCard(
        key="deputies_visits_month", title=_("本月走访选民记录"),
        roles=frozenset(REGISTRY_ROLES), count=_visits_this_month, rows=_visits_this_month_rows, url_name="deputies:visit_list", order=45,
        tone="primary",
    ))
