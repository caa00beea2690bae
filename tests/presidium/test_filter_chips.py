"""The shared filter panel: folded on phones, open from md up, the active filters as removable chips."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from django.test import RequestFactory
from django.urls import reverse

from presidium.filters import HandlingUnitFilter
from presidium.templatetags.filter_chips import active_filter_chips


def chips_of(page: str) -> dict[str, dict]:
    """{chip text: parsed query of its link} for the chips on a page."""
    found = re.findall(r'<a class="filter-chip[^"]*" href="([^"]*)"[^>]*>([^<]*)<i', page)
    return {unescape(text).strip(): parse_qs(urlsplit(unescape(href)).query) for href, text in found}


def test_it_shows_each_active_filter_as_a_chip_linking_to_the_list_without_it(world, login):
    client = login(world.user("county_admin"))
    url = reverse("presidium:unit_list")
    page = client.get(url, {"q": "财政", "township": world.township.pk, "kind": "station",
                            "is_active": "true"}).content.decode()
    chips = chips_of(page)
    assert set(chips) == {"乡镇：甲镇", "类型：站所", "状态：在用"}  # the search box keeps its own text
    assert chips["乡镇：甲镇"] == {"q": ["财政"], "kind": ["station"], "is_active": ["true"]}
    assert chips["类型：站所"] == {"q": ["财政"], "township": [str(world.township.pk)], "is_active": ["true"]}
    assert 'data-testid="filter-toggle"' in page and "更多条件 (3)" in page


def test_it_folds_the_panel_on_phones_and_opens_it_when_a_filter_is_wrong(world, login):
    client = login(world.user("county_admin"))
    url = reverse("presidium:unit_list")
    page = client.get(url).content.decode()
    assert 'class="collapse filter-more"' in page and 'data-bs-target="#filter-more"' in page
    assert 'data-testid="filter-chips"' not in page
    wrong = client.get(url, {"township": "abc"}).content.decode()
    assert 'class="collapse filter-more show"' in wrong and "筛选条件有误" in wrong


def test_it_makes_chips_without_asking_the_database_again(world, django_assert_num_queries):
    request = RequestFactory().get("/units/", {"township": world.township.pk, "kind": "village", "page": "3"})
    request.user = world.user("county_admin")
    filterset = HandlingUnitFilter(request.GET, request=request)
    assert filterset.is_valid()
    with django_assert_num_queries(0):
        chips = active_filter_chips({"request": request}, filterset)
    assert [(c.label, c.value, c.url) for c in chips] == [
        ("乡镇", "甲镇", "?kind=village"), ("类型", "村（社区）", f"?township={world.township.pk}")]  # no page


def test_it_gives_a_date_filter_its_typed_date_and_drops_an_empty_parameter(world, login):
    client = login(world.user("presidium_staff"))
    page = client.get(reverse("deputies:visit_list"), {"start": "2026-01-01", "method": "", "q": ""}).content.decode()
    assert set(chips_of(page)) == {"起始日期：2026-01-01"}
