"""Issue 12: the county pages of the deputies app keep their query count as townships and rows grow, and
the "behind target" figures are computed in the database, agreeing with each deputy's own progress card."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputies import selectors
from deputies.models import Deputy
from tests.factories import DeputyFactory, TownshipFactory, VisitFactory, VisitOpinionFactory


def _target(township, year, by, visits_per_month=0, people_per_year=0, households_per_year=0):
    from deputies.models import VisitTarget

    return VisitTarget.objects.create(township=township, year=year, set_by=by, visits_per_month=visits_per_month,
                                      people_per_year=people_per_year, households_per_year=households_per_year)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _after_writes_and_again(client, url) -> tuple[int, int]:
    """The page's queries right after rows were added (the filter options read anew under their new stamp,
    ``presidium/choice_rows.py``) and on the next request (the stamp alone)."""
    return _queries(client, url), _queries(client, url)


def _township_with_work(world, n: int, *, target: bool = True):
    township = TownshipFactory(county=world.county, name=f"增{n}镇")
    busy = DeputyFactory(township=township, mobile=f"1371234{n:04d}")
    idle = DeputyFactory(township=township, mobile=f"1371235{n:04d}")
    for _visit in range(3):
        VisitOpinionFactory(visit=VisitFactory(deputy=busy, visited_on=timezone.localdate(), people=30,
                                               households=10))
    if target:
        _target(township, timezone.localdate().year, world.user("county_admin"), visits_per_month=1, people_per_year=20)
    return busy, idle


def test_it_keeps_the_county_duty_overview_flat_as_townships_with_targets_grow(world, login):
    """The targets panel names each township: the townships are loaded with the targets, not one by one."""
    client = login(world.user("county_admin"))
    url = reverse("deputies:duty_overview")
    _township_with_work(world, 1)
    client.get(url)
    _township_with_work(world, 2)
    few = _after_writes_and_again(client, url)
    for n in range(3, 7):
        _township_with_work(world, n)
    assert _after_writes_and_again(client, url) == few


def test_it_keeps_the_county_home_and_behind_filter_flat_and_sends_no_id_list(world, login):
    """The behind-target card and filter are one grouped query: no list of deputy ids goes back to the database."""
    client = login(world.user("county_admin"))
    _township_with_work(world, 1)
    urls = (reverse("home"), reverse("deputies:duty_overview") + "?behind=true")
    for url in urls:
        client.get(url)
    _township_with_work(world, 2)
    few = {url: _after_writes_and_again(client, url) for url in urls}
    for n in range(3, 7):
        _township_with_work(world, n)
    for url, (after_writes, again) in few.items():
        assert _queries(client, url) == after_writes, url
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert len(captured) == again, url
        if url == reverse("home"):  # the overview may prefetch by its page's rows; the home has no rows
            # No list of ids sent back: the longest literal IN (…) list is the townships', not the deputies'.
            longest_in_list = max((m.group(0).count(",") + 1 for q in captured.captured_queries
                                   for m in re.finditer(r"IN \((?:\d+, )*\d+\)", q["sql"])), default=0)
            assert longest_in_list < Deputy.objects.count(), url


@pytest.mark.parametrize("day", [dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 12, 31)])
def test_it_counts_the_same_deputies_behind_as_their_progress_cards(world, day):
    """The SQL condition agrees with ``Progress.behind`` for every deputy, at any point of the year."""
    staff = world.user("county_admin")
    deputies = []
    for n, (visits, people, households) in enumerate([(0, 0, 0), (1, 5, 1), (3, 25, 3), (12, 40, 12), (2, 20, 0)]):
        deputy = DeputyFactory(township=world.township if n % 2 else world.other_township, mobile=f"1361234{n:04d}")
        for _n in range(visits):
            VisitFactory(deputy=deputy, visited_on=dt.date(2026, 1, 1), people=people // max(visits, 1),
                         households=households // max(visits, 1))
        deputies.append(deputy)
    _target(world.township, 2025, staff, visits_per_month=1, people_per_year=20, households_per_year=4)
    _target(world.other_township, 2026, staff, people_per_year=30)
    queryset = Deputy.objects.filter(pk__in=[d.pk for d in deputies])
    expected = {pk for pk, p in selectors.progress_for(queryset, 2026, today=day).items() if p.behind}
    assert set(selectors.deputies_behind(queryset, 2026, today=day).values_list("pk", flat=True)) == expected
    assert set(selectors.deputies_behind(queryset, 2026, today=day, behind=False)
               .values_list("pk", flat=True)) == {d.pk for d in deputies} - expected
    if day.month == 12:
        assert expected  # the test means something: somebody is behind at the end of the year


def test_it_hides_the_behind_card_without_targets(world):
    from deputies.wiring import _behind_count

    DeputyFactory(township=world.township)
    assert _behind_count(world.user("county_admin")) is None
    _target(world.township, timezone.localdate().year, world.user("county_admin"), visits_per_month=1)
    assert _behind_count(world.user("county_admin")) == 1


def test_it_exports_visits_in_a_fixed_number_of_queries_however_many_chunks(world, login, monkeypatch):
    """The visits export resolves the opinions in one pass: no prefetch per chunk of rows."""
    from openpyxl import load_workbook

    from presidium.documents import excel

    monkeypatch.setattr(excel, "ITERATOR_CHUNK_SIZE", 4)
    client = login(world.user("county_admin"))
    url = reverse("deputies:visit_list") + "?export=xlsx"
    deputy = DeputyFactory(township=world.township)

    def add(count):
        for n in range(count):
            visit = VisitFactory(deputy=deputy, visited_on=timezone.localdate() - dt.timedelta(days=n % 30))
            for position in range(n % 3):
                VisitOpinionFactory(visit=visit, content=f"意见{visit.pk}-{position}", position=position)

    add(3)
    client.get(url)
    few = _queries(client, url)
    add(30)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert len(captured) == few
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "乡镇")
    body = rows[header + 1:]
    assert len(body) == 33
    from deputies.models import Visit

    ordered = list(Visit.objects.order_by("-visited_on", "-pk").prefetch_related("opinions"))
    opinion_col = rows[header].index("选民意见")
    for row, visit in zip(body, ordered, strict=True):
        wanted = "\n".join(f"{i}. {o.content}" for i, o in
                           enumerate(sorted(visit.opinions.all(), key=lambda o: (o.position, o.pk)), start=1))
        assert (row[opinion_col] or "") == wanted


def test_it_counts_photos_for_the_page_rows_only(world, login):
    """The visits list counts each shown visit's photos without grouping every visit of the county."""
    from deputies.models import VisitPhoto

    client = login(world.user("county_admin"))
    url = reverse("deputies:visit_list")
    deputy = DeputyFactory(township=world.township)
    visits = [VisitFactory(deputy=deputy, visited_on=timezone.localdate() - dt.timedelta(days=n)) for n in range(3)]
    photos = [VisitPhoto.objects.create(visit=visits[1], image=f"p{n}.jpg", uploaded_by=world.user("county_admin"))
              for n in range(2)]
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    grouped = [q["sql"] for q in captured.captured_queries
               if 'GROUP BY "deputies_visit"."id"' in q["sql"]]
    assert grouped == []
    shown = response.context["object_list"]
    assert [v.photo_count for v in shown] == [0, 2, 0]
    assert shown[1].first_photo_id == photos[0].pk


