"""Every list, dashboard, export and the archive page: the number of queries does not grow with the rows."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies import services
from deputies.archive import archive_providers
from tests.factories import (
    ConstituencyFactory,
    DeputyFactory,
    DeputyGroupFactory,
    LiaisonStationFactory,
    VisitFactory,
    VisitOpinionFactory,
)


def add_deputies(world, count, start):
    group = DeputyGroupFactory(township=world.township)
    station = LiaisonStationFactory(township=world.township)
    constituency = ConstituencyFactory(township=world.township, seats=3)
    deputies = []
    for n in range(count):
        deputy = DeputyFactory(township=world.township, group=group, station=station,
                               constituency=constituency if n < 3 else None, mobile=f"1381234{start + n:04d}")
        visit = VisitFactory(deputy=deputy)
        VisitOpinionFactory(visit=visit)
        VisitOpinionFactory(visit=visit)
        deputies.append(deputy)
    services.station_staff_add(station=station, by=None, role="liaison", name="联络员")
    return deputies


# Pages that run the 三不 check or build the archive call every registered provider once or twice:
# their bound grows with the number of providers (apps installed), never with the rows.
SIGNAL_PROVIDERS = sum(1 for _key, provider in archive_providers() if provider.signals)
PER_PROVIDER = 2 * SIGNAL_PROVIDERS

PAGES = [
    # (url name, query string, user role, bound)
    ("deputies:deputy_list", "", "presidium_staff", 18),
    # +1 on the exports: the 届次 choices (本届 by default) are read to validate the filter. Each count is taken
    # right after rows were added, so the options' rows are read again after their stamp (presidium/choice_rows.py):
    # +1 for the stamp on a page that renders no options (an export); a list read again reads the stamp alone.
    ("deputies:deputy_list", "?export=xlsx", "presidium_staff", 12),
    ("deputies:deputy_list", "?export=xlsx", "county_reviewer", 9),
    ("deputies:deputy_list", "?q=zs&age_band=36-45", "county_reviewer", 12),
    ("deputies:visit_list", "", "presidium_staff", 12),
    ("deputies:visit_list", "?export=xlsx", "presidium_staff", 8),
    ("deputies:visit_list", "?has_opinions=true&q=村", "county_reviewer", 13),  # +1: how common the words are in places
    ("deputies:constituency_list", "", "presidium_staff", 11),
    ("deputies:constituency_list", "?export=xlsx", "presidium_staff", 9),
    ("deputies:group_list", "", "presidium_staff", 10),
    ("deputies:group_list", "?export=xlsx", "presidium_staff", 8),
    ("deputies:station_list", "", "presidium_staff", 11),
    ("deputies:station_list", "?export=xlsx", "presidium_staff", 9),
    ("deputies:duty_overview", "", "presidium_staff", 16 + PER_PROVIDER),
    ("deputies:duty_overview", "?behind=true&three_no=false", "county_reviewer", 20 + 2 * PER_PROVIDER),
    ("deputies:duty_overview", "?export=xlsx", "presidium_staff", 16 + PER_PROVIDER),
    ("deputies:composition", "", "presidium_staff", 9),  # one query of the deputies for every table
    ("deputies:composition", "?export=xlsx", "county_reviewer", 6),
    ("deputies:access_log", "", "presidium_staff", 10),
]


@pytest.mark.parametrize("url_name, query, role, bound", PAGES, ids=[f"{p[0]}{p[1]}-{p[2]}" for p in PAGES])
def test_it_keeps_list_queries_flat_as_rows_grow(world, login, django_assert_max_num_queries, url_name, query, role,
                                                 bound):
    client = login(world.user(role))
    url = reverse(url_name) + query
    add_deputies(world, 3, 0)
    services.visit_target_set(township=world.township, by=world.user("presidium_staff"),
                              year=timezone.localdate().year, visits_per_month=1, people_per_year=20)
    client.get(url)  # warm caches (content types, sessions) outside the count
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200
    add_deputies(world, 12, 100)
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["presidium_staff", "deputy"])
def test_it_keeps_the_archive_page_flat_as_records_grow(world, login, django_assert_max_num_queries, role):
    deputy = DeputyFactory(township=world.township, user=world.user("deputy"))
    client = login(world.user(role))
    url = reverse("deputies:deputy_archive", args=[deputy.pk])
    staff = world.user("presidium_staff")

    def add_records(count):
        for _n in range(count):
            VisitOpinionFactory(visit=VisitFactory(deputy=deputy))
            services.training_add(deputy=deputy, by=staff, attended_on=timezone.localdate(), title="培训")
            services.award_add(deputy=deputy, by=staff, awarded_on=timezone.localdate(), title="优秀代表")

    bound = 12 + 2 * len(archive_providers())
    add_records(2)
    client.get(url)
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200
    add_records(10)
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


def test_it_keeps_the_deputy_page_and_visit_page_flat(world, login, django_assert_max_num_queries):
    deputy = DeputyFactory(township=world.township)
    client = login(world.user("presidium_staff"))
    visit = VisitFactory(deputy=deputy)
    for url in (reverse("deputies:deputy_detail", args=[deputy.pk]), reverse("deputies:visit_detail", args=[visit.pk])):
        client.get(url)
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
    for _n in range(8):
        VisitOpinionFactory(visit=VisitFactory(deputy=deputy))
        VisitOpinionFactory(visit=visit)
    for url in (reverse("deputies:deputy_detail", args=[deputy.pk]), reverse("deputies:visit_detail", args=[visit.pk])):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200


def test_it_logs_personal_data_seen_across_townships_in_one_insert(world, login):
    """The county list shows mobiles of many townships: one bulk insert, not three queries per township."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deputies.models import PersonalDataAccess
    from tests.factories import TownshipFactory

    client = login(world.user("county_admin"))
    url = reverse("deputies:deputy_list")
    townships = [world.township, world.other_township] + [TownshipFactory(county=world.county) for _ in range(7)]

    def queries_with_rows_in(count: int) -> int:
        for n, township in enumerate(townships[:count]):
            if not township.deputies.exists():
                DeputyFactory(township=township, mobile=f"1391234{n:04d}")
        PersonalDataAccess.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        logged = PersonalDataAccess.objects.filter(purpose="list")
        assert logged.count() == count and sorted(e.row_count for e in logged) == [1] * count
        return len(captured)

    client.get(url)  # warm caches (content types, sessions) outside the count
    assert queries_with_rows_in(3) == queries_with_rows_in(9)
