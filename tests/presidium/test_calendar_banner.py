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


def test_a_new_login_tells_staff_again(world, login, client):
    staff = world.user(Role.PRESIDIUM_STAFF)
    login(staff)
    assert BANNER in client.get(reverse("home")).content.decode()
    assert BANNER not in client.get(reverse("home")).content.decode()
    client.logout()
    login(staff)  # a new session: the cookie of the old one no longer counts
    assert BANNER in client.get(reverse("home")).content.decode()


def test_anothers_seen_cookie_does_not_hide_the_banner(world, client):
    from django.test import Client

    client.force_login(world.user(Role.PRESIDIUM_STAFF))
    client.get(reverse("home"))
    seen = client.cookies[frame.SEEN_COOKIE].value
    other = Client()
    other.force_login(world.user(Role.PRESIDIUM_CHAIR))
    other.cookies[frame.SEEN_COOKIE] = seen
    assert BANNER in other.get(reverse("home")).content.decode()
    assert BANNER not in other.get(reverse("home")).content.decode()  # its own cookie now


def test_telling_staff_writes_nothing_to_the_session(world, login, django_assert_num_queries):
    """The first home page of a session costs no more queries than the next (the cookie, not a session save)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from presidium.snapshots import figures_snapshots_refresh_all

    figures_snapshots_refresh_all()  # the chart blocks' snapshots, as beat keeps them (not part of the question)
    client = login(world.user(Role.PRESIDIUM_CHAIR))
    with CaptureQueriesContext(connection) as first:
        assert BANNER in client.get(reverse("home")).content.decode()
    with CaptureQueriesContext(connection) as second:
        assert BANNER not in client.get(reverse("home")).content.decode()
    assert len(first) == len(second)
    assert not [q for q in first.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]


@pytest.mark.parametrize("role", [Role.COUNTY_ADMIN, Role.PRESIDIUM_STAFF, Role.PRESIDIUM_CHAIR])
def test_the_unconfirmed_years_are_read_fresh_by_the_kept_sql(world, role):
    """``unconfirmed_years_for`` keeps its SQL per roles and years (presidium.home_cards.kept_sql) and reads the
    flags on every call: a national year confirmed, then the county's own row unconfirming it, then confirming it,
    each seen at the next call; one query a call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from presidium.calendar.models import CalendarYear
    from presidium.calendar.selectors import unconfirmed_years_for

    user = world.user(role)
    years = [2026, 2027]

    def read():
        with CaptureQueriesContext(connection) as captured:
            found = unconfirmed_years_for(user, years)
        assert len(captured) == 1
        return found

    unconfirmed_years_for(user, years)  # the roles
    CalendarYear.objects.filter(year=2027).delete()
    assert 2027 in read()
    national = CalendarYear.objects.create(year=2027, county=None, confirmed=True)
    assert 2027 not in read()
    own = CalendarYear.objects.create(year=2027, county=world.township.county, confirmed=False)
    assert 2027 in read()
    own.confirmed = True
    own.save()
    national.confirmed = False
    national.save()
    assert 2027 not in read()
    assert read() == unconfirmed_years_for(world.user(role), years)  # a new request's user: the same
