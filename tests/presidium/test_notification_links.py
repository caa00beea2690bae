"""Links made once a batch with a stand-in id and filled per id are the links reverse() makes one at a time."""

from __future__ import annotations

import pytest
from django.urls import reverse

from presidium.notifications.links import STAND_IN, absolute_urls, pk_links
from tests.factories import proposals_suggestion

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("pk", [1, 9, 10, 987654320, 987654321, 12345678901])
def test_it_fills_in_the_id_as_reverse_would(pk):
    def link_of(number):
        return reverse("proposals:detail", args=[number])

    assert pk_links(link_of)(pk) == link_of(pk)


def test_it_makes_each_link_in_full_when_the_stand_in_is_not_there_exactly_once():
    calls = []

    def twice(pk):  # the id appears twice: a pattern cut at the first would be wrong
        calls.append(pk)
        return f"/a/{pk}/b/{pk}/"

    def hidden(pk):  # the id transformed: the stand-in never appears
        calls.append(pk)
        return f"/a/{pk * 2}/"

    assert pk_links(twice)(7) == "/a/7/b/7/"
    assert pk_links(hidden)(7) == "/a/14/"
    assert calls == [STAND_IN, 7, STAND_IN, 7]


def test_it_links_a_batch_of_instances_as_their_own_urls(world):
    items = [proposals_suggestion(world.township) for _ in range(3)]
    urls = absolute_urls(items)
    assert [urls(item) for item in items] == [item.get_absolute_url() for item in items]


def test_it_makes_each_link_in_full_when_a_link_reads_more_than_the_id(world):
    items = [proposals_suggestion(world.township, title=f"第{i}件建议") for i in range(3)]

    def by_title(item):
        return f"{item.get_absolute_url()}?t={item.title}"

    urls = absolute_urls(items, by_title)
    assert [urls(item) for item in items] == [by_title(item) for item in items]
    assert absolute_urls([], by_title) is by_title
