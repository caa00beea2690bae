"""Issue 12: the suggestion cards of the home page come from one aggregate query that agrees with each card."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals import services
from proposals.wiring import _overdue, _pending_extensions, _pending_hand_backs, _staff_counts, _to_register
from tests.factories import proposals_suggestion


def test_it_counts_the_staff_cards_in_one_query_agreeing_with_each_card(world, staff, liaison):
    proposals_suggestion(world.township, status_to="submitted")
    proposals_suggestion(world.township, status_to="submitted")
    assigned = proposals_suggestion(world.township, status_to="assigned", unit=world.unit)
    services.suggestion_hand_back_request(suggestion=assigned, by=liaison, reason="不属于本单位")
    proposals_suggestion(world.other_township, status_to="submitted")
    for user in (staff, world.user("county_admin"), world.user("presidium_chair")):
        _staff_counts(user)  # the user's roles are read once and kept on the user
        with CaptureQueriesContext(connection) as captured:
            batched = _staff_counts(user)
        assert len(captured) == 1
        assert batched == {"proposals_to_register": _to_register(user), "proposals_overdue": _overdue(user),
                           "proposals_extensions": _pending_extensions(user),
                           "proposals_hand_backs": _pending_hand_backs(user)}
    assert _staff_counts(staff)["proposals_to_register"] == 2
    assert _staff_counts(staff)["proposals_hand_backs"] == 1
