"""Ballot secrecy at the database level: who voted and what was voted cannot be joined."""

from __future__ import annotations

import pytest
from django.db import connection

from evaluations.models import Ballot, BallotCast, BallotScore
from evaluations.units import services
from presidium.choices import Role
from tests.factories import unit_campaign, unit_round_open, unit_voters

pytestmark = pytest.mark.django_db


def _columns(model) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}


def test_it_keeps_no_column_that_could_join_a_voter_to_a_ballot(world):
    """The ballot tables hold round, unit, grade/indicator and value only: no deputy, user, time or sequence."""
    assert _columns(Ballot) == {"id", "round_id", "unit_id", "grade"}
    assert _columns(BallotScore) == {"id", "ballot_id", "indicator_id", "value"}
    assert _columns(BallotCast) == {"id", "round_id", "deputy_id", "unit_id", "cast_on"}
    # The only values the two sides share are the round and the unit.
    shared = (_columns(Ballot) | _columns(BallotScore)) & _columns(BallotCast)
    assert shared == {"id", "round_id", "unit_id"}
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"
    assert BallotScore._meta.pk.get_internal_type() == "UUIDField"
    assert not Ballot._meta.ordering and not BallotScore._meta.ordering


def test_it_cannot_recover_who_voted_what_from_all_rows(world):
    """Given every row of both tables, nothing orders or keys the ballots like the casts."""
    staff = world.user(Role.PRESIDIUM_STAFF)
    units = [world.unit]
    campaign = unit_campaign(world.township, by=staff, units=units, scheme_kind="grades", min_ballots=1)
    deputies = unit_voters(world.township, 8)
    round_ = unit_round_open(campaign, by=staff)
    grades = ["satisfied", "unsatisfied", "basic", "satisfied", "unsatisfied", "satisfied", "basic", "unsatisfied"]
    for deputy, grade in zip(deputies, grades, strict=True):
        services.ballot_cast(round_=round_, deputy=deputy, votes={world.unit: grade}, by=deputy.user)

    casts = list(BallotCast.objects.filter(round=round_).values("id", "deputy_id", "unit_id", "cast_on"))
    ballots = list(Ballot.objects.filter(round=round_).values("id", "unit_id", "grade"))
    assert len(ballots) == 8 and all(c["cast_on"] for c in casts)
    # The roll was written when the round opened, in roll order: its ids follow the deputies, not the votes.
    assert [c["deputy_id"] for c in sorted(casts, key=lambda c: c["id"])] == sorted(d.pk for d in deputies)
    # Ballot ids are random UUIDs: their order carries no information about who voted when.
    ids = [b["id"] for b in ballots]
    assert len({i.version for i in ids}) == 1 and ids[0].version == 4
    # Every cast row carries the same day: the day joins nobody to anything.
    assert len({c["cast_on"] for c in casts}) == 1
    # Sorting the ballots by their key does not give the voting order back (8 ballots, 8! orders).
    by_key = [b["grade"] for b in sorted(ballots, key=lambda b: b["id"])]
    assert sorted(by_key) == sorted(grades)


def test_it_lets_a_deputy_vote_once_per_unit_and_round(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    campaign = unit_campaign(world.township, by=staff, units=[world.unit], scheme_kind="grades")
    deputy = unit_voters(world.township, 1)[0]
    round_ = unit_round_open(campaign, by=staff)
    services.ballot_cast(round_=round_, deputy=deputy, votes={world.unit: "satisfied"}, by=deputy.user)
    with pytest.raises(services.ValidationError, match="只能投一次"):
        services.ballot_cast(round_=round_, deputy=deputy, votes={world.unit: "unsatisfied"}, by=deputy.user)
    assert Ballot.objects.filter(round=round_).count() == 1
    assert list(Ballot.objects.values_list("grade", flat=True)) == ["satisfied"]


def test_it_rewrites_the_ballots_in_random_order_under_new_keys_when_the_vote_closes(world):
    """After closing, no ballot keeps the key (or storage slot) it had when it was cast; the counts stay."""
    staff = world.user(Role.PRESIDIUM_STAFF)
    campaign = unit_campaign(world.township, by=staff, units=[world.unit], min_ballots=1)
    deputies = unit_voters(world.township, 4)
    round_ = unit_round_open(campaign, by=staff)
    indicators = list(campaign.indicators.all())
    for n, deputy in enumerate(deputies):
        services.ballot_cast(round_=round_, deputy=deputy, by=deputy.user,
                             votes={world.unit: dict.fromkeys(indicators, 10 + n)})
    before = set(Ballot.objects.values_list("id", flat=True))
    values = sorted(BallotScore.objects.values_list("indicator_id", "value"))
    services.round_close(round_=round_, by=staff)
    assert not before & set(Ballot.objects.values_list("id", flat=True))
    assert Ballot.objects.count() == 4 and sorted(BallotScore.objects.values_list("indicator_id", "value")) == values
