"""Issue 12: the late clocks are found through the indexed expression of the running duty clocks' due dates
(``RUNNING_DUTY_DUE``): the same cases as the plain reading of the rule, the index used, queries flat as cases grow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from petitions.choices import ClockKind, ClockState
from petitions.models import Petition, PetitionClock
from petitions.selectors import duty_clocks_overdue, overdue_petitions
from petitions.staff_wiring import _overdue, _overdue_rows, _staff_counts
from presidium.choices import Role
from tests.factories import petition_at

WINDOWS = [ClockKind.REVIEW_REQUEST, ClockKind.RE_REVIEW_REQUEST]


def _today():
    return timezone.localdate()


def _clock(petition, kind, due_in, state=ClockState.RUNNING, round=7):
    due = _today() + dt.timedelta(days=due_in)
    return PetitionClock.objects.create(
        petition=petition, kind=kind, round=round, legal_basis="《信访工作条例》", amount=15, start_event="测试",
        started_on=due - dt.timedelta(days=15), due_on=due, state=state,
        stopped_on=None if state == ClockState.RUNNING else due)


@pytest.fixture
def clocks(world):
    """One case per kind of clock, each case with only that clock (its own clocks from the services voided)."""
    staff = world.user(Role.PRESIDIUM_STAFF)
    cases = {}
    shapes = {
        "acceptance_late": (ClockKind.ACCEPTANCE, -1, ClockState.RUNNING),
        "acceptance_today": (ClockKind.ACCEPTANCE, 0, ClockState.RUNNING),
        "completion_late": (ClockKind.COMPLETION, -30, ClockState.RUNNING),
        "extension_late": (ClockKind.EXTENSION, -2, ClockState.RUNNING),
        "review_late": (ClockKind.REVIEW, -3, ClockState.RUNNING),
        "re_review_soon": (ClockKind.RE_REVIEW, 5, ClockState.RUNNING),
        "completion_later": (ClockKind.COMPLETION, 6, ClockState.RUNNING),
        "window_late": (ClockKind.REVIEW_REQUEST, -10, ClockState.RUNNING),
        "re_window_late": (ClockKind.RE_REVIEW_REQUEST, -1, ClockState.RUNNING),
        "window_soon": (ClockKind.REVIEW_REQUEST, 2, ClockState.RUNNING),
        "met_late": (ClockKind.COMPLETION, -5, ClockState.MET),
        "missed_late": (ClockKind.ACCEPTANCE, -5, ClockState.MISSED),
        "extended_late": (ClockKind.COMPLETION, -5, ClockState.EXTENDED),
        "void_late": (ClockKind.ACCEPTANCE, -5, ClockState.VOID),
    }
    for name, (kind, due_in, state) in shapes.items():
        township = world.other_township if name == "completion_later" else world.township
        by = world.other_staff if township == world.other_township else staff
        petition = petition_at("registered", township, by=by, received_on=_today() - dt.timedelta(days=1))
        petition.clocks.update(state=ClockState.VOID, stopped_on=_today())
        _clock(petition, kind, due_in, state)
        cases[name] = petition
    return cases


def _plain(**due):
    """The rule as written before the expression index: a running clock, not a window, its due date matching."""
    return Exists(PetitionClock.objects.filter(petition=OuterRef("pk"), state=ClockState.RUNNING)
                  .exclude(kind__in=WINDOWS).filter(**{f"due_on__{k}": v for k, v in due.items()}))


def test_the_late_clocks_are_those_of_the_plain_rule(world, clocks):
    today = _today()
    by_name = {p.pk: name for name, p in clocks.items()}
    late = {"acceptance_late", "completion_late", "extension_late", "review_late"}
    assert {by_name[p] for p in overdue_petitions(Petition.objects.all()).values_list("pk", flat=True)} == late
    assert set(overdue_petitions(Petition.objects.all()).values_list("pk", flat=True)) == set(
        Petition.objects.filter(_plain(lt=today)).values_list("pk", flat=True))
    assert duty_clocks_overdue().count() == 4
    # another day: as if tomorrow, the acceptance due today is late too
    tomorrow = today + dt.timedelta(days=1)
    assert {by_name[p] for p in overdue_petitions(Petition.objects.all(), today=tomorrow)
            .values_list("pk", flat=True)} == late | {"acceptance_today"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_clock_filter_lists_the_cases_of_the_plain_rule(world, login, clocks, language):
    today = _today()
    soon = today + dt.timedelta(days=5)
    plain = {
        "overdue": Q(_plain(lt=today)),
        "due_soon": Q(_plain(gte=today, lte=soon)),
        "acceptance_overdue": Q(_plain(lt=today)) & Q(Exists(PetitionClock.objects.filter(
            petition=OuterRef("pk"), state=ClockState.RUNNING, kind=ClockKind.ACCEPTANCE, due_on__lt=today))),
        "completion_overdue": Q(Exists(PetitionClock.objects.filter(
            petition=OuterRef("pk"), state=ClockState.RUNNING, kind__in=[ClockKind.COMPLETION, ClockKind.EXTENSION],
            due_on__lt=today))),
    }
    by_name = {p.pk: name for name, p in clocks.items()}
    client = login(world.user(Role.COUNTY_ADMIN))
    expected_names = {
        "overdue": {"acceptance_late", "completion_late", "extension_late", "review_late"},
        "due_soon": {"acceptance_today", "re_review_soon"},
        "acceptance_overdue": {"acceptance_late"},
        "completion_overdue": {"completion_late", "extension_late"},
    }
    for value, rule in plain.items():
        response = client.get(reverse("petitions:list"), {"clock": value}, HTTP_ACCEPT_LANGUAGE=language)
        listed = {p.pk for p in response.context["object_list"]}
        assert listed == set(Petition.objects.filter(rule).values_list("pk", flat=True)), value
        assert {by_name[pk] for pk in listed} == expected_names[value], value


def test_the_home_card_counts_the_late_cases_of_the_user_s_townships(world, clocks):
    late = {clocks[name].pk for name in ("acceptance_late", "completion_late", "extension_late", "review_late")}
    for role in (Role.PRESIDIUM_STAFF, Role.COUNTY_ADMIN):
        user = world.user(role)
        assert set(_overdue_rows(user).values_list("pk", flat=True)) == late
        assert _overdue(user) == 4 == _staff_counts(user)["petitions_overdue"]
    assert _overdue(world.other_staff) == 0


def _uses_the_expression_index(queryset) -> bool:
    """On PostgreSQL: whether it answers the late clocks through ``petition_clock_duty_due`` when it must use an
    index (it can only if the query's expression is the index's own). SQLite (development) binds the expression's
    strings as parameters, which never match an index's literals: there the index exists and the query is the
    expression."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            indexes = connection.introspection.get_constraints(cursor, PetitionClock._meta.db_table)
        return "petition_clock_duty_due" in indexes and "CASE WHEN" in str(queryset.query)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    return "petition_clock_duty_due" in plan


