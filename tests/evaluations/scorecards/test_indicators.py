"""Indicators computed from a township's own records: the figure, its source records, and the same figure as
the app's own figures page (proposals' rates, petitions' figures) — never recomputed differently."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluations.scorecards import indicators
from petitions.figures import figures as petition_figures
from petitions.figures import in_period as petitions_in_period
from petitions.models import Petition
from presidium.choices import Role
from proposals.models import Suggestion
from proposals.selectors import in_period as suggestions_in_period
from proposals.selectors import rates
from tests.factories import (
    DeputyFactory,
    ReceptionDayFactory,
    VisitFactory,
    petition_at,
    proposals_suggestion,
)


@pytest.fixture
def period():
    today = timezone.localdate()
    return today - dt.timedelta(days=60), today


def test_it_divides_the_periods_visits_by_the_serving_deputies(world, period):
    start, end = period
    a, b = DeputyFactory(township=world.township), DeputyFactory(township=world.township)
    gone = DeputyFactory(township=world.township)
    type(gone).objects.filter(pk=gone.pk).update(status="resigned", status_since=start)  # not counted
    for deputy, days in ((a, 5), (a, 10), (b, 20)):
        VisitFactory(deputy=deputy, visited_on=end - dt.timedelta(days=days))
    VisitFactory(deputy=a, visited_on=start - dt.timedelta(days=1))  # before the period
    VisitFactory(deputy=DeputyFactory(township=world.other_township), visited_on=end)  # another township
    found = indicators.measure("visits_per_deputy", world.township, start, end)
    assert found.figure == Decimal("1.50")
    assert found.records.count() == 3
    assert all(v.township_id == world.township.pk for v in found.records)
    assert found.records.first().get_absolute_url().startswith("/deputies/")


def test_it_reads_the_proposals_rates_for_received_replied_and_satisfied(world, period):
    start, end = period
    proposals_suggestion(world.township, status_to="closed")
    proposals_suggestion(world.township, status_to="assigned")
    proposals_suggestion(world.township, status_to="draft")  # not received
    proposals_suggestion(world.other_township, status_to="closed")
    own = rates(suggestions_in_period(Suggestion.objects.filter(township=world.township), start, end))
    figures = indicators.figures_for(["suggestions_received", "reply_rate", "satisfaction_rate"],
                                     [world.township.pk, world.other_township.pk], start, end)
    assert figures["suggestions_received"][world.township.pk] == Decimal(own.total) == 2
    assert figures["reply_rate"][world.township.pk] == Decimal(str(own.reply_rate)) == Decimal("50.0")
    assert figures["satisfaction_rate"][world.township.pk] == Decimal("100.0")
    assert figures["suggestions_received"][world.other_township.pk] == 1
    measured = indicators.measure("reply_rate", world.township, start, end)
    assert measured.records.count() == 2 and measured.figure == Decimal("50.0")


def test_it_reads_the_petitions_figures_for_finished_on_time(world, period):
    start, end = period
    staff = world.user(Role.PRESIDIUM_STAFF)
    received = end - dt.timedelta(days=40)
    petition_at("replied", world.township, by=staff, received_on=received, unit=world.unit)
    petition_at("registered", world.township, by=staff, received_on=received)
    expected = petition_figures(petitions_in_period(Petition.objects.filter(township=world.township), start, end),
                                today=timezone.localdate())
    found = indicators.measure("petitions_on_time", world.township, start, end)
    assert found.figure == (None if expected.completion_rate is None else Decimal(str(expected.completion_rate)))
    assert found.records.count() == 2


def test_it_counts_reception_days_held_not_planned_or_cancelled(world, period):
    start, end = period
    ReceptionDayFactory(township=world.township, date=end - dt.timedelta(days=3), status="held")
    ReceptionDayFactory(township=world.township, date=end - dt.timedelta(days=10), status="planned")
    ReceptionDayFactory(township=world.township, date=end - dt.timedelta(days=17), status="cancelled",
                        cancel_reason="暴雨")
    found = indicators.measure("reception_days_held", world.township, start, end)
    assert found.figure == 1 and found.records.count() == 1


def test_it_answers_none_when_there_is_nothing_to_divide(world, period):
    start, end = period
    assert indicators.measure("visits_per_deputy", world.township, start, end).figure is None
    assert indicators.measure("reply_rate", world.township, start, end).figure is None


def test_it_computes_many_townships_in_a_fixed_number_of_queries(world, period, django_assert_max_num_queries):
    from tests.factories import TownshipFactory

    start, end = period
    ids = [TownshipFactory(county=world.county).pk for _ in range(12)]
    keys = [i.key for i in indicators.all_indicators()]
    with django_assert_max_num_queries(12):
        result = indicators.figures_for(keys, ids, start, end)
    assert set(result) == set(keys) and all(len(v) == 12 for v in result.values())