def test_the_visit_search_finds_a_visit_by_what_voters_said_once_and_the_opinion_filter_splits_the_rest(world, login):
    """Searching the opinions (EXISTS, not a join) lists a visit with two matching opinions once; 有意见/无意见
    divide the visits between them."""
    deputy = DeputyFactory(township=world.township)
    said = VisitFactory(deputy=deputy, place="红旗村")
    VisitOpinionFactory(visit=said, content="路灯坏了三盏")
    VisitOpinionFactory(visit=said, content="路灯晚上不亮")
    silent = VisitFactory(deputy=deputy, place="光明村")
    client = login(world.user("presidium_staff"))
    url = reverse("deputies:visit_list")

    found = list(client.get(url, {"q": "路灯"}).context["object_list"])
    assert found == [said]
    assert list(client.get(url, {"has_opinions": "true"}).context["object_list"]) == [said]
    assert list(client.get(url, {"has_opinions": "false"}).context["object_list"]) == [silent]


def test_a_visit_search_counts_at_most_the_cap_and_says_so(world, login, monkeypatch, django_assert_max_num_queries):
    """A search counts up to SearchPaginator.CAP matches (a common word matched nearly all of a county's 100,000
    visits and counting them cost more than the page): past it the page says there are more and offers the newest;
    a search under the cap and a list without a search keep their exact count; the queries stay flat."""
    from presidium.views.lists import SearchPaginator

    monkeypatch.setattr(SearchPaginator, "CAP", 3)
    deputy = DeputyFactory(township=world.township)
    for n in range(5):
        VisitFactory(deputy=deputy, place="红旗村", visited_on=timezone.localdate() - dt.timedelta(days=n))
    VisitFactory(deputy=deputy, place="光明社区")
    client = login(world.user("county_admin"))
    url = reverse("deputies:visit_list")

    with django_assert_max_num_queries(12) as few:
        response = client.get(url, {"q": "村"})
    assert response.context["paginator"].capped and response.context["paginator"].count == 3
    page = response.content.decode()
    assert 'data-testid="capped-count"' in page and "符合条件的超过 3 条" in page
    for n in range(5):
        VisitFactory(deputy=deputy, place="红旗村", visited_on=timezone.localdate() - dt.timedelta(days=10 + n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url, {"q": "村"}).context["paginator"].count == 3

    narrow = client.get(url, {"q": "光明"})
    assert not narrow.context["paginator"].capped and narrow.context["paginator"].count == 1
    assert 'data-testid="capped-count"' not in narrow.content.decode()
    assert client.get(url).context["paginator"].count == 11


def test_a_search_finds_the_same_visits_whether_most_places_match_or_few(world, login):
    """Where most of the newest visits match on their place, the opinions are tested per row (not hashed): a visit
    found only by what its voters said is still found, once, and the rest are left out."""
    from deputies.filters import _mostly_places
    from deputies.models import Visit

    deputy = DeputyFactory(township=world.township)
    villages = [VisitFactory(deputy=deputy, place="红旗村") for _n in range(3)]
    said = VisitFactory(deputy=deputy, place="光明社区")
    VisitOpinionFactory(visit=said, content="村里路灯坏了")
    VisitOpinionFactory(visit=said, content="村口积水")
    VisitFactory(deputy=deputy, place="光明社区")
    assert _mostly_places(Visit.objects.all(), "村") and not _mostly_places(Visit.objects.all(), "路灯")
    client = login(world.user("presidium_staff"))
    url = reverse("deputies:visit_list")
    found = list(client.get(url, {"q": "村"}).context["object_list"])
    assert sorted(v.pk for v in found) == sorted([*(v.pk for v in villages), said.pk])
    assert list(client.get(url, {"q": "路灯"}).context["object_list"]) == [said]


@pytest.mark.parametrize("value", [True, False])
def test_the_opinion_filter_counts_a_county_from_its_index(world, value):
    """有意见/无意见 over a county's visits: the count reads the index on (township, opinion count), not the rows
    (PostgreSQL read and joined every visit: 116 → 38 ms for 104,098 visits, docs/performance.md fifth round)."""
    from deputies.filters import VisitFilter
    from deputies.models import Visit

    VisitOpinionFactory(visit=VisitFactory(deputy=DeputyFactory(township=world.township)))
    VisitFactory(deputy=DeputyFactory(township=world.other_township))

    class Request:
        user = world.user("county_admin")
        GET = {}

    visible = Visit.objects.filter(township__county=world.township.county)
    counted = VisitFilter({"has_opinions": value}, queryset=visible, request=Request).qs.order_by()
    assert counted.count() == 1
    if connection.vendor == "postgresql":  # a table of two rows is read whole there: ask whether the index serves
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    assert "visit_township_opinions" in counted.values("pk").explain()


@pytest.mark.parametrize("today", [dt.date(2026, 12, 4), dt.date(2027, 2, 28), dt.date(2028, 2, 29)])
def test_the_visits_this_month_card_counts_this_month_only_by_a_date_range(world, time_machine, today):
    """The home's 本月走访 card: the first and last day of this month count; the last day of the month before, the
    first of the next and the same month a year earlier do not. Read as a date range (the index), not EXTRACT."""
    from deputies.wiring import _visits_this_month, _visits_this_month_rows

    time_machine.move_to(dt.datetime.combine(today, dt.time(10)))
    deputy = DeputyFactory(township=world.township)
    first = today.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    inside = [first, today, last]
    outside = [first - dt.timedelta(days=1), last + dt.timedelta(days=1), first.replace(year=first.year - 1)]
    for day in inside + outside:
        VisitFactory(deputy=deputy, visited_on=day)
    user = world.user("county_admin")
    assert _visits_this_month(user) == len(inside)
    assert set(_visits_this_month_rows(user).values_list("visited_on", flat=True)) == set(inside)
    assert "EXTRACT" not in str(_visits_this_month_rows(user).query).upper()
