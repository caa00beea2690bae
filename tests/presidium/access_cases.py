from presidium.choices import Role
from presidium.models import RoleAssignment
from tests.access_matrix import COUNTY, STAFF, Case, allow, expect
from tests.factories import UserFactory

MANAGERS = (*STAFF, Role.COUNTY_ADMIN.value)


def _fresh_assignment(world, township):
    user = UserFactory()
    return RoleAssignment.objects.create(user=user, role=Role.DEPUTY, township=township).pk


def _fresh_account(world, township):
    return RoleAssignment.objects.get(pk=_fresh_assignment(world, township)).user_id


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
