"""The change of term in a real browser: staff open the 19th term, mark who was not re-elected, carry the
re-elected over, switch, and read both terms (issue 10)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_width, assert_styled, login_as

pytestmark = pytest.mark.e2e


def test_it_walks_staff_through_the_change_of_term_and_keeps_both_terms_readable(page, open_page):
    page.on("dialog", lambda dialog: dialog.accept())
    login_as(page, "staff")
    page.get_by_role("link", name="换届").first.click()
    expect(page.locator("h1, .page-heading").first).to_contain_text("换届")
    carry = page.locator("[data-step=carry_over]")
    expect(carry.locator("[data-blocked]")).to_contain_text("请先开启第十九届")
    assert_styled(page)

    opening = page.locator("[data-step=open]")
    opening.locator("input[name=start_date]").fill("2026-12-01")
    with page.expect_navigation():
        opening.get_by_role("button").click()
    expect(page.locator(".alert-success, .alert")).to_contain_text("第十九届已开启")

    marking = page.locator("[data-step=not_reelected]")
    boxes = marking.locator("input[name=deputies]")
    total = boxes.count()
    assert total > 10
    gone = [marking.locator("tbody tr").nth(i).locator("label").inner_text() for i in range(2)]
    boxes.nth(0).check()
    boxes.nth(1).check()
    with page.expect_navigation():
        marking.get_by_role("button", name="标记任期届满").click()
    expect(page.locator(".alert").first).to_contain_text("已将 2 名代表标记为任期届满")

    carry = page.locator("[data-step=carry_over]")
    expect(carry.locator("input[name=deputies]:checked")).to_have_count(total - 2)
    # A whole township's deputies in one request: seconds on a shared test machine, more than the default wait.
    page.set_default_timeout(120_000)
    with page.expect_navigation():
        carry.get_by_role("button", name="转入所选连任代表").click()
    page.set_default_timeout(10_000)
    expect(page.locator(".alert").first).to_contain_text(f"已将 {total - 2} 名连任代表转入第十九届")
    expect(page.locator("[data-step=carry_over]")).to_contain_text("本届在任代表都已处理")

    with page.expect_navigation():
        page.locator("[data-step=switch]").get_by_role("button").click()
    expect(page.locator(".alert").first).to_contain_text("第十九届已切换为本届")
    terms = page.locator("[data-terms] li")
    expect(terms).to_have_count(2)
    expect(terms.first).to_contain_text("第十九届")
    expect(terms.first).to_contain_text("本届")
    expect(terms.nth(1)).to_contain_text("第十八届")

    # The 19th is the default everywhere; the 18th is a choice away, with those who left.
    page.goto("/deputies/roster/?status=")
    expect(page.get_by_text(gone[0], exact=True)).to_have_count(0)
    page.goto("/terms/")
    with page.expect_navigation():
        terms.nth(1).get_by_role("link", name="代表名册").click()
    expect(page.locator("tbody")).to_contain_text(gone[0])
    expect(page.locator("tbody")).to_contain_text("任期届满")
    page.goto("/terms/")  # the page the change ends on: both terms listed, the next change (第二十届) ahead
    expect(page.locator("[data-terms] li")).to_have_count(2)
    expect(page.locator("[data-step=open] button")).to_contain_text("开启第二十届")
    assert_fits_width(page)

    # The re-elected demo deputy logs in as the 19th-term deputy and still reaches the 18th's archive.
    phone = open_page("phone")
    login_as(phone, "deputy")
    phone.goto("/deputies/me/")
    nav = phone.locator("[data-person-terms]")
    expect(nav).to_contain_text("第十九届")
    with phone.expect_navigation():
        nav.get_by_role("link", name="第十八届").click()
    expect(phone.locator("[data-person-terms] strong")).to_have_text("第十八届")
    assert_fits_width(phone)
