"""Reception days: the rota rule, the duty lifecycle (every allowed and forbidden step), holidays."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from petitions.models import ReceptionDay, ReceptionDuty
from petitions.reception import services
from petitions.reception.choices import DayStatus, DutyAction, DutyStatus
from petitions.reception.services import DUTY_TRANSITIONS, RotaRule
from presidium.calendar.models import CalendarDay
from presidium.choices import Role
from tests.factories import DeputyFactory, DeputyGroupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rota(world):
    """Township A: two groups of two serving deputies, the world's deputy account in the first group."""
    g1 = DeputyGroupFactory(township=world.township, name="第一代表小组", sort_order=1)
    g2 = DeputyGroupFactory(township=world.township, name="第二代表小组", sort_order=2)
    me = DeputyFactory(township=world.township, name="冯国强", group=g1, user=world.user(Role.DEPUTY))
    mate = DeputyFactory(township=world.township, name="王立新", group=g1)
    others = [DeputyFactory(township=world.township, name=n, group=g2) for n in ("李春华", "张海")]
    return {"groups": [g1, g2], "me": me, "mate": mate, "others": others}


def _day(world, rota, date, *, deputies=None):
    staff = world.user(Role.PRESIDIUM_STAFF)
    return services.reception_day_create(township=world.township, date=date, place="镇人大代表联络站", by=staff,
                                         deputies=deputies or [rota["me"], rota["mate"]])


def _duty(day, deputy) -> ReceptionDuty:
    return ReceptionDuty.objects.select_related("day", "deputy").get(day=day, deputy=deputy)


def test_it_generates_every_monday_with_groups_in_turn(world, rota):
    staff = world.user(Role.PRESIDIUM_STAFF)
    start = dt.date(2026, 11, 2)  # a Monday
    rule = RotaRule(start=start, end=dt.date(2026, 11, 30), weekdays=[0], groups=rota["groups"])
    result = services.reception_days_generate(township=world.township, rule=rule, place="镇政府接待室", by=staff)
    assert [d.date for d in result.created] == [dt.date(2026, 11, d) for d in (2, 9, 16, 23, 30)]
    on_duty = [sorted(ReceptionDuty.objects.filter(day=d).values_list("deputy__name", flat=True))
               for d in result.created]
    assert on_duty[0] == sorted(["冯国强", "王立新"]) == on_duty[2] == on_duty[4]
    assert on_duty[1] == sorted(["李春华", "张海"]) == on_duty[3]
    again = services.reception_days_generate(township=world.township, rule=rule, place="镇政府接待室", by=staff)
    assert again.created == [] and len(again.skipped) == 5


def test_it_generates_typed_market_days_with_named_deputies_two_a_day(world, rota):
    staff = world.user(Role.PRESIDIUM_STAFF)
    people = [rota["me"], rota["mate"], *rota["others"]]
    dates = [dt.date(2026, 12, 3), dt.date(2026, 12, 9), dt.date(2026, 12, 15)]
    rule = RotaRule(start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31), dates=dates, deputies=people, per_day=2)
    result = services.reception_days_generate(township=world.township, rule=rule, place="集镇", by=staff)
    names = [list(ReceptionDuty.objects.filter(day=d).order_by("position").values_list("deputy__name", flat=True))
             for d in result.created]
    assert names == [["冯国强", "王立新"], ["李春华", "张海"], ["冯国强", "王立新"]]


@pytest.mark.parametrize("rule, field", [
    ({"start": dt.date(2026, 12, 31), "end": dt.date(2026, 12, 1), "weekdays": [0]}, "end"),
    ({"start": dt.date(2026, 12, 1), "end": dt.date(2026, 12, 31)}, "weekdays"),
    ({"start": dt.date(2026, 12, 1), "end": dt.date(2026, 12, 31), "dates": [dt.date(2027, 1, 5)]}, "dates"),
    ({"start": dt.date(2026, 1, 1), "end": dt.date(2027, 12, 31), "weekdays": [0]}, "end"),
])
def test_it_refuses_a_bad_rule_in_chinese_and_saves_nothing(world, rota, rule, field):
    with pytest.raises(ValidationError) as error:
        services.reception_days_generate(township=world.township, by=world.user(Role.PRESIDIUM_STAFF),
                                         rule=RotaRule(groups=rota["groups"], **rule), place="联络站")
    assert field in error.value.message_dict
    assert ReceptionDay.objects.count() == 0


