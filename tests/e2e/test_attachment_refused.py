"""A deputy attaches a file that only pretends to be a PDF: the phone form says why in Chinese and keeps the rest."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.documents.hostile import pdf_bytes, pdf_html_polyglot
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import assert_fits_width, assert_styled, login_as

pytestmark = pytest.mark.e2e


@pytest.fixture
def viewport() -> str:
    return "phone"


def test_it_refuses_a_polyglot_pdf_on_the_phone_and_keeps_the_draft_text(page: Page):
    login_as(page, "deputy")
    page.goto("/proposals/new/")
    page.locator("select[name=category]").select_option(label="城乡建设")
    page.locator("input[name=title]").fill("关于修缮东风村三组便民桥的建议")
    page.locator("textarea[name=content]").fill("便民桥桥面破损，雨季存在安全隐患。")
    page.locator("input[name=attachments]").set_input_files(files=[
        {"name": "现场情况.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()},
        {"name": "答复函.pdf", "mimeType": "application/pdf", "buffer": pdf_html_polyglot()}])
    # The form is sent by upload.js (progress bar); a refused file comes back in place, without navigating.
    page.get_by_test_id("save-draft").click()

    expect(page.locator("body")).to_contain_text("文件“答复函.pdf”不是规范的 PDF：其中夹带了网页代码")
    expect(page.locator("input[name=title]")).to_have_value("关于修缮东风村三组便民桥的建议")
    assert_styled(page)
    assert_fits_width(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "attachment-refused-phone.png"), full_page=True)

    page.locator("input[name=attachments]").set_input_files(files=[
        {"name": "现场情况.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}])
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_test_id("status")).to_have_text("草稿", timeout=20_000)
    expect(page.locator("body")).to_contain_text("现场情况.pdf")
