"""The duty overview's "behind" filter (docs/performance.md, eleventh round): the database's rule (``deputies_behind``,
its on-track subquery written as SQL) against the plain rule computed in Python from the visits themselves, at,
just under and above the targets, on days through the year; the overview's rows and total against the same rule;
the targets and the yearly totals read through kept SQL equal to what the ORM reads; the page's queries flat."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputies import services
from deputies.choices import DeputyStatus
from deputies.models import Deputy, Visit, VisitTarget, VisitYear
from deputies.selectors import deputies_behind, progress_for, targets_for, targets_in_force, visit_totals
from tests.factories import DeputyFactory, TownshipFactory

YEAR = timezone.localdate().year - 1  # a past year: visits on its first and last day are not in the future
NAMES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"
DAYS = [dt.date(YEAR, 1, 1), dt.date(YEAR, 1, 31), dt.date(YEAR, 6, 30), dt.date(YEAR, 7, 1), dt.date(YEAR, 12, 30),
        dt.date(YEAR, 12, 31), None]  # None: today, a later year (the whole year has passed)


def _visits(deputy, by, days, *, people: int, households: int) -> None:
    """One visit a day of ``days`` through the services (which keep the yearly rows): the first carries the
    households and what is left of the people, each other one a telephone call to one person."""
    for n, day in enumerate(days):
        first = n == 0
        services.visit_create(deputy=deputy, by=by, visited_on=day, place="东风村",
                              method="home" if first and households else "phone",
                              people=people - (len(days) - 1) if first else 1, households=households if first else 0)


def _recorder():
    """A superuser records the visits of every township (staff may record only their own township's)."""
    from presidium.models import User

    return User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "duty_recorder", "dr@example.invalid", "pw-duty-recorder-1")


def _plain_rule(deputies, year: int, today: dt.date | None) -> set[int]:
    """Behind, computed without the kept rows or the selectors: the year's visits summed in Python, each township's
    target in force (its latest year up to ``year``), each goal prorated to the day and rounded down."""
    today = today or timezone.localdate()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    fraction = 1.0 if today >= end else 0.0 if today < start else ((today - start).days + 1) / ((end - start).days + 1)
    sums: dict[int, list[int]] = {}
    for visit in Visit.objects.filter(visited_on__year=year):
        figures = sums.setdefault(visit.deputy_id, [0, 0, 0])
        figures[0] += 1
        figures[1] += visit.people
        figures[2] += visit.households
    behind = set()
    for deputy in deputies:
        target = (VisitTarget.objects.filter(township_id=deputy.township_id, year__lte=year).order_by("-year")
                  .first())
        if target is None:
            continue
        goals = (target.visits_per_month * 12, target.people_per_year, target.households_per_year)
        figures = sums.get(deputy.pk, [0, 0, 0])
        if any(done < int(goal * fraction) for done, goal in zip(figures, goals, strict=True)):
            behind.add(deputy.pk)
    return behind


