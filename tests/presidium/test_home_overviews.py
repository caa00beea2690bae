"""The home pages' chart blocks read their figures in one grouped query (year_overview): they must show exactly
what the figures pages' own selectors give over the same items."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.utils import timezone

from petitions import figures as petition_figures
from petitions.models import Petition
from proposals import selectors as proposal_selectors
from proposals.models import Suggestion
from tests.factories import HandlingUnitFactory, petition_at, proposals_suggestion


def test_it_gives_the_suggestion_figures_units_and_months_of_the_separate_selectors(world):
    other_unit = HandlingUnitFactory(township=world.township, name="水利站")
    for status, unit in (("draft", None), ("submitted", None), ("assigned", world.unit), ("in_handling", other_unit),
                         ("assigned", other_unit), ("withdrawn", None)):
        proposals_suggestion(world.township, status_to=status, unit=unit)
    year = timezone.localdate().year
    items = proposal_selectors.in_period(Suggestion.objects.all(), dt.date(year, 1, 1), dt.date(year, 12, 31))

    overview = proposal_selectors.year_overview(items, year)

    figures = proposal_selectors.rates(items)
    assert asdict(overview.figures) == asdict(figures) and overview.figures.by_status == figures.by_status
    assert [(u.pk, u.name, u.township.name, asdict(r)) for u, r in overview.units] == [
        (u.pk, u.name, u.township.name, asdict(r)) for u, r in proposal_selectors.rates_by_unit(items)]
    assert overview.intake == proposal_selectors.monthly_intake(items, year)
    assert sum(overview.intake) >= 4


def test_it_gives_the_petition_figures_channels_categories_and_months_of_the_separate_selectors(world):
    staff = world.user("presidium_staff")
    today = timezone.localdate()
    # Received this year, whatever the clock says (accepted five days later, never after today).
    received = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=10))
    for status in ("registered", "registered", "accepted"):
        petition_at(status, world.township, by=staff, received_on=received)
    petition_at("registered", world.township, by=staff, received_on=today - dt.timedelta(days=400))
    base = Petition.objects.all()
    items = petition_figures.in_period(base, dt.date(today.year, 1, 1), today)

    overview = petition_figures.year_overview(base, today=today)

    assert asdict(overview.figures) == asdict(petition_figures.figures(items, today=today))
    assert overview.channels == petition_figures.by_channel(items)
    assert overview.categories == petition_figures.by_category(items)
    assert overview.monthly == petition_figures.monthly(base, today.year)
    assert overview.figures.cases >= 3
