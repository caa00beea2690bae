"""The reception summary's rows, written in Python (petitions/reception/rows.py), are byte for byte the row templates
and day badge they replace (kept here as the reference): planned, held and cancelled days, a holiday, petitions
taken, a deputy without a group, hostile names, both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from deputies.models import Deputy
from petitions.models import ReceptionDay, ReceptionDuty
from petitions.reception.choices import DayStatus, DutyStatus
from presidium.calendar.models import CalendarDay
from presidium.choices import Role
from tests.factories import DeputyFactory, DeputyGroupFactory, PetitionFactory

# templates/petitions/reception/_day_badge.html and the summary's rows before (at e5f848a).
DAY_BADGE = """<span class="badge {% if day.status == 'held' %}text-bg-success{% elif day.status == 'cancelled' %}text-bg-dark{% else %}text-bg-primary{% endif %}">{{ day.get_status_display }}</span>{% if day.holiday %} <span class="badge text-bg-warning" title="{% translate '该日是法定节假日，请确认是否照常接待' %}" data-testid="holiday-flag"><i class="bi bi-exclamation-triangle"></i> {{ day.holiday }}</span>{% endif %}\n"""  # noqa: E501
DAY_CARD = Template(  # templates/petitions/reception/receptionday_list.html's card
    """{% load i18n %}<a class="card reception-day mb-2 text-decoration-none{% if day.date == today %} border-primary{% endif %}{% if day.status == 'cancelled' %} reception-day-cancelled{% endif %}" href="{{ day.get_absolute_url }}" data-testid="reception-day">
    <div class="card-body py-2">
      <div class="d-flex flex-wrap align-items-center gap-2">
        <span class="fw-semibold nowrap">{{ day.date|date:"Y-m-d" }} {{ day.date|date:"D" }}</span>
        {% if day.date == today %}<span class="badge text-bg-info">{% translate '今天' %}</span>{% endif %}
        """ + DAY_BADGE + """
        {% if show_township %}<span class="text-muted small">{{ day.township.name }}</span>{% endif %}
        <span class="ms-auto small text-muted nowrap">{% blocktranslate with c=day.cases v=day.visits %}{{ c }} 件 · {{ v }} 人次{% endblocktranslate %}</span>
      </div>
      <div class="small text-body mt-1"><i class="bi bi-geo-alt"></i> {{ day.place }}</div>
      <div class="small mt-1 text-body">{% for duty in day.duty_list %}<span class="me-2 nowrap">{{ duty.deputy.name }}{% if duty.status != 'on_duty' %}<span class="text-muted">（{{ duty.get_status_display }}）</span>{% endif %}</span>{% empty %}<span class="text-muted">{% translate '未排值班代表' %}</span>{% endfor %}{% if day.group_label %}<span class="text-muted">· {{ day.group_label }}</span>{% endif %}</div>
      {% if day.status == 'cancelled' %}<div class="small text-danger mt-1">{% translate '取消原因：' %}{{ day.cancel_reason }}</div>{% endif %}
    </div>
  </a>""")  # noqa: E501
DEPUTY_ROW = Template(
    """{% load i18n %}{% translate '代表' as l_deputy %}{% translate '代表小组' as l_group %}{% translate '排班' as l_scheduled %}{% translate '出席' as l_attended %}{% translate '请假' as l_leave %}{% translate '缺席' as l_absent %}{% translate '未结' as l_pending %}{% translate '出席率' as l_rate %}"""  # noqa: E501
    """<tr><td data-label="{{ l_deputy }}">{{ row.label }}</td><td data-label="{{ l_group }}">{{ row.group|default:"—" }}</td><td class="num" data-label="{{ l_scheduled }}">{{ row.scheduled }}</td><td class="num" data-label="{{ l_attended }}">{{ row.attended }}</td><td class="num" data-label="{{ l_leave }}">{{ row.leave }}</td><td class="num" data-label="{{ l_absent }}">{{ row.absent }}</td><td class="num" data-label="{{ l_pending }}">{{ row.pending }}</td><td class="num" data-label="{{ l_rate }}">{{ row.attendance_rate }}</td></tr>""")  # noqa: E501
GROUP_ROW = Template(
    """{% load i18n %}{% translate '代表小组' as l_group %}{% translate '排班' as l_scheduled %}{% translate '出席' as l_attended %}{% translate '请假' as l_leave %}{% translate '缺席' as l_absent %}{% translate '出席率' as l_rate %}"""  # noqa: E501
    """<tr><td data-label="{{ l_group }}">{{ row.label }}</td><td class="num" data-label="{{ l_scheduled }}">{{ row.scheduled }}</td><td class="num" data-label="{{ l_attended }}">{{ row.attended }}</td><td class="num" data-label="{{ l_leave }}">{{ row.leave }}</td><td class="num" data-label="{{ l_absent }}">{{ row.absent }}</td><td class="num" data-label="{{ l_rate }}">{{ row.attendance_rate }}</td></tr>""")  # noqa: E501
DAY_ROW = Template(
    """{% load i18n %}{% translate '日期' as l_date %}{% translate '地点' as l_place %}{% translate '状态' as l_status %}{% translate '接待件数' as l_cases %}{% translate '接待人次' as l_visits %}"""  # noqa: E501
    """<tr><td data-label="{{ l_date }}" class="nowrap"><a href="{{ day.get_absolute_url }}">{{ day.date|date:"Y-m-d" }}</a></td><td data-label="{{ l_place }}">{{ day.place }}</td><td data-label="{{ l_status }}">"""  # noqa: E501
    + DAY_BADGE +
    """</td><td class="num" data-label="{{ l_cases }}">{{ day.cases }}</td><td class="num" data-label="{{ l_visits }}">{{ day.visits }}</td></tr>""")  # noqa: E501

HOSTILE = '<script>alert("x")</script> & \'引号\''


@pytest.fixture
def month(world):
    """November 2026 in two townships: every day status, a holiday, petitions taken, hostile names."""
    group = DeputyGroupFactory(township=world.township, name=f"小组{HOSTILE}")
    grouped = DeputyFactory(township=world.township, name="冯国强", group=group)
    Deputy.objects.filter(pk=grouped.pk).update(name=f"冯{HOSTILE}")  # past the form's checks: still escaped
    alone = DeputyFactory(township=world.township, name="王立新")
    other = DeputyFactory(township=world.other_township, name="李四")
    CalendarDay.objects.update_or_create(date=dt.date(2026, 11, 9), county=None,
                                         defaults={"is_working_day": False, "name": f"假日{HOSTILE}"})
    statuses = [DayStatus.HELD, DayStatus.PLANNED, DayStatus.CANCELLED, DayStatus.PLANNED]
    for i, status in enumerate(statuses):
        day = ReceptionDay.objects.create(township=world.township, date=dt.date(2026, 11, 2 + 7 * i),
                                          place=f"联络站{HOSTILE}", status=status, cancel_reason=f"改期{HOSTILE}")
        ReceptionDuty.objects.create(day=day, deputy=grouped, group=group, position=0,
                                     status=DutyStatus.SIGNED_IN if i == 0 else DutyStatus.ON_DUTY,
                                     signed_in_at=timezone.now() if i == 0 else None)
        ReceptionDuty.objects.create(day=day, deputy=alone, position=1, leave_reason="病",
                                     status=[DutyStatus.ABSENT, DutyStatus.LEAVE][i % 2])
    held = ReceptionDay.objects.get(date=dt.date(2026, 11, 2))
    PetitionFactory(township=world.township, reception_day=held, people_count=3)
    PetitionFactory(township=world.township, reception_day=held, people_count=2)
    day = ReceptionDay.objects.create(township=world.other_township, date=dt.date(2026, 11, 3), place="乙镇")
    ReceptionDuty.objects.create(day=day, deputy=other, position=0,
                                 group=DeputyGroupFactory(township=world.other_township, name="乙镇小组"))
    ReceptionDay.objects.create(township=world.township, date=timezone.localdate(), place="今天的")  # no duty yet
    return world


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_summary_rows_as_the_row_templates_did(month, login, language):
    with translation.override(language):
        response = login(month.user(Role.COUNTY_ADMIN)).get(reverse("reception:summary"), {"month": "2026-11"},
                                                             HTTP_ACCEPT_LANGUAGE=language)
        summary = response.context["summary"]
        content = response.content.decode()
        for rows, template, name in ((summary.deputies, DEPUTY_ROW, "row"), (summary.groups, GROUP_ROW, "row"),
                                     (summary.days, DAY_ROW, "day")):
            assert rows
            for row in rows:
                expected = template.render(Context({name: row}))
                assert row.row_html == expected
                assert f"\n    {expected}\n" in content
        assert len(summary.deputies) == 3 and {r.group for r in summary.deputies} >= {""}  # one without a group
        assert {d.status for d in summary.days} == {DayStatus.HELD, DayStatus.PLANNED, DayStatus.CANCELLED}
        assert any(d.holiday for d in summary.days) and any(d.cases == 2 and d.visits == 5 for d in summary.days)
        assert "<script>alert" not in content and content.count("&lt;script&gt;") >= 4


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_rota_cards_as_the_card_template_did(month, login, language):
    with translation.override(language):
        for role, show_township in ((Role.COUNTY_ADMIN, True), (Role.PRESIDIUM_STAFF, False)):
            response = login(month.user(role)).get(reverse("reception:day_list"), {"period": "all"},
                                                   HTTP_ACCEPT_LANGUAGE=language)
            days, content = response.context["days"], response.content.decode()
            assert response.context["show_township"] is show_township and len(days) == 5 + show_township
            for day in days:
                expected = DAY_CARD.render(Context({"day": day, "today": response.context["today"],
                                                    "show_township": show_township}))
                assert day.card_html == expected
                assert f"\n  {expected}\n" in content
            assert {d.status for d in days} == {DayStatus.HELD, DayStatus.PLANNED, DayStatus.CANCELLED}
            assert any(d.date == response.context["today"] and not d.duty_list for d in days)
            assert any(d.holiday for d in days) and any(d.group_label for d in days) is show_township
            assert "<script>alert" not in content and "改期&lt;script&gt;" in content