def test_it_lets_only_the_townships_staff_arrange(world, rota):
    rule = RotaRule(start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31), weekdays=[0], groups=rota["groups"])
    for user in (world.user(Role.DEPUTY), world.user(Role.COUNTY_ADMIN), world.other_staff):
        with pytest.raises(PermissionDenied):
            services.reception_days_generate(township=world.township, rule=rule, place="联络站", by=user)


def test_it_signs_in_only_on_the_day_and_only_ones_own_duty(world, rota):
    today = timezone.localdate()
    day = _day(world, rota, today)
    mine, theirs = _duty(day, rota["me"]), _duty(day, rota["mate"])
    with pytest.raises(PermissionDenied):
        services.reception_duty_sign_in(duty=theirs, by=world.user(Role.DEPUTY))
    with pytest.raises(PermissionDenied):  # the staff confirm attendance; signing in is the deputy's own act
        services.reception_duty_sign_in(duty=mine, by=world.user(Role.PRESIDIUM_STAFF))
    tomorrow = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="只能在接待日当天"):
        services.reception_duty_sign_in(duty=mine, by=world.user(Role.DEPUTY), at=tomorrow)
    duty = services.reception_duty_sign_in(duty=mine, by=world.user(Role.DEPUTY))
    assert duty.status == DutyStatus.SIGNED_IN and duty.signed_in_at is not None
    day.refresh_from_db()
    assert day.status == DayStatus.HELD


def test_it_takes_leave_only_before_the_day_with_a_reason(world, rota):
    today = timezone.localdate()
    ahead = _day(world, rota, today + dt.timedelta(days=3))
    on_day = _day(world, rota, today)
    with pytest.raises(ValidationError) as error:
        services.reception_duty_request_leave(duty=_duty(ahead, rota["me"]), by=world.user(Role.DEPUTY), reason=" ")
    assert "reason" in error.value.message_dict
    duty = services.reception_duty_request_leave(duty=_duty(ahead, rota["me"]), by=world.user(Role.DEPUTY),
                                                 reason="外出培训")
    assert duty.status == DutyStatus.LEAVE and duty.leave_reason == "外出培训" and duty.leave_requested_at
    with pytest.raises(ValidationError, match="接待日当天之前"):
        services.reception_duty_request_leave(duty=_duty(on_day, rota["me"]), by=world.user(Role.DEPUTY),
                                              reason="临时有事")
    # The staff may register a leave asked by phone, for any deputy on duty; another deputy may not.
    services.reception_duty_request_leave(duty=_duty(ahead, rota["mate"]), by=world.user(Role.PRESIDIUM_STAFF),
                                          reason="电话请假：生病")
    other = _day(world, rota, today + dt.timedelta(days=4), deputies=[rota["others"][0]])
    with pytest.raises(PermissionDenied):
        services.reception_duty_request_leave(duty=_duty(other, rota["others"][0]), by=world.user(Role.DEPUTY),
                                              reason="代请")


def test_it_marks_absent_only_after_the_day_and_the_staff_can_put_it_right(world, rota):
    today = timezone.localdate()
    past = _day(world, rota, today - dt.timedelta(days=1))
    current = _day(world, rota, today)
    staff = world.user(Role.PRESIDIUM_STAFF)
    with pytest.raises(ValidationError, match="结束后"):
        services.reception_duty_mark_absent(duty=_duty(current, rota["me"]), by=staff)
    with pytest.raises(PermissionDenied):
        services.reception_duty_mark_absent(duty=_duty(past, rota["me"]), by=world.user(Role.DEPUTY))
    absent = services.reception_duty_mark_absent(duty=_duty(past, rota["me"]), by=staff)
    assert absent.status == DutyStatus.ABSENT and absent.recorded_by == staff
    confirmed = services.reception_duty_confirm(duty=absent, by=staff, note="到场，手机没电未签到")
    assert confirmed.status == DutyStatus.SIGNED_IN and confirmed.confirmed_by == staff
    assert confirmed.signed_in_at is None  # nobody signed in on a phone: the record says who confirmed instead
    assert services.duty_mark_absent_all(day=past, by=staff) == 1  # the mate, still "on duty"


