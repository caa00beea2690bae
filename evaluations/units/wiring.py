"""What the evaluation of units plugs into the floor (called once from ``EvaluationsConfig.ready()``):
its actions, the rectification reminders, navigation, the home cards and its demo step."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from presidium.access import STAFF_ROLES
from presidium.choices import COUNTY_ROLES, Role

SECTION = _("评议")


def connect() -> None:
    from evaluations.units import access  # noqa: F401 - defines the actions on the floor's access rules
    from evaluations.units.rectification import RectificationReminders
    from presidium.notifications.reminders import register_reminder_handler

    register_reminder_handler("evaluations.RectificationItem", RectificationReminders())
    _register_nav()
    _register_home()
    _register_demo()
    _register_scale()


def _register_nav() -> None:
    from presidium.registry import register_nav

    register_nav("evaluations_units", _("工作评议"), "evaluations:units:campaign_list", STAFF_ROLES | COUNTY_ROLES,
                 order=500, icon="clipboard-check", section=SECTION)
    register_nav("evaluations_units_vote", _("评议投票"), "evaluations:units:vote_home", {Role.DEPUTY}, order=501,
                 icon="check2-square", section=SECTION)
    register_nav("evaluations_units_mine", _("本单位评议结果"), "evaluations:units:unit_mine", {Role.UNIT_LIAISON},
                 order=502, icon="award", section=SECTION)


def _register_home() -> None:
    from presidium.registry import HomeBlock, HomeCard, register_home_block, register_home_card

    register_home_card(HomeCard(key="evaluations_units_to_vote", title=_("待评议的单位"), roles=frozenset({Role.DEPUTY}),
                                count=_units_left_to_vote, rows=_units_left_to_vote_rows, hide_zero=True,
                                url_name="evaluations:units:vote_home", order=40,
                                hint=_("工作评议投票中，请在截止前完成")))
    register_home_card(HomeCard(key="evaluations_units_rectification", title=_("本单位整改事项"),
                                roles=frozenset({Role.UNIT_LIAISON}), count=_open_items_of_my_unit,
                                url_name="evaluations:units:unit_mine", order=40, tone="warning"))
    register_home_card(HomeCard(key="evaluations_units_not_voted", title=_("评议未投票代表"),
                                roles=frozenset(STAFF_ROLES), count=_deputies_not_done, rows=_deputies_not_done_rows, hide_zero=True,
                                url_name="evaluations:units:campaign_list", order=45, tone="warning",
                                hint=_("工作评议投票中，尚未完成投票的代表")))
    register_home_block(HomeBlock(key="evaluations_units_turnout", roles=frozenset(STAFF_ROLES),
                                  render=_turnout_block, order=30))


def _units_left_to_vote_rows(user):
    from deputies.selectors import deputy_of
    from evaluations.models import BallotCast

    deputy = deputy_of(user)
    if deputy is None:
        return None
    return BallotCast.objects.filter(deputy=deputy, round__state="open", cast_on__isnull=True)


def _units_left_to_vote(user) -> int | None:
    rows = _units_left_to_vote_rows(user)
    return (rows.count() or None) if rows is not None else None


def _deputies_not_done(user) -> int | None:
    """Deputies on the roll of an open round of the user's township(s) with units still to vote (who, not what)."""
    return _deputies_not_done_rows(user).count() or None


def _deputies_not_done_rows(user):
    from evaluations.models import BallotCast
    from evaluations.units.access import MANAGE
    from presidium.access import townships_where

    return (BallotCast.objects.filter(round__state="open", cast_on__isnull=True,
                                      round__campaign__township__in=townships_where(user, MANAGE))
            .values("deputy_id").distinct())


def _open_items_of_my_unit(user) -> int | None:
    from evaluations.models import RectificationItem
    from presidium.access import scope_of

    units = sorted(scope_of(user).unit_ids())
    if not units:
        return None
    return RectificationItem.objects.filter(unit_id__in=units, status="open").count() or None


def _turnout_rows(user):
    """Each round open for voting in the user's township(s) with its turnout, as the block shows it (a ``values()``
    query, whose SQL the home keeps for the user's roles and the day)."""
    from django.db.models import Count, Q

    from evaluations.models import Round
    from evaluations.units.access import MANAGE
    from presidium.access import townships_where

    return (Round.objects.filter(state="open", campaign__township__in=townships_where(user, MANAGE))
            .annotate(roll=Count("casts__deputy", distinct=True),
                      cast=Count("casts", filter=Q(casts__cast_on__isnull=False)), total=Count("casts"))
            .order_by("closes_on", "pk")
            .values("pk", "number", "closes_on", "campaign_id", "campaign__title", "campaign__year",
                    "campaign__period_kind", "roll", "cast", "total"))


def _turnout_block(request) -> str | None:
    """Staff's home: each round open for voting with its turnout (who voted, never what).

    The rounds' query is kept for the roles and the day (:func:`presidium.home_cards.kept_today`) and read fresh;
    each round is made with its campaign's title, year and period kind (what the block and ``Round.label`` read)."""
    from django.template.loader import render_to_string

    from evaluations.models import Campaign, Round
    from presidium.home_cards import instance_from, kept_today

    rows = kept_today("evaluations_units_turnout", _turnout_rows, request.user)
    if not rows:
        return None
    rounds = []
    alias = Round.objects.db
    for row in rows:
        round_ = instance_from(Round, alias, {"id": row["pk"], "campaign_id": row["campaign_id"],
                                              "number": row["number"], "closes_on": row["closes_on"]})
        round_.campaign = instance_from(Campaign, alias, {
            "id": row["campaign_id"], "title": row["campaign__title"], "year": row["campaign__year"],
            "period_kind": row["campaign__period_kind"]})
        round_.roll, round_.cast, round_.total = row["roll"], row["cast"], row["total"]
        round_.share = round(round_.cast * 100 / round_.total) if round_.total else 0
        rounds.append(round_)
    return render_to_string("evaluations/units/home_block.html", {"rounds": rounds}, request=request)


def _register_demo() -> None:
    from evaluations.units.demo import seed_unit_evaluations
    from presidium.registry import register_demo_step

    register_demo_step("evaluations_units", seed_unit_evaluations, order=80)


def _register_scale() -> None:
    from evaluations.units.scale import STEP, build
    from presidium.registry import register_scale_step

    register_scale_step(STEP, build, order=70)
