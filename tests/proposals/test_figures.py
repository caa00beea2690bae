"""Figures and lists: the kinds add up to the items received; across townships a unit is named with its township."""

from __future__ import annotations

from django.urls import reverse

from presidium.choices import Role
from proposals import services
from tests.factories import HandlingUnitFactory, proposals_suggestion


def test_it_counts_motions_and_suggestions_among_the_received_items_only(world, login, staff):
    proposals_suggestion(world.township, status_to="assigned", unit=world.unit)
    proposals_suggestion(world.township, status_to="submitted")
    withdrawn = proposals_suggestion(world.township, status_to="submitted", title="撤回的建议")
    services.suggestion_withdraw(suggestion=withdrawn, by=staff, reason="代表已另行反映")
    response = login(staff).get(reverse("proposals:figures"))
    figures, kinds = response.context["figures"], response.context["kinds"]
    assert figures.total == 2 and sum(kinds.values()) == figures.total


def test_it_names_each_units_township_when_the_county_sees_all_townships(world, login):
    twin = HandlingUnitFactory(township=world.other_township, name=world.unit.name)  # every township has a 财政所
    proposals_suggestion(world.township, status_to="assigned", unit=world.unit)
    proposals_suggestion(world.other_township, status_to="assigned", unit=twin)
    client = login(world.user(Role.COUNTY_REVIEWER))

    everywhere = client.get(reverse("proposals:figures"))
    names = set(everywhere.context["charts"]["units"]["yAxis"]["data"])
    assert names == {f"{world.township.name} {world.unit.name}", f"{world.other_township.name} {twin.name}"}
    assert f'<span class="text-muted">{world.other_township.name}</span> {twin.name}' in everywhere.content.decode()

    one = client.get(reverse("proposals:figures"), {"township": world.township.pk})
    assert one.context["charts"]["units"]["yAxis"]["data"] == [world.unit.name]


def test_it_names_the_township_of_each_unit_in_the_county_list_filter_only(world, login, staff):
    county = login(world.user(Role.COUNTY_REVIEWER)).get(reverse("proposals:list")).content.decode()
    assert f">{world.township.name} · {world.unit.name}<" in county
    assert f">{world.other_township.name} · {world.other_unit.name}<" in county
    own = login(staff).get(reverse("proposals:list")).content.decode()
    assert f">{world.unit.name}<" in own and " · " + world.unit.name not in own
