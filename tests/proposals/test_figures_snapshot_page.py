"""Issue 12, sixth round: the county's 办理统计 as it opens (this year, every township) is read from the county's
figures snapshot (proposals.selectors.figures_page) and shows exactly what the live page shows for the same year,
with 统计截至; a stale snapshot is recomputed on reading; a township's staff and the export stay live."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from presidium.choices import Role
from presidium.models import FiguresSnapshot, HandlingUnit
from presidium.snapshots import MAX_AGE, figures_snapshots_refresh_all
from proposals import services
from proposals.models import Suggestion
from proposals.selectors.figures_page import FIGURES_SNAPSHOT
from tests.factories import HandlingUnitFactory, proposals_suggestion


def _rate_unsatisfied(item, staff, liaison):
    services.reply_submit(suggestion=item, by=liaison, text="暂不能解决", result_class="C", reason="资金限制")
    services.suggestion_rate(suggestion=Suggestion.objects.get(pk=item.pk), by=staff, work_grade="unsatisfied",
                             result_grade="unsatisfied", comment="没有解决")


def _make_items(world, staff, liaison, deputy, extra: int = 0):
    for _i in range(3):  # three unsatisfied items: the unit loses 评先
        item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="in_handling", unit=world.unit)
        _rate_unsatisfied(item, staff, liaison)
    for status in ("submitted", "assigned", "replied", "draft", "withdrawn", *["assigned"] * extra):
        proposals_suggestion(world.township, status_to=status, unit=world.unit)
    twin = (HandlingUnit.objects.filter(township=world.other_township, name=world.unit.name).first()
            or HandlingUnitFactory(township=world.other_township, name=world.unit.name))
    for status in ("assigned", "replied", *["replied"] * extra):
        proposals_suggestion(world.other_township, status_to=status, unit=twin)
    for n in range(extra):
        proposals_suggestion(world.other_township, status_to="assigned",
                             unit=HandlingUnitFactory(township=world.other_township, name=f"站{n}"))


def _shown(response):
    context = response.context
    return {
        "figures": asdict(context["figures"]), "kinds": context["kinds"],
        "unit_rows": [(row.unit.pk, row.unit.name, row.unit.township.name, asdict(row.rates), row.unsatisfied,
                       row.flagged) for row in context["unit_rows"]],
        "unit_count": context["unit_count"], "flagged_count": context["flagged_count"],
        "township_rows": [(t.pk, t.name, asdict(r)) for t, r in context["township_rows"]],
        "charts": context["charts"],
    }


@pytest.mark.parametrize("sort", ["", "overdue", "unsatisfied"])
def test_it_opens_the_county_figures_from_the_snapshot_as_the_live_page_shows_them(world, staff, liaison, deputy,
                                                                                    login, sort):
    _make_items(world, staff, liaison, deputy)
    figures_snapshots_refresh_all()
    client = login(world.user(Role.COUNTY_ADMIN))
    year = timezone.localdate().year
    opened = client.get(reverse("proposals:figures"), {"sort": sort} if sort else {})
    live = client.get(reverse("proposals:figures"), {"year": year, **({"sort": sort} if sort else {})})
    assert opened.status_code == live.status_code == 200
    assert opened.context["counted_at"] is not None and live.context["counted_at"] is None
    assert _shown(opened) == _shown(live)
    assert _shown(opened)["flagged_count"] == 1 and len(_shown(opened)["township_rows"]) == 2
    snapshot = FiguresSnapshot.objects.get(kind=FIGURES_SNAPSHOT, county=world.county, township=None)
    assert "统计截至 " + timezone.localtime(snapshot.computed_at).strftime("%H:%M") in opened.content.decode()
    assert "统计截至" not in live.content.decode()
    # Only the county keeps this kind: no township's page is stored.
    assert not FiguresSnapshot.objects.filter(kind=FIGURES_SNAPSHOT, township__isnull=False).exists()


def test_it_recomputes_a_stale_figures_snapshot_on_reading(world, staff, liaison, deputy, login):
    _make_items(world, staff, liaison, deputy)
    client = login(world.user(Role.COUNTY_ADMIN))
    before = client.get(reverse("proposals:figures")).context["figures"].total  # missing: computed on reading
    FiguresSnapshot.objects.filter(kind=FIGURES_SNAPSHOT).update(
        computed_at=timezone.now() - MAX_AGE - dt.timedelta(minutes=1))
    proposals_suggestion(world.other_township, status_to="submitted")
    after = client.get(reverse("proposals:figures"))
    assert after.context["figures"].total == before + 1
    assert _shown(after) == _shown(client.get(reverse("proposals:figures"), {"year": timezone.localdate().year}))


def test_it_keeps_a_township_s_page_and_the_export_live(world, staff, liaison, deputy, login):
    _make_items(world, staff, liaison, deputy)
    figures_snapshots_refresh_all()
    FiguresSnapshot.objects.filter(kind=FIGURES_SNAPSHOT).update(data={})  # anything reading it would fail
    assert login(staff).get(reverse("proposals:figures")).context["counted_at"] is None
    client = login(world.user(Role.COUNTY_ADMIN))
    one = client.get(reverse("proposals:figures"), {"township": world.township.pk})
    assert one.status_code == 200 and one.context["counted_at"] is None
    export = client.get(reverse("proposals:figures"), {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("proposals:figures")).status_code == 200
    return len(captured)


def test_it_opens_the_county_figures_in_as_many_queries_at_two_data_sizes(world, staff, liaison, deputy, login):
    client = login(world.user(Role.COUNTY_ADMIN))
    _make_items(world, staff, liaison, deputy)
    figures_snapshots_refresh_all()
    _queries(client)
    small = _queries(client)
    _make_items(world, staff, liaison, deputy, extra=5)
    figures_snapshots_refresh_all()
    _queries(client)
    assert _queries(client) == small


def _html(response) -> str:
    """The page without its per-request CSRF token."""
    return re.sub(r'"X-CSRFToken": "[^"]+"|csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_it_renders_the_county_figures_body_once_per_snapshot_and_query(world, staff, liaison, deputy, login):
    """Issue 12, eleventh round: the body is kept per snapshot, query and rights (presidium.snapshots.snapshot_html):
    a second reading reads neither the snapshot's JSON nor any suggestion, and shows the same bytes; another sort or
    page is its own body; a recomputed snapshot is a new body with the new figures."""
    _make_items(world, staff, liaison, deputy)
    figures_snapshots_refresh_all()
    client = login(world.user(Role.COUNTY_ADMIN))
    first = client.get(reverse("proposals:figures"))
    with CaptureQueriesContext(connection) as captured:
        again = client.get(reverse("proposals:figures"))
    assert _html(again) == _html(first)
    read = " ".join(query["sql"] for query in captured.captured_queries)
    assert "proposals_suggestion" not in read and '"data"' not in read
    by_overdue = client.get(reverse("proposals:figures"), {"sort": "overdue"})
    live_by_overdue = client.get(reverse("proposals:figures"), {"sort": "overdue", "year": timezone.localdate().year})
    assert _shown(by_overdue) == _shown(live_by_overdue)
    assert 'value="overdue" selected' in _html(by_overdue) and 'value="overdue" selected' not in _html(first)

    total = first.context["figures"].total
    proposals_suggestion(world.other_township, status_to="submitted")
    figures_snapshots_refresh_all()
    after = client.get(reverse("proposals:figures"))
    assert after.context["figures"].total == total + 1
    assert f'<div class="count">{total + 1}</div>' in _html(after)
    assert f'<div class="count">{total + 1}</div>' in _html(client.get(reverse("proposals:figures")))

