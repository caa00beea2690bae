"""County scorecards in the browser: the reviewer publishes a checklist, the township's staff answer with
evidence and submit (on a phone), the reviewer scores and finalises, and the ranking is shown to both."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.documents.hostile import pdf_bytes
from tests.e2e.helpers import assert_fits_width, assert_styled, login_as

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("E2E_ARTIFACTS_DIR", settings.BASE_DIR / "var" / "e2e"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"scorecards-{name}.png"), full_page=True)


def test_a_reviewer_publishes_a_township_answers_with_evidence_and_the_reviewer_ranks(page, open_page):
    from evaluations.models import Evidence, TownshipResponse

    today = timezone.localdate()
    start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)

    # The reviewer drafts a monthly prompt with one item, then publishes it.
    page.on("dialog", lambda dialog: dialog.accept())
    login_as(page, "reviewer")
    page.goto("/evaluations/scorecards/")
    page.get_by_test_id("new-checklist").click()
    page.locator("input[name=title]").fill("本月乡镇人大工作提示")
    page.locator("select[name=period_kind]").select_option("month")
    page.locator("input[name=period_start]").fill(f"{start:%Y-%m-%d}")
    page.locator("input[name=period_end]").fill(f"{end:%Y-%m-%d}")
    page.locator("input[name=responses_due]").fill(f"{end:%Y-%m-%d}")
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    page.get_by_test_id("add-item").click()
    page.locator("input[name=title]").fill("召开主席团会议不少于1次")
    page.locator("input[name=points]").fill("10")
    page.locator("input[name=evidence_expected]").fill("会议纪要、签到表")
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    with page.expect_navigation():
        page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("checklist-state")).to_have_text("已发布")
    assert_styled(page)

    # 青石镇's staff answer on a phone, with a file, and submit.
    phone = open_page("phone")
    phone.on("dialog", lambda dialog: dialog.accept())
    login_as(phone, "staff")
    phone.goto("/evaluations/scorecards/")
    with phone.expect_navigation():
        phone.get_by_test_id("checklist-table").get_by_role("link", name="本月乡镇人大工作提示").click()
    with phone.expect_navigation():
        phone.get_by_test_id("own-rows").locator("a").first.click()
    form = phone.get_by_test_id("answer-form").first
    form.get_by_label("已完成").check()
    form.locator("textarea").fill("12月2日召开主席团会议，研究年终工作。")
    form.locator("input[type=file]").set_input_files(files=[
        {"name": "主席团会议纪要.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}])
    form.get_by_role("button", name="保存本项").click()
    expect(phone.get_by_test_id("evidence-row").first).to_contain_text("主席团会议纪要.pdf", timeout=20_000)
    assert_fits_width(phone)
    _shot(phone, "response-phone")
    with phone.expect_navigation():
        phone.get_by_test_id("action-submit").click()
    expect(phone.get_by_test_id("response-state")).to_have_text("已提交")
    expect(phone.get_by_test_id("lock")).to_contain_text("退回")
    response = TownshipResponse.objects.get(checklist__title="本月乡镇人大工作提示", township__name="青石镇")
    assert Evidence.objects.filter(answer__response=response, kind="file").count() == 1

    # The reviewer accepts the evidence, scores, finalises; the ranking and the comparison show it.
    page.goto(response.get_absolute_url())
    with page.expect_navigation():
        page.get_by_test_id("evidence-row").first.get_by_role("button", name="审核").click()
    expect(page.get_by_test_id("review-state").first).to_have_text("认可")
    score = page.get_by_test_id("score-form").first
    score.get_by_label("得分", exact=True).fill("12")
    with page.expect_navigation():
        score.get_by_role("button", name="评分").click()
    expect(page.locator("body")).to_contain_text("得分须在 0 到 10.0 分之间")
    score = page.get_by_test_id("score-form").first
    score.get_by_label("得分", exact=True).fill("9.5")
    with page.expect_navigation():
        score.get_by_role("button", name="评分").click()
    with page.expect_navigation():
        page.get_by_test_id("action-finalise").click()
    expect(page.get_by_test_id("response-state")).to_have_text("已定稿")
    expect(page.get_by_test_id("rank")).to_contain_text("本期第 1 名")
    page.goto(response.checklist.get_absolute_url())
    expect(page.get_by_test_id("ranking-row").first).to_contain_text("青石镇")
    page.get_by_test_id("compare").click()
    expect(page.get_by_test_id("chart").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("period-ranking")).to_contain_text("1. 青石镇 9.5")
    _shot(page, "comparison")

    # The township sees its own score and rank.
    phone.goto(response.get_absolute_url())
    expect(phone.get_by_test_id("rank")).to_contain_text("本期第 1 名")
    expect(phone.get_by_test_id("item-score").first).to_contain_text("9.5")
