"""The roster's rows, written in Python (deputies/roster_rows.py), are byte for byte the row template they replace
(kept here as the reference): serving and left deputies, no birth date / work unit / group / station / mobile,
a masked and an unmasked mobile, hostile values, one township and several, both languages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from deputies.models import Deputy
from tests.factories import ConstituencyFactory, DeputyFactory, DeputyGroupFactory, LiaisonStationFactory

# The rows as the template wrote them before (templates/deputies/deputy_list.html at e5f848a), the status badge's
# include with it.
REFERENCE_ROW = Template(
    "{% load i18n %}"
    """<tr>
      <td data-label="{% translate '姓名' %}" class="nowrap"><a href="{{ d.get_absolute_url }}" class="fw-semibold">{{ d.name }}</a>{% if d.township_id and show_township %} <span class="text-muted small">{{ d.township.name }}</span>{% endif %}</td>
      <td data-label="{% translate '性别' %}" class="d-none d-md-table-cell">{{ d.get_gender_display }}</td>
      <td data-label="{% translate '年龄' %}" class="d-none d-md-table-cell">{{ d.age|default_if_none:"—" }}</td>
      <td data-label="{% translate '政治面貌' %}" class="d-none d-md-table-cell nowrap">{{ d.get_affiliation_display }}</td>
      <td data-label="{% translate '界别' %}" class="d-none d-md-table-cell nowrap">{{ d.get_sector_display }}</td>
      <td data-label="{% translate '工作单位及职务' %}">{{ d.work_unit_and_post|default:"—" }}</td>
      <td data-label="{% translate '层级' %}" class="d-none d-md-table-cell small">{{ d.get_level_display }}</td>
      <td data-label="{% translate '代表小组' %}">{{ d.group.name|default:"—" }}</td>
      <td data-label="{% translate '联络站' %}" class="d-none d-md-table-cell small">{{ d.station.name|default:"—" }}</td>
      <td data-label="{% translate '手机' %}" class="nowrap masked">{{ d.shown_mobile|default:"—" }}</td>
      <td data-label="{% translate '状态' %}">{% include "deputies/_status_badge.html" with deputy=d %}</td>
    </tr>""")  # noqa: E501

HOSTILE = "<b>张</b>&'三\""


@pytest.fixture
def varied(world):
    """Deputies in every shape the row shows, in both townships of the county."""
    group = DeputyGroupFactory(township=world.township, name='<i>小组</i> & "一"')
    station = LiaisonStationFactory(township=world.township, name="<联络站> & '二'")
    full = DeputyFactory(township=world.township, name="张三", group=group, station=station, gender="female",
                         birth_date=dt.date(1970, 5, 6), affiliation="cpc", education="postgraduate", sector="worker",
                         work_unit="<厂>", post="主任 & 书记", mobile="13800138000", level="both")
    Deputy.objects.filter(pk=full.pk).update(name=HOSTILE)  # past the form's checks: still escaped
    DeputyFactory(township=world.township, name="李四")  # nothing optional filled in
    left = DeputyFactory(township=world.township, name="王五", work_unit="乡政府", mobile="13900139000")
    Deputy.objects.filter(pk=left.pk).update(status="resigned", status_since=dt.date(2024, 2, 29))
    ended = DeputyFactory(township=world.other_township, name="赵六", post="村主任")
    Deputy.objects.filter(pk=ended.pk).update(status="term_ended", status_since=dt.date(2025, 12, 31))
    return world


def _check_rows(client, language, query):
    with translation.override(language):
        response = client.get(reverse("deputies:deputy_list"), query, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        deputies = response.context["deputies"]
        content = response.content.decode()
        show_township = response.context["show_township"]
        for d in deputies:
            expected = REFERENCE_ROW.render(Context({"d": d, "show_township": show_township}))
            assert d.row_html == expected
            assert f"\n    {expected}\n" in content
    return deputies, show_township, content


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_county_rows_as_the_row_template_did(varied, login, language):
    client = login(varied.user("county_admin"))
    deputies, show_township, content = _check_rows(client, language, {"status": ""})
    assert len(deputies) == 4 and show_township
    assert {d.status for d in deputies} == {"serving", "resigned", "term_ended"}
    assert any(d.birth_date is None for d in deputies) and any(d.group is None for d in deputies)
    assert "&lt;b&gt;张&lt;/b&gt;&amp;&#x27;三&quot;" in content and "&lt;联络站&gt;" in content
    assert 'title="2024-02-29"' in content


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_one_townships_rows_as_the_row_template_did(varied, login, language):
    client = login(varied.user("presidium_staff"))
    deputies, show_township, content = _check_rows(client, language, {"status": ""})
    assert len(deputies) == 3 and not show_township
    mobiles = {d.shown_mobile for d in deputies}
    assert "13800138000" in mobiles  # the township's staff see it unmasked
    client = login(varied.user("county_reviewer"))
    deputies, _, _ = _check_rows(client, language, {})  # serving only (the default)
    assert {d.status for d in deputies} == {"serving"}
    assert all(d.shown_mobile != "13800138000" for d in deputies)  # masked for the county's reviewer


def test_the_roster_reads_its_rows_with_the_relations_they_show_only(varied, login):
    """The rows show the township, group and station; the constituency and the term's columns (joined, they cost
    PostgreSQL 10-13 ms of planning at county scale) are read by the export only."""
    constituency = ConstituencyFactory(township=varied.township, name="第九选区")
    Deputy.objects.filter(name="李四").update(constituency=constituency)
    client = login(varied.user("county_admin"))
    url = reverse("deputies:deputy_list")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    [rows] = [q["sql"] for q in captured.captured_queries
              if q["sql"].startswith('SELECT "deputies_deputy"."id"') and "LIMIT" in q["sql"]]
    assert 'JOIN "deputies_deputygroup"' in rows and 'JOIN "deputies_liaisonstation"' in rows
    assert 'JOIN "presidium_township"' in rows
    assert '"deputies_constituency"' not in rows and '"presidium_term"."start_date"' not in rows
    response = client.get(url, {"export": "xlsx"})
    sheet = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert any(row[1] == "李四" and "第九选区" in row for row in sheet)
