import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from presidium import access, services
from presidium.choices import Role
from presidium.models import HandlingUnit, RoleAssignment, Term
from tests.factories import HandlingUnitFactory, UserFactory


def test_it_refuses_a_second_unit_of_the_same_name_in_a_township(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    with pytest.raises(ValidationError) as error:
        services.handling_unit_create(township=world.township, by=staff, name=" 财政所 ")
    assert "已有名为“财政所”的承办单位" in str(error.value)
    services.handling_unit_create(township=world.other_township, by=staff, name="派出所")


def test_it_records_who_changed_a_unit(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    services.handling_unit_update(unit=world.unit, by=staff, responsible_leader="李副镇长")
    latest = world.unit.history.latest()
    assert latest.history_user == staff
    assert latest.responsible_leader == "李副镇长"


def test_it_keeps_one_current_term_per_township(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    new = services.term_create(township=world.township, by=staff, ordinal=19, start_date=dt.date(2026, 12, 28),
                               end_date=dt.date(2031, 12, 27), make_current=True)
    assert list(Term.objects.filter(township=world.township, is_current=True)) == [new]
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.filter(township=world.township, ordinal=18).update(is_current=True)


def test_it_refuses_a_role_whose_scope_does_not_match(world):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.DEPUTY, county=world.county)


def test_it_lets_county_roles_see_every_township_of_their_county_only(world):
    reviewer = world.user(Role.COUNTY_REVIEWER)
    assert set(access.townships_visible_to(reviewer)) == {world.township, world.other_township}
    staff = world.user(Role.PRESIDIUM_STAFF)
    assert list(access.townships_visible_to(staff)) == [world.township]
    liaison = world.user(Role.UNIT_LIAISON)
    assert list(access.handling_units_visible_to(liaison)) == [world.unit]


def test_the_township_ids_of_an_action_are_those_of_its_townships_for_every_role(world):
    """``township_ids_where`` (from the roles, no query) names the townships ``townships_where`` finds, for every
    role of the world, a superuser, an account with two roles and one without any, for every registered action."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from presidium.access import _RULES, scope_of
    from tests.factories import TownshipFactory

    TownshipFactory(county=world.county, name="丙镇")  # a township added to the county after the roles
    both = world.user(Role.PRESIDIUM_STAFF)
    RoleAssignment.objects.create(user=both, role=Role.DEPUTY, township=world.other_township)
    users = [world.user(role) for role in Role] + [world.other_staff, both, UserFactory(),
                                                   UserFactory(is_superuser=True)]
    for user in users:
        user = type(user).objects.get(pk=user.pk)
        scope_of(user)
        for action in sorted(_RULES):
            expected = set(access.townships_where(user, action).values_list("pk", flat=True))
            with CaptureQueriesContext(connection) as captured:
                ids = access.township_ids_where(user, action)
            assert ids == expected, (user, action)
            assert len(captured) == (1 if user.is_superuser else 0)


def test_it_shows_a_chinese_message_and_keeps_input_when_a_unit_name_is_taken(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    response = client.post(reverse("presidium:unit_create"), {
        "township": world.township.pk, "name": "财政所", "kind": "station", "contact_phone": "0794-1234567",
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert "已有名为“财政所”的承办单位" in body
    assert "0794-1234567" in body
    assert HandlingUnit.objects.filter(township=world.township).count() == 1


def test_it_refuses_creating_a_unit_in_another_township_by_tampering_the_form(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    response = client.post(reverse("presidium:unit_create"), {
        "township": world.other_township.pk, "name": "派出所", "kind": "station",
    })
    assert response.status_code == 200
    assert not HandlingUnit.objects.filter(township=world.other_township, name="派出所").exists()


def test_it_exports_exactly_the_filtered_units(world, login):
    import io

    from openpyxl import load_workbook

    HandlingUnitFactory(township=world.township, name="红旗村", kind="village")
    client = login(world.user(Role.PRESIDIUM_STAFF))
    response = client.get(reverse("presidium:unit_list"), {"kind": "village", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert names == ["红旗村"]


def test_it_lists_units_in_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.user(Role.COUNTY_REVIEWER))
    url = reverse("presidium:unit_list")
    for n in (5, 60):
        HandlingUnitFactory.create_batch(n, township=world.other_township)
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get(url, {"export": "xlsx"}).status_code == 200


def test_it_lists_accounts_and_townships_in_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.user(Role.COUNTY_ADMIN))
    for n in (3, 30):
        for _ in range(n):
            RoleAssignment.objects.create(user=UserFactory(), role=Role.DEPUTY, township=world.township)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("presidium:account_list")).status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get(reverse("presidium:township_list")).status_code == 200


def test_it_opens_an_account_with_a_role_in_one_step(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    response = client.post(reverse("presidium:account_create"), {
        "username": "liaison_new", "real_name": "新联络员", "password": "Qingshi-2026x",
        "role": Role.UNIT_LIAISON, "handling_unit": world.unit.pk,
    })
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user__username="liaison_new")
    assert assignment.handling_unit == world.unit


def test_it_explains_a_short_password_in_chinese_and_creates_nothing(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    response = client.post(reverse("presidium:account_create"), {
        "username": "x_new", "real_name": "某", "password": "short", "role": Role.DEPUTY,
        "township": world.township.pk,
    })
    assert "至少" in response.content.decode()
    assert not RoleAssignment.objects.filter(user__username="x_new").exists()


def test_it_shows_a_units_history_to_staff(world, login):
    staff = world.user(Role.PRESIDIUM_STAFF)
    services.handling_unit_update(unit=world.unit, by=staff, contact_person="赵会计")
    body = login(staff).get(reverse("presidium:object_history", args=["presidium.handlingunit", world.unit.pk]))
    assert "赵会计" in body.content.decode()


def test_it_grants_another_role_to_an_existing_account(world, login):
    deputy = world.user(Role.DEPUTY)
    client = login(world.user(Role.PRESIDIUM_STAFF))
    response = client.post(reverse("presidium:account_role_grant", args=[deputy.pk]),
                           {"role": Role.UNIT_LIAISON, "handling_unit": world.unit.pk})
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=deputy, role=Role.UNIT_LIAISON, handling_unit=world.unit).exists()


def test_it_refuses_granting_a_unit_of_another_township(world, login):
    deputy = world.user(Role.DEPUTY)
    client = login(world.user(Role.PRESIDIUM_STAFF))
    response = client.post(reverse("presidium:account_role_grant", args=[deputy.pk]),
                           {"role": Role.UNIT_LIAISON, "handling_unit": world.other_unit.pk})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=deputy, role=Role.UNIT_LIAISON).exists()


def test_it_lets_a_manager_set_a_temporary_password_that_then_works(world, login, client):
    deputy = world.user(Role.DEPUTY)
    staff_client = login(world.user(Role.PRESIDIUM_STAFF))
    url = reverse("presidium:account_password_reset", args=[deputy.pk])
    weak = staff_client.post(url, {"password": "12345678"})
    assert "密码" in weak.content.decode() and weak.status_code == 200
    assert staff_client.post(url, {"password": "Linshi-2026-mima"}).status_code == 302
    deputy.refresh_from_db()
    assert deputy.check_password("Linshi-2026-mima")
