"""What the duty overview reads (docs/performance.md, seventh round): the year's visit totals in one grouped query,
their opinions from the visits' ``opinion_count`` agreeing with a count of the opinion rows; the rows' deputies
with the columns the rows and the export use only."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputies import services
from deputies.models import VisitOpinion
from deputies.selectors import visit_totals, year_bounds
from deputies.services import OpinionInput
from tests.factories import DeputyFactory, VisitFactory, VisitOpinionFactory


def _old_opinion_counts(deputy_ids, year):
    """The opinions per deputy as the second grouped query counted them before (joining opinions to visits)."""
    start, end = year_bounds(year)
    rows = (VisitOpinion.objects.filter(visit__deputy_id__in=deputy_ids, visit__visited_on__range=(start, end))
            .values("visit__deputy_id").annotate(n=Count("pk")))
    return {row["visit__deputy_id"]: row["n"] for row in rows}


def test_the_visit_totals_count_the_opinions_as_the_opinion_rows_do_in_one_query(world, django_assert_num_queries):
    year = timezone.localdate().year
    staff = world.user("presidium_staff")
    talkative, quiet, idle = (DeputyFactory(township=world.township) for _n in range(3))
    # through the services (which keep opinion_count), edited too: an opinion removed, two added
    visit = services.visit_create(deputy=talkative, by=staff, visited_on=timezone.localdate(), place="东村",
                                  method="home", households=2, people=4,
                                  opinions=[OpinionInput("修路"), OpinionInput("路灯")])
    services.visit_update(visit=visit, by=staff, visited_on=visit.visited_on, place=visit.place,
                          method=visit.method, households=3, people=5,
                          opinions=[OpinionInput("修路"), OpinionInput("自来水"), OpinionInput("垃圾清运")])
    VisitOpinionFactory(visit=VisitFactory(deputy=talkative, visited_on=dt.date(year, 1, 1)))  # the factory's way
    VisitOpinionFactory(visit=VisitFactory(deputy=talkative, visited_on=dt.date(year - 1, 12, 31)))  # last year's
    VisitFactory(deputy=quiet, visited_on=dt.date(year, 1, 1), households=1, people=1)  # a visit, no opinion
    ids = [talkative.pk, quiet.pk, idle.pk]
    with django_assert_num_queries(1):
        totals = visit_totals(ids, year)
    old = _old_opinion_counts(ids, year)
    assert {pk: t["opinions"] for pk, t in totals.items()} == {pk: old.get(pk, 0) for pk in ids} == {
        talkative.pk: 4, quiet.pk: 0, idle.pk: 0}
    assert totals[talkative.pk] == {"visits": 2, "households": 5, "people": 8, "opinions": 4}
    assert totals[quiet.pk] == {"visits": 1, "households": 1, "people": 1, "opinions": 0}
    assert totals[idle.pk] == {"visits": 0, "households": 0, "people": 0, "opinions": 0}


def test_the_duty_overview_reads_the_columns_of_its_rows_only(world, login, django_assert_max_num_queries):
    deputy = DeputyFactory(township=world.township, name="张三", mobile="13800138000", work_unit="乡政府")
    VisitOpinionFactory(visit=VisitFactory(deputy=deputy))
    client = login(world.user("county_admin"))
    url = reverse("deputies:duty_overview")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    [rows] = [q["sql"] for q in captured.captured_queries
              if q["sql"].startswith('SELECT "deputies_deputy"."id"') and "LIMIT" in q["sql"]]
    assert '"deputies_deputy"."name"' in rows and '"presidium_township"."name"' in rows
    for column in ("id_number", "mobile", "work_unit", "address", "name_pinyin\", \"", "status_reason"):
        assert f'"deputies_deputy"."{column}' not in rows.split(" FROM ")[0]
    assert '"presidium_township"."code"' not in rows.split(" FROM ")[0]
    [row] = response.context["deputies"]
    assert row.progress.opinions == 1 and "张三" in row.row_html
    # no deferred column is read afterwards, row by row: the page's and the export's queries stay flat
    with django_assert_max_num_queries(len(captured)):
        assert client.get(url + "?export=xlsx").status_code == 200


def test_the_behind_filter_pages_its_rows_and_count_from_one_query(world, login, monkeypatch):
    """With "behind", each page's rows carry the list's count (the condition evaluated once): the same pages, counts
    and 404 past the end as Django's paginator; an empty list still opens."""
    from deputies.views.duty import DutyOverviewView

    monkeypatch.setattr(DutyOverviewView, "paginate_by", 2)
    year = timezone.localdate().year
    services.visit_target_set(township=world.township, by=world.user("presidium_staff"), year=year,
                              visits_per_month=1, people_per_year=1000)
    behind = [DeputyFactory(township=world.township, name=f"落后{n}") for n in "甲乙丙丁戊"]
    DeputyFactory(township=world.other_township, name="无目标")  # no target there: never behind
    client = login(world.user("county_admin"))
    url = reverse("deputies:duty_overview")
    seen = []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"behind": "true", "page": page})
        assert response.status_code == 200
        assert not [q for q in captured.captured_queries
                    if q["sql"].startswith('SELECT COUNT(*)') and '"deputies_deputy"' in q["sql"]]
        paginator = response.context["paginator"]
        assert (paginator.count, paginator.num_pages) == (5, 3)
        seen += [d.pk for d in response.context["deputies"]]
        assert all(d.progress.behind for d in response.context["deputies"])
    assert sorted(seen) == sorted(d.pk for d in behind) and len(seen) == 5
    assert client.get(url, {"behind": "true", "page": 4}).status_code == 404
    response = client.get(url, {"behind": "false", "township": world.township.pk})
    assert response.status_code == 200 and response.context["paginator"].count == 0
    assert response.context["deputies"] == []
    # without the filter, Django's own count: the page's query stops at its LIMIT
    response = client.get(url, {"page": 2})
    assert response.context["paginator"].count == 6 and len(response.context["deputies"]) == 2
