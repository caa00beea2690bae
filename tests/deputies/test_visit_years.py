"""The yearly visit totals per deputy (``VisitYear``) always equal the sums of the visits, however they were written:
the visit services (create, edit of the date, figures or opinions, delete), the demo and the migration's fill; and
"behind target" read from them agrees with each deputy's progress computed from the visits."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deputies import services, visit_years
from deputies.models import Deputy, Visit, VisitTarget, VisitYear
from deputies.selectors import Progress, deputies_behind, elapsed_fraction, progress_for, targets_for
from deputies.services import OpinionInput
from tests.factories import DeputyFactory


def from_visits() -> dict[tuple[int, int], tuple[int, int, int, int, int]]:
    """(deputy, year) → (township, visits, people, households, opinions), summed from the visits themselves."""
    rows = (Visit.objects.order_by().annotate(y=ExtractYear("visited_on")).values("deputy_id", "y", "township_id")
            .annotate(n=Count("pk"), p=Sum("people"), h=Sum("households"), o=Sum("opinion_count")))
    return {(r["deputy_id"], r["y"]): (r["township_id"], r["n"], r["p"], r["h"], r["o"]) for r in rows}


def kept() -> dict[tuple[int, int], tuple[int, int, int, int, int]]:
    return {(r.deputy_id, r.year): (r.township_id, r.visits, r.people, r.households, r.opinions)
            for r in VisitYear.objects.all()}


def args(day: dt.date, **overrides):
    return {"visited_on": day, "place": "东风村三组", "method": "home", "households": 2, "people": 5, **overrides}


def test_the_visit_services_keep_each_deputys_yearly_totals_equal_to_the_visits(world):
    staff = world.user("presidium_staff")
    today = timezone.localdate()
    this_year, last_year = dt.date(today.year, 1, 2), dt.date(today.year - 1, 12, 30)
    deputy, other = DeputyFactory(township=world.township), DeputyFactory(township=world.township)

    first = services.visit_create(deputy=deputy, by=staff, opinions=[OpinionInput("村道积水")], **args(this_year))
    second = services.visit_create(deputy=deputy, by=staff, **args(this_year, people=7, households=7))
    services.visit_create(deputy=other, by=staff, **args(last_year))
    assert kept() == from_visits()
    assert kept()[(deputy.pk, today.year)] == (world.township.pk, 2, 12, 9, 1)

    # the figures and the opinions edited, then the date moved into last year: both years recounted
    services.visit_update(visit=first, by=staff, people=9, households=4,
                          opinions=[OpinionInput("村道积水"), OpinionInput("自来水水压低")])
    assert kept() == from_visits()
    assert kept()[(deputy.pk, today.year)] == (world.township.pk, 2, 16, 11, 2)
    services.visit_update(visit=second, by=staff, visited_on=last_year)
    assert kept() == from_visits()
    assert kept()[(deputy.pk, today.year - 1)] == (world.township.pk, 1, 7, 7, 0)

    # a year left without visits has no row
    services.visit_delete(visit=Visit.objects.get(pk=second.pk), by=staff)
    assert (deputy.pk, today.year - 1) not in kept()
    services.visit_delete(visit=Visit.objects.get(pk=first.pk), by=staff)
    assert kept() == from_visits() == {(other.pk, today.year - 1): (world.township.pk, 1, 5, 2, 0)}


def test_the_fill_writes_the_rows_of_bulk_written_visits_and_replaces_the_old_ones(world):
    """What the demo, the scale builder and the migration do after writing visits without the services."""
    today = timezone.localdate()
    deputy = DeputyFactory(township=world.township)
    rows = [Visit(township=world.township, deputy=deputy, visited_on=dt.date(year, month, 1), place="西湾",
                  people=people, households=1, opinion_count=opinions, recorded_by=world.user("presidium_staff"))
            for year, month, people, opinions in [(today.year, 1, 3, 2), (today.year, 2, 4, 0),
                                                  (today.year - 2, 5, 6, 1)]]
    Visit.objects.bulk_create(rows)
    VisitYear.objects.create(deputy=deputy, township=world.township, year=today.year, visits=99)  # stale
    assert visit_years.fill(Visit.objects.filter(township=world.township)) == 2
    assert kept() == from_visits() == {(deputy.pk, today.year): (world.township.pk, 2, 7, 2, 2),
                                       (deputy.pk, today.year - 2): (world.township.pk, 1, 6, 1, 1)}


def test_the_demo_keeps_the_yearly_totals(db):
    from deputies.demo import seed_deputies
    from presidium.demo import seed_organisation

    seed_organisation()
    seed_deputies()
    assert Visit.objects.exists()
    assert kept() == from_visits()


def test_behind_target_read_from_the_yearly_totals_agrees_with_the_progress_from_the_visits(world):
    staff = world.user("presidium_staff")
    today = timezone.localdate()
    year = today.year
    VisitTarget.objects.create(township=world.township, year=year, visits_per_month=1, people_per_year=12,
                               households_per_year=4, set_by=staff)
    deputies = [DeputyFactory(township=world.township) for _ in range(5)]
    start = dt.date(year, 1, 1)
    for index, deputy in enumerate(deputies):  # 0 … 8 visits, 3 people and 1 household each
        for n in range(index * 2):
            services.visit_create(deputy=deputy, by=staff, **args(start + dt.timedelta(days=n), people=3, households=1))
    services.visit_create(deputy=deputies[1], by=staff, **args(dt.date(year - 1, 6, 1), people=50))  # another year
    queryset = Deputy.objects.filter(pk__in=[d.pk for d in deputies])
    target = targets_for([world.township.pk], year)[world.township.pk]
    summed = from_visits()  # the figures from the visits themselves, not the kept rows
    for day in (dt.date(year, 1, 31), dt.date(year, 3, 31), dt.date(year, 7, 1), dt.date(year, 12, 31)):
        fraction = elapsed_fraction(year, day)
        progress = {d.pk: Progress(**dict(zip(("visits", "people", "households", "opinions"),
                                              summed.get((d.pk, year), (0, 0, 0, 0, 0))[1:], strict=True)),
                                   target=target, fraction=fraction) for d in deputies}
        assert progress == progress_for(deputies, year, today=day)
        expected = {d.pk for d in deputies if progress[d.pk].behind}
        assert 0 < len(expected) < len(deputies) or day.month in (1, 12), day
        with CaptureQueriesContext(connection) as queries:
            found = set(deputies_behind(queryset, year, today=day).values_list("pk", flat=True))
        assert found == expected, day
        assert set(deputies_behind(queryset, year, today=day, behind=False).values_list("pk", flat=True)) == \
            {d.pk for d in deputies} - expected
        behind_sql = queries.captured_queries[-1]["sql"]
        assert "deputies_visityear" in behind_sql and "deputies_visit\"" not in behind_sql


def test_the_targets_in_force_are_read_per_township_in_one_query_without_the_earlier_years(world):
    from deputies.selectors import target_for, targets_for
    from presidium.models import Township
    from tests.factories import TownshipFactory

    staff = world.user("presidium_staff")
    third = TownshipFactory(county=world.county, name="丙镇")
    for township, year, visits in [(world.township, 2023, 1), (world.township, 2025, 2), (world.township, 2027, 3),
                                   (world.other_township, 2020, 4)]:
        VisitTarget.objects.create(township=township, year=year, visits_per_month=visits, set_by=staff)
    ids = [world.township.pk, world.other_township.pk, third.pk]
    for year in (2019, 2020, 2023, 2024, 2025, 2026, 2027, 2030):
        expected = {pk: target_for(pk, year) for pk in ids}
        with CaptureQueriesContext(connection) as queries:
            found = targets_for(ids, year)
            names = {pk: target.township.name for pk, target in found.items()}
        assert len(queries) == 1
        assert found == {pk: target for pk, target in expected.items() if target is not None}, year
        assert names == {pk: Township.objects.get(pk=pk).name for pk in found}
    # the townships given as a subquery, as the duty overview and the homes' card give them
    assert set(targets_for(Township.objects.filter(county=world.county).values("pk"), 2026)) == {
        world.township.pk, world.other_township.pk}
