"""The visits list's total read from the yearly rows the visit services keep (``selectors.visits_counted``) is the
number of visits the user may open, through every visit service (create with and without opinions, the opinions
removed and given back, the date moved to another year, a delete), for every role, of one township and with
opinions; a user who also sees their own visits as a deputy, and any other filter, are counted from the visits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputies import selectors, services
from deputies.models import Visit
from deputies.services import OpinionInput
from presidium.choices import Role
from presidium.models import RoleAssignment
from tests.factories import DeputyFactory, UserFactory


def args(day: dt.date, **overrides):
    return {"visited_on": day, "place": "东风村三组", "method": "home", "households": 2, "people": 5, **overrides}


def shown_total(client, query: dict) -> int:
    response = client.get(reverse("deputies:visit_list"), query)
    assert response.status_code == 200
    total = response.context["paginator"].count
    assert f"共 {total} 条" in response.content.decode()
    return total


def check(world, users, client):
    """Every user's kept total (all, one township, with opinions) is their visits counted; the county page says so."""
    for user in users:
        visible = selectors.visits_visible_to(user)
        for township in (None, world.township, world.other_township):
            rows = visible if township is None else visible.filter(township=township)
            assert selectors.visits_counted(user, township=township) == rows.count()
            assert selectors.visits_counted(user, township=township, with_opinions=True) == \
                rows.filter(opinions__isnull=False).distinct().count()
    admin = world.user("county_admin")
    assert shown_total(client, {}) == selectors.visits_visible_to(admin).count()
    assert shown_total(client, {"has_opinions": "true"}) == \
        selectors.visits_visible_to(admin).filter(opinions__isnull=False).distinct().count()
    assert shown_total(client, {"township": world.other_township.pk, "has_opinions": "true"}) == \
        Visit.objects.filter(township=world.other_township, opinions__isnull=False).distinct().count()


def test_the_kept_total_is_the_visits_counted_through_every_visit_service(world, login):
    staff, other_staff = world.user("presidium_staff"), world.other_staff
    superuser = UserFactory(is_superuser=True)
    users = [world.user("county_admin"), world.user("county_reviewer"), staff, other_staff, superuser]
    client = login(world.user("county_admin"))
    today = timezone.localdate()
    this_year, last_year = dt.date(today.year, 1, 2), dt.date(today.year - 1, 12, 30)
    ours, theirs = DeputyFactory(township=world.township), DeputyFactory(township=world.other_township)
    foreign = DeputyFactory(township=world.foreign_township)
    check(world, users, client)  # no visits: 0 everywhere

    first = services.visit_create(deputy=ours, by=staff, opinions=[OpinionInput("村道积水")], **args(this_year))
    quiet = services.visit_create(deputy=ours, by=staff, **args(this_year, people=7))
    services.visit_create(deputy=theirs, by=other_staff, opinions=[OpinionInput("路灯"), OpinionInput("水压")],
                          **args(last_year))
    services.visit_create(deputy=foreign, by=superuser, opinions=[OpinionInput("外县")], **args(this_year))
    check(world, users, client)
    assert selectors.visits_counted(world.user("county_admin")) == 3
    assert selectors.visits_counted(world.user("county_admin"), with_opinions=True) == 2

    services.visit_update(visit=first, by=staff, opinions=[])  # the opinions removed: no longer "with opinions"
    check(world, users, client)
    services.visit_update(visit=quiet, by=staff, opinions=[OpinionInput("新意见")], visited_on=last_year)
    check(world, users, client)
    services.visit_update(visit=first, by=staff, opinions=[OpinionInput("又有了")], visited_on=last_year)
    check(world, users, client)
    services.visit_delete(visit=Visit.objects.get(pk=quiet.pk), by=staff)
    check(world, users, client)
    assert selectors.visits_counted(world.user("county_admin"), with_opinions=True) == 2


def test_a_user_who_also_sees_their_own_visits_and_other_filters_are_counted_from_the_visits(world, login):
    staff = world.user("presidium_staff")
    today = timezone.localdate()
    # a staff member of township A who is also a deputy of township B: their own visits there are theirs to see
    RoleAssignment.objects.create(user=staff, role=Role.DEPUTY, township=world.other_township)
    own = DeputyFactory(township=world.other_township, user=staff)
    services.visit_create(deputy=own, by=world.other_staff, opinions=[OpinionInput("本人的")],
                          **args(today))
    services.visit_create(deputy=DeputyFactory(township=world.other_township), by=world.other_staff, **args(today))
    services.visit_create(deputy=DeputyFactory(township=world.township), by=staff, **args(today, method="phone"))
    assert selectors.visits_counted(staff) is None
    client = login(staff)
    assert shown_total(client, {}) == selectors.visits_visible_to(staff).count() == 2
    assert shown_total(client, {"has_opinions": "true"}) == 1

    client = login(world.user("county_admin"))
    assert shown_total(client, {"method": "phone"}) == 1
    assert shown_total(client, {"has_opinions": "false"}) == 2
    assert shown_total(client, {"start": today.isoformat(), "has_opinions": "true"}) == 1
    assert shown_total(client, {"township": "abc"}) == 3  # an invalid choice: counted from the visits, as before


@pytest.mark.parametrize("query", [{}, {"has_opinions": "true"}])
def test_the_county_total_is_one_query_however_many_visits(world, login, query):
    """The total is read by one query of the yearly rows, whatever the number of visits, and the page's queries do
    not grow (two sizes)."""
    admin = world.user("county_admin")
    client = login(admin)
    staff = world.user("presidium_staff")
    today = timezone.localdate()

    def add(count):
        for n in range(count):
            deputy = DeputyFactory(township=(world.township, world.other_township)[n % 2])
            services.visit_create(deputy=deputy, by=staff if n % 2 == 0 else world.other_staff,
                                  opinions=[OpinionInput("意见")] if n % 3 else [],
                                  **args(today - dt.timedelta(days=400 * (n % 3))))

    add(3)
    client.get(reverse("deputies:visit_list"), query)
    sizes = []
    for more in (0, 20):
        add(more)
        visits = selectors.visits_visible_to(admin)
        expected = (visits.filter(opinion_count__gt=0) if query else visits).count()
        with CaptureQueriesContext(connection) as captured:
            assert shown_total(client, query) == expected
        sizes.append(len(captured))
        counted = [q["sql"] for q in captured if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "deputies_visit"')]
        assert not counted, counted  # the total came from the yearly rows
    assert sizes[0] == sizes[1]
