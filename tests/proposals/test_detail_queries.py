"""Issue 12: the suggestion page stays within 20 queries for every role that reads it, the same count with one
co-unit and with many (the co-units are read once for the timeline, the permission checks and the reasons)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals.models import CoUnit
from tests.factories import HandlingUnitFactory, proposals_suggestion

BUDGET = 20


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["presidium_staff", "county_admin", "presidium_chair", "unit_liaison"])
@pytest.mark.parametrize("status_to", ["in_handling", "closed"])
def test_it_keeps_the_suggestion_page_within_budget_as_co_units_grow(world, login, role, status_to):
    suggestion = proposals_suggestion(world.township, status_to=status_to, unit=world.unit)
    client = login(world.user(role))
    url = reverse("proposals:detail", args=[suggestion.pk])
    CoUnit.objects.create(suggestion=suggestion, unit=HandlingUnitFactory(township=world.township, name="水利站"))
    client.get(url)
    few = _queries(client, url)
    assert few <= BUDGET
    for n in range(5):
        CoUnit.objects.create(suggestion=suggestion, unit=HandlingUnitFactory(township=world.township, name=f"站{n}"))
    assert _queries(client, url) == few
