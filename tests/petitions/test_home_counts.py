"""Issue 12: the petition cards of the home page come from one aggregate query that agrees with each card."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from petitions.staff_wiring import _overdue, _staff_counts, _to_accept, _unit_replied
from presidium.choices import Role
from tests.factories import petition_at


def test_it_counts_the_staff_cards_in_one_query_agreeing_with_each_card(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    long_ago = timezone.localdate() - dt.timedelta(days=80)
    petition_at("registered", world.township, by=staff, received_on=long_ago)
    petition_at("registered", world.township, by=staff)
    petition_at("replied", world.township, by=staff, received_on=long_ago)
    petition_at("transferred", world.township, by=staff, unit=world.unit, received_on=long_ago)
    petition_at("registered", world.other_township, by=world.other_staff, received_on=long_ago)
    for user in (staff, world.user("county_admin"), world.user("presidium_chair")):
        _staff_counts(user)  # the user's roles are read once and kept on the user
        with CaptureQueriesContext(connection) as captured:
            batched = _staff_counts(user)
        assert len(captured) == 1
        assert batched == {"petitions_to_accept": _to_accept(user), "petitions_overdue": _overdue(user),
                           "petitions_unit_replied": _unit_replied(user)}
    assert _staff_counts(staff)["petitions_to_accept"] == 2
    assert _staff_counts(world.user("county_admin"))["petitions_overdue"] >= 1
