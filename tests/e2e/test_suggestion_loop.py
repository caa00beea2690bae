"""The whole loop in a browser: deputy submits → staff register and assign → liaison consults and replies →
deputy rates 不满意 → re-handling → reply → 满意 → staff close. On a phone-sized screen (deputies use phones)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_fits_width, assert_styled, login_as, logout

pytestmark = pytest.mark.e2e


@pytest.fixture
def viewport() -> str:
    return "phone"


def _open(page: Page, path: str) -> None:
    page.goto(path)
    assert_fits_width(page)


def _status(page: Page, text: str) -> None:
    expect(page.get_by_test_id("status")).to_have_text(text)


def _consult_and_reply(page: Page, item: str, *, summary: str, reply: str) -> None:
    _open(page, item)
    page.get_by_test_id("consult").click()
    page.locator("select[name=stage]").select_option("before_reply")
    page.locator("select[name=form]").select_option("face_to_face")
    page.locator("input[name=participants]").fill("冯国强、财政所所长")
    page.locator("textarea[name=summary]").fill(summary)
    page.get_by_test_id("action-submit").click()
    expect(page.get_by_test_id("consultations")).to_contain_text(summary)
    page.get_by_test_id("reply").click()
    expect(page.get_by_test_id("needs-consultation")).to_have_count(0)
    page.locator("input[name=result_class][value=A]").check()
    page.locator("textarea[name=text]").fill(reply)
    page.locator("input[name=signed_by]").fill("张志强")
    page.get_by_test_id("action-submit").click()
    _status(page, "已答复")


def _rate(page: Page, item: str, *, work: str, result: str, comment: str = "") -> None:
    _open(page, item)
    page.get_by_test_id("rate").click()
    page.locator(f"input[name=work_grade][value={work}]").check()
    page.locator(f"input[name=result_grade][value={result}]").check()
    if comment:
        page.locator("textarea[name=comment]").fill(comment)
    page.get_by_test_id("action-submit").click()


def test_it_carries_a_suggestion_from_a_deputys_phone_to_a_satisfied_close(page: Page):
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. The deputy writes the suggestion on the phone and submits it.
    login_as(page, "deputy")
    _open(page, "/proposals/new/")
    assert_styled(page)
    page.locator("select[name=category]").select_option(label="城乡建设")
    page.locator("input[name=title]").fill("关于修缮东风村三组便民桥的建议")
    page.locator("textarea[name=content]").fill("便民桥桥面破损，雨季存在安全隐患，群众反映强烈。")
    page.get_by_test_id("save-draft").click()
    _status(page, "草稿")
    item = re.sub(r"^https?://[^/]+", "", page.url)
    page.get_by_test_id("submit").click()
    _status(page, "已提交")
    logout(page)

    # 2. Staff register it (it gets its number) and assign it to the finance office.
    login_as(page, "staff")
    _open(page, item)
    page.get_by_test_id("register").click()
    page.get_by_test_id("action-submit").click()
    _status(page, "已登记")
    expect(page.get_by_test_id("serial")).to_contain_text(re.compile(r"\d{4}-\d{3}"))
    page.get_by_test_id("assign").click()
    page.locator("select[name=lead_unit]").select_option(label="财政所")
    page.locator("select[name=supervision_mode]").select_option("follow_up")
    page.get_by_test_id("action-submit").click()
    _status(page, "已交办")
    expect(page.get_by_test_id("lead-unit")).to_have_text("财政所")
    logout(page)

    # 3. The finance office's liaison meets the deputy, then replies.
    login_as(page, "liaison")
    _consult_and_reply(page, item, summary="与代表现场查看便民桥，商定维修方案。", reply="已安排维修资金，下月开工。")
    logout(page)

    # 4. The deputy is not satisfied: the item goes back for re-handling.
    login_as(page, "deputy")
    _rate(page, item, work="basic", result="unsatisfied", comment="开工时间太晚，雨季前必须修好。")
    _status(page, "重新办理")
    logout(page)

    # 5. The liaison handles it again and replies again.
    login_as(page, "liaison")
    _consult_and_reply(page, item, summary="再次面商，同意提前施工。", reply="已提前施工，本月底前完工。")
    logout(page)

    # 6. The deputy is satisfied now.
    login_as(page, "deputy")
    _rate(page, item, work="satisfied", result="satisfied")
    _status(page, "已评价")
    expect(page.get_by_test_id("replies")).to_contain_text("第2轮答复")
    logout(page)

    # 7. Staff close it.
    login_as(page, "staff")
    _open(page, item)
    page.get_by_test_id("close").click()
    page.get_by_test_id("action-submit").click()
    _status(page, "已办结")
    expect(page.get_by_test_id("timeline")).to_contain_text("办结")
