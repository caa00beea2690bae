"""Account takeover (issue 7): a manager may reset the password of, or change the roles of, only an account
whose every role lies inside the manager's own scope and ranks below the manager's own role; never a
superuser, never their own account. Granting never lifts an account above the manager or outside their scope.

Ranks: superuser > county admin > county reviewer > presidium chair > presidium staff > deputy, liaison.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from presidium import access, services
from presidium.access import forget_scope
from presidium.choices import COUNTY_ROLES, Role
from presidium.models import RoleAssignment, User
from tests.factories import PASSWORD, DeputyFactory, UserFactory

NEW_PASSWORD = "Linshi-2026-mima"


def _give(user, role: Role, scope) -> RoleAssignment:
    if role in COUNTY_ROLES:
        return RoleAssignment.objects.create(user=user, role=role, county=scope)
    if role == Role.UNIT_LIAISON:
        return RoleAssignment.objects.create(user=user, role=role, handling_unit=scope)
    return RoleAssignment.objects.create(user=user, role=role, township=scope)


def _account(world, *extra, **fields) -> User:
    """An account that holds the deputy role in township A (so A's managers see it), plus ``extra`` roles."""
    user = UserFactory(**fields)
    _give(user, Role.DEPUTY, world.township)
    for role, scope in extra:
        _give(user, role, scope)
    return user


# target name -> how to build it
TARGETS = {
    "own_deputy": lambda w: _account(w),
    "own_deputy_and_liaison": lambda w: _account(w, (Role.UNIT_LIAISON, w.unit)),
    "staff_peer": lambda w: _account(w, (Role.PRESIDIUM_STAFF, w.township)),
    "chair": lambda w: _account(w, (Role.PRESIDIUM_CHAIR, w.township)),
    "county_reviewer_too": lambda w: _account(w, (Role.COUNTY_REVIEWER, w.county)),
    "county_admin_too": lambda w: _account(w, (Role.COUNTY_ADMIN, w.county)),
    "inactive_county_admin_too": lambda w: _account(w, (Role.COUNTY_ADMIN, w.county), is_active=False),
    "other_township_deputy_too": lambda w: _account(w, (Role.DEPUTY, w.other_township)),
    "other_township_liaison_too": lambda w: _account(w, (Role.UNIT_LIAISON, w.other_unit)),
    "other_township_staff_too": lambda w: _account(w, (Role.PRESIDIUM_STAFF, w.other_township)),
    "foreign_county_deputy_too": lambda w: _account(w, (Role.DEPUTY, w.foreign_township)),
    "superuser": lambda w: _account(w, is_superuser=True),
}

MANAGERS = ("presidium_staff", "presidium_chair", "county_admin", "superuser")

# Which manager may manage which target: everything else is refused.
ALLOWED = {
    "own_deputy": {"presidium_staff", "presidium_chair", "county_admin", "superuser"},
    "own_deputy_and_liaison": {"presidium_staff", "presidium_chair", "county_admin", "superuser"},
    "staff_peer": {"presidium_chair", "county_admin", "superuser"},
    "chair": {"county_admin", "superuser"},
    "county_reviewer_too": {"county_admin", "superuser"},
    "county_admin_too": {"superuser"},
    "inactive_county_admin_too": {"superuser"},
    "other_township_deputy_too": {"county_admin", "superuser"},
    "other_township_liaison_too": {"county_admin", "superuser"},
    "other_township_staff_too": {"county_admin", "superuser"},
    "foreign_county_deputy_too": {"superuser"},
    "superuser": set(),
}


def _manager(world, name: str) -> User:
    if name == "superuser":
        return User.objects.filter(username="root").first() or UserFactory(username="root", is_superuser=True)
    return world.user(name)


def _own_assignment(world, target) -> RoleAssignment:
    return RoleAssignment.objects.get(user=target, role=Role.DEPUTY, township=world.township)


def _reset(world, manager, target) -> bool:
    """Try to set a temporary password; True if it took effect."""
    services.account_password_reset(by=manager, user=target, password=NEW_PASSWORD)
    target.refresh_from_db()
    return target.check_password(NEW_PASSWORD)


def _grant(world, manager, target) -> bool:
    """Try to grant a low role inside township A (one every manager of A may hand out)."""
    services.role_grant(by=manager, user=target, role=Role.UNIT_LIAISON, handling_unit=world.unit)
    return RoleAssignment.objects.filter(user=target, role=Role.UNIT_LIAISON, handling_unit=world.unit).exists()


def _revoke(world, manager, target) -> bool:
    """Try to revoke the target's deputy role in township A (a role the manager's screen shows)."""
    assignment = _own_assignment(world, target)
    services.role_revoke(by=manager, assignment=assignment)
    return not RoleAssignment.objects.filter(pk=assignment.pk).exists()


ACTIONS = {"reset": _reset, "grant": _grant, "revoke": _revoke}


def _unchanged(world, action: str, target) -> bool:
    target.refresh_from_db()
    if action == "reset":
        return target.check_password(PASSWORD) and not target.check_password(NEW_PASSWORD)
    if action == "grant":
        return not RoleAssignment.objects.filter(user=target, role=Role.UNIT_LIAISON, handling_unit=world.unit).exists()
    return RoleAssignment.objects.filter(user=target, role=Role.DEPUTY, township=world.township).exists()


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("target_name", TARGETS)
def test_it_lets_a_manager_manage_only_accounts_wholly_inside_their_scope_and_below_their_rank(
        world, target_name, action):
    """Each manager tries the action on a fresh target: allowed ones take effect, the rest raise 403, change nothing."""
    failures = []
    for manager_name in MANAGERS:
        manager = _manager(world, manager_name)
        target = TARGETS[target_name](world)
        expected = manager_name in ALLOWED[target_name]
        forget_scope(manager)
        try:
            done = ACTIONS[action](world, manager, target)
        except PermissionDenied as refusal:
            if expected:
                failures.append(f"{manager_name}: refused ({refusal}), expected allowed")
            elif not _unchanged(world, action, target):
                failures.append(f"{manager_name}: refused, but the change was made")
        else:
            if not expected:
                failures.append(f"{manager_name}: allowed, expected refused")
            elif not done:
                failures.append(f"{manager_name}: allowed, but nothing changed")
    assert not failures, f"{action} on {target_name}:\n  " + "\n  ".join(failures)


@pytest.mark.parametrize("target_name", TARGETS)
def test_it_answers_on_the_screen_as_the_services_do(world, target_name):
    """The accounts screen asks the same rule: None (offered) exactly where the services allow."""
    target = TARGETS[target_name](world)
    answers = {name: access.account_manage_refusal(_manager(world, name), target) for name in MANAGERS}
    assert {name for name, reason in answers.items() if reason is None} == ALLOWED[target_name]
    assert all(reason for name, reason in answers.items() if name not in ALLOWED[target_name])


def test_it_says_in_chinese_why_an_account_is_not_managed_by_you(world):
    staff, admin = world.user(Role.PRESIDIUM_STAFF), world.user(Role.COUNTY_ADMIN)
    reason = access.account_manage_refusal(staff, TARGETS["county_admin_too"](world))
    assert "县人大常委会管理员" in reason and "测试县" in reason and "超出您的管理范围" in reason
    assert "主席团主席" in access.account_manage_refusal(staff, TARGETS["chair"](world))
    assert "乙镇" in access.account_manage_refusal(staff, TARGETS["other_township_deputy_too"](world))
    assert "系统管理员" in access.account_manage_refusal(admin, TARGETS["superuser"](world))
    assert "同级" in access.account_manage_refusal(admin, TARGETS["county_admin_too"](world))
    assert "自己" in access.account_manage_refusal(staff, staff)
    assert access.account_manage_refusal(world.user(Role.DEPUTY), TARGETS["own_deputy"](world)) == "您没有管理账号的权限。"
    assert access.account_manage_refusal(staff, TARGETS["own_deputy"](world)) is None


def test_it_refuses_managing_your_own_account_even_a_low_role_of_it(world):
    chair = world.user(Role.PRESIDIUM_CHAIR)
    own_deputy_role = _give(chair, Role.DEPUTY, world.township)
    forget_scope(chair)
    with pytest.raises(PermissionDenied):
        services.account_password_reset(by=chair, user=chair, password=NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        services.role_revoke(by=chair, assignment=own_deputy_role)
    with pytest.raises(PermissionDenied):
        services.role_grant(by=chair, user=chair, role=Role.UNIT_LIAISON, handling_unit=world.unit)
    assert RoleAssignment.objects.filter(pk=own_deputy_role.pk).exists()


@pytest.mark.parametrize(("manager_name", "role", "scope", "allowed"), [
    ("presidium_staff", Role.PRESIDIUM_STAFF, "township", True),
    ("presidium_staff", Role.PRESIDIUM_CHAIR, "township", False),
    ("presidium_staff", Role.COUNTY_REVIEWER, "county", False),
    ("presidium_staff", Role.DEPUTY, "other_township", False),
    ("presidium_staff", Role.UNIT_LIAISON, "other_unit", False),
    ("presidium_chair", Role.PRESIDIUM_CHAIR, "township", True),
    ("presidium_chair", Role.COUNTY_REVIEWER, "county", False),
    ("presidium_chair", Role.PRESIDIUM_STAFF, "other_township", False),
    ("county_admin", Role.COUNTY_REVIEWER, "county", True),
    ("county_admin", Role.PRESIDIUM_CHAIR, "other_township", True),
    ("county_admin", Role.COUNTY_ADMIN, "county", False),
    ("county_admin", Role.DEPUTY, "foreign_township", False),
    ("county_admin", Role.COUNTY_REVIEWER, "foreign_county", False),
    ("superuser", Role.COUNTY_ADMIN, "county", True),
])
def test_it_never_grants_a_role_above_the_managers_own_or_outside_their_scope(world, manager_name, role, scope,
                                                                             allowed):
    manager = _manager(world, manager_name)
    target = _account(world)
    place = {"township": world.township, "other_township": world.other_township, "county": world.county,
             "other_unit": world.other_unit, "foreign_township": world.foreign_township,
             "foreign_county": world.foreign_county}[scope]
    if allowed:
        _give_through_service(manager, target, role, place)
        assert RoleAssignment.objects.filter(user=target, role=role).exists()
    else:
        with pytest.raises(PermissionDenied):
            _give_through_service(manager, target, role, place)
        assert not RoleAssignment.objects.filter(user=target, role=role).exclude(
            role=Role.DEPUTY, township=world.township).exists()


def _give_through_service(manager, target, role, place):
    key = "county" if role in COUNTY_ROLES else "handling_unit" if role == Role.UNIT_LIAISON else "township"
    return services.role_grant(by=manager, user=target, role=role, **{key: place})


def test_it_lets_the_system_itself_grant_any_role(world):
    """``by=None`` is seed_demo or a data migration, not a person: no manager to check."""
    target = UserFactory()
    services.role_grant(by=None, user=target, role=Role.COUNTY_ADMIN, county=world.county)
    assert RoleAssignment.objects.filter(user=target, role=Role.COUNTY_ADMIN).exists()


def test_it_refuses_a_grant_that_would_let_a_manager_take_over_an_account_by_adding_a_role_first(world):
    """Granting a deputy role in A to a county admin makes the account visible to A's staff: still theirs to refuse."""
    county_admin = UserFactory()
    _give(county_admin, Role.COUNTY_ADMIN, world.county)
    staff = world.user(Role.PRESIDIUM_STAFF)
    with pytest.raises(PermissionDenied):
        services.role_grant(by=staff, user=county_admin, role=Role.DEPUTY, township=world.township)
    assert not RoleAssignment.objects.filter(user=county_admin, role=Role.DEPUTY).exists()


def test_it_lets_a_manager_grant_the_first_role_of_a_new_account(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    newcomer = services.account_create(by=staff, username="newcomer", real_name="新人", password=NEW_PASSWORD)
    services.role_grant(by=staff, user=newcomer, role=Role.DEPUTY, township=world.township)
    assert RoleAssignment.objects.filter(user=newcomer, role=Role.DEPUTY, township=world.township).exists()


def test_it_refuses_a_role_less_account_to_anyone_but_a_superuser(world):
    """No role in the manager's scope: not theirs (the screen does not list it; the service says no too)."""
    stray = UserFactory()
    with pytest.raises(PermissionDenied):
        services.account_password_reset(by=world.user(Role.PRESIDIUM_STAFF), user=stray, password=NEW_PASSWORD)
    services.account_password_reset(by=_manager(world, "superuser"), user=stray, password=NEW_PASSWORD)


# --- the screens ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["presidium:account_password_reset", "presidium:account_role_grant"])
def test_it_answers_403_with_the_reason_for_a_visible_account_you_may_not_manage(world, login, url_name):
    target = TARGETS["county_admin_too"](world)
    client = login(world.user(Role.PRESIDIUM_STAFF))
    url = reverse(url_name, args=[target.pk])
    page = client.get(url)
    assert page.status_code == 403
    assert "超出您的管理范围" in page.content.decode()
    post = client.post(url, {"password": NEW_PASSWORD, "role": Role.UNIT_LIAISON, "handling_unit": world.unit.pk})
    assert post.status_code == 403
    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    assert not RoleAssignment.objects.filter(user=target, role=Role.UNIT_LIAISON).exists()


def test_it_refuses_revoking_the_chairs_role_on_the_screen(world, login):
    chair = world.user(Role.PRESIDIUM_CHAIR)
    assignment = RoleAssignment.objects.get(user=chair, role=Role.PRESIDIUM_CHAIR)
    response = login(world.user(Role.PRESIDIUM_STAFF)).post(reverse("presidium:role_revoke", args=[assignment.pk]))
    assert response.status_code == 403
    assert "主席团主席" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_it_lets_staff_reset_an_own_township_deputy_on_the_screen(world, login):
    target = TARGETS["own_deputy"](world)
    client = login(world.user(Role.PRESIDIUM_STAFF))
    url = reverse("presidium:account_password_reset", args=[target.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"password": NEW_PASSWORD}).status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)


def test_it_shows_on_the_accounts_screen_why_an_action_is_not_offered(world, login):
    refused = TARGETS["county_admin_too"](world)
    managed = TARGETS["own_deputy"](world)
    staff = world.user(Role.PRESIDIUM_STAFF)
    body = login(staff).get(reverse("presidium:account_list")).content.decode()
    assert reverse("presidium:account_password_reset", args=[managed.pk]) in body
    assert reverse("presidium:account_role_grant", args=[managed.pk]) in body
    assert reverse("presidium:account_password_reset", args=[refused.pk]) not in body
    assert reverse("presidium:account_role_grant", args=[refused.pk]) not in body
    refused_role = _own_assignment(world, refused)
    assert reverse("presidium:role_revoke", args=[refused_role.pk]) not in body
    assert reverse("presidium:role_revoke", args=[_own_assignment(world, managed).pk]) in body
    assert "超出您的管理范围" in body
    chair_role = RoleAssignment.objects.get(user=world.user(Role.PRESIDIUM_CHAIR), role=Role.PRESIDIUM_CHAIR)
    assert reverse("presidium:role_revoke", args=[chair_role.pk]) not in body
    assert reverse("presidium:account_password_reset", args=[staff.pk]) not in body


def test_it_offers_only_roles_the_manager_may_grant(world, login):
    target = TARGETS["own_deputy"](world)
    body = login(world.user(Role.PRESIDIUM_STAFF)).get(
        reverse("presidium:account_role_grant", args=[target.pk])).content.decode()
    assert f'value="{Role.PRESIDIUM_STAFF.value}"' in body and f'value="{Role.DEPUTY.value}"' in body
    assert f'value="{Role.PRESIDIUM_CHAIR.value}"' not in body
    assert f'value="{Role.COUNTY_REVIEWER.value}"' not in body


def test_it_lists_accounts_with_their_reasons_in_a_constant_number_of_queries(world, login,
                                                                               django_assert_max_num_queries):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    for n in (2, 20):
        for i in range(n):
            TARGETS[("own_deputy", "county_admin_too", "other_township_liaison_too", "chair")[i % 4]](world)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("presidium:account_list")).status_code == 200


def test_it_explains_on_the_form_when_a_deputy_is_linked_to_an_account_the_manager_may_not_manage(world, login):
    """Linking a deputy grants the deputy role: staff may not do that to the chair's account."""
    chair = world.user(Role.PRESIDIUM_CHAIR)
    deputy = DeputyFactory(township=world.township)
    response = login(world.user(Role.PRESIDIUM_STAFF)).post(
        reverse("deputies:deputy_account", args=[deputy.pk]), {"user": chair.pk})
    assert response.status_code == 200
    assert "主席团主席" in response.content.decode()
    deputy.refresh_from_db()
    assert deputy.user is None
    assert not RoleAssignment.objects.filter(user=chair, role=Role.DEPUTY).exists()


def test_it_keeps_a_service_validation_error_for_a_grant_without_scope(world):
    with pytest.raises(ValidationError):
        services.role_grant(by=world.user(Role.PRESIDIUM_STAFF), user=_account(world), role=Role.DEPUTY)
