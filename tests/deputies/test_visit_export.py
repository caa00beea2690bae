"""The visits ledger export reads its rows as values: every column as the visit says, in Chinese, opinions in order."""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import DeputyFactory, DeputyGroupFactory, VisitFactory, VisitOpinionFactory


def _ledger(client) -> list[tuple]:
    response = client.get(reverse("deputies:visit_list") + "?export=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "乡镇")
    assert rows[header] == ("乡镇", "代表", "代表小组", "走访日期", "村（社区）/地点", "走访方式", "户数", "人数",
                            "走访情况", "选民意见", "跟进与反馈")
    return rows[header + 1:]


def test_it_exports_each_visit_with_its_deputy_group_method_and_opinions_in_chinese(world, login):
    group = DeputyGroupFactory(township=world.township, name="东风代表小组")
    grouped = DeputyFactory(township=world.township, name="王建国", group=group)
    alone = DeputyFactory(township=world.other_township, name="李秀英")
    older = VisitFactory(deputy=grouped, visited_on=dt.date(2026, 3, 1), place="东风村<三组>", method="forum",
                         households=4, people=9, summary="=SUM(A1)", follow_up="")
    newer = VisitFactory(deputy=alone, visited_on=dt.date(2026, 3, 2), place="  西湾 ", method="phone",
                         households=0, people=1, summary="a & b\x0bc", follow_up="已转办")
    same_day = VisitFactory(deputy=alone, visited_on=dt.date(2026, 3, 2), method="other", summary="回访")
    VisitOpinionFactory(visit=older, content="修路", position=1)
    VisitOpinionFactory(visit=older, content="路灯", position=0)
    VisitOpinionFactory(visit=same_day, content="医保", position=0)
    client = login(world.user("county_admin"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the ledger is Chinese whatever the browsing language

    rows = _ledger(client)

    assert [row[:9] for row in rows] == [
        (same_day.township.name, "李秀英", None, dt.datetime(2026, 3, 2), "东风村三组", "其他", 2, 3, "回访"),
        (world.other_township.name, "李秀英", None, dt.datetime(2026, 3, 2), "  西湾 ", "电话联系", 0, 1, "a & bc"),
        ("甲镇", "王建国", "东风代表小组", dt.datetime(2026, 3, 1), "东风村<三组>", "座谈会", 4, 9, "=SUM(A1)"),
    ]
    assert [row[9:] for row in rows] == [("1. 医保", None), (None, "已转办"), ("1. 路灯\n2. 修路", None)]
    assert newer.pk < same_day.pk  # same day: the newer row first


def test_it_exports_the_same_method_label_in_each_language_asked_for(world, login):
    """The method label is translated once per method and language, not kept from the first export's language."""
    from django.utils import translation

    from deputies.views.visits import _method_label

    VisitFactory(deputy=DeputyFactory(township=world.township), method="reception")
    with translation.override("en"):
        english = _method_label("reception", translation.get_language())
    assert english != "进站接待"
    assert [row[5] for row in _ledger(login(world.user("county_admin")))] == ["进站接待"]
