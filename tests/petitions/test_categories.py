"""信访类别 are the township's own and editable, on the same floor screens as the proposals' categories."""

from __future__ import annotations

import pytest
from django.urls import reverse

from petitions.choices import DEFAULT_CATEGORIES
from petitions.models import Category
from presidium.choices import Role

pytestmark = pytest.mark.django_db


def test_it_lets_staff_add_rename_and_switch_off_a_category_with_a_chinese_error_on_a_clash(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    page = client.get(reverse("petitions:category_list")).content.decode()
    assert all(name in page for name in DEFAULT_CATEGORIES)  # the seven defaults, written the first time
    client.post(reverse("petitions:category_create"), {"name": "  移民安置 ", "sort_order": "75", "is_active": "on"})
    added = Category.objects.get(township=world.township, name="移民安置")
    assert added.sort_order == 75 and added.history.first().history_user == world.user(Role.PRESIDIUM_STAFF)
    clash = client.post(reverse("petitions:category_update", args=[added.pk]),
                        {"name": Category.objects.exclude(pk=added.pk).filter(township=world.township).first().name,
                         "sort_order": "75", "is_active": "on"})
    assert clash.status_code == 200 and "本乡镇已有" in clash.content.decode()
    client.post(reverse("petitions:category_update", args=[added.pk]), {"name": "移民安置", "sort_order": "75"})
    added.refresh_from_db()
    assert added.is_active is False and added.name == "移民安置"


def test_it_keeps_another_townships_category_out_of_reach(world, login):
    from petitions import services

    theirs = services.categories_ensure(township=world.other_township)[0]
    client = login(world.user(Role.PRESIDIUM_STAFF))
    assert client.get(reverse("petitions:category_update", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("petitions:category_update", args=[theirs.pk]),
                       {"name": "改名", "sort_order": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name != "改名"