@pytest.fixture
def county_year(world):
    """Township A's target for YEAR (12 visits, 24 people, 6 households a year), township B's set three years
    earlier and carried over (24 visits, 30 people, no households), a third township without one; deputies at,
    just under and above A's goals, with no visits, resigned, moved away, visiting on the year's first and last
    day (and just outside the year), and B's at B's goals (under A's)."""
    staff = world.user("presidium_staff")
    third = TownshipFactory(county=world.county, name="丙镇")
    services.visit_target_set(township=world.township, by=staff, year=YEAR, visits_per_month=1, people_per_year=24,
                              households_per_year=6)
    VisitTarget.objects.create(township=world.other_township, year=YEAR - 3, visits_per_month=2, people_per_year=30,
                               households_per_year=0, set_by=staff)
    spread = [dt.date(YEAR, month, 10) for month in range(1, 13)]  # twelve visits through the year
    made = {}

    def deputy(key, township=world.township, days=(), people=0, households=0, **fields):
        made[key] = DeputyFactory(township=township, name=f"代表{NAMES[len(made)]}", **fields)
        if days:
            _visits(made[key], _recorder(), list(days), people=people, households=households)

    deputy("at", days=spread, people=24, households=6)
    deputy("visits_under", days=spread[:11], people=24, households=6)
    deputy("people_under", days=spread, people=23, households=6)
    deputy("households_under", days=spread, people=24, households=5)
    deputy("above", days=[*spread, dt.date(YEAR, 12, 1)], people=30, households=8)
    deputy("none")
    deputy("edges", days=[dt.date(YEAR, 1, 1), *spread[1:11], dt.date(YEAR, 12, 31)], people=24, households=6)
    _visits(made["edges"], _recorder(), [dt.date(YEAR - 1, 12, 31), dt.date(YEAR + 1, 1, 1)], people=40, households=9)
    deputy("resigned", days=spread[:3], people=5, households=1)
    services.deputy_change_status(deputy=made["resigned"], by=staff, to_status=DeputyStatus.RESIGNED,
                                  effective_on=dt.date(YEAR, 5, 1), reason="工作调动")
    deputy("moved", days=spread[:2], people=4, households=2)
    services.deputy_change_status(deputy=made["moved"], by=staff, to_status=DeputyStatus.MOVED_AWAY,
                                  effective_on=dt.date(YEAR, 6, 1), reason="迁往外县")
    deputy("b_at", township=world.other_township, days=[*spread, *spread], people=30, households=0)
    deputy("b_under", township=world.other_township, days=[*spread, *spread[:11]], people=35, households=9)
    deputy("b_people_under", township=world.other_township, days=[*spread, *spread], people=29, households=5)
    deputy("b_none", township=world.other_township)
    deputy("c_none", township=third)
    deputy("c_some", township=third, days=spread[:1], people=1, households=1)
    return made


def test_the_behind_rule_agrees_with_the_plain_rule_on_every_day(county_year, django_assert_max_num_queries):
    deputies = list(Deputy.objects.all())
    everyone = {d.pk for d in deputies}
    for day in DAYS:
        expected = _plain_rule(deputies, YEAR, day)
        assert expected == {pk for pk, p in progress_for(deputies, YEAR, today=day).items() if p.behind}, day
        with django_assert_max_num_queries(2):  # the targets, then the deputies (none while nothing is expected yet)
            behind = set(deputies_behind(Deputy.objects.all(), YEAR, today=day).values_list("pk", flat=True))
        assert behind == expected, day
        assert set(deputies_behind(Deputy.objects.all(), YEAR, today=day, behind=False)
                   .values_list("pk", flat=True)) == everyone - expected, day
        # nested as a subquery of another query (the ORM relabels the outer tables), the same deputies
        nested = Deputy.objects.filter(pk__in=deputies_behind(Deputy.objects.all(), YEAR, today=day).values("pk"))
        assert set(nested.values_list("pk", flat=True)) == expected, day
    # the year's end: exactly the cases just under a goal and those without visits in a targeted township
    names = {county_year[k].pk: k for k in county_year}
    assert {names[pk] for pk in _plain_rule(deputies, YEAR, None)} == {
        "visits_under", "people_under", "households_under", "none", "resigned", "moved", "b_under", "b_people_under",
        "b_none"}
    assert {names[pk] for pk in _plain_rule(deputies, YEAR, dt.date(YEAR, 1, 1))} == set()  # nothing expected yet


