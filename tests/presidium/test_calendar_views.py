"""Working-day calendar screens: who may view and change what, Chinese errors, bounded queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from presidium.access import forget_scope
from presidium.calendar import services
from presidium.calendar.models import CalendarDay, CalendarYear
from presidium.choices import Role
from presidium.shell import navigation_for

D = dt.date


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.invalid", "x-Pass-2026")


def month_url(year=2026, month=10, county=None):
    return reverse("workcalendar:month_detail", args=[year, month]) + (f"?county={county.pk}" if county else "")


def scoped(name, *args, county=None):
    return reverse(f"workcalendar:{name}", args=args) + (f"?county={county.pk}" if county else "")


# --- viewing ------------------------------------------------------------------------------------


def test_it_shows_staff_the_national_day_week_and_the_make_up_saturday_without_edit_links(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    response = client.get(month_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "国庆节" in body and "国庆节调休上班" in body
    assert 'data-date="2026-10-10" data-working="1"' in body
    assert 'data-date="2026-10-01" data-working="0"' in body
    assert reverse("workcalendar:day_edit") not in body
    assert "测试县" in body  # the staff member's county is the scope


def test_it_shows_staff_their_countys_override_but_not_another_countys(world, login, superuser):
    admin = world.user(Role.COUNTY_ADMIN)
    services.calendar_day_set(date=D(2026, 10, 9), is_working_day=False, name="县庆放假", county=world.county, by=admin)
    services.calendar_day_set(date=D(2026, 10, 12), is_working_day=False, name="外县节日", county=world.foreign_county,
                              by=superuser)
    body = login(world.user(Role.PRESIDIUM_STAFF)).get(month_url()).content.decode()
    assert "县庆放假" in body and 'data-date="2026-10-09" data-working="0"' in body
    assert "外县节日" not in body and 'data-date="2026-10-12" data-working="1"' in body
    year_body = login(world.user(Role.PRESIDIUM_STAFF)).get(scoped("year", 2026)).content.decode()
    assert "县庆放假" in year_body and "外县节日" not in year_body


def test_it_opens_the_current_month_and_jumps_to_a_chosen_one(world, login):
    client = login(world.user(Role.COUNTY_REVIEWER))
    today = timezone.localdate()
    body = client.get(reverse("workcalendar:month")).content.decode()
    assert f"{today.year} 年 {today.month} 月" in body
    body = client.get(reverse("workcalendar:month") + "?year=2026&month=2").content.decode()
    assert "2026 年 2 月" in body and "春节" in body
    body = client.get(reverse("workcalendar:month") + "?year=abc&month=2").content.decode()
    assert f"{today.year} 年 {today.month} 月" in body
    assert client.get(reverse("workcalendar:month_detail", args=[2026, 13])).status_code == 404
    assert client.get(reverse("workcalendar:year", args=[1999])).status_code == 404


def test_it_refuses_the_calendar_to_deputies_and_liaisons(world, login):
    for role in (Role.DEPUTY, Role.UNIT_LIAISON):
        assert login(world.user(role)).get(month_url()).status_code == 403


def test_it_answers_another_county_with_404_and_a_bad_county_id_too(world, login):
    for role in (Role.PRESIDIUM_STAFF, Role.COUNTY_ADMIN):
        client = login(world.user(role))
        assert client.get(month_url(county=world.foreign_county)).status_code == 404
        assert client.get(scoped("year", 2026, county=world.foreign_county)).status_code == 404
        assert client.get(reverse("workcalendar:month") + "?county=x").status_code == 404
    client = login(world.user(Role.COUNTY_ADMIN))
    url = reverse("workcalendar:day_edit") + f"?county={world.foreign_county.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"date": "2026-11-02", "kind": "off", "name": "越权"}).status_code == 404
    assert client.post(scoped("day_clear", county=world.foreign_county), {"date": "2026-10-01"}).status_code == 404
    assert client.post(scoped("year_confirm", 2027, county=world.foreign_county)).status_code == 404
    assert not CalendarDay.objects.filter(county=world.foreign_county).exists()


# --- changing -----------------------------------------------------------------------------------


def test_it_leaves_staff_view_only(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    assert client.get(reverse("workcalendar:day_edit") + "?date=2026-10-10").status_code == 403
    assert client.post(reverse("workcalendar:day_edit"), {"date": "2026-10-10", "kind": "off", "name": "休"}).status_code == 403
    assert client.post(reverse("workcalendar:day_clear"), {"date": "2026-10-10"}).status_code == 403
    assert client.post(scoped("year_confirm", 2027)).status_code == 403
    assert client.get(scoped("year_reopen", 2026)).status_code == 403
    assert not CalendarDay.objects.exclude(county=None).exists()


def test_it_lets_a_county_admin_override_a_day_for_their_own_county(world, login):
    admin = world.user(Role.COUNTY_ADMIN)
    client = login(admin)
    form = client.get(reverse("workcalendar:day_edit") + "?date=2026-10-10")
    assert form.status_code == 200 and "国庆节调休上班" in form.content.decode()
    response = client.post(reverse("workcalendar:day_edit") + f"?county={world.county.pk}",
                           {"date": "2026-10-10", "kind": "off", "name": "县庆调休"})
    assert response.status_code == 302 and response.url == month_url(county=world.county)
    row = CalendarDay.objects.get(date=D(2026, 10, 10), county=world.county)
    assert (row.is_working_day, row.name, row.changed_by) == (False, "县庆调休", admin)
    assert CalendarDay.objects.get(date=D(2026, 10, 10), county=None).is_working_day  # national row untouched
    body = client.get(month_url()).content.decode()
    assert 'data-date="2026-10-10" data-working="0"' in body and "县庆调休" in body
    clear = client.post(reverse("workcalendar:day_clear") + f"?county={world.county.pk}", {"date": "2026-10-10"})
    assert clear.status_code == 302
    assert not CalendarDay.objects.filter(county=world.county).exists()


def test_it_lets_only_a_superuser_change_the_national_calendar(world, login, superuser):
    client = login(superuser)
    response = client.post(reverse("workcalendar:day_edit"), {"date": "2027-01-01", "kind": "off", "name": "元旦"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=D(2027, 1, 1), county=None).changed_by == superuser
    response = client.post(scoped("year_confirm", 2027), {"note": "国办发明电〔2026〕"})
    assert response.status_code == 302 and CalendarYear.objects.get(year=2027, county=None).confirmed
    # a county admin's scope is their county: a POST without ?county= changes the county, never the nation
    admin_client = login(world.user(Role.COUNTY_ADMIN))
    admin_client.post(reverse("workcalendar:day_edit"), {"date": "2027-01-04", "kind": "off", "name": "县里放假"})
    assert CalendarDay.objects.get(date=D(2027, 1, 4)).county == world.county


def test_it_shows_chinese_errors_and_saves_nothing_on_bad_input(world, login):
    client = login(world.user(Role.COUNTY_ADMIN))
    url = reverse("workcalendar:day_edit")
    body = client.post(url, {"date": "2026-13-45", "kind": "holiday", "name": "  "}).content.decode()
    assert "请输入有效的日期" in body and "请选择放假或上班" in body and "请填写名称" in body
    body = client.post(url, {"date": "1999-05-01", "kind": "off", "name": "劳动节"}).content.decode()
    assert "日期须在 2000 年至 2100 年之间" in body
    body = client.post(url, {"date": "2026-05-01", "kind": "off", "name": "节" * 51}).content.decode()
    assert "名称最多 50 个字" in body
    assert not CalendarDay.objects.exclude(county=None).exists()
    response = client.post(reverse("workcalendar:day_clear"), {"date": "2026-11-03"}, follow=True)
    assert "无需清除" in response.content.decode()
    response = client.post(reverse("workcalendar:day_clear"), {"date": "not-a-date"}, follow=True)
    assert "请输入有效的日期" in response.content.decode()


def test_it_lets_a_county_admin_confirm_and_reopen_a_year_for_their_county(world, login):
    admin = world.user(Role.COUNTY_ADMIN)
    client = login(admin)
    response = client.post(scoped("year_confirm", 2027), follow=True)
    assert "还没有录入任何放假日期" in response.content.decode()
    services.calendar_day_set(date=D(2027, 1, 1), is_working_day=False, name="元旦", county=world.county, by=admin)
    response = client.post(scoped("year_confirm", 2027), {"note": "按省里通知"}, follow=True)
    assert "已确认" in response.content.decode()
    assert CalendarYear.objects.get(year=2027, county=world.county).changed_by == admin
    body = client.post(scoped("year_reopen", 2027), {"note": ""}).content.decode()
    assert "请说明撤销确认的原因" in body
    response = client.post(scoped("year_reopen", 2027), {"note": "国务院调整了安排"})
    assert response.status_code == 302
    assert not services.year_is_confirmed(2027, county=world.county)


def test_it_shows_the_year_history_with_who_changed_what(world, login):
    admin = world.user(Role.COUNTY_ADMIN)
    services.calendar_day_set(date=D(2026, 11, 2), is_working_day=False, name="县庆", county=world.county, by=admin)
    services.calendar_day_clear(date=D(2026, 11, 2), county=world.county, by=admin)
    body = login(world.user(Role.PRESIDIUM_STAFF)).get(scoped("history", 2026)).content.decode()
    assert body.count(str(admin)) >= 2 and "新增" in body and "删除" in body and "2026-11-02" in body
    assert login(world.user(Role.COUNTY_REVIEWER)).get(scoped("history", 2026)).status_code == 403


# --- the deadline calculator ------------------------------------------------------------------


def test_it_computes_a_deadline_on_the_calculator(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    url = reverse("workcalendar:deadline")
    body = client.get(url, {"start": "2026-09-30", "amount": "5", "unit": "working_days"}).content.decode()
    assert "2026-10-13" in body and 'data-testid="deadline-provisional"' not in body
    body = client.get(url, {"start": "2026-12-25", "amount": "10", "unit": "working_days"}).content.decode()
    assert "2027-01-08" in body and 'data-testid="deadline-provisional"' in body
    body = client.get(url, {"start": "2026-01-31", "amount": "1", "unit": "months"}).content.decode()
    assert "2026-02-28" in body
    body = client.get(url, {"start": "2026-09-16", "amount": "15", "unit": "calendar_days", "roll_forward": "on"}
                      ).content.decode()
    assert "2026-10-08" in body


def test_it_answers_bad_calculator_input_in_chinese(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    url = reverse("workcalendar:deadline")
    body = client.get(url, {"start": "1990-01-01", "amount": "abc", "unit": "weeks"}).content.decode()
    assert "起算日期须在 2000 年至 2100 年之间" in body
    assert "期限请填写整数" in body and "请选择工作日、自然日或月" in body
    body = client.get(url, {"start": "2026-01-01", "amount": "99999", "unit": "months"}).content.decode()
    assert "期限不能超过 3650" in body
    assert client.get(url).status_code == 200  # unbound: no errors, no result


# --- frame, navigation, admin ---------------------------------------------------------------------


def test_it_puts_the_calendar_in_the_navigation_of_staff_and_county_roles_only(world, rf):
    def nav_urls(user):
        request = rf.get("/")
        request.user = user
        return [item.url for item in navigation_for(request)]

    for role in (Role.PRESIDIUM_STAFF, Role.PRESIDIUM_CHAIR, Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER):
        assert reverse("workcalendar:month") in nav_urls(world.user(role))
    for role in (Role.DEPUTY, Role.UNIT_LIAISON):
        assert reverse("workcalendar:month") not in nav_urls(world.user(role))


def test_it_shows_the_warning_in_the_frame_while_the_current_year_is_unconfirmed(world, login, superuser):
    year = timezone.localdate().year
    if services.year_is_confirmed(year):
        services.calendar_year_reopen(year=year, county=None, by=superuser, note="测试")
    body = login(world.user(Role.COUNTY_ADMIN)).get(reverse("workcalendar:deadline")).content.decode()
    assert f"{year} 年法定节假日尚未设置" in body and 'data-testid="calendar-warning"' in body
    body = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("home")).content.decode()  # staff: on their home page
    assert f"{year} 年法定节假日尚未设置" in body
    body = login(world.user(Role.COUNTY_REVIEWER)).get(reverse("workcalendar:deadline")).content.decode()
    assert 'data-testid="calendar-warning"' not in body


def test_it_keeps_the_admin_read_only_with_history(world, login, superuser):
    client = login(superuser)
    assert client.get(reverse("admin:workcalendar_calendarday_changelist")).status_code == 200
    row = CalendarDay.objects.get(date=D(2026, 10, 1), county=None)
    assert client.get(reverse("admin:workcalendar_calendarday_history", args=[row.pk])).status_code == 200
    assert client.get(reverse("admin:workcalendar_calendarday_add")).status_code == 403
    assert client.get(reverse("admin:workcalendar_calendaryear_changelist")).status_code == 200


# --- query counts -------------------------------------------------------------------------------


def _add_county_rows(world, count, *, start):
    admin = world.user(Role.COUNTY_ADMIN)
    for offset in range(count):
        services.calendar_day_set(date=start + dt.timedelta(days=offset), is_working_day=offset % 3 == 0,
                                  name=f"调整{offset}", county=world.county, by=admin)


@pytest.mark.parametrize("url_name, args", [
    ("month_detail", [2026, 10]),
    ("year", [2026]),
    ("history", [2026]),
])
def test_it_keeps_the_calendar_pages_queries_bounded_as_rows_grow(world, login, django_assert_max_num_queries,
                                                                 url_name, args):
    staff = world.user(Role.PRESIDIUM_STAFF)
    client = login(staff)
    url = reverse(f"workcalendar:{url_name}", args=args)
    _add_county_rows(world, 5, start=D(2026, 10, 1))
    forget_scope(staff)
    with django_assert_max_num_queries(12) as first:
        assert client.get(url).status_code == 200
    _add_county_rows(world, 25, start=D(2026, 10, 6))
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_it_computes_on_the_calculator_in_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    url = reverse("workcalendar:deadline")
    with django_assert_max_num_queries(10) as short:
        client.get(url, {"start": "2026-09-30", "amount": "5", "unit": "working_days"})
    with django_assert_max_num_queries(len(short.captured_queries)):
        client.get(url, {"start": "2026-01-05", "amount": "250", "unit": "working_days"})
