"""Scoring and ranking: weights, methods, deductions, ties, missing ballots, cumulative totals, outcomes."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from evaluations.models import Deduction, Indicator, UnitResult
from evaluations.units import services
from evaluations.units.scoring import (
    CRITICISM,
    PRAISE,
    TITLE,
    apply_outcomes,
    cumulative_scores,
    round_scores,
)
from presidium.choices import Role
from tests.factories import HandlingUnitFactory, unit_campaign, unit_round_open, unit_voters

pytestmark = pytest.mark.django_db


def _units(township, n):
    return [HandlingUnitFactory(township=township, name=f"单位{chr(65 + i)}") for i in range(n)]


def _vote_indicators(round_, deputies, per_unit):
    """``per_unit``: unit → list (one per deputy) of {indicator: value}."""
    for i, deputy in enumerate(deputies):
        for unit, values in per_unit.items():
            if i < len(values):
                services.ballot_cast(round_=round_, deputy=deputy, votes={unit: values[i]}, by=deputy.user)


def _by_unit(scores):
    return {s.unit.name: s for s in scores}


def test_it_weights_leaves_by_the_path_and_takes_deductions_off(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    a, b = _units(world.township, 2)
    campaign = unit_campaign(world.township, by=staff, units=[a, b], indicators=(), min_ballots=2)
    parent = services.indicator_add(campaign=campaign, by=staff, title="作风", max_points=50, weight=D("2"))
    leaf1 = services.indicator_add(campaign=campaign, by=staff, title="态度", max_points=20, parent=parent)
    leaf2 = services.indicator_add(campaign=campaign, by=staff, title="廉洁", max_points=30, parent=parent,
                                   weight=D("0.5"))
    deputies = unit_voters(world.township, 2)
    round_ = unit_round_open(campaign, by=staff)
    _vote_indicators(round_, deputies, {a: [{leaf1: 20, leaf2: 30}, {leaf1: 10, leaf2: 20}],
                                        b: [{leaf1: 15, leaf2: 25}, {leaf1: 15, leaf2: 25}]})
    services.deduction_add(round_=round_, unit=a, points=D("3"), reason="暗访发现脱岗", by=staff)
    scores = _by_unit(round_scores(round_))
    # A: leaf1 mean 15 × 2, leaf2 mean 25 × (2 × 0.5) = 30 + 25 = 55, less 3 = 52
    assert scores["单位A"].score == D("55.00") and scores["单位A"].total == D("52.00")
    assert scores["单位B"].total == D("55.00")
    assert (scores["单位B"].rank, scores["单位A"].rank) == (1, 2)


def test_it_scores_each_method(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    a, b, c = _units(world.township, 3)
    campaign = unit_campaign(world.township, by=staff, units=[a, b, c], indicators=(), min_ballots=1)
    rank = services.indicator_add(campaign=campaign, by=staff, title="排名", max_points=60, method="rank",
                                  rank_points="60,57,54")
    ratio = services.indicator_add(campaign=campaign, by=staff, title="比值", max_points=10, method="ratio")
    target = services.indicator_add(campaign=campaign, by=staff, title="达标", max_points=5, method="target",
                                    target=D("3"))
    deduct = services.indicator_add(campaign=campaign, by=staff, title="违规", max_points=10, method="deduction",
                                    per_occurrence=D("4"), floor=D("2"))
    deputy = unit_voters(world.township, 1)[0]
    round_ = unit_round_open(campaign, by=staff)
    _vote_indicators(round_, [deputy], {
        a: [{rank: 90, ratio: 8, target: 3, deduct: 0}],
        b: [{rank: 90, ratio: 4, target: 2, deduct: 1}],
        c: [{rank: 70, ratio: 2, target: 5, deduct: 5}],
    })
    s = _by_unit(round_scores(round_))
    # rank: A and B tie for 1st (60 each), C is 3rd (54); ratio to the best (8); target 3 met or not;
    # deduction 10 − 4 × n, never below the floor of 2
    assert [s[n].indicator_scores[rank.pk] for n in ["单位A", "单位B", "单位C"]] == [60, 60, 54]
    assert [s[n].indicator_scores[ratio.pk] for n in ["单位A", "单位B", "单位C"]] == [D("10"), D("5"), D("2.5")]
    assert [s[n].indicator_scores[target.pk] for n in ["单位A", "单位B", "单位C"]] == [5, 0, 5]
    assert [s[n].indicator_scores[deduct.pk] for n in ["单位A", "单位B", "单位C"]] == [10, 6, 2]


def test_it_ranks_ties_openly_and_skips_the_next_rank(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    a, b, c, d = _units(world.township, 4)
    campaign = unit_campaign(world.township, by=staff, units=[a, b, c, d], indicators=(("总体", 100),),
                             min_ballots=1)
    leaf = Indicator.objects.get(campaign=campaign)
    deputy = unit_voters(world.township, 1)[0]
    round_ = unit_round_open(campaign, by=staff)
    _vote_indicators(round_, [deputy], {a: [{leaf: 90}], b: [{leaf: 90}], c: [{leaf: 80}], d: [{leaf: 70}]})
    s = _by_unit(round_scores(round_))
    assert [(s[n].rank, s[n].tied) for n in ("单位A", "单位B", "单位C", "单位D")] == [
        (1, True), (1, True), (3, False), (4, False)]


def test_it_hides_units_with_too_few_ballots_and_leaves_them_out_of_the_ranking(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    a, b = _units(world.township, 2)
    campaign = unit_campaign(world.township, by=staff, units=[a, b], indicators=(("总体", 100),), min_ballots=2)
    leaf = Indicator.objects.get(campaign=campaign)
    deputies = unit_voters(world.township, 2)
    round_ = unit_round_open(campaign, by=staff)
    _vote_indicators(round_, deputies, {a: [{leaf: 80}, {leaf: 60}], b: [{leaf: 99}]})
    s = _by_unit(round_scores(round_))
    assert (s["单位A"].shown, s["单位A"].total, s["单位A"].rank) == (True, D("70.00"), 1)
    assert (s["单位B"].shown, s["单位B"].ballots, s["单位B"].total, s["单位B"].rank) == (False, 1, None, None)


def test_it_grades_the_three_grade_ballot_and_opens_rectification_over_the_threshold(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    a, b = _units(world.township, 2)
    campaign = unit_campaign(world.township, by=staff, units=[a, b], scheme_kind="grades", min_ballots=5,
                             unsatisfied_threshold=D("30"), period_kind="annual")
    deputies = unit_voters(world.township, 5)
    round_ = unit_round_open(campaign, by=staff)
    votes_a = ["satisfied", "satisfied", "satisfied", "basic", "unsatisfied"]
    votes_b = ["unsatisfied", "unsatisfied", "basic", "satisfied", "basic"]
    for deputy, ga, gb in zip(deputies, votes_a, votes_b, strict=True):
        services.ballot_cast(round_=round_, deputy=deputy, votes={a: ga, b: gb}, by=deputy.user)
    services.round_close(round_=round_, by=staff)
    services.round_publish(round_=round_, by=staff)
    results = {r.unit.name: r for r in UnitResult.objects.filter(round=round_).select_related("unit")}
    assert (results["单位A"].grade, results["单位A"].score) == ("satisfied", D("72.00"))  # (3×100 + 60) / 5
    assert results["单位B"].grade == "unsatisfied"  # 40% 不满意 > 30%
    items = list(campaign.rectifications.all())
    assert [(i.unit.name, i.opened_automatically) for i in items] == [("单位B", True)]
    outcomes = {s.unit.name: s.outcomes for s in apply_outcomes(round_scores(round_), campaign)}
    assert outcomes == {"单位A": ["授予满意单位牌匾"], "单位B": ["通报批评，明年再次评议"]}


def test_it_cumulates_published_rounds_for_mid_year_totals(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    a, b = _units(world.township, 2)
    campaign = unit_campaign(world.township, by=staff, units=[a, b], indicators=(("总体", 100),), min_ballots=1)
    leaf = Indicator.objects.get(campaign=campaign)
    deputy = unit_voters(world.township, 1)[0]
    rounds = []
    for number, (va, vb) in ((1, (80, 90)), (2, (100, 70))):
        round_ = unit_round_open(campaign, by=staff, number=number)
        _vote_indicators(round_, [deputy], {a: [{leaf: va}], b: [{leaf: vb}]})
        services.round_close(round_=round_, by=staff)
        services.round_publish(round_=round_, by=staff)
        rounds.append(round_)
    s = _by_unit(cumulative_scores(campaign, rounds))
    assert (s["单位A"].total, s["单位A"].rank) == (D("90.00"), 1)
    assert (s["单位B"].total, s["单位B"].rank, s["单位B"].rounds_counted) == (D("80.00"), 2, 2)


def test_it_gives_titles_praise_and_criticism_by_rule_and_shares_a_boundary_tie(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    units = _units(world.township, 5)
    campaign = unit_campaign(world.township, by=staff, units=units, indicators=(("总体", 100),), min_ballots=1,
                             title_top_n=1, praise_top_n=2, criticism_bottom_n=1)
    leaf = Indicator.objects.get(campaign=campaign)
    deputy = unit_voters(world.township, 1)[0]
    round_ = unit_round_open(campaign, by=staff)
    _vote_indicators(round_, [deputy], {u: [{leaf: v}] for u, v in zip(units, [95, 95, 80, 70, 60], strict=True)})
    s = _by_unit(apply_outcomes(round_scores(round_), campaign))
    assert s["单位A"].outcomes == [TITLE, PRAISE] and s["单位B"].outcomes == [TITLE, PRAISE]
    assert s["单位C"].outcomes == [] and s["单位E"].outcomes == [CRITICISM]
    assert (s["单位A"].tier, s["单位C"].tier, s["单位E"].tier) == ("good", "middle", "poor")


def test_it_refuses_a_vote_outside_the_window_or_from_someone_not_on_the_roll(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    campaign = unit_campaign(world.township, by=staff, units=[world.unit], scheme_kind="grades")
    deputy = unit_voters(world.township, 1)[0]
    outsider = unit_voters(world.other_township, 1)[0]
    round_ = campaign.rounds.get(number=1)
    with pytest.raises(services.ValidationError, match="不在投票期间"):
        services.ballot_cast(round_=round_, deputy=deputy, votes={world.unit: "satisfied"}, by=deputy.user)
    round_ = unit_round_open(campaign, by=staff)
    with pytest.raises(services.ValidationError, match="不是本乡镇的在任代表"):
        services.ballot_cast(round_=round_, deputy=outsider, votes={world.unit: "satisfied"}, by=outsider.user)
    late = round_.closes_on.replace(year=round_.closes_on.year + 1)
    with pytest.raises(services.ValidationError, match="截止"):
        services.ballot_cast(round_=round_, deputy=deputy, votes={world.unit: "satisfied"}, by=deputy.user,
                             today=late)
    assert not round_.ballots.exists() and not round_.casts.filter(cast_on__isnull=False).exists()


def test_it_walks_every_round_transition():
    """Allowed: draft→open→closed→published; everything else is refused with a reason."""
    table = services.ROUND_TRANSITIONS
    states = list(table)
    for current in states:
        for new in states:
            assert (new in table[current]) == ((current, new) in {("draft", "open"), ("open", "closed"),
                                                                  ("closed", "published")})


def test_it_refuses_to_publish_an_open_round_and_keeps_deductions_fixed_after(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    campaign = unit_campaign(world.township, by=staff, units=[world.unit], indicators=(("总体", 100),))
    round_ = campaign.rounds.get(number=1)
    unit_voters(world.township, 1)
    with pytest.raises(services.ValidationError, match="投票截止后"):
        services.round_publish(round_=round_, by=staff)
    round_ = unit_round_open(campaign, by=staff)
    services.round_close(round_=round_, by=staff)
    services.round_publish(round_=round_, by=staff)
    with pytest.raises(services.ValidationError, match="已公布"):
        services.deduction_add(round_=round_, unit=world.unit, points=D("1"), reason="迟到", by=staff)
    assert not Deduction.objects.exists()


def test_it_walks_every_rectification_transition():
    """Allowed: open→done, done→checked (回头看 confirmed), done→open (sent back); nothing leaves checked."""
    from evaluations.units.rectification import TRANSITIONS

    allowed = {("open", "done"), ("done", "checked"), ("done", "open")}
    for current in TRANSITIONS:
        for new in TRANSITIONS:
            assert (new in TRANSITIONS[current]) == ((current, new) in allowed)


def test_it_never_both_praises_and_criticises_a_unit(world):
    """With few units the title and criticism lists would meet: a unit in the bottom places is criticised only."""
    staff = world.user(Role.PRESIDIUM_STAFF)
    units = _units(world.township, 3)
    campaign = unit_campaign(world.township, by=staff, units=units, indicators=(("总体", 100),), min_ballots=1,
                             title_top_n=5, praise_top_n=3, criticism_bottom_n=1)
    leaf = Indicator.objects.get(campaign=campaign)
    deputy = unit_voters(world.township, 1)[0]
    round_ = unit_round_open(campaign, by=staff)
    _vote_indicators(round_, [deputy], {u: [{leaf: v}] for u, v in zip(units, [90, 80, 70], strict=True)})
    s = _by_unit(apply_outcomes(round_scores(round_), campaign))
    assert [s[n].outcomes for n in ("单位A", "单位B", "单位C")] == [[TITLE, PRAISE], [TITLE, PRAISE], [CRITICISM]]
