"""The home cards' SQL kept per (card, roles, day) (presidium/home_cards.py): built once a day, counted fresh on
every page; a card with any other input (a row it reads, a per-request memo, the time of day) built every time."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from presidium import registry
from presidium.choices import Role
from presidium.home_cards import _BUILT_EACH_TIME, _KEPT
from presidium.models import RoleAssignment
from tests.factories import proposals_suggestion

TEN_AM = dt.datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def builds(monkeypatch):
    """Wrap registered cards' ``rows`` so a test sees how often each is built: ``builds.wrap(key)``."""

    class Builds(dict):
        def wrap(self, key):
            card = registry._HOME[key]
            self[key] = 0

            def rows(user, *inputs, _make=card.rows):
                self[key] += 1
                return _make(user, *inputs)

            monkeypatch.setitem(registry._HOME, key, dataclasses.replace(card, rows=rows))

    return Builds()


def _counts(client) -> dict[str, int]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {item["card"].key: item["count"] for item in response.context["cards"]}


def _kept(key: str, user) -> list:
    return [value for entry, value in _KEPT.items()
            if len(entry) == 3 and entry[0] == key and entry[1].user_id == user.pk]


@time_machine.travel(TEN_AM, tick=False)
def test_it_builds_a_cards_sql_once_a_day_and_counts_the_rows_of_the_moment(world, login, builds):
    staff = world.user(Role.PRESIDIUM_STAFF)
    builds.wrap("proposals_to_register")
    client = login(staff)
    proposals_suggestion(world.township, status_to="submitted", title="第一件")
    assert _counts(client)["proposals_to_register"] == 1
    proposals_suggestion(world.township, status_to="submitted", title="第二件")
    proposals_suggestion(world.other_township, status_to="submitted", title="乙镇的")  # not this staff's
    assert _counts(client)["proposals_to_register"] == 2
    assert _counts(client)["proposals_to_register"] == 2
    assert builds["proposals_to_register"] == 1
    assert len(_kept("proposals_to_register", staff)) == 1


@time_machine.travel(TEN_AM, tick=False)
def test_every_kept_card_counts_what_the_card_itself_counts(world, login):
    """Each role's home with its cards' SQL kept, after the rows changed, against each card's own ``count``."""
    from tests.factories import DeputyFactory, VisitFactory, petition_at

    roles = (Role.PRESIDIUM_STAFF, Role.PRESIDIUM_CHAIR, Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER)
    for role in roles:
        _counts(login(world.user(role)))  # kept now
    proposals_suggestion(world.township, status_to="submitted")
    proposals_suggestion(world.township, status_to="assigned", unit=world.unit)
    petition_at("registered", world.township, by=world.user(Role.PRESIDIUM_STAFF))
    VisitFactory(deputy=DeputyFactory(township=world.township), visited_on=timezone.localdate())
    kept = 0
    for role in roles:
        user = world.user(role)
        shown = _counts(login(user))
        for key, count in shown.items():
            assert count == registry._HOME[key].count(user), (role, key)
        kept += sum(1 for key in shown if _kept(key, user) and _kept(key, user)[0] is not _BUILT_EACH_TIME)
    assert kept >= 12  # most cards are kept (the rest: see the next tests)


@time_machine.travel(TEN_AM, tick=False)
def test_it_keeps_the_behind_cards_sql_under_the_targets_it_reads_on_every_page(world, login, builds):
    """The behind-target card's SQL is written from the townships' targets in force: they are read on every page (its
    ``inputs``) and the SQL kept under them, so a target changed at 10:05 counts at 10:05, and the same targets again
    build nothing."""
    from deputies.models import VisitTarget
    from tests.factories import DeputyFactory

    staff = world.user(Role.PRESIDIUM_STAFF)
    builds.wrap("deputies_behind")
    DeputyFactory(township=world.township)
    target = VisitTarget.objects.create(township=world.township, year=TEN_AM.year, visits_per_month=0,
                                        people_per_year=0, set_by=world.user(Role.COUNTY_ADMIN))
    client = login(staff)
    before = _counts(client).get("deputies_behind")
    target.visits_per_month = 3
    target.save()
    after = _counts(client).get("deputies_behind")
    again = _counts(client).get("deputies_behind")
    assert after == again == registry._HOME["deputies_behind"].count(staff) and after != before
    assert builds["deputies_behind"] == 2
    kept = [value for entry, value in _KEPT.items()
            if entry[0] == "deputies_behind" and entry[1].user_id == staff.pk]
    assert len(kept) == 2 and _BUILT_EACH_TIME not in kept


@pytest.mark.parametrize("role", [Role.PRESIDIUM_STAFF, Role.PRESIDIUM_CHAIR, Role.COUNTY_ADMIN])
def test_the_behind_cards_targets_are_those_in_force_as_targets_for_finds_them(world, role):
    """Each township's latest target up to this year (an earlier year's carried over, next year's not yet), the
    user's townships only, equal to ``targets_for``'s; read again after a change, by the SQL kept for the year."""
    from deputies.access import VIEW_DUTY
    from deputies.models import VisitTarget
    from deputies.selectors import targets_for
    from deputies.wiring import TARGET_FIELDS, _behind_targets
    from presidium.access import townships_where

    user, year = world.user(role), timezone.localdate().year
    admin = world.user(Role.COUNTY_ADMIN)

    def expected():
        found = targets_for(townships_where(user, VIEW_DUTY).order_by().values("pk"), year)
        return tuple(sorted(tuple(getattr(t, name) for name in TARGET_FIELDS) for t in found.values()))

    assert _behind_targets(user) == expected() == ()
    VisitTarget.objects.create(township=world.township, year=year - 2, visits_per_month=1, people_per_year=10,
                               households_per_year=3, set_by=admin)
    VisitTarget.objects.create(township=world.other_township, year=year - 1, visits_per_month=2, people_per_year=20,
                               set_by=admin)
    VisitTarget.objects.create(township=world.other_township, year=year + 1, visits_per_month=9, people_per_year=90,
                               set_by=admin)
    assert _behind_targets(user) == expected() != ()
    VisitTarget.objects.create(township=world.township, year=year, visits_per_month=4, people_per_year=40,
                               households_per_year=0, set_by=admin)
    assert _behind_targets(user) == expected()
    assert (world.township.pk, year, 4, 40, 0) in _behind_targets(user)


