"""Across townships (the county's view) the group, station and constituency choices name their township."""

from __future__ import annotations

from django.urls import reverse

from deputies.choices import GroupKind
from deputies.models import DeputyGroup
from presidium.choices import Role


def test_it_names_the_township_of_each_group_for_the_county_and_not_for_staff(world, login):
    for township in (world.township, world.other_township):
        DeputyGroup.objects.create(township=township, name="东风代表小组", kind=GroupKind.SMALL)

    county = login(world.user(Role.COUNTY_REVIEWER)).get(reverse("deputies:deputy_list")).content.decode()
    assert f"{world.township.name} · 东风代表小组" in county
    assert f"{world.other_township.name} · 东风代表小组" in county

    staff = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("deputies:deputy_list")).content.decode()
    assert ">东风代表小组<" in staff and " · 东风代表小组" not in staff
