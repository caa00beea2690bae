"""Issue 12, sixth round: a township's staff and chair read their home's chart blocks from their township's figures
snapshot (presidium.snapshots.snapshot_scope), equal to the live blocks right after a refresh, with 统计截至; a
stale one is recomputed on reading; nobody reads another township's; the action cards stay live."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from petitions.views import reports as petition_reports
from presidium.choices import Role
from presidium.models import FiguresSnapshot, RoleAssignment
from presidium.snapshots import (
    MAX_AGE,
    SnapshotScope,
    figures_snapshots_refresh_all,
    snapshot_county,
    snapshot_scope,
)
from proposals import selectors as proposal_selectors
from proposals import services as proposal_services
from proposals.views import reports as proposal_reports
from tests.factories import petition_at, proposals_suggestion, user_with_role

BLOCKS = ((proposal_reports, proposal_selectors.HOME_SNAPSHOT), (petition_reports, "petitions.home"))
COUNTED = re.compile(r"<p [^>]*data-testid=\"counted-at\">[^<]*</p>")


@pytest.fixture
def staff(world):
    return world.user(Role.PRESIDIUM_STAFF)


def _make_items(world, staff, extra: int = 0):
    """Items of both townships, with a suggestion returned to draft (the staff see it, the county does not) and
    an unsubmitted draft the staff entered themselves (seen by them only, counted by no figure)."""
    today = timezone.localdate()
    received = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=10))
    for status in ("submitted", "assigned", "in_handling", "draft", "withdrawn", *["assigned"] * extra):
        proposals_suggestion(world.township, status_to=status, unit=world.unit)
    proposals_suggestion(world.township, status_to="draft", by=staff)
    returned = proposals_suggestion(world.township, status_to="submitted")
    proposal_services.suggestion_return(suggestion=returned, by=staff, reason="请补充办理建议")
    proposals_suggestion(world.other_township, status_to="assigned", unit=world.other_unit)
    for status in ("registered", "accepted", "registered", *["accepted"] * extra):
        petition_at(status, world.township, by=staff, received_on=received)
    petition_at("registered", world.other_township, by=world.other_staff, received_on=received)
    petition_at("registered", world.township, by=staff, received_on=today - dt.timedelta(days=80))


def _block(module, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return module.home_block(request)


def _live_block(module, user, monkeypatch) -> str:
    with monkeypatch.context() as patched:
        patched.setattr(module, "snapshot_scope", lambda user, action: None)
        return _block(module, user)


def test_it_chooses_a_township_snapshot_only_for_one_township_s_staff_or_chair(world, staff):
    action = "proposals.figures"
    township = SnapshotScope(None, world.township.pk)
    assert snapshot_scope(staff, action) == township
    assert snapshot_scope(world.user(Role.PRESIDIUM_CHAIR), action) == township
    assert snapshot_scope(world.other_staff, action) == SnapshotScope(None, world.other_township.pk)
    assert snapshot_scope(world.user(Role.COUNTY_ADMIN), action) == SnapshotScope(world.county.pk)
    assert snapshot_county(staff, action) is None  # the county pages never take a township's snapshot
    # A deputy, a liaison: no figures. Two townships that are not a county, county and township roles mixed,
    # a superuser: live.
    assert snapshot_scope(world.user(Role.DEPUTY), action) is None
    assert snapshot_scope(world.user(Role.UNIT_LIAISON), action) is None
    two = user_with_role(Role.PRESIDIUM_STAFF, world.township, username="staff_two")
    RoleAssignment.objects.create(user=two, role=Role.PRESIDIUM_STAFF, township=world.other_township)
    assert snapshot_scope(two, action) is None
    mixed = user_with_role(Role.PRESIDIUM_STAFF, world.township, username="staff_county")
    RoleAssignment.objects.create(user=mixed, role=Role.COUNTY_REVIEWER, county=world.county)
    assert snapshot_scope(mixed, action) is None
    # A chair who is also a deputy of the township still reads the township's snapshot.
    chair_deputy = user_with_role(Role.PRESIDIUM_CHAIR, world.township, username="chair_deputy")
    RoleAssignment.objects.create(user=chair_deputy, role=Role.DEPUTY, township=world.township)
    assert snapshot_scope(chair_deputy, action) == township


@pytest.mark.parametrize("role", [Role.PRESIDIUM_STAFF, Role.PRESIDIUM_CHAIR])
def test_it_shows_the_township_blocks_as_live_right_after_a_refresh_with_their_time(world, staff, role, monkeypatch):
    user = world.user(role)
    _make_items(world, staff)
    figures_snapshots_refresh_all()
    for module, kind in BLOCKS:
        shown = _block(module, user)
        snapshot = FiguresSnapshot.objects.get(kind=kind, township=world.township)
        counted = "统计截至 " + timezone.localtime(snapshot.computed_at).strftime("%H:%M")
        assert counted in shown
        live = _live_block(module, user, monkeypatch)
        assert "统计截至" not in live
        assert COUNTED.sub("", shown) == live  # the same figures and charts, byte for byte
    # The township's intake counts the returned draft as its staff see it (four submitted and the returned one),
    # and nothing of the other township or of the staff's own unsubmitted draft.
    township_data = FiguresSnapshot.objects.get(kind=proposal_selectors.HOME_SNAPSHOT, township=world.township).data
    assert sum(township_data["intake"]) == 5 and township_data["figures"]["total"] == 4  # not drafts, not withdrawn


def test_it_recomputes_a_stale_township_snapshot_on_reading(world, staff, monkeypatch):
    _make_items(world, staff)
    figures_snapshots_refresh_all()
    FiguresSnapshot.objects.filter(township=world.township).update(
        computed_at=timezone.now() - MAX_AGE - dt.timedelta(minutes=1))
    proposals_suggestion(world.township, status_to="assigned", unit=world.unit)
    petition_at("accepted", world.township, by=staff)
    for module, _kind in BLOCKS:
        assert COUNTED.sub("", _block(module, staff)) == _live_block(module, staff, monkeypatch)
    assert FiguresSnapshot.objects.filter(township=world.township).count() == 2  # updated in place
    stale = FiguresSnapshot.objects.filter(township=world.township,
                                           computed_at__lt=timezone.now() - MAX_AGE).count()
    assert stale == 0


def test_it_never_shows_another_township_s_snapshot(world, staff, login):
    _make_items(world, staff)
    figures_snapshots_refresh_all()
    mine = FiguresSnapshot.objects.get(kind=proposal_selectors.HOME_SNAPSHOT, township=world.township)
    theirs = FiguresSnapshot.objects.get(kind=proposal_selectors.HOME_SNAPSHOT, township=world.other_township)
    assert mine.data["figures"]["total"] != theirs.data["figures"]["total"]
    # The other township's snapshot is marked with a figure only it holds: it must never reach staff A's page.
    FiguresSnapshot.objects.filter(pk=theirs.pk).update(data={**theirs.data, "intake": [7777] * 12})
    page = login(staff).get(reverse("home")).content.decode()
    assert "7777" not in page and 'data-testid="proposals-home-block"' in page and "统计截至" in page
    assert "7777" in _block(proposal_reports, world.other_staff)


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", [Role.PRESIDIUM_STAFF, Role.PRESIDIUM_CHAIR])
def test_it_reads_the_township_home_in_as_many_queries_at_two_data_sizes(world, staff, role, login):
    client = login(world.user(role))
    _make_items(world, staff)
    figures_snapshots_refresh_all()
    _home_queries(client)
    small = _home_queries(client)
    _make_items(world, staff, extra=6)
    figures_snapshots_refresh_all()
    _home_queries(client)
    assert _home_queries(client) == small


def test_it_keeps_the_township_action_cards_live(world, staff):
    """待办 stays exact: a case registered after the refresh is counted at once by the staff's card."""
    from petitions.staff_wiring import _staff_counts

    _make_items(world, staff)
    figures_snapshots_refresh_all()
    before = _staff_counts(staff)["petitions_to_accept"]
    petition_at("registered", world.township, by=staff)
    assert _staff_counts(staff)["petitions_to_accept"] == before + 1


