"""Documents in a browser: staff print every 交办函 of a session as one Word file, and the letter of one item."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_fits_width, assert_styled, login_as

pytestmark = pytest.mark.e2e
SESSION = "第十八届人民代表大会第五次会议"


def test_it_prints_a_sessions_letters_as_one_word_file(page: Page, open_page):
    login_as(page, "staff")
    page.goto("/proposals/items/")
    page.get_by_test_id("letter-batch").click()
    page.wait_for_url("**/proposals/letters/")
    page.wait_for_load_state()
    assert_styled(page)
    page.locator("select[name=session_name]").select_option(SESSION)
    page.locator("input[name=fmt][value=docx]").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="生成").click()
    assert download.value.suggested_filename == f"交办函-{SESSION}.docx"
    document = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    titles = [p.text for p in document.paragraphs if p.text.startswith("关于交办代表")]
    assert titles and len(document.sections) == len(titles)

    # Nothing chosen: the form says what is missing, in Chinese, and keeps the choice of format.
    phone = open_page("phone")
    login_as(phone, "staff")
    phone.goto("/proposals/letters/")
    assert_fits_width(phone)
    phone.locator("input[name=fmt][value=docx]").check()
    phone.get_by_role("button", name="生成").click()
    expect(phone.get_by_text("请选择会议或交办日期")).to_be_visible()
    expect(phone.locator("input[name=fmt][value=docx]")).to_be_checked()