def test_the_overview_lists_and_counts_the_deputies_of_the_plain_rule(county_year, world, login, monkeypatch):
    from deputies.views.duty import DutyOverviewView

    monkeypatch.setattr(DutyOverviewView, "paginate_by", 3)
    serving = list(Deputy.objects.filter(status=DeputyStatus.SERVING))
    behind = _plain_rule(serving, YEAR, None)
    township_a = {d.pk for d in serving if d.township_id == world.township.pk}
    url = reverse("deputies:duty_overview")
    for role, visible in (("county_admin", {d.pk for d in serving}), ("presidium_staff", township_a)):
        client = login(world.user(role))
        for value, expected in (("true", behind & visible), ("false", visible - behind)):
            seen, page = [], 1
            while True:
                response = client.get(url, {"behind": value, "year": YEAR, "page": page})
                assert response.status_code == 200
                assert response.context["paginator"].count == len(expected), (role, value)
                seen += [d.pk for d in response.context["deputies"]]
                if not response.context["page_obj"].has_next():
                    break
                page += 1
            assert len(seen) == len(set(seen)) and set(seen) == expected, (role, value)
        assert client.get(url, {"behind": "true", "year": YEAR, "page": 99}).status_code == 404


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_behind_pages_queries_stay_flat_as_deputies_are_added(county_year, world, login):
    client = login(world.user("county_admin"))
    staff_client = login(world.user("presidium_staff"))
    urls = [reverse("deputies:duty_overview") + query for query in ("?behind=true", "?behind=false", "",
                                                                    f"?behind=true&year={YEAR}")]
    few = {url: _queries(client, url) for url in urls}
    staff_few = _queries(staff_client, urls[0])
    for n in range(12):  # more deputies behind, on track and without visits, in both targeted townships
        township = world.township if n % 2 else world.other_township
        deputy = DeputyFactory(township=township, name=f"新代表{NAMES[n]}")
        if n % 3:
            _visits(deputy, _recorder(), [dt.date(YEAR, 3, 1), timezone.localdate()], people=40, households=9)
    assert {url: _queries(client, url) for url in urls} == few
    assert _queries(staff_client, urls[0]) == staff_few


def _orm_state(instance) -> dict:
    return {key: value for key, value in vars(instance).items() if key != "_state"}


def test_the_kept_targets_are_the_instances_the_orm_loads(county_year, world, django_assert_num_queries):
    ids = [world.township.pk, world.other_township.pk, *Deputy.objects.values_list("township_id", flat=True)]
    for year in (YEAR - 4, YEAR - 3, YEAR, YEAR + 1):
        orm = {t.township_id: t for t in targets_in_force(sorted(set(ids)), year)}
        with django_assert_num_queries(1):
            kept = targets_for(ids, year)
        assert kept.keys() == orm.keys()
        for pk, target in orm.items():
            assert _orm_state(kept[pk]) == _orm_state(target)
            assert kept[pk]._state.fields_cache.keys() == target._state.fields_cache.keys() == {"township"}
            assert _orm_state(kept[pk].township) == _orm_state(target.township)
            assert (kept[pk]._state.adding, kept[pk]._state.db) == (False, target._state.db)
            assert kept[pk].township.name == target.township.name
    # the rows are read afresh: a target changed shows at once, through the same kept SQL
    services.visit_target_set(township=world.township, by=world.user("presidium_staff"), year=YEAR,
                              visits_per_month=3, people_per_year=30, households_per_year=0)
    assert targets_for(ids, YEAR)[world.township.pk].visits_per_month == 3
    # a queryset of ids is still a subquery
    assert targets_for(Deputy.objects.values("township_id"), YEAR).keys() == targets_for(ids, YEAR).keys()
    with django_assert_num_queries(0):
        assert targets_for([], YEAR) == {}


def test_the_kept_yearly_totals_are_the_rows_of_the_visit_years(county_year, world, django_assert_num_queries):
    pks = [d.pk for d in county_year.values()]
    for ids in (pks, pks[::-1], pks[:1], pks[3:7], [pks[5], pks[0]]):
        expected = {pk: {"visits": 0, "households": 0, "people": 0, "opinions": 0} for pk in ids}
        for row in VisitYear.objects.filter(deputy_id__in=ids, year=YEAR):
            expected[row.deputy_id] = {"visits": row.visits, "households": row.households, "people": row.people,
                                       "opinions": row.opinions}
        with django_assert_num_queries(1):
            assert visit_totals(ids, YEAR) == expected
    # a visit added shows at once
    _visits(county_year["none"], _recorder(), [dt.date(YEAR, 2, 2)], people=3, households=1)
    assert visit_totals([county_year["none"].pk, county_year["at"].pk], YEAR)[county_year["none"].pk] == {
        "visits": 1, "households": 1, "people": 3, "opinions": 0}
    with django_assert_num_queries(0):
        assert visit_totals([], YEAR) == {}
