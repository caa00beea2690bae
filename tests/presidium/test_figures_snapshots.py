"""Issue 12: the county's home blocks read figures snapshots (presidium.snapshots) that equal the live figures the
county's roles would see, after services change the data, after the scale builders, and when read stale."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from petitions import figures as petition_figures
from petitions.selectors import petitions_visible_to
from presidium.choices import Role
from presidium.models import FiguresSnapshot
from presidium.snapshots import (
    MAX_AGE,
    figures_snapshot,
    figures_snapshot_refresh,
    figures_snapshots_refresh_all,
    snapshot_county,
    snapshot_kinds,
)
from proposals import selectors as proposal_selectors
from proposals import services as proposal_services
from tests.factories import petition_at, proposals_suggestion


@pytest.fixture
def staff(world):
    return world.user(Role.PRESIDIUM_STAFF)


@pytest.fixture
def liaison(world):
    return world.user(Role.UNIT_LIAISON)


def _live_proposals(user, year):
    items = proposal_selectors.in_period(proposal_selectors.suggestions_visible_to(user),
                                         dt.date(year, 1, 1), dt.date(year, 12, 31))
    overview = proposal_selectors.year_overview(items, year)
    return _proposals_view(overview)


def _proposals_view(overview):
    return (asdict(overview.figures), overview.figures.by_status,
            [(u.pk, u.name, u.township.name, asdict(r)) for u, r in overview.units[:proposal_selectors.HOME_UNITS]],
            overview.intake)


def _live_petitions(user, today):
    overview = petition_figures.year_overview(petitions_visible_to(user), today=today)
    return asdict(overview.figures), overview.channels, overview.categories, overview.monthly


def _snapshot_petitions(county_id, year):
    overview = petition_figures.overview_from_json(figures_snapshot(petition_figures.HOME_SNAPSHOT, county_id,
                                                                    year).data)
    return asdict(overview.figures), overview.channels, overview.categories, overview.monthly


def _snapshot_proposals(county_id, year):
    data = figures_snapshot(proposal_selectors.HOME_SNAPSHOT, county_id, year).data
    return _proposals_view(proposal_selectors.overview_from_json(data))


def _make_items(world, staff):
    today = timezone.localdate()
    received = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=10))
    for status in ("submitted", "assigned", "in_handling", "draft", "withdrawn"):
        proposals_suggestion(world.township, status_to=status, unit=world.unit)
    proposals_suggestion(world.other_township, status_to="assigned", unit=world.other_unit)
    for status in ("registered", "accepted", "registered"):
        petition_at(status, world.township, by=staff, received_on=received)
    petition_at("registered", world.other_township, by=world.other_staff, received_on=received)


def test_it_keeps_the_county_snapshots_equal_to_the_live_figures_after_services_run(world, staff, liaison):
    county_admin = world.user("county_admin")
    today = timezone.localdate()
    _make_items(world, staff)
    assert snapshot_county(county_admin, "proposals.figures") == world.county.pk
    figures_snapshots_refresh_all()
    assert _snapshot_proposals(world.county.pk, today.year) == _live_proposals(county_admin, today.year)
    assert _snapshot_petitions(world.county.pk, today.year) == _live_petitions(county_admin, today)

    # The services change the data; the next pass (beat every 10 minutes) counts it.
    assigned = proposals_suggestion(world.township, status_to="assigned", unit=world.unit)
    proposal_services.suggestion_hand_back_request(suggestion=assigned, by=liaison, reason="不属于本单位")
    petition_at("accepted", world.other_township, by=world.other_staff)
    figures_snapshots_refresh_all()
    assert _snapshot_proposals(world.county.pk, today.year) == _live_proposals(county_admin, today.year)
    assert _snapshot_petitions(world.county.pk, today.year) == _live_petitions(county_admin, today)
    assert _snapshot_proposals(world.county.pk, today.year)[0]["total"] >= 5


def test_it_recomputes_a_snapshot_read_when_missing_or_stale(world, staff):
    year = timezone.localdate().year
    _make_items(world, staff)
    kind = proposal_selectors.HOME_SNAPSHOT
    first = figures_snapshot(kind, world.county.pk, year)  # missing: computed on reading
    FiguresSnapshot.objects.filter(pk=first.pk).update(computed_at=timezone.now() - MAX_AGE - dt.timedelta(minutes=1),
                                                       data={})
    proposals_suggestion(world.township, status_to="submitted")
    again = figures_snapshot(kind, world.county.pk, year)
    assert again.pk == first.pk and again.data  # the stale one was recomputed, not shown
    assert again.data["figures"]["total"] == first.data["figures"]["total"] + 1
    # Fresh: read as stored, one query.
    with CaptureQueriesContext(connection) as captured:
        assert figures_snapshot(kind, world.county.pk, year).computed_at == again.computed_at
    assert len(captured) == 1
    assert FiguresSnapshot.objects.count() == 1
    figures_snapshot_refresh(kind=kind, county_id=world.county.pk, year=year)  # a second refresh updates in place
    assert FiguresSnapshot.objects.count() == 1


def test_it_shows_the_county_home_from_the_snapshot_with_its_time(world, staff, login):
    _make_items(world, staff)
    figures_snapshots_refresh_all()
    snapshot = FiguresSnapshot.objects.get(kind=proposal_selectors.HOME_SNAPSHOT, county=world.county, township=None)
    county_page = login(world.user("county_admin")).get(reverse("home")).content.decode()
    shown = timezone.localtime(snapshot.computed_at).strftime("%H:%M")
    assert "统计截至 " + shown in county_page and 'data-testid="proposals-home-block"' in county_page
    assert 'data-testid="petitions-home-block"' in county_page
    assert snapshot_county(staff, "proposals.figures") is None  # a township's staff: their township's (test_township_snapshots)


def test_it_does_not_read_a_snapshot_for_the_action_counts(world, staff):
    """待办 cards stay live: a county's overdue card counts a case the moment it is late, whatever the snapshot."""
    from petitions.staff_wiring import _staff_counts

    county_admin = world.user("county_admin")
    figures_snapshots_refresh_all()
    before = _staff_counts(county_admin)["petitions_overdue"]
    petition_at("registered", world.township, by=staff, received_on=timezone.localdate() - dt.timedelta(days=80))
    assert _staff_counts(county_admin)["petitions_overdue"] == before + 1


