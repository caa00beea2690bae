from presidium.choices import Role
from presidium.models import RoleAssignment, User
from tests.access_matrix import COUNTY, STAFF, Case, allow, expect
from tests.factories import UserFactory

MANAGERS = (*STAFF, Role.COUNTY_ADMIN.value)


def _fresh_assignment(world, township):
    user = UserFactory()
    return RoleAssignment.objects.create(user=user, role=Role.DEPUTY, township=township).pk


def _fresh_account(world, township):
    return RoleAssignment.objects.get(pk=_fresh_assignment(world, township)).user_id


def _target(world, *extra, township=None, is_superuser=False) -> User:
    """An account with the deputy role in ``township`` (A by default), so A's managers see it, plus ``extra``."""
    user = UserFactory(is_superuser=is_superuser)
    RoleAssignment.objects.create(user=user, role=Role.DEPUTY, township=township or world.township)
    for role, scope in extra:
        key = "county" if role in (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER) else "township"
        RoleAssignment.objects.create(user=user, role=role, **{key: scope})
    return user


# Targets a manager of township A sees but may not take over (issue 7): each is (own, other) argument builders.
COUNTY_TARGET = (lambda w: _target(w, (Role.COUNTY_ADMIN, w.county)),
                 lambda w: _target(w, (Role.COUNTY_ADMIN, w.foreign_county), township=w.foreign_township))
TOWNSHIP_TARGET = (lambda w: _target(w, (Role.DEPUTY, w.other_township)),
                   lambda w: _target(w, (Role.PRESIDIUM_STAFF, w.foreign_township), township=w.foreign_township))
SUPERUSER_TARGET = (lambda w: _target(w, is_superuser=True),
                    lambda w: _target(w, township=w.foreign_township, is_superuser=True))
CHAIR_TARGET = (lambda w: _target(w, (Role.PRESIDIUM_CHAIR, w.township)),
                lambda w: _target(w, (Role.PRESIDIUM_CHAIR, w.foreign_township), township=w.foreign_township))
# Township managers: 403 for all of them (wider, or not below their rank); a county admin may take the
# other-township deputy and the chair, never another county admin or a superuser; non-managers see nothing.
TAKEOVER_TARGETS = [
    ("a county admin's account", COUNTY_TARGET, ()),
    ("an account with another township's role", TOWNSHIP_TARGET, ("county_admin",)),
    ("a superuser's account", SUPERUSER_TARGET, ()),
    ("the chair's account", CHAIR_TARGET, ("county_admin",)),
]


def _takeover_cases() -> list[Case]:
    cases = []
    for note, (own, other), county_admin_may in TAKEOVER_TARGETS:
        for url_name in ("presidium:account_password_reset", "presidium:account_role_grant"):
            cases.append(Case(
                url_name, expect(404, **{**dict.fromkeys(MANAGERS, 403), **dict.fromkeys(county_admin_may, 200)}),
                own=lambda w, own=own: [own(w).pk], other=lambda w, other=other: [other(w).pk], note=note))
        cases.append(Case(
            "presidium:role_revoke",
            expect(404, **{**dict.fromkeys(MANAGERS, 403), **dict.fromkeys(county_admin_may, 302)}), method="post",
            own=lambda w, own=own: [_deputy_role_in_a(w, own(w))],
            other=lambda w, other=other: [_deputy_role_in_a(w, other(w), township=w.foreign_township)], note=note))
    return cases


def _deputy_role_in_a(world, user, township=None) -> int:
    return RoleAssignment.objects.get(user=user, role=Role.DEPUTY, township=township or world.township).pk


CASES = [
    Case("presidium:account_role_grant", allow(MANAGERS, default=404), own=lambda w: [_fresh_account(w, w.township)],
         other=lambda w: [_fresh_account(w, w.foreign_township)]),
    Case("presidium:account_password_reset", allow(MANAGERS, default=404), own=lambda w: [_fresh_account(w, w.township)],
         other=lambda w: [_fresh_account(w, w.foreign_township)]),
    Case("home", expect(200)),
    Case("login", expect(302, anonymous=200), note="a logged-in user is sent home"),
    Case("logout", expect(302, anonymous=302), method="post"),
    Case("password_change", expect(200)),
    Case("password_change_done", expect(200)),
    Case("password_reset", expect(200, anonymous=200)),
    Case("password_reset_done", expect(200, anonymous=200)),
    Case("password_reset_complete", expect(200, anonymous=200)),
    Case("password_reset_confirm", expect(200, anonymous=200), own=lambda w: ["MQ", "bad-token"],
         note="an invalid link shows the Chinese 'link expired' page"),
    Case("account_settings", expect(200)),
    Case("presidium:township_list", allow((*STAFF, *COUNTY))),
    Case("presidium:township_detail", allow((*STAFF, *COUNTY), default=404),
         own=lambda w: [w.township.pk], other=lambda w: [w.foreign_township.pk]),
    Case("presidium:township_settings", expect(404, **dict.fromkeys(MANAGERS, 200), county_reviewer=403),
         own=lambda w: [w.township.pk], other=lambda w: [w.foreign_township.pk]),
    Case("presidium:term_create", expect(404, **dict.fromkeys(MANAGERS, 200), county_reviewer=403),
         own=lambda w: [w.township.pk], other=lambda w: [w.foreign_township.pk]),
    Case("presidium:member_create", expect(404, **dict.fromkeys(MANAGERS, 200), county_reviewer=403),
         own=lambda w: [w.township.pk], other=lambda w: [w.foreign_township.pk]),
    Case("presidium:unit_list", expect(200)),
    Case("presidium:unit_create", allow(MANAGERS)),
    Case("presidium:unit_update", expect(403, **dict.fromkeys(MANAGERS, 200)),
         own=lambda w: [w.unit.pk], other=lambda w: [w.foreign_unit.pk]),
    Case("presidium:account_list", allow(MANAGERS)),
    Case("presidium:account_create", allow(MANAGERS)),
    Case("presidium:role_revoke", expect(404, **dict.fromkeys(MANAGERS, 302)), method="post",
         own=lambda w: [_fresh_assignment(w, w.township)], other=lambda w: [_fresh_assignment(w, w.foreign_township)]),
    Case("presidium:object_history", expect(403, **dict.fromkeys(MANAGERS, 200)),
         own=lambda w: ["presidium.handlingunit", w.unit.pk],
         other=lambda w: ["presidium.handlingunit", w.foreign_unit.pk]),
]

# The working-day calendar (nested app presidium/calendar) lists its own rows.
from tests.presidium.test_calendar_access import CASES as CALENDAR_CASES  # noqa: E402

CASES += CALENDAR_CASES
CASES += _takeover_cases()