def test_it_renders_a_snapshot_block_once_per_snapshot_and_language(world, staff, monkeypatch):
    """The chart blocks drawn from a snapshot are rendered once (snapshot_html): read again they are the same bytes
    without a template; a recomputed snapshot is rendered anew with its figures; English is its own HTML."""
    from django.test.signals import template_rendered
    from django.utils import translation

    _make_items(world, staff)
    figures_snapshots_refresh_all()
    rendered = []

    def seen(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(seen)
    try:
        first = {module: _block(module, staff) for module, _kind in BLOCKS}
        assert {"proposals/home_block.html", "petitions/home_block.html"} <= set(rendered)
        rendered.clear()
        assert {module: _block(module, staff) for module, _kind in BLOCKS} == first
        assert not [name for name in rendered if name.endswith("home_block.html")]
        with translation.override("en"):
            english = _block(proposal_reports, staff)
        assert english != first[proposal_reports] and "统计截至" not in english
        assert "proposals/home_block.html" in rendered
        # New items, then the beat's refresh: the block shows them (a new key), equal to the live block again.
        for _n in range(3):
            proposals_suggestion(world.township, status_to="assigned", unit=world.unit)
        figures_snapshots_refresh_all()
        rendered.clear()
        again = _block(proposal_reports, staff)
        assert "proposals/home_block.html" in rendered and again != first[proposal_reports]
        assert COUNTED.sub("", again) == _live_block(proposal_reports, staff, monkeypatch)
    finally:
        template_rendered.disconnect(seen)
