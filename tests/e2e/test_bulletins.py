"""Bulletins in the browser: the staff compose an issue, sign it off and issue it on a desktop; the deputy finds it
on the phone in 简报阅读 and downloads the PDF (read back: the issue number and the Chinese text)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pdfplumber
import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_width, assert_styled, login_as

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("E2E_ARTIFACTS_DIR", settings.BASE_DIR / "var" / "e2e"))
TITLE = "青石镇人大代表视察村级便民服务中心"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"bulletins-{name}.png"), full_page=True)


def test_staff_issue_a_bulletin_and_a_deputy_reads_it_on_the_phone(page, open_page):
    from presidium.bulletins.models import BulletinIssue, BulletinSeries

    series = BulletinSeries.objects.get(township__name="青石镇", masthead="人大信息")
    login_as(page, "staff")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/bulletins/series/")
    assert_styled(page)
    page.get_by_role("link", name="人大信息").first.click()
    with page.expect_navigation():
        page.get_by_test_id("issue-create").click()
    with page.expect_navigation():
        page.locator(".card form button.btn-portal").click()
    with page.expect_navigation():
        page.get_by_test_id("article-create").click()
    page.locator("input[name=title]").fill(TITLE)
    page.locator("textarea[name=body]").fill("镇人大主席团组织代表视察村级便民服务中心建设情况。\n代表们建议进一步延长服务时间。")
    page.locator("input[name=source]").fill("青石镇人大办")
    with page.expect_navigation():
        page.locator(".card form button.btn-portal").click()
    expect(page.get_by_test_id("bulletin-paper")).to_contain_text("（供稿：青石镇人大办）")

    with page.expect_navigation():
        page.get_by_test_id("issue-edit").click()
    page.locator("input[name=to_all_deputies]").check()
    with page.expect_navigation():
        page.locator(".card form button.btn-portal").click()
    _shot(page, "compose-desktop")

    with page.expect_navigation():
        page.get_by_test_id("issue-sign-off").click()
    with page.expect_navigation():
        page.locator(".card form button.btn-portal").click()
    expect(page.locator(".alert-success")).to_contain_text("已签发")
    with page.expect_navigation():
        page.get_by_test_id("issue-publish").click()
    expect(page.locator(".alert-success")).to_contain_text("已印发")
    issue = BulletinIssue.objects.get(series=series, articles__title=TITLE)
    assert issue.state == "published" and issue.number == 4 and len(issue.pdf_sha256) == 64
    _shot(page, "published-desktop")

    phone = open_page("phone")
    login_as(phone, "deputy")
    phone.goto("/bulletins/")
    card = phone.get_by_test_id("bulletin-card").first
    expect(card).to_contain_text(TITLE)
    expect(card).to_contain_text("第 4 期")
    assert_fits_width(phone)
    _shot(phone, "reading-phone")
    with phone.expect_download() as download:
        card.get_by_test_id("reading-pdf").click()
    content = Path(download.value.path()).read_bytes()
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages).replace(" ", "")
    assert "人大信息" in text and "第4期" in text and TITLE in text
    card.get_by_role("link", name="阅读").click()
    expect(phone.get_by_test_id("bulletin-paper")).to_contain_text(TITLE)
    assert_fits_width(phone)
    _shot(phone, "issue-phone")
