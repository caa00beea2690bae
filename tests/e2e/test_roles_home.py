"""Roles that had little to do, in a browser: the chair's desk, a county 督办意见 from the reviewer answered by
the township, and the deputy's "我的建议办到哪一步了" — at phone (390) and desktop (1280) widths."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import assert_fits_width, assert_styled, login_as, logout

pytestmark = pytest.mark.e2e


def _path(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def test_it_carries_a_county_opinion_from_the_reviewer_to_the_chairs_desk_and_back(open_page):
    desk, phone = open_page("desktop"), open_page("phone")

    # The reviewer picks a unit of 青石镇 on the figures page and sends it a 督办意见.
    login_as(desk, "reviewer")
    desk.goto("/proposals/figures/")
    assert_styled(desk)
    expect(desk.get_by_test_id("county-report-link")).to_be_visible()
    desk.locator("select[name=township]").select_option(label="青石镇")
    desk.locator("form.filter-card button[type=submit]").click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text("青石镇")
    desk.get_by_test_id("unit-opinion").first.click()
    desk.locator("input[name=title]").fill("关于逾期未答复建议的督办意见")
    desk.locator("textarea[name=content]").fill("请督促承办单位本月内答复代表，并书面说明逾期原因。")
    desk.locator("form[enctype] button.btn-portal").click()
    expect(desk.get_by_test_id("opinion-status")).to_have_text("待答复")
    opinion = _path(desk)

    # The chair sees it on the chair's desk, on a phone, with the other matters the presidium decides.
    login_as(phone, "chair")
    phone.goto("/")
    assert_fits_width(phone)
    expect(phone.get_by_test_id("chair-desk")).to_be_visible()
    for key in ("proposals_decisions", "proposals_key", "proposals_units", "proposals_opinions"):
        expect(phone.get_by_test_id(f"chair-section-{key}")).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "roles-chair-home-phone.png"), full_page=True)
    section = phone.get_by_test_id("chair-section-proposals_opinions")
    section.get_by_role("link", name="关于逾期未答复建议的督办意见").click()
    assert_fits_width(phone)
    phone.get_by_test_id("opinion-answer").click()
    phone.locator("textarea[name=answer]").fill("已约谈承办单位负责人，三件建议将于本月二十日前答复。")
    phone.locator("form[enctype] button.btn-portal").click()
    expect(phone.get_by_test_id("opinion-status")).to_have_text("已答复")
    expect(phone.get_by_test_id("opinion-reply")).to_contain_text("已约谈承办单位负责人")
    for path, name in (("/proposals/opinions/", "opinions"), ("/proposals/figures/", "figures")):
        phone.goto(path)
        assert_fits_width(phone)
        phone.screenshot(path=str(ARTIFACTS / f"roles-{name}-phone.png"), full_page=True)
    expect(phone.get_by_test_id("on-time-note")).to_contain_text("超过期限仍未答复")

    # The reviewer reads the answer and acknowledges it; the opinion is closed.
    desk.goto(opinion)
    desk.get_by_test_id("opinion-close").click()
    desk.locator("form[enctype] button.btn-portal").click()
    expect(desk.get_by_test_id("opinion-status")).to_have_text("已确认办结")
    desk.goto("/proposals/county-report/")
    expect(desk.get_by_test_id("county-total")).to_contain_text("合计")
    logout(desk)
    login_as(desk, "chair")
    desk.goto("/")
    expect(desk.get_by_test_id("chair-desk")).to_be_visible()
    desk.screenshot(path=str(ARTIFACTS / "roles-chair-home-desktop.png"), full_page=True)
    logout(desk)
    login_as(desk, "reviewer")
    desk.goto("/proposals/county-report/")


def test_it_shows_the_deputy_where_each_suggestion_stands(open_page):
    for viewport in ("phone", "desktop"):
        page = open_page(viewport)
        login_as(page, "deputy")
        page.goto("/")
        assert_styled(page)
        assert_fits_width(page)
        items = page.get_by_test_id("deputy-item")
        expect(items.first).to_be_visible()
        assert items.count() >= 1
        expect(items.first.get_by_test_id("deputy-item-step")).not_to_be_empty()
        expect(page.get_by_test_id("chair-desk")).to_have_count(0)