@pytest.mark.django_db
def test_it_agrees_with_the_live_figures_after_the_scale_builders():
    """What ``seed_demo --scale`` leaves: the builders' rows, then every snapshot refreshed (as the command does)."""
    from petitions.scale import build as build_petitions
    from presidium.models import County, RoleAssignment, Township, User
    from proposals.scale import build as build_proposals
    from tests.scale.helpers import small_plan, with_deputies

    plan = with_deputies(small_plan(townships=2, years=2, deputies=6))
    build_proposals(plan)
    build_petitions(plan)
    # Each county: the two home blocks and the suggestion figures page; each township: its two home blocks.
    assert snapshot_kinds() == ["petitions.home", "proposals.figures", "proposals.home"]
    assert snapshot_kinds(townships=True) == ["petitions.home", "proposals.home"]
    assert plan.built and figures_snapshots_refresh_all() == 3 * County.objects.count() + 2 * Township.objects.count()
    today = timezone.localdate()
    county_admin = User.objects.create_user("county_reader", password=None, real_name="县人大")
    RoleAssignment.objects.create(user=county_admin, role=Role.COUNTY_ADMIN, county=plan.county)
    county_id = snapshot_county(county_admin, "proposals.figures")
    assert county_id is not None
    assert _snapshot_proposals(county_id, today.year) == _live_proposals(county_admin, today.year)
    assert _snapshot_petitions(county_id, today.year) == _live_petitions(county_admin, today)
    assert _snapshot_proposals(county_id, today.year)[0]["total"] > 0


def test_it_opens_the_county_petition_figures_from_the_snapshot_as_the_live_page_shows_them(world, staff, login):
    """The county's 信访统计 as it opens (this year to date) is read from the snapshot; the same period asked for
    explicitly is computed live, and shows the same figures and township rows."""
    _make_items(world, staff)
    petition_at("registered", world.township, by=staff, received_on=timezone.localdate() - dt.timedelta(days=80))
    figures_snapshots_refresh_all()
    client = login(world.user("county_admin"))
    today = timezone.localdate()
    opened = client.get(reverse("petitions:figures"))
    live = client.get(reverse("petitions:figures"), {"start": dt.date(today.year, 1, 1).isoformat(),
                                                     "end": today.isoformat()})
    assert opened.status_code == live.status_code == 200
    assert opened.context["counted_at"] is not None and live.context["counted_at"] is None
    assert asdict(opened.context["figures"]) == asdict(live.context["figures"])
    assert [(t.pk, asdict(f)) for t, f in opened.context["township_rows"]] == [
        (t.pk, asdict(f)) for t, f in live.context["township_rows"]]
    assert opened.context["channels"] == live.context["channels"]
    assert opened.context["categories"] == live.context["categories"]
    assert opened.context["charts"] == live.context["charts"]
    assert "统计截至" in opened.content.decode() and "统计截至" not in live.content.decode()