def test_it_walks_every_duty_step_from_every_status(world, rota):
    """Each (status, step) pair not in the table is refused with a sentence; each pair in it works."""
    today = timezone.localdate()
    staff, me = world.user(Role.PRESIDIUM_STAFF), world.user(Role.DEPUTY)
    when = {"before": today + dt.timedelta(days=2), "on": today, "after": today - dt.timedelta(days=2),
            "on_or_after": today}
    for offset, (status, action) in enumerate(itertools.product(DutyStatus, DutyAction)):
        step = DUTY_TRANSITIONS.get((status, action))
        date = when[step.when] if step else today + dt.timedelta(days=10 + offset)
        day = _day(world, rota, date)
        duty = _duty(day, rota["me"])
        ReceptionDuty.objects.filter(pk=duty.pk).update(
            status=status, signed_in_at=timezone.now() if status == DutyStatus.SIGNED_IN else None,
            leave_reason="外出" if status == DutyStatus.LEAVE else "")
        duty = _duty(day, rota["me"])
        by = me if step is None or step.who in ("own", "deputy") else staff
        call = {
            DutyAction.SIGN_IN: lambda d, by=by: services.reception_duty_sign_in(duty=d, by=by),
            DutyAction.REQUEST_LEAVE: lambda d, by=by: services.reception_duty_request_leave(duty=d, by=by,
                                                                                              reason="事"),
            DutyAction.MARK_ABSENT: lambda d, by=by: services.reception_duty_mark_absent(duty=d, by=by),
            DutyAction.CONFIRM: lambda d, by=by: services.reception_duty_confirm(duty=d, by=by),
        }[action]
        if step is None:
            assert services.duty_refusal(duty, action, by)
            with pytest.raises((ValidationError, PermissionDenied)):
                call(duty)
            assert _duty(day, rota["me"]).status == status
        else:
            assert services.duty_refusal(duty, action, by) is None, (status, action)
            assert call(duty).status == step.to
        ReceptionDuty.objects.filter(day=day).delete()
        day.delete()


def test_it_cancels_a_day_with_a_reason_and_tells_the_deputies(world, rota):
    from presidium.notifications.models import Notification

    day = _day(world, rota, timezone.localdate() + dt.timedelta(days=5))
    staff = world.user(Role.PRESIDIUM_STAFF)
    with pytest.raises(ValidationError):
        services.reception_day_cancel(day=day, by=staff, reason="")
    day = services.reception_day_cancel(day=day, by=staff, reason="与镇人代会冲突")
    assert day.status == DayStatus.CANCELLED and day.cancelled_by == staff
    assert Notification.objects.filter(recipient=world.user(Role.DEPUTY), title__contains="已取消").exists()
    refusal = services.duty_refusal(_duty(day, rota["me"]), DutyAction.REQUEST_LEAVE, world.user(Role.DEPUTY))
    assert refusal == "该接待日已取消。"


def test_it_does_not_cancel_a_day_someone_signed_in_at(world, rota):
    day = _day(world, rota, timezone.localdate())
    services.reception_duty_sign_in(duty=_duty(day, rota["me"]), by=world.user(Role.DEPUTY))
    with pytest.raises(ValidationError, match="已有代表签到"):
        services.reception_day_cancel(day=day, by=world.user(Role.PRESIDIUM_STAFF), reason="下雨")


def test_it_refuses_a_deputy_of_another_township_or_not_serving(world, rota):
    stranger = DeputyFactory(township=world.other_township, name="赵外乡")
    with pytest.raises(ValidationError):
        _day(world, rota, dt.date(2026, 12, 7), deputies=[stranger])
    assert not ReceptionDay.objects.exists()


def test_it_flags_a_reception_day_on_a_statutory_holiday_but_not_a_market_day(world, rota):
    from petitions.reception import selectors

    CalendarDay.objects.update_or_create(date=dt.date(2026, 10, 5), county=None,
                                         defaults={"is_working_day": False, "name": "国庆节"})
    holiday = _day(world, rota, dt.date(2026, 10, 5))
    market = _day(world, rota, dt.date(2026, 10, 9))
    days = selectors.flag_holidays(list(ReceptionDay.objects.select_related("township").order_by("date")))
    assert [d.holiday for d in days] == ["国庆节", ""]
    assert selectors.holiday_of(holiday) == "国庆节" and selectors.holiday_of(market) == ""


def test_a_county_working_day_overrides_the_national_holiday(world, rota):
    from petitions.reception import selectors

    CalendarDay.objects.update_or_create(date=dt.date(2026, 10, 5), county=None,
                                         defaults={"is_working_day": False, "name": "国庆节"})
    CalendarDay.objects.create(date=dt.date(2026, 10, 5), is_working_day=True, name="本县调整", county=world.county)
    _day(world, rota, dt.date(2026, 10, 5))
    days = selectors.flag_holidays(list(ReceptionDay.objects.select_related("township")))
    assert days[0].holiday == ""


def test_an_unrelated_user_cannot_act_on_a_duty(world, rota):
    nobody = UserFactory()
    day = _day(world, rota, timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.reception_duty_sign_in(duty=_duty(day, rota["me"]), by=nobody)