def test_the_late_clocks_are_read_through_the_expression_index(world, clocks):
    assert _uses_the_expression_index(duty_clocks_overdue())
    # Narrowed further (one kind), the query keeps the index's expression; on these few test rows PostgreSQL may
    # then prefer another index for the kind, so only the plain lookup's plan is asserted.
    assert "CASE WHEN" in str(duty_clocks_overdue().filter(kind=ClockKind.ACCEPTANCE).query)
    assert "CASE WHEN" in str(_overdue_rows(world.user(Role.COUNTY_ADMIN)).query)


def _grow_late(world, staff, n):
    for _ in range(n):
        petition_at("registered", world.township, by=staff, received_on=_today() - dt.timedelta(days=20))
        petition_at("accepted", world.township, by=staff, received_on=_today() - dt.timedelta(days=90))


@pytest.mark.parametrize("role", [Role.PRESIDIUM_STAFF, Role.COUNTY_ADMIN])
def test_the_overdue_list_and_card_keep_their_query_counts_as_late_cases_grow(world, login, role):
    staff = world.user(Role.PRESIDIUM_STAFF)
    user = world.user(role)
    client = login(user)
    url = reverse("petitions:list") + "?clock=overdue"
    _staff_counts(user)  # the user's roles are read once and kept on the user
    counts = []
    for n in (2, 6):
        _grow_late(world, staff, n - (2 if counts else 0))
        client.get(url)
        with CaptureQueriesContext(connection) as page:
            response = client.get(url)
        assert response.status_code == 200
        with CaptureQueriesContext(connection) as card:
            assert _staff_counts(user)["petitions_overdue"] == 2 * n
        counts.append((len(page), len(card)))
        assert len(response.context["object_list"]) == 2 * n
    assert counts[0] == counts[1]
    assert counts[0][0] <= 10 and counts[0][1] == 1
