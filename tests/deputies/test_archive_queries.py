"""Issue 12: the duty archive page, its card and the duty overview stay within 20 queries, the same count with few
and with many records (each archive source one or two queries; the 三不 check reuses what the sections counted)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputies import services
from deputies.models import VisitTarget
from tests.factories import (
    DeputyFactory,
    InvitationFactory,
    MeetingFactory,
    ReceptionDayFactory,
    ReceptionDutyFactory,
    VisitFactory,
    VisitOpinionFactory,
    proposals_suggestion,
)

BUDGET = 20


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_records(world, deputy, count):
    staff = world.user("presidium_staff")
    today = timezone.localdate()
    for _n in range(count):
        VisitOpinionFactory(visit=VisitFactory(deputy=deputy, visited_on=today))
        services.training_add(deputy=deputy, by=staff, attended_on=today, title="培训")
        services.award_add(deputy=deputy, by=staff, awarded_on=today, title="优秀代表")
        InvitationFactory(meeting=MeetingFactory(township=world.township), deputy=deputy, name=deputy.name)
        ReceptionDutyFactory(day=ReceptionDayFactory(township=world.township), deputy=deputy)


@pytest.fixture
def busy_deputy(world):
    deputy = DeputyFactory(township=world.township, user=world.user("deputy"), mobile="13712345678")
    VisitTarget.objects.create(township=world.township, year=timezone.localdate().year,
                               set_by=world.user("county_admin"), visits_per_month=1, people_per_year=20)
    proposals_suggestion(world.township, lead_deputy=deputy, status_to="in_handling", unit=world.unit)
    _add_records(world, deputy, 1)
    DeputyFactory(township=world.other_township, mobile="13712340000")  # no target there: never behind
    return deputy


@pytest.mark.parametrize(("role", "name"), [("presidium_staff", "deputy_archive"), ("deputy", "deputy_archive"),
                                            ("presidium_staff", "deputy_archive_pdf")])
def test_it_keeps_the_archive_and_its_card_within_budget_as_records_grow(world, login, busy_deputy, role, name):
    client = login(world.user(role))
    url = reverse(f"deputies:{name}", args=[busy_deputy.pk])
    client.get(url)
    few = _queries(client, url)
    assert few <= BUDGET
    _add_records(world, busy_deputy, 6)
    proposals_suggestion(world.township, lead_deputy=busy_deputy, status_to="submitted")
    assert _queries(client, url) == few


def test_it_counts_the_archive_three_no_signals_once(world, login, busy_deputy):
    """The meetings, visits and trainings sections hand their counts to the 三不 check: not asked again."""
    client = login(world.user("presidium_staff"))
    url = reverse("deputies:deputy_archive", args=[busy_deputy.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    invitation_counts = [q for q in captured.captured_queries
                         if 'FROM "meetings_invitation"' in q["sql"] and "COUNT(" in q["sql"]]
    assert invitation_counts == []
    three_no = response.context["three_no"]
    assert three_no.counts["opinion"] >= 1 and three_no.counts["activity"] == 1


@pytest.mark.parametrize("role", ["presidium_staff", "county_admin"])
@pytest.mark.parametrize("query", ["", "?behind=true", "?behind=false"])
def test_it_keeps_the_duty_overview_within_budget_as_deputies_grow(world, login, busy_deputy, role, query):
    client = login(world.user(role))
    url = reverse("deputies:duty_overview") + query
    client.get(url)
    few = _queries(client, url)
    assert few <= BUDGET
    for n in range(6):
        deputy = DeputyFactory(township=world.township if n % 2 else world.other_township, mobile=f"1381234{n:04d}")
        _add_records(world, deputy, 1)
    assert _queries(client, url) == few


def test_it_reads_the_duty_overview_rows_with_their_township_and_group_only(world, login, busy_deputy):
    """The rows show their group and export their township; reading the term, constituency and station as well
    cost PostgreSQL 15-30 ms of planning at county scale (docs/performance.md, fifth round)."""
    client = login(world.user("county_admin"))
    url = reverse("deputies:duty_overview")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    rows = [q["sql"] for q in captured.captured_queries
            if q["sql"].startswith('SELECT "deputies_deputy"."id"') and "LIMIT" in q["sql"]]
    assert len(rows) == 1
    assert 'JOIN "presidium_township"' in rows[0] and 'JOIN "deputies_deputygroup"' in rows[0]
    assert '"deputies_constituency"' not in rows[0] and '"deputies_liaisonstation"' not in rows[0]
    assert '"presidium_term"."start_date"' not in rows[0]  # joined for the term filter, not read
    assert busy_deputy in response.context["deputies"]


@pytest.mark.parametrize("name", ["deputy_archive", "deputy_archive_pdf", "deputy_archive_docx"])
def test_it_reads_the_archives_deputy_with_the_relations_it_shows_only(world, login, busy_deputy, name):
    """The archive and its card read the deputy's township, county, term and successor; the roster's group, station
    and constituency joins cost PostgreSQL more to plan than the query takes to run (docs/performance.md)."""
    client = login(world.user("presidium_staff"))
    url = reverse(f"deputies:{name}", args=[busy_deputy.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    [query] = [q["sql"] for q in captured.captured_queries
               if q["sql"].startswith('SELECT "deputies_deputy"."id"') and f'= {busy_deputy.pk}' in q["sql"]
               and '"presidium_county"' in q["sql"]]
    assert '"deputies_constituency"' not in query and '"deputies_liaisonstation"' not in query
    assert '"deputies_deputygroup"' not in query and '"presidium_term"' in query


def test_it_asks_no_source_again_for_the_archives_three_no(world, login, busy_deputy):
    """Every source of a signal hands its count from its section (the suggestions' led and co-signed ones too):
    the 三不 check of the archive reads nothing more; its opinions are the sections' sum."""
    client = login(world.user("presidium_staff"))
    url = reverse("deputies:deputy_archive", args=[busy_deputy.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"] and "GROUP BY" in q["sql"]]
    assert counts == []
    sections = {s.source: s for s in response.context["sections"]}
    assert response.context["three_no"].counts["opinion"] == sum(
        s.signals.get("opinion", 0) for s in sections.values() if s.signals) == 1 + 1  # a visit's opinion, a suggestion


def _opinion_source_queries(captured):
    return [q["sql"] for q in captured.captured_queries
            if 'FROM "proposals_' in q["sql"] or 'FROM "petitions_petition"' in q["sql"]]


@pytest.mark.parametrize("role", ["presidium_staff", "county_admin"])
def test_the_duty_overview_asks_the_opinion_sources_only_about_deputies_whose_visits_collected_none(
        world, login, busy_deputy, role):
    """The rows read the opinions as zero or not: with every row's visits holding opinions, the suggestions and
    petitions are not read (two sizes, the same queries); a deputy without any is asked about alone. The export
    still counts every source for every deputy."""
    from deputies.models import Deputy

    Deputy.objects.filter(township=world.other_township).delete()
    client = login(world.user(role))
    url = reverse("deputies:duty_overview")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert _opinion_source_queries(captured) == []
    few = len(captured)
    for _n in range(4):
        _add_records(world, DeputyFactory(township=world.township), 1)
    assert _queries(client, url) == few
    quiet = DeputyFactory(township=world.township)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    asked = _opinion_source_queries(captured)
    # the led and co-signed items in one query (UNION ALL of the two counts), the petitions raised in another
    assert len(asked) == 2 and [sql.count(f"IN ({quiet.pk})") for sql in asked] == [2, 1]
    row = next(d for d in response.context["deputies"] if d.pk == quiet.pk)
    assert row.three_no.counts["opinion"] == 0
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url + "?export=xlsx").status_code == 200
    assert len(_opinion_source_queries(captured)) >= 2  # led and co-signed, raised petitions: every deputy's counts
