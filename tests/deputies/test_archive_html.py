"""The duty archive's sections, written in Python (deputies/archive_html.py), are byte for byte the section loop of
the archive template they replace (kept here as the reference): sections not installed, with text, counts (dates,
figures, labels), rows with and without a link, detail, status and a remove button, empty ones; hostile text; both
languages; and the archive page of a busy deputy as staff and as the deputy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from deputies import services
from deputies.archive import ArchiveRow, ArchiveSection, build_archive
from deputies.archive_html import sections_html
from deputies.models import Deputy
from presidium.choices import Role
from tests.factories import (
    DeputyFactory,
    InvitationFactory,
    MeetingFactory,
    VisitFactory,
    VisitOpinionFactory,
)

# The section loop as templates/deputies/archive.html wrote it before (at 9af6a3e).
REFERENCE = Template(
    "{% load i18n %}"
    """{% for section in sections %}
<div class="card mb-3" data-section="{{ section.key }}">
  <div class="card-header d-flex flex-wrap justify-content-between align-items-center gap-2"><span class="fw-semibold">{{ section.title }}</span>
    {% if section.counts %}<div class="d-flex flex-wrap gap-3 small">{% for label, value in section.counts.items %}<span class="text-muted">{{ label }} <strong class="text-body">{% if value.year %}{{ value|date:"Y-m-d" }}{% else %}{{ value }}{% endif %}</strong></span>{% endfor %}</div>{% endif %}
  </div>
  {% if not section.available %}
    <div class="card-body text-muted small"><i class="bi bi-plug"></i> {{ section.empty_text }}</div>
  {% else %}
    {% if section.text %}<div class="card-body border-bottom">{{ section.text|linebreaksbr }}</div>{% endif %}
    {% if section.rows %}
    <ul class="list-group list-group-flush">
      {% for row in section.rows %}<li class="list-group-item d-flex flex-wrap gap-2 align-items-baseline">
        <span class="text-muted nowrap small">{{ row.date|date:"Y-m-d" }}</span>
        {% if row.url %}<a href="{{ row.url }}">{{ row.title }}</a>{% else %}<span>{{ row.title }}</span>{% endif %}
        {% if row.detail %}<span class="small text-muted">{{ row.detail }}</span>{% endif %}
        {% if row.status %}<span class="badge text-bg-{{ row.tone }}">{{ row.status }}</span>{% endif %}
        {% if row.remove_url %}<form method="post" action="{{ row.remove_url }}" class="ms-auto" data-confirm="{% translate '确定删除这条记录？' %}">{% csrf_token %}<button class="btn btn-link btn-sm text-danger p-0" type="submit">{% translate '删除' %}</button></form>{% endif %}
      </li>{% endfor %}
    </ul>
    {% endif %}
    {% if section.is_empty %}<div class="card-body text-muted small">{{ section.empty_text }}</div>{% endif %}
  {% endif %}
</div>
{% endfor %}""")  # noqa: E501

HOSTILE = '<script>alert("x")</script> & \'引号\''


def _reference(sections, token: str) -> str:
    return REFERENCE.render(Context({"sections": sections, "csrf_token": token}))


def _made_up_sections():
    return [
        ArchiveSection(key="meetings", title="参加会议和活动", available=False,
                       empty_text="暂无数据来源。会议活动模块上线后，出席、请假、缺席情况自动汇入。"),
        ArchiveSection(key="pledge", title="履职承诺", counts={"签订日期": dt.date(2026, 3, 1)},
                       text=f"第一行\n第二行 {HOSTILE}\n\n第四行"),
        ArchiveSection(key="voter_report", title=HOSTILE, empty_text="本年度尚未向选民述职"),
        ArchiveSection(key="visits", title="走访选民", counts={"走访次数": 12, "走访户数": 1234567, "地点": HOSTILE,
                                                           "比例": "29（63%）", "空": "", "无": None, "是": True},
                       rows=[ArchiveRow(date=dt.date(2026, 1, 2), title=f"村委会（入户） {HOSTILE}",
                                        detail="3 户 5 人，意见 1 条", url="/deputies/visits/1/?a=1&b=2"),
                             ArchiveRow(date=None, title="无日期", status="出席", tone="success"),
                             ArchiveRow(date=dt.date(2026, 5, 6), title="培训", detail=HOSTILE, status=HOSTILE,
                                        tone='danger" onclick="x', remove_url="/deputies/trainings/7/remove/")],
                       empty=False),
        ArchiveSection(key="awards", title="表彰奖励", rows=[], counts={"表彰": 0}, empty=True),
        ArchiveSection(key="assessment", title="年度考核", empty_text=HOSTILE),
    ]


# Django's own {% csrf_token %} renders "NOTPROVIDED" with format_html("") (deprecated in Django 5.2): the reference
# template's warning, not the code's under test.
@pytest.mark.filterwarnings("ignore:Calling format_html:django.utils.deprecation.RemovedInDjango60Warning")
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("token", ["a" * 64, "NOTPROVIDED", ""])
def test_the_sections_are_the_reference_loops_bytes(language, token):
    with translation.override(language):
        sections = _made_up_sections()
        assert sections_html(sections, token) == _reference(sections, token)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_busy_deputys_archive_sections_are_the_reference_loops_bytes(world, login, language):
    today = timezone.localdate()
    deputy = DeputyFactory(township=world.township, user=world.user("deputy"), name="张三")
    Deputy.objects.filter(pk=deputy.pk).update(name="<b>张</b>&'三'")  # past the form's checks: still escaped
    deputy.refresh_from_db()
    starts = timezone.make_aware(dt.datetime.combine(today, dt.time(9)))
    for status in ("present", "leave", "absent"):
        meeting = MeetingFactory(township=world.township, starts_at=starts, ends_at=starts + dt.timedelta(hours=1),
                                 title=HOSTILE, place="<i>会议室</i>")
        InvitationFactory(meeting=meeting, deputy=deputy, name=deputy.name, status=status,
                          leave_reason=HOSTILE if status == "leave" else "")
    VisitOpinionFactory(visit=VisitFactory(deputy=deputy, visited_on=today, place=HOSTILE))
    staff = world.user(Role.PRESIDIUM_STAFF)
    services.training_add(deputy=deputy, by=staff, attended_on=today, title=HOSTILE, organizer="县人大", hours=4)
    services.award_add(deputy=deputy, by=staff, awarded_on=today, title="优秀代表")
    services.pledge_record(deputy=deputy, by=staff, year=today.year, signed_on=today, content=f"承诺\n{HOSTILE}")
    with translation.override(language):
        for viewer in (staff, world.user("deputy"), world.user(Role.COUNTY_ADMIN)):
            sections = build_archive(deputy, today.year, viewer=viewer)
            assert viewer != staff or any(row.remove_url for s in sections for row in s.rows)
            assert sections_html(sections, "t" * 64) == _reference(sections, "t" * 64)
    client = login(staff)
    response = client.get(reverse("deputies:deputy_archive", args=[deputy.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-section="trainings"' in html and "&lt;script&gt;" in html and "<script>alert" not in html
    assert html.count('name="csrfmiddlewaretoken"') >= 2  # the remove buttons (training, award) post the token
