"""The deputies screens staff use most, in a real browser: charts render under the CSP, phones fit."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_width, assert_styled, login_as

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_it_shows_staff_the_roster_statistics_and_an_archive(page, viewport):
    from deputies.models import Deputy

    login_as(page, "staff")
    page.goto("/deputies/")  # redirects staff to the roster
    expect(page.get_by_test_id("deputy-table").locator("tbody tr")).to_have_count(50)
    assert_styled(page)
    assert_fits_width(page)

    page.goto("/deputies/statistics/")
    expect(page.get_by_test_id("composition-summary")).to_contain_text("在任代表")
    expect(page.locator("[data-chart-ready] svg").first).to_be_visible()
    assert page.locator("[data-chart-ready]").count() == 7
    assert_fits_width(page)

    deputy = Deputy.objects.get(name="冯国强")
    page.goto(f"/deputies/{deputy.pk}/archive/")
    expect(page.locator("main h1")).to_contain_text("冯国强")
    expect(page.get_by_test_id("three-no")).to_be_visible()
    expect(page.locator("[data-section=visits]")).to_contain_text("走访次数")
    assert_fits_width(page)
