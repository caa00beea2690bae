"""The “next year's holidays are not confirmed” banner: on every page for those who confirm the calendar (county
administrators), once per session on the home page for staff and chairs, who cannot change it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from presidium.calendar import frame
from presidium.choices import Role

BANNER = 'data-testid="calendar-warning"'


@pytest.fixture(autouse=True)
def december(monkeypatch):
    monkeypatch.setattr(frame, "_today", lambda: dt.date(2026, 12, 1))  # 2027 is not confirmed in the test data


def test_it_shows_the_banner_on_every_page_to_a_county_admin(world, login):
    client = login(world.user(Role.COUNTY_ADMIN))
    for url in (reverse("home"), reverse("proposals:list"), reverse("home")):
        assert BANNER in client.get(url).content.decode()


def test_it_shows_staff_the_banner_once_on_their_home_page(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    assert BANNER not in client.get(reverse("proposals:list")).content.decode()
    assert BANNER in client.get(reverse("home")).content.decode()
    assert BANNER not in client.get(reverse("home")).content.decode()
    assert BANNER not in client.get(reverse("proposals:list")).content.decode()


def test_it_costs_no_query_on_other_pages_for_staff(world, rf, django_assert_num_queries):
    request = rf.get(reverse("proposals:list"))
    request.user = world.user(Role.PRESIDIUM_CHAIR)
    frame.may_change_calendar(request.user)  # loads the roles (cached for the request's user)
    with django_assert_num_queries(0):
        assert frame.calendar_shell_context(request) == {"calendar_warnings": []}
