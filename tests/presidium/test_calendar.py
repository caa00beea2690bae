"""The working-day calendar: seeded holidays, deadline arithmetic, staff edits, the frame's warnings."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from presidium.access import forget_scope
from presidium.calendar import services
from presidium.calendar.choices import CalendarSource, DeadlineUnit
from presidium.calendar.frame import calendar_shell_context
from presidium.calendar.models import CalendarDay, CalendarYear
from presidium.calendar.selectors import calendar_warnings_for, month_grid, year_exceptions
from presidium.calendar.services import CalendarWindow, Deadline
from presidium.choices import Role
from presidium.models import RoleAssignment
from tests.factories import CountyFactory, TownshipFactory, user_with_role

D = dt.date


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.invalid", "x-Pass-2026")


@pytest.fixture
def listener_calls():
    calls = []

    def listener(year, county):
        calls.append((year, county))

    services.register_year_confirmed_listener(listener)
    yield calls
    services.unregister_year_confirmed_listener(listener)


def enter_new_years_day_2027(by, county=None):
    return services.calendar_day_set(date=D(2027, 1, 1), is_working_day=False, name="元旦", county=county, by=by)


# --- the seed -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_seeds_the_2026_national_day_week_from_the_library():
    week = {row.date: row for row in CalendarDay.objects.filter(county=None, date__range=(D(2026, 10, 1), D(2026, 10, 10)))}
    assert all(not week[D(2026, 10, day)].is_working_day and week[D(2026, 10, day)].name == "国庆节" for day in range(1, 8))
    assert week[D(2026, 10, 10)].is_working_day and week[D(2026, 10, 10)].name == "国庆节调休上班"
    assert week[D(2026, 10, 1)].source == CalendarSource.LIBRARY
    assert [services.is_working_day(D(2026, 10, day)) for day in range(1, 11)] == [
        False, False, False, False, False, False, False, True, True, True]


@pytest.mark.django_db
def test_it_names_the_holidays_in_full_chinese_and_confirms_2004_to_2026():
    names = set(CalendarDay.objects.filter(county=None, is_working_day=False).values_list("name", flat=True))
    assert {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"} <= names
    confirmed = set(CalendarYear.objects.filter(county=None, confirmed=True).values_list("year", flat=True))
    assert confirmed == set(range(2004, 2027))
    assert not services.year_is_confirmed(2027)


# --- deadlines ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_counts_the_make_up_saturday_after_national_day_as_a_working_day():
    assert services.add_working_days(D(2026, 9, 30), 5) == Deadline(D(2026, 10, 13), False)
    assert services.is_working_day(D(2026, 10, 10))


@pytest.mark.django_db
def test_it_skips_the_2026_spring_festival_and_counts_its_make_up_saturday():
    assert services.add_working_days(D(2026, 2, 13), 3) == Deadline(D(2026, 2, 25), False)
    assert services.add_working_days(D(2026, 2, 13), 1) == Deadline(D(2026, 2, 14), False)  # 调休上班 Saturday


@pytest.mark.django_db
def test_it_marks_a_deadline_crossing_into_an_unconfirmed_year_as_provisional():
    assert services.add_working_days(D(2026, 12, 25), 10) == Deadline(D(2027, 1, 8), True)
    assert services.add_working_days(D(2026, 12, 1), 5) == Deadline(D(2026, 12, 8), False)


@pytest.mark.django_db
def test_it_uses_entered_days_of_an_unconfirmed_year_and_drops_provisional_once_confirmed(superuser):
    enter_new_years_day_2027(superuser)
    assert services.add_working_days(D(2026, 12, 25), 10) == Deadline(D(2027, 1, 11), True)
    services.calendar_year_confirm(year=2027, county=None, by=superuser)
    assert services.add_working_days(D(2026, 12, 25), 10) == Deadline(D(2027, 1, 11), False)


@pytest.mark.django_db
def test_it_counts_backwards_with_a_negative_amount():
    assert services.add_working_days(D(2026, 10, 13), -5) == Deadline(D(2026, 9, 30), False)
    assert services.add_working_days(D(2026, 10, 13), 0) == Deadline(D(2026, 10, 13), False)


@pytest.mark.django_db
def test_it_lets_a_national_override_move_a_holiday(superuser):
    services.calendar_day_set(date=D(2026, 10, 7), is_working_day=True, name="国庆节调整上班", county=None, by=superuser)
    services.calendar_day_set(date=D(2026, 10, 9), is_working_day=False, name="国庆节调整放假", county=None, by=superuser)
    assert services.is_working_day(D(2026, 10, 7))
    assert not services.is_working_day(D(2026, 10, 9))
    # 10-07 counts now, 10-09 does not: 10-07, 10-08, 10-10, 10-12, 10-13
    assert services.add_working_days(D(2026, 9, 30), 5) == Deadline(D(2026, 10, 13), False)
    assert services.add_working_days(D(2026, 9, 30), 2) == Deadline(D(2026, 10, 8), False)


@pytest.mark.django_db
def test_it_lets_a_county_override_win_over_the_national_row_for_that_county_only(world):
    admin = world.user(Role.COUNTY_ADMIN)
    services.calendar_day_set(date=D(2026, 10, 10), is_working_day=False, name="县庆调休", county=world.county, by=admin)
    assert not services.is_working_day(D(2026, 10, 10), county=world.county)
    assert not services.is_working_day(D(2026, 10, 10), county=world.county.pk)
    assert services.is_working_day(D(2026, 10, 10))
    assert services.is_working_day(D(2026, 10, 10), county=world.foreign_county)
    assert services.add_working_days(D(2026, 9, 30), 5, county=world.county) == Deadline(D(2026, 10, 14), False)
    assert services.add_working_days(D(2026, 9, 30), 5, county=world.foreign_county) == Deadline(D(2026, 10, 13), False)


@pytest.mark.django_db
def test_it_falls_back_to_the_national_row_when_a_county_override_is_cleared(world):
    admin = world.user(Role.COUNTY_ADMIN)
    services.calendar_day_set(date=D(2026, 10, 1), is_working_day=True, name="值班", county=world.county, by=admin)
    assert services.is_working_day(D(2026, 10, 1), county=world.county)
    removed = services.calendar_day_clear(date=D(2026, 10, 1), county=world.county, by=admin)
    assert removed.pk is None
    assert not services.is_working_day(D(2026, 10, 1), county=world.county)
    assert CalendarDay.objects.filter(date=D(2026, 10, 1), county=None).exists()


@pytest.mark.django_db
def test_it_refuses_a_township_instead_of_a_county(world):
    with pytest.raises(TypeError):
        services.is_working_day(D(2026, 10, 1), county=world.township)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2026, 3, 31), -1, D(2026, 2, 28)),
    (D(2026, 8, 31), 6, D(2027, 2, 28)),
    (D(2026, 12, 31), 2, D(2027, 2, 28)),
    (D(2026, 5, 15), 3, D(2026, 8, 15)),
    (D(2026, 11, 30), 3, D(2027, 2, 28)),
    (D(2026, 1, 31), 0, D(2026, 1, 31)),
])
def test_it_clamps_add_months_to_the_end_of_a_shorter_month(start, months, expected):
    assert services.add_months(start, months) == Deadline(expected, False)


@pytest.mark.django_db
def test_it_needs_no_query_for_calendar_days_and_months_unless_rolling(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert services.add_calendar_days(D(2026, 9, 16), 15) == Deadline(D(2026, 10, 1), False)
        assert services.add_months(D(2026, 7, 1), 3) == Deadline(D(2026, 10, 1), False)


@pytest.mark.django_db
def test_it_rolls_a_last_day_on_a_holiday_forward_when_asked():
    """民法典 第二百零三条: a period ending on a day off ends on the next working day."""
    assert services.add_calendar_days(D(2026, 9, 16), 15, roll_forward=True) == Deadline(D(2026, 10, 8), False)
    assert services.add_months(D(2026, 7, 1), 3, roll_forward=True) == Deadline(D(2026, 10, 8), False)
    assert services.add_calendar_days(D(2026, 12, 1), 31, roll_forward=True) == Deadline(D(2027, 1, 1), True)
    assert services.add_calendar_days(D(2026, 10, 20), -17, roll_forward=True) == Deadline(D(2026, 9, 30), False)


@pytest.mark.django_db
def test_it_counts_working_days_between_with_the_start_excluded_and_the_end_included():
    assert services.working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5
    assert services.working_days_between(D(2026, 10, 13), D(2026, 9, 30)) == -5
    assert services.working_days_between(D(2026, 10, 8), D(2026, 10, 8)) == 0
    assert services.working_days_between(D(2026, 10, 7), D(2026, 10, 8)) == 1
    assert services.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 248
    for n in (1, 3, 17, 60, 250):
        deadline = services.add_working_days(D(2026, 2, 10), n)
        assert services.working_days_between(D(2026, 2, 10), deadline.date) == n


@pytest.mark.django_db
def test_it_dispatches_compute_deadline_on_the_stored_unit():
    start = D(2026, 9, 30)
    assert services.compute_deadline(start, 5, DeadlineUnit.WORKING_DAYS) == Deadline(D(2026, 10, 13), False)
    assert services.compute_deadline(start, 15, "calendar_days") == Deadline(D(2026, 10, 15), False)
    assert services.compute_deadline(start, 3, DeadlineUnit.MONTHS) == Deadline(D(2026, 12, 30), False)
    with pytest.raises(ValueError):
        services.compute_deadline(start, 3, "weeks")
    with pytest.raises(TypeError):
        services.compute_deadline(start, 1.5, DeadlineUnit.WORKING_DAYS)


def test_it_describes_a_rule_as_people_write_it():
    assert services.describe_period(5, DeadlineUnit.WORKING_DAYS) == "5 个工作日"
    assert services.describe_period(15, DeadlineUnit.CALENDAR_DAYS) == "15 日"
    assert services.describe_period(-3, DeadlineUnit.MONTHS) == "前 3 个月"


@pytest.mark.django_db
def test_it_takes_an_aware_datetime_as_its_date_in_shanghai_and_refuses_a_naive_one():
    evening_utc = dt.datetime(2026, 9, 30, 20, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))  # 10-01 04:00 in Shanghai
    assert not services.is_working_day(evening_utc)
    with pytest.raises(ValueError):
        services.is_working_day(dt.datetime(2026, 10, 1, 9, 0))


@pytest.mark.django_db
def test_it_widens_a_calendar_window_with_one_query_when_asked_beyond_it(django_assert_num_queries):
    with django_assert_num_queries(1):
        window = CalendarWindow(D(2026, 9, 1), D(2026, 9, 2))
    with django_assert_num_queries(1):
        assert not window.is_working_day(D(2026, 10, 1))
    with django_assert_num_queries(0):
        assert window.is_working_day(D(2026, 10, 10)) and window.is_confirmed(2026)
    with django_assert_num_queries(1):
        assert not window.is_working_day(D(2026, 2, 16))
    with django_assert_num_queries(1):
        assert not window.is_confirmed(2027)


@pytest.mark.django_db
def test_it_reads_the_table_once_however_many_working_days_are_added(django_assert_num_queries, world):
    """add_working_days(…, 250) costs the same single query as add_working_days(…, 5)."""
    admin = world.user(Role.COUNTY_ADMIN)
    for day in range(1, 29):
        services.calendar_day_set(date=D(2026, 2, day), is_working_day=day % 2 == 0, name="测试", county=world.county,
                                  by=admin)
    for amount in (5, 250, -250, 600):
        with django_assert_num_queries(1):
            services.add_working_days(D(2026, 1, 5), amount, county=world.county)
    with django_assert_num_queries(1):
        services.working_days_between(D(2025, 1, 1), D(2026, 12, 31), county=world.county)


# --- staff edits --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_records_who_set_a_day_and_keeps_the_history(world):
    admin = world.user(Role.COUNTY_ADMIN)
    row = services.calendar_day_set(date=D(2026, 11, 2), is_working_day=False, name=" 县庆 ", county=world.county,
                                    by=admin)
    assert (row.name, row.changed_by, row.source) == ("县庆", admin, CalendarSource.STAFF)
    services.calendar_day_set(date=D(2026, 11, 2), is_working_day=False, name="县庆节", county=world.county, by=admin)
    services.calendar_day_clear(date=D(2026, 11, 2), county=world.county, by=admin)
    history = list(CalendarDay.history.filter(date=D(2026, 11, 2)).order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~", "-"]
    assert {h.history_user for h in history} == {admin}


@pytest.mark.django_db
def test_it_refuses_calendar_edits_outside_the_editors_scope(world, superuser):
    staff = world.user(Role.PRESIDIUM_STAFF)
    admin = world.user(Role.COUNTY_ADMIN)
    day = {"date": D(2026, 11, 2), "is_working_day": False, "name": "县庆"}
    with pytest.raises(PermissionDenied):
        services.calendar_day_set(**day, county=world.county, by=staff)
    with pytest.raises(PermissionDenied):
        services.calendar_day_set(**day, county=world.foreign_county, by=admin)
    with pytest.raises(PermissionDenied, match="系统管理员"):
        services.calendar_day_set(**day, county=None, by=admin)
    with pytest.raises(PermissionDenied):
        services.calendar_year_confirm(year=2027, county=None, by=admin)
    services.calendar_day_set(**day, county=world.foreign_county, by=superuser)
    assert not CalendarDay.objects.filter(county=world.county).exists()


@pytest.mark.django_db
def test_it_refuses_bad_calendar_input_in_chinese(world):
    admin = world.user(Role.COUNTY_ADMIN)
    with pytest.raises(ValidationError) as error:
        services.calendar_day_set(date=D(2026, 11, 2), is_working_day=False, name="  ", county=world.county, by=admin)
    assert "请填写名称" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.calendar_day_set(date=D(1999, 1, 1), is_working_day=False, name="旧", county=world.county, by=admin)
    assert "2000 年至 2100 年" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.calendar_day_clear(date=D(2026, 11, 3), county=world.county, by=admin)
    assert "无需清除" in str(error.value)
    assert not CalendarDay.objects.filter(county=world.county).exists()


@pytest.mark.django_db
def test_it_refuses_to_confirm_a_year_with_no_holidays_or_twice(world, superuser):
    with pytest.raises(ValidationError) as error:
        services.calendar_year_confirm(year=2027, county=None, by=superuser)
    assert "还没有录入任何放假日期" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.calendar_year_confirm(year=2026, county=None, by=superuser)
    assert "已经确认过" in str(error.value)
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_it_tells_registered_listeners_after_a_year_is_confirmed(world, superuser, listener_calls,
                                                                 django_capture_on_commit_callbacks):
    enter_new_years_day_2027(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        row = services.calendar_year_confirm(year=2027, county=None, by=superuser, note="国办发明电〔2026〕")
    assert listener_calls == [(2027, None)]
    assert (row.confirmed, row.changed_by, row.note) == (True, superuser, "国办发明电〔2026〕")
    admin = world.user(Role.COUNTY_ADMIN)
    services.calendar_day_set(date=D(2028, 1, 3), is_working_day=False, name="县庆", county=world.county, by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_year_confirm(year=2028, county=world.county, by=admin)
    assert listener_calls[-1] == (2028, world.county)


@pytest.mark.django_db
def test_it_keeps_the_confirmation_when_a_listener_fails(superuser, django_capture_on_commit_callbacks):
    def broken(year, county):
        raise RuntimeError("recompute failed")

    services.register_year_confirmed_listener(broken)
    try:
        enter_new_years_day_2027(superuser)
        with django_capture_on_commit_callbacks(execute=True):
            services.calendar_year_confirm(year=2027, county=None, by=superuser)
    finally:
        services.unregister_year_confirmed_listener(broken)
    assert services.year_is_confirmed(2027)


@pytest.mark.django_db
def test_it_does_not_tell_listeners_when_the_confirmation_fails(superuser, listener_calls,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.calendar_year_confirm(year=2027, county=None, by=superuser)
    assert listener_calls == []


@pytest.mark.django_db
def test_it_lets_a_county_confirm_or_reopen_a_year_for_itself_only(world, superuser):
    admin = world.user(Role.COUNTY_ADMIN)
    services.calendar_day_set(date=D(2027, 1, 1), is_working_day=False, name="元旦", county=world.county, by=admin)
    services.calendar_year_confirm(year=2027, county=world.county, by=admin)
    assert services.year_is_confirmed(2027, county=world.county)
    assert not services.year_is_confirmed(2027)
    assert not services.year_is_confirmed(2027, county=world.foreign_county)
    assert services.add_working_days(D(2026, 12, 25), 10, county=world.county) == Deadline(D(2027, 1, 11), False)
    with pytest.raises(ValidationError) as error:
        services.calendar_year_reopen(year=2026, county=world.county, by=admin, note=" ")
    assert "原因" in str(error.value)
    services.calendar_year_reopen(year=2026, county=world.county, by=admin, note="县里调整了国庆安排")
    assert not services.year_is_confirmed(2026, county=world.county)
    assert services.year_is_confirmed(2026)
    assert services.add_working_days(D(2026, 9, 30), 5, county=world.county).provisional


# --- the month grid and the year list -----------------------------------------------------------


@pytest.mark.django_db
def test_it_builds_a_monday_first_month_grid_marking_holidays_make_up_days_and_overrides(world):
    admin = world.user(Role.COUNTY_ADMIN)
    services.calendar_day_set(date=D(2026, 10, 9), is_working_day=False, name="县庆", county=world.county, by=admin)
    grid = month_grid(2026, 10, county=world.county, today=D(2026, 10, 8))
    cells = {cell.date: cell for week in grid for cell in week}
    assert grid[0][0].date == D(2026, 9, 28) and all(len(week) == 7 for week in grid)
    assert (cells[D(2026, 10, 1)].kind, cells[D(2026, 10, 1)].name) == ("off", "国庆节")
    assert (cells[D(2026, 10, 10)].kind, cells[D(2026, 10, 10)].is_working_day) == ("work", True)
    assert (cells[D(2026, 10, 9)].kind, cells[D(2026, 10, 9)].local) == ("off", True)
    assert cells[D(2026, 10, 8)].is_today and cells[D(2026, 10, 8)].kind == ""
    assert not cells[D(2026, 9, 28)].in_month


@pytest.mark.django_db
def test_it_lists_a_years_exceptions_with_the_county_row_beside_the_national_one(world):
    admin = world.user(Role.COUNTY_ADMIN)
    services.calendar_day_set(date=D(2026, 10, 10), is_working_day=False, name="县庆调休", county=world.county, by=admin)
    rows = {row.date: row for row in year_exceptions(2026, county=world.county)}
    overridden = rows[D(2026, 10, 10)]
    assert overridden.overrides_national and overridden.effective.name == "县庆调休"
    assert rows[D(2026, 10, 1)].effective.name == "国庆节" and rows[D(2026, 10, 1)].local is None
    national = {row.date: row for row in year_exceptions(2026, county=None)}
    assert national[D(2026, 10, 10)].effective.name == "国庆节调休上班"


# --- the frame's warnings -----------------------------------------------------------------------

MESSAGE_2027 = "2027 年法定节假日尚未设置，涉及 2027 年的期限按仅扣除周末临时计算，请在国务院公布安排后录入并确认。"


@pytest.mark.django_db
def test_it_warns_staff_from_1_december_while_next_year_is_unconfirmed(world, superuser):
    staff = world.user(Role.PRESIDIUM_STAFF)
    assert calendar_warnings_for(staff, today=D(2026, 11, 30)) == []
    assert calendar_warnings_for(staff, today=D(2026, 12, 1)) == [MESSAGE_2027]
    for role in (Role.PRESIDIUM_CHAIR, Role.COUNTY_ADMIN):
        assert calendar_warnings_for(world.user(role), today=D(2026, 12, 1)) == [MESSAGE_2027]
    assert calendar_warnings_for(superuser, today=D(2026, 12, 1)) == [MESSAGE_2027]
    enter_new_years_day_2027(superuser)
    services.calendar_year_confirm(year=2027, county=None, by=superuser)
    assert calendar_warnings_for(staff, today=D(2026, 12, 1)) == []


@pytest.mark.django_db
def test_it_warns_while_the_current_year_itself_is_unconfirmed(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    assert calendar_warnings_for(staff, today=D(2027, 3, 1)) == [MESSAGE_2027]
    assert calendar_warnings_for(staff, today=D(2026, 6, 1)) == []


@pytest.mark.django_db
def test_it_does_not_warn_deputies_liaisons_or_reviewers(world, django_assert_num_queries):
    for role in (Role.DEPUTY, Role.UNIT_LIAISON, Role.COUNTY_REVIEWER):
        user = world.user(role)
        forget_scope(user)
        with django_assert_num_queries(1):  # the user's roles, nothing of the calendar
            assert calendar_warnings_for(user, today=D(2026, 12, 1)) == []


@pytest.mark.django_db
def test_it_follows_a_countys_own_confirmation_in_the_warning(world):
    admin = world.user(Role.COUNTY_ADMIN)
    services.calendar_day_set(date=D(2027, 1, 1), is_working_day=False, name="元旦", county=world.county, by=admin)
    services.calendar_year_confirm(year=2027, county=world.county, by=admin)
    assert calendar_warnings_for(world.user(Role.PRESIDIUM_STAFF), today=D(2026, 12, 1)) == []
    foreign_staff = user_with_role(Role.PRESIDIUM_STAFF, world.foreign_township)
    assert calendar_warnings_for(foreign_staff, today=D(2026, 12, 1)) == [MESSAGE_2027]


@pytest.mark.django_db
def test_it_warns_a_user_working_in_two_counties_when_either_is_unconfirmed(world):
    second = TownshipFactory(county=CountyFactory(name="邻县"), name="丁镇")
    admin = world.user(Role.COUNTY_ADMIN)
    services.calendar_day_set(date=D(2027, 1, 1), is_working_day=False, name="元旦", county=world.county, by=admin)
    services.calendar_year_confirm(year=2027, county=world.county, by=admin)
    staff = world.user(Role.PRESIDIUM_STAFF)
    RoleAssignment.objects.create(user=staff, role=Role.PRESIDIUM_STAFF, township=second)
    forget_scope(staff)
    assert calendar_warnings_for(staff, today=D(2026, 12, 1)) == [MESSAGE_2027]


@pytest.mark.django_db
def test_it_computes_the_frame_warning_once_per_request_in_one_query(world, django_assert_num_queries):
    staff = world.user(Role.PRESIDIUM_STAFF)
    request = RequestFactory().get("/")
    request.user = staff
    forget_scope(staff)
    with django_assert_num_queries(2):  # the user's roles, then the calendar
        first = calendar_shell_context(request)
        second = calendar_shell_context(request)
    assert first == second and "calendar_warnings" in first


@pytest.mark.django_db
def test_a_preloaded_window_gives_the_same_deadlines_in_one_read(django_assert_num_queries):
    """``preloaded`` (for bulk work) answers from one window: the same dates as without it, no query per call."""
    from presidium.calendar.services import compute_deadline, preloaded

    starts = [D(2026, 9, 1) + dt.timedelta(days=n) for n in range(0, 60, 3)]
    plain = [compute_deadline(start, 15, DeadlineUnit.WORKING_DAYS).date for start in starts]
    with django_assert_num_queries(1), preloaded(D(2026, 8, 1), D(2027, 3, 1)):
        shared = [compute_deadline(start, 15, DeadlineUnit.WORKING_DAYS).date for start in starts]
    assert shared == plain