def test_a_new_day_and_a_new_role_are_built_afresh(world, login, builds):
    staff = world.user(Role.PRESIDIUM_STAFF)
    builds.wrap("proposals_to_register")
    builds.wrap("proposals_overdue")
    client = login(staff)
    with time_machine.travel(TEN_AM, tick=False):
        _counts(client)
        _counts(client)
    with time_machine.travel(TEN_AM + dt.timedelta(days=1), tick=False):
        _counts(client)
    assert builds["proposals_to_register"] == 2 and len(_kept("proposals_to_register", staff)) == 2
    with time_machine.travel(TEN_AM + dt.timedelta(days=1), tick=False):
        RoleAssignment.objects.create(user=staff, role=Role.PRESIDIUM_STAFF, township=world.other_township)
        proposals_suggestion(world.other_township, status_to="submitted", title="乙镇的")
        counts = _counts(client)
    assert counts["proposals_to_register"] == 1  # the other township's item, through the new role
    assert builds["proposals_to_register"] == 3


@time_machine.travel(TEN_AM, tick=False)
def test_a_card_reading_a_memo_of_the_request_or_the_time_of_day_is_built_every_time(world, login, monkeypatch):
    """A card that takes the account's deputy from a memo another card left on the request's user object runs no
    query itself, but its SQL holds a row read this request: built for a copy of the account without memos, it
    does read it, and is not kept. Nor is a card whose SQL holds the time of day."""
    from deputies.selectors import deputy_of
    from proposals.models import Suggestion
    from tests.factories import DeputyFactory

    deputy = DeputyFactory(township=world.township, user=world.user(Role.PRESIDIUM_STAFF))

    def first(user):
        return Suggestion.objects.filter(lead_deputy=deputy_of(user))

    def second(user):  # the memo is there when built after `first` for the same request
        return Suggestion.objects.filter(lead_deputy_id=deputy_of(user).pk)

    def recent(user):
        return Suggestion.objects.filter(created_at__gte=timezone.now() - dt.timedelta(hours=1))

    roles = frozenset({Role.PRESIDIUM_STAFF})
    for order, (key, rows) in enumerate((("test_first", first), ("test_second", second), ("test_recent", recent))):
        monkeypatch.setitem(registry._HOME, key, registry.HomeCard(
            key=key, title=key, roles=roles, count=lambda user, rows=rows: rows(user).count(), rows=rows,
            order=order))
    proposals_suggestion(world.township, lead_deputy=deputy, status_to="submitted")
    staff = world.user(Role.PRESIDIUM_STAFF)
    client = login(staff)
    assert _counts(client)["test_second"] == 1
    for key in ("test_first", "test_second", "test_recent"):
        assert _kept(key, staff) == [_BUILT_EACH_TIME], key
    assert _counts(client) == _counts(client)
    assert all(_kept(key, staff) != [] for key in ("test_first", "test_second", "test_recent"))


@time_machine.travel(TEN_AM, tick=False)
def test_a_cards_day_bounds_are_kept_with_the_day_and_any_other_datetime_is_not(world, login, monkeypatch):
    """A year's or a day's bounds (``__year`` on a datetime, a local midnight) depend on the key's day only: such a
    card is kept, and counts the rows of the moment. A datetime one microsecond after midnight is a time of day."""
    from proposals.models import Suggestion

    midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))

    def this_year(user):
        return Suggestion.objects.filter(created_at__year=timezone.localdate().year)

    def today(user):
        return Suggestion.objects.filter(created_at__gte=midnight)

    def nearly(user):
        return Suggestion.objects.filter(created_at__gte=midnight + dt.timedelta(microseconds=1))

    roles = frozenset({Role.PRESIDIUM_STAFF})
    cards = (("test_year", this_year), ("test_today", today), ("test_nearly", nearly))
    for order, (key, rows) in enumerate(cards):
        monkeypatch.setitem(registry._HOME, key, registry.HomeCard(
            key=key, title=key, roles=roles, count=lambda user, rows=rows: rows(user).count(), rows=rows,
            order=order))
    staff = world.user(Role.PRESIDIUM_STAFF)
    client = login(staff)
    first = _counts(client)
    proposals_suggestion(world.township, status_to="submitted")
    second = _counts(client)
    for key, _rows in cards:
        assert second[key] == first[key] + 1 == Suggestion.objects.count(), key
    assert _kept("test_year", staff)[0] is not _BUILT_EACH_TIME
    assert _kept("test_today", staff)[0] is not _BUILT_EACH_TIME
    assert _kept("test_nearly", staff) == [_BUILT_EACH_TIME]
