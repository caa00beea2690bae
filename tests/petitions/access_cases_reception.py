"""Reception-day URLs as every role (collected by tests/petitions/access_cases.py into the access matrix).

Township A's day is today, with the world's deputy account on duty, so the deputy meets their own duty;
another county's day is a 404 for everyone. A POST that is refused for its timing (marking absent on the
day itself) still answers 302 with the reason as a message; a role that may not take the step gets 403.
"""

from __future__ import annotations

from django.utils import timezone

from presidium.choices import Role
from tests.access_matrix import COUNTY, STAFF, Case, allow, expect

DEPUTY = Role.DEPUTY.value


def _deputy(w, township, *, own: bool):
    from deputies.models import Deputy
    from tests.factories import DeputyFactory

    if own:
        found = Deputy.objects.filter(user=w.user(DEPUTY)).first()
        return found or DeputyFactory(township=township, name="冯国强", user=w.user(DEPUTY))
    return DeputyFactory(township=township)


def _day(w, township, *, own: bool = True):
    from petitions.models import ReceptionDay, ReceptionDuty

    deputy = _deputy(w, township, own=own)
    day = ReceptionDay.objects.create(township=township, date=timezone.localdate(), place="联络站")
    ReceptionDuty.objects.create(day=day, deputy=deputy, status="on_duty")
    return day


def _fresh_day(w, township, *, own: bool = True):
    from petitions.models import ReceptionDay

    ReceptionDay.objects.filter(township=township, date=timezone.localdate()).delete()
    return _day(w, township, own=own)


def own_day(w):
    return [_fresh_day(w, w.township).pk]


def other_day(w):
    return [_fresh_day(w, w.foreign_township, own=False).pk]


def own_duty(w):
    return [_fresh_day(w, w.township).duties.get().pk]


def other_duty(w):
    return [_fresh_day(w, w.foreign_township, own=False).duties.get().pk]


ALL = expect(200)
CASES = [
    Case("reception:day_list", ALL),
    Case("reception:generate", allow(STAFF)),
    Case("reception:summary", allow((*STAFF, *COUNTY))),
    Case("reception:day_detail", ALL, own=own_day, other=other_day),
    Case("reception:day_edit", allow(STAFF), own=own_day, other=other_day),
    Case("reception:day_cancel", allow(STAFF), own=own_day, other=other_day),
    Case("reception:duty_add", allow(STAFF, status=302), own=own_day, other=other_day, method="post",
         data=lambda w: {"deputy": _deputy(w, w.township, own=False).pk}),
    Case("reception:day_absent_all", allow(STAFF, status=302), own=own_day, other=other_day, method="post"),
    Case("reception:duty_sign_in", allow((DEPUTY,), status=302), own=own_duty, other=other_duty, method="post"),
    Case("reception:duty_leave", allow((*STAFF, DEPUTY)), own=own_duty, other=other_duty),
    Case("reception:duty_absent", allow(STAFF, status=302), own=own_duty, other=other_duty, method="post"),
    Case("reception:duty_confirm", allow(STAFF, status=302), own=own_duty, other=other_duty, method="post"),
]
