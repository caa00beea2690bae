"""Constituency and group lists sort 第一, 第三, 第七, 第三十一 (a key stored by the services and a data migration)."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.urls import reverse

from deputies import services
from deputies.models import Constituency, DeputyGroup
from presidium.choices import Role

ORDER = ["第一选区", "第三选区", "第七选区", "第十二选区", "第三十一选区"]


def _names(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


def test_it_stores_the_key_and_lists_constituencies_by_number(world, login):
    staff = world.user(Role.PRESIDIUM_STAFF)
    for name in ["第三十一选区", "第七选区", "第一选区", "第十二选区", "第三选区"]:
        services.constituency_create(township=world.township, by=staff, name=name, seats=1)
    assert list(Constituency.objects.filter(township=world.township).values_list("name", flat=True)) == ORDER
    page = login(staff).get(reverse("deputies:constituency_list")).content.decode()
    assert _names(page, ORDER) == ORDER


def test_it_recomputes_the_key_when_a_name_changes(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    group = services.deputy_group_create(township=world.township, by=staff, name="第三十一代表小组")
    services.deputy_group_create(township=world.township, by=staff, name="第四代表小组")
    services.deputy_group_update(group=group, by=staff, name="第三代表小组")
    group.refresh_from_db()
    assert group.name_sort_key == "第00000003代表小组"
    assert list(DeputyGroup.objects.filter(township=world.township).values_list("name", flat=True)) == [
        "第三代表小组", "第四代表小组"]


def test_it_fills_the_keys_of_existing_rows_in_the_data_migration(world):
    Constituency.objects.create(township=world.township, name="第十选区", seats=1)  # as rows were before the key
    DeputyGroup.objects.create(township=world.township, name="第二代表小组")
    migration = importlib.import_module("deputies.migrations.0005_name_sort_keys")
    migration.fill_sort_keys(apps, None)
    assert Constituency.objects.get(name="第十选区").name_sort_key == "第00000010选区"
    assert DeputyGroup.objects.get(name="第二代表小组").name_sort_key == "第00000002代表小组"
