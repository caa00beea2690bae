"""The accounts screen in a real browser: staff see why they may not touch the chair's account (issue 7)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_width, assert_styled, login_as

pytestmark = pytest.mark.e2e


def test_it_shows_staff_the_reason_instead_of_the_buttons_for_the_chair_on_phone_and_desktop(open_page):
    for viewport in ("phone", "desktop"):
        page = open_page(viewport)
        login_as(page, "staff")
        page.goto("/org/accounts/?q=deputy")
        row = page.locator("tbody tr", has_text="冯国强")
        expect(row.get_by_role("link", name="重置密码")).to_be_visible()
        expect(row.locator(".account-refusal")).to_have_count(0)
        assert_fits_width(page)

        page.goto("/org/accounts/?q=chair")
        row = page.locator("tbody tr", has_text="孙建平")
        expect(row.locator(".account-refusal")).to_contain_text("主席团主席")
        expect(row.get_by_role("link", name="重置密码")).to_have_count(0)
        expect(row.locator("button[type=submit]")).to_have_count(0)  # no ⊗ to revoke the chair's role
        assert_styled(page)
        assert_fits_width(page)
