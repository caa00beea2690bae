"""The suggestions search finds an item by its title, its former serial or its lead deputy's name; the lead deputies
are matched as a subquery (read once), not by joining every item to its deputy (docs/performance.md, eighth round)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from presidium.choices import Role
from proposals.models import Suggestion
from tests.factories import DeputyFactory, proposals_suggestion

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.PRESIDIUM_STAFF, Role.COUNTY_ADMIN])
def test_it_finds_items_by_title_former_serial_or_lead_deputy_without_joining_the_deputies(world, login, role):
    by_title = proposals_suggestion(world.township, status_to="submitted", title="关于修缮道路的建议")
    by_deputy = proposals_suggestion(world.township, status_to="submitted", title="关于路灯的建议",
                                     lead_deputy=DeputyFactory(township=world.township, name="王道路"))
    by_serial = proposals_suggestion(world.township, status_to="submitted", title="关于校车的建议")
    Suggestion.objects.filter(pk=by_serial.pk).update(former_serial="道路-3")
    proposals_suggestion(world.township, status_to="submitted", title="关于桥梁的建议",
                         lead_deputy=DeputyFactory(township=world.township, name="李桥"))
    elsewhere = proposals_suggestion(world.foreign_township, status_to="submitted", title="外县道路",
                                     lead_deputy=DeputyFactory(township=world.foreign_township, name="赵道路"))
    client = login(world.user(role))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("proposals:list"), {"q": "道路"})
    found = {s.pk for s in response.context["object_list"]}
    assert found == {by_title.pk, by_deputy.pk, by_serial.pk} and elsewhere.pk not in found
    assert response.context["paginator"].count == 3
    counts = [q["sql"] for q in queries if "COUNT" in q["sql"] and "LIKE" in q["sql"]]
    assert counts and all('JOIN "deputies_deputy"' not in sql for sql in counts)
    nothing = client.get(reverse("proposals:list"), {"q": "渡口"})
    assert list(nothing.context["object_list"]) == []
