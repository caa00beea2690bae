"""Figures and lists: the kinds add up to the items received; across townships a unit is named with its township;
a reassigned item counts for its new unit only."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from presidium.choices import Role
from proposals import services
from proposals.models import Suggestion
from proposals.selectors import flagged_units, rates_by_unit
from tests.factories import HandlingUnitFactory, proposals_suggestion, user_with_role


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


def test_it_counts_a_reassigned_item_for_the_new_unit_only(world, staff, deputy):
    """改办: the rates per unit and the 评先 flag follow the new lead unit; the old unit's meeting does not count."""
    water = HandlingUnitFactory(township=world.township, name="水利站")
    water_liaison = user_with_role(Role.UNIT_LIAISON, water, username="water_liaison")
    items = []
    for n in range(3):
        item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="in_handling", unit=world.unit,
                                    title=f"改办的建议{n}")  # 财政所 has met the deputy
        items.append(services.suggestion_reassign(suggestion=item, by=staff, lead_unit=water, note="交办错误"))
    scope = Suggestion.objects.filter(township=world.township)
    by_unit = {unit.name: rates for unit, rates in rates_by_unit(scope)}
    assert set(by_unit) == {"水利站"} and (by_unit["水利站"].assigned, by_unit["水利站"].consulted) == (3, 0)

    for item in items:
        services.consultation_record(suggestion=item, by=water_liaison, stage="before_reply", form="phone",
                                     held_on=timezone.localdate(), participants="代表、站长", summary="电话沟通")
        services.reply_submit(suggestion=item, by=water_liaison, text="暂不能解决", result_class="C", reason="资金限制")
        services.suggestion_rate(suggestion=item, by=staff, work_grade="unsatisfied", result_grade="unsatisfied",
                                 comment="没有解决")
    by_unit = {unit.name: rates for unit, rates in rates_by_unit(scope)}
    assert set(by_unit) == {"水利站"} and (by_unit["水利站"].consulted, by_unit["水利站"].unsatisfied) == (3, 3)
    assert flagged_units(township_ids=[world.township.pk], year=timezone.localdate().year) == {water.pk: 3}
