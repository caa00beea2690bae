"""Reception days in the browser: the deputy signs in from the phone on the day; the staff read the rota,
the day with its duties and petitions, arrange next month, and read the monthly summary on a desktop."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_width, assert_styled, login_as

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("E2E_ARTIFACTS_DIR", settings.BASE_DIR / "var" / "e2e"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"reception-{name}.png"), full_page=True)


def test_a_deputy_signs_in_on_the_phone_and_the_staff_read_the_rota(page, open_page):
    from petitions.models import ReceptionDuty

    # The phone: the demo deputy is on duty today (the demo data puts them there) and signs in from home.
    phone = open_page("phone")
    login_as(phone, "deputy")
    block = phone.get_by_test_id("my-reception")
    expect(block).to_contain_text("我的接待日")
    assert_fits_width(phone)
    _shot(phone, "home-phone")
    with phone.expect_navigation():
        block.get_by_test_id("sign-in").first.click()
    expect(phone.locator(".alert-success")).to_contain_text("已签到")
    duty = ReceptionDuty.objects.get(day__date=timezone.localdate(), deputy__user__username="deputy")
    assert duty.status == "signed_in" and duty.signed_in_at is not None
    phone.goto("/petitions/reception/")
    expect(phone.get_by_test_id("reception-day").first).to_be_visible()
    assert_styled(phone)
    assert_fits_width(phone)
    _shot(phone, "rota-phone")
    phone.goto(duty.day.get_absolute_url())
    expect(phone.get_by_test_id("duty").first).to_contain_text("已签到")
    assert_fits_width(phone)
    _shot(phone, "day-phone")

    # The desktop: the staff see the rota, a past day with its petitions, the rota form and the summary.
    login_as(page, "staff")
    page.goto("/petitions/reception/?period=past")
    expect(page.get_by_test_id("reception-day").first).to_be_visible()
    _shot(page, "rota-desktop")
    page.get_by_test_id("reception-day").first.click()
    expect(page.get_by_test_id("duties")).to_be_visible()
    _shot(page, "day-desktop")
    page.goto("/petitions/reception/arrange/")
    expect(page.locator("main h1")).to_have_text("安排接待日（排班）")
    # Only the chosen 轮值方式's picker shows: groups by default, named deputies once chosen.
    expect(page.locator("#div_id_groups")).to_be_visible()
    expect(page.locator("#div_id_deputies")).to_be_hidden()
    page.get_by_label("指定代表轮流").check()
    expect(page.locator("#div_id_deputies")).to_be_visible()
    expect(page.locator("#div_id_groups")).to_be_hidden()
    _shot(page, "arrange-desktop")
    page.goto("/petitions/reception/summary/")
    expect(page.get_by_test_id("summary-deputies")).to_be_visible()
    assert_styled(page)
    _shot(page, "summary-desktop")
