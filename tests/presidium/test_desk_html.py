"""The chair's desk written in Python (presidium/desk_html.py) is byte for byte the template it replaces
(templates/presidium/home_chair.html, kept as the reference): lines with and without a date, a detail, a link;
an empty section with and without its own text; a section without "全部"; hostile text; both languages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _l

from presidium.desk_html import desk_html
from presidium.registry import ChairSection, DecisionRow

HOSTILE = "<b>张</b>&'三\""


def _sections() -> list[dict]:
    def section(key, title, empty=""):
        return ChairSection(key=key, title=title, rows=lambda user: [], order=1, empty=empty)

    rows = [
        DecisionRow(title=f"议 2026-003 {HOSTILE}", detail=_l("议案：决定是否列入大会议程"), url="/proposals/items/3/"),
        DecisionRow(title="2026-015 关于路灯的建议", detail=f"延期申请：{HOSTILE}申请延至 2026-12-31",
                    url="/proposals/items/15/?a=1&b=2", when=dt.date(2026, 12, 31)),
        DecisionRow(title="没有链接的事项", when=dt.date(2027, 1, 5), tone="danger"),
        DecisionRow(title="会议", when=dt.datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC")), tone="warning",
                    detail="二楼会议室 · 07:30 · 已请假 2 人", url="/meetings/7/"),
    ]
    return [
        {"section": section("proposals_decisions", _l("待主席团决定")), "rows": rows, "more_url": ""},
        {"section": section("x<y", HOSTILE, empty=_l("没有未办结的重点建议。")), "rows": [],
         "more_url": "/proposals/items/?is_key=true&q=<x>"},
        {"section": section("meetings_opinions", _l("审议意见（待政府答复）")), "rows": [], "more_url": ""},
        {"section": section("proposals_units", "单位"), "rows": rows[1:2], "more_url": "/proposals/figures/"},
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_desk_is_the_template_it_replaces(language, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    with translation.override(language):
        sections = _sections()
        reference = render_to_string("presidium/home_chair.html", {"sections": sections})
        assert desk_html(sections) == reference
    assert "&lt;b&gt;张&lt;/b&gt;&amp;&#x27;三&quot;" in reference and "2027-01-05" in reference
    assert "2027-01-01" in reference  # the datetime shown on its local day, as the template's date filter does


def test_no_section_no_lines():
    assert desk_html([]) == render_to_string("presidium/home_chair.html", {"sections": []})
