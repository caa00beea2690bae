"""The suggestion figures' unit table in a real browser: the sort control reorders it, the export is offered,
the page fits a phone and the charts draw under the CSP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_width, assert_styled, login_as

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("viewport", ["phone"])
def test_it_sorts_the_county_unit_table_and_offers_every_unit_in_excel(page, viewport):
    login_as(page, "county_admin")
    page.goto("/proposals/figures/")
    expect(page.get_by_test_id("unit-figures").locator("tbody tr").first).to_be_visible()
    expect(page.get_by_test_id("unit-export")).to_have_attribute("href", "?export=xlsx")
    assert_styled(page)
    assert_fits_width(page)
    with page.expect_navigation():
        page.locator("#f-unit-sort").select_option("assigned")
    assert "sort=assigned" in page.url
    expect(page.locator("#f-unit-sort")).to_have_value("assigned")
    expect(page.get_by_test_id("unit-export")).to_have_attribute("href", re.compile(r"^\?export=xlsx&.*sort=assigned"))
