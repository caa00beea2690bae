"""Reception-day pages: the rota as each role reads it, the duty buttons with reasons, the monthly summary and
its export, the deputy's home block — and query counts that hold as rows grow."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from petitions.models import ReceptionDay, ReceptionDuty
from petitions.reception import selectors, services
from petitions.reception.choices import DutyStatus
from presidium.choices import Role
from tests.factories import DeputyFactory, DeputyGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    group = DeputyGroupFactory(township=world.township, name="东风代表小组")
    me = DeputyFactory(township=world.township, name="冯国强", group=group, user=world.user(Role.DEPUTY))
    mate = DeputyFactory(township=world.township, name="王立新", group=group)
    return {"group": group, "me": me, "mate": mate}


def _days(world, people, n: int, *, first: dt.date, township=None):
    township = township or world.township
    made = []
    for i in range(n):
        day = ReceptionDay.objects.create(township=township, date=first + dt.timedelta(days=7 * i), place="联络站")
        for k, deputy in enumerate((people["me"], people["mate"])):
            if deputy.township_id == township.pk:
                ReceptionDuty.objects.create(day=day, deputy=deputy, group=people["group"], position=k)
        made.append(day)
    return made


def test_it_shows_the_rota_to_every_role_of_the_township_and_hides_another_countys(world, people, client):
    today = timezone.localdate()
    _days(world, people, 2, first=today)
    foreign = ReceptionDay.objects.create(township=world.foreign_township, date=today, place="丙镇接待室")
    for role in Role:
        client.force_login(world.user(role))
        page = client.get(reverse("reception:day_list"))
        assert page.status_code == 200, role
        html = page.content.decode()
        assert "联络站" in html and "冯国强" in html, role
        assert foreign.place not in html
        assert client.get(reverse("reception:day_detail", args=[foreign.pk])).status_code == 404


def test_the_rota_list_keeps_its_query_count_as_days_grow(world, people, client, django_assert_max_num_queries):
    client.force_login(world.user(Role.PRESIDIUM_STAFF))
    _days(world, people, 2, first=timezone.localdate())
    url = reverse("reception:day_list")
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    read = " ".join(q["sql"] for q in few.captured_queries)  # the duties' deputies by name, their records not read
    assert '"deputies_deputy"."name"' in read and '"deputies_deputy"."id_number"' not in read
    _days(world, people, 20, first=timezone.localdate() + dt.timedelta(days=1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        response = client.get(url + "?export=xlsx&period=all")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row >= 22 + 2  # title + header + 22 days


def test_the_day_page_shows_each_duty_step_or_why_not(world, people, client):
    day = _days(world, people, 1, first=timezone.localdate())[0]
    client.force_login(world.user(Role.DEPUTY))
    html = client.get(day.get_absolute_url()).content.decode()
    assert reverse("reception:duty_sign_in", args=[day.duties.get(deputy=people["me"]).pk]) in html
    assert "请假须在接待日当天之前提出" in html  # the leave button is shown disabled, with the reason
    assert reverse("reception:duty_sign_in", args=[day.duties.get(deputy=people["mate"]).pk]) not in html
    client.force_login(world.user(Role.PRESIDIUM_STAFF))
    html = client.get(day.get_absolute_url()).content.decode()
    assert "结束后才能登记缺席" in html


def test_it_signs_in_from_the_home_page_on_the_day(world, people, client):
    day = _days(world, people, 1, first=timezone.localdate())[0]
    client.force_login(world.user(Role.DEPUTY))
    home = client.get(reverse("home")).content.decode()
    assert "我的接待日" in home
    duty = day.duties.get(deputy=people["me"])
    response = client.post(reverse("reception:duty_sign_in", args=[duty.pk]), {"next": reverse("home")})
    assert response.status_code == 302 and response.url == reverse("home")
    duty.refresh_from_db()
    assert duty.status == DutyStatus.SIGNED_IN


def test_a_refused_step_says_why_and_changes_nothing(world, people, client):
    day = _days(world, people, 1, first=timezone.localdate())[0]
    duty = day.duties.get(deputy=people["me"])
    client.force_login(world.user(Role.PRESIDIUM_STAFF))
    response = client.post(reverse("reception:duty_absent", args=[duty.pk]), follow=True)
    assert "结束后才能登记缺席" in response.content.decode()
    duty.refresh_from_db()
    assert duty.status == DutyStatus.ON_DUTY


def test_the_rota_form_generates_days_and_keeps_input_on_error(world, people, client):
    client.force_login(world.user(Role.PRESIDIUM_STAFF))
    url = reverse("reception:generate")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"township": world.township.pk, "start": "2026-12-01", "end": "2026-12-31",
                            "rotation": "groups", "groups": [people["group"].pk], "place": "联络站",
                            "dates": "2026-12-3, 十二月九日"})
    assert bad.status_code == 200 and "看不懂这些日期" in bad.content.decode()
    assert not ReceptionDay.objects.exists()
    good = client.post(url, {"township": world.township.pk, "start": "2026-12-01", "end": "2026-12-31",
                             "rotation": "groups", "groups": [people["group"].pk], "place": "联络站",
                             "weekdays": ["0"]}, follow=True)
    assert good.status_code == 200 and "已生成 4 个接待日" in good.content.decode()
    assert ReceptionDay.objects.filter(township=world.township).count() == 4


def test_the_summary_counts_duties_and_keeps_its_query_count(world, people, client, django_assert_max_num_queries):
    first = dt.date(2026, 11, 2)
    days = _days(world, people, 4, first=first)
    ReceptionDuty.objects.filter(day=days[0]).update(status=DutyStatus.SIGNED_IN, signed_in_at=timezone.now())
    ReceptionDuty.objects.filter(day=days[1], deputy=people["me"]).update(status=DutyStatus.LEAVE, leave_reason="病")
    ReceptionDuty.objects.filter(day=days[1], deputy=people["mate"]).update(status=DutyStatus.ABSENT)
    services.reception_day_cancel(day=days[3], by=world.user(Role.PRESIDIUM_STAFF), reason="改期")
    summary = selectors.month_summary(ReceptionDay.objects.all(), 2026, 11)
    me = next(r for r in summary.deputies if r.label == "冯国强")
    assert (me.scheduled, me.attended, me.leave, me.absent, me.pending) == (3, 1, 1, 0, 1)
    assert summary.total.scheduled == 6 and summary.cancelled_days == 1
    client.force_login(world.user(Role.COUNTY_REVIEWER))
    url = reverse("reception:summary") + "?month=2026-11"
    urls = [url, url + "&export=xlsx", url + "&export=days"]
    few, duty_lists = {}, {}
    for each in urls:
        with django_assert_max_num_queries(16) as captured:
            response = client.get(each)
        assert response.status_code == 200
        few[each] = len(captured.captured_queries)
        duty_lists[each] = sum(q["sql"].startswith('SELECT "petitions_receptionduty"."id"')
                               for q in captured.captured_queries)
    assert "冯国强" in client.get(url).content.decode()
    # the page and the deputies' sheet do not read each day's duties: only the days' sheet names them
    assert list(duty_lists.values()) == [0, 0, 1]
    _days(world, {**people, "me": DeputyFactory(township=world.township, group=people["group"])}, 4,
          first=first + dt.timedelta(days=1))
    for each in urls:
        with django_assert_max_num_queries(few[each]):
            response = client.get(each)
        assert response.status_code == 200
    for export in ("xlsx", "days"):
        response = client.get(url + f"&export={export}")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    from openpyxl import load_workbook

    cells = [c for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
             for c in row if isinstance(c, str)]
    assert any("冯国强（" in c for c in cells)  # the days' sheet still names who was on duty
    client.force_login(world.user(Role.DEPUTY))
    assert client.get(url).status_code == 403


def test_a_bad_month_is_a_message_not_a_500(world, people, client):
    client.force_login(world.user(Role.PRESIDIUM_STAFF))
    response = client.get(reverse("reception:summary") + "?month=2026-13")
    assert response.status_code == 200 and "月份请写成" in response.content.decode()


def test_the_day_page_lists_the_petitions_taken_masked_and_counts_them(world, people, client):
    from tests.factories import PetitionFactory

    day = _days(world, people, 1, first=timezone.localdate() - dt.timedelta(days=7))[0]
    PetitionFactory(township=world.township, reception_day=day, name="张三丰", mobile="13812345678",
                    subject="宅基地纠纷")
    PetitionFactory(township=world.township, reception_day=day, name="李四", people_count=6, is_collective=True)
    client.force_login(world.user(Role.PRESIDIUM_STAFF))
    html = client.get(day.get_absolute_url()).content.decode()
    assert "张**" in html and "张三丰" not in html and "13812345678" not in html
    assert "2 件，7 人次" in html
    client.force_login(world.user(Role.DEPUTY))  # a deputy sees the counts, not the cases (not theirs)
    html = client.get(day.get_absolute_url()).content.decode()
    assert "2 件，7 人次" in html and "宅基地纠纷" not in html and "没有查看权限" in html


def test_the_day_page_keeps_its_query_count_as_duties_and_petitions_grow(world, people, client,
                                                                         django_assert_max_num_queries):
    from tests.factories import PetitionFactory

    day = _days(world, people, 1, first=timezone.localdate())[0]
    client.force_login(world.user(Role.PRESIDIUM_STAFF))
    with django_assert_max_num_queries(30) as few:
        assert client.get(day.get_absolute_url()).status_code == 200
    for i in range(8):
        ReceptionDuty.objects.create(day=day, deputy=DeputyFactory(township=world.township), position=10 + i)
        PetitionFactory(township=world.township, reception_day=day)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(day.get_absolute_url()).status_code == 200


def test_generating_days_on_a_holiday_says_so(world, people, client):
    from presidium.calendar.models import CalendarDay

    CalendarDay.objects.update_or_create(date=dt.date(2026, 10, 5), county=None,
                                         defaults={"is_working_day": False, "name": "国庆节"})
    client.force_login(world.user(Role.PRESIDIUM_STAFF))
    page = client.post(reverse("reception:generate"), {
        "township": world.township.pk, "start": "2026-09-28", "end": "2026-10-12", "rotation": "groups",
        "groups": [people["group"].pk], "place": "联络站", "weekdays": ["0"]}, follow=True)
    assert "已生成 3 个接待日" in page.content.decode() and "10-05（国庆节）" in page.content.decode()


def test_the_staff_add_a_substitute_on_duty_and_the_deputy_is_told(world, people, client):
    from presidium.notifications.models import Notification

    day = _days(world, people, 1, first=timezone.localdate() + dt.timedelta(days=3))[0]
    substitute = DeputyFactory(township=world.township, name="赵替班", user=world.user(Role.UNIT_LIAISON))
    client.force_login(world.user(Role.PRESIDIUM_STAFF))
    html = client.get(day.get_absolute_url()).content.decode()
    assert "赵替班" in html and reverse("reception:duty_add", args=[day.pk]) in html
    url = reverse("reception:duty_add", args=[day.pk])
    assert client.post(url, {"deputy": substitute.pk}).status_code == 302
    assert day.duties.filter(deputy=substitute, status=DutyStatus.ON_DUTY).exists()
    assert Notification.objects.filter(recipient=substitute.user, title__contains="接待日值班").exists()
    again = client.post(url, {"deputy": people["me"].pk}, follow=True)
    assert "已在当天值班" in again.content.decode() or "选择一个有效的选项" in again.content.decode()
    assert day.duties.count() == 3
