"""Ranking of townships: totals of finalised responses, ties shown as 并列, the year to date summed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from evaluations.scorecards import selectors, services
from presidium.choices import Role
from tests.factories import TownshipFactory, scorecard_checklist, user_with_role


def _finalise(checklist, township, scores, reviewer):
    staff = user_with_role(Role.PRESIDIUM_STAFF, township)
    response = checklist.responses.get(township=township)
    items = list(checklist.items.all())
    for item in items:
        services.item_answer_save(response=response, item=item, answer="done", by=staff, on=checklist.period_start)
    services.township_response_submit(response=response, by=staff, on=checklist.period_start)
    for item, score in zip(items, scores, strict=True):
        services.item_score_set(response=response, item=item, score=score, by=reviewer)
    return services.township_response_finalise(response=response, by=reviewer)


def test_it_ranks_equal_totals_together_and_skips_the_next_rank(world):
    reviewer = world.user(Role.COUNTY_REVIEWER)
    third = TownshipFactory(county=world.county, name="丙乡")
    fourth = TownshipFactory(county=world.county, name="丁乡")
    checklist = scorecard_checklist(world.county, by=reviewer, publish=True)
    _finalise(checklist, world.township, [8, 9], reviewer)  # 17
    _finalise(checklist, world.other_township, [10, 7], reviewer)  # 17
    _finalise(checklist, third, [5, "5.5"], reviewer)  # 10.5
    rows = selectors.period_ranking(checklist)
    assert [(r.township.name, r.total, r.rank, r.tied) for r in rows] == [
        ("乙镇", Decimal("17.0"), 1, True), ("甲镇", Decimal("17.0"), 1, True),
        ("丙乡", Decimal("10.5"), 3, False), ("丁乡", None, None, False)]
    assert fourth.pk == rows[-1].township.pk


def test_it_sums_the_year_to_date_over_finalised_periods_only(world):
    reviewer = world.user(Role.COUNTY_REVIEWER)
    year = dt.date.today().year - 1  # a past year: every quarter can be published on its first day
    q1 = scorecard_checklist(world.county, by=reviewer, start=dt.date(year, 1, 1), publish=True)
    q2 = scorecard_checklist(world.county, by=reviewer, start=dt.date(year, 4, 1), publish=True)
    q3 = scorecard_checklist(world.county, by=reviewer, start=dt.date(year, 7, 1), publish=True)
    _finalise(q1, world.township, [10, 10], reviewer)
    _finalise(q1, world.other_township, [5, 5], reviewer)
    _finalise(q2, world.other_township, [10, 10], reviewer)  # A's Q2 is not finalised: it counts nothing
    _finalise(q3, world.township, [1, 1], reviewer)  # after Q2: not in Q2's year to date
    rows = selectors.year_ranking(q2)
    assert [(r.township.name, r.total, r.rank, r.tied) for r in rows] == [
        ("乙镇", Decimal("30.0"), 1, False), ("甲镇", Decimal("20.0"), 2, False)]
    assert [r.total for r in selectors.year_ranking(q3)] == [Decimal("30.0"), Decimal("22.0")]
