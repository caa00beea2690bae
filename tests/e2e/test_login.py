"""Logging in and out, for every demo account, on a phone and on a desktop, in both languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from presidium.demo import DEMO_ACCOUNTS
from tests.e2e.helpers import (
    LOGIN_PATH,
    assert_fits_width,
    assert_styled,
    login_as,
    login_form,
    logout,
    submit_login,
)

pytestmark = pytest.mark.e2e

BOTH_WIDTHS = ("phone", "desktop")

# Where each demo account lands after logging in: (path, page heading, name in the user menu).
# An app that gives a role a landing page of its own changes the row here.
HOMES = {
    "county_admin": ("/", "工作台", "周立新"),
    "reviewer": ("/", "工作台", "吴海燕"),
    "chair": ("/", "工作台", "孙建平"),
    "staff": ("/", "工作台", "钱晓梅"),
    "staff_liuhe": ("/", "工作台", "郑海涛"),
    "deputy": ("/", "工作台", "冯国强"),
    "liaison": ("/", "工作台", "何静"),
    "admin": ("/", "工作台", "系统管理员"),
}


def test_it_has_a_home_row_for_every_demo_account():
    assert {account.username for account in DEMO_ACCOUNTS} | {"admin"} == set(HOMES)


@pytest.mark.parametrize("username", list(HOMES))
def test_it_takes_every_role_through_the_login_form_to_its_home_page(open_page, base_url, username):
    path, heading, name = HOMES[username]
    for viewport in BOTH_WIDTHS:
        page = open_page(viewport)
        login_as(page, username)

        assert page.url == base_url + path, viewport
        expect(page.locator("main h1")).to_have_text(heading)
        expect(page.locator(".portal-navbar .dropdown-toggle")).to_contain_text(name)
        assert_styled(page)
        assert_fits_width(page)
        sidebar = page.locator("#portal-sidebar")
        if viewport == "phone":
            # The sidebar folds into an off-canvas menu behind the ☰ button (Bootstrap's JS).
            expect(sidebar.get_by_role("link", name="工作台")).to_be_hidden()
            page.get_by_role("button", name="菜单").click()
            expect(sidebar.get_by_role("link", name="工作台")).to_be_visible()
            expect(sidebar).to_have_class(re.compile(r"(^|\s)show(\s|$)"))  # finished sliding in
        else:
            expect(sidebar.get_by_role("link", name="工作台")).to_be_visible()


def test_it_shows_the_chinese_error_for_a_wrong_password(open_page):
    for viewport in BOTH_WIDTHS:
        page = open_page(viewport)
        page.goto(LOGIN_PATH)
        assert_styled(page)
        submit_login(page, "staff", "not-the-password")

        assert page.url.split("?")[0].endswith(LOGIN_PATH)
        expect(page.get_by_text("用户名或密码不正确")).to_be_visible()
        expect(login_form(page).locator("input[name=username]")).to_have_value("staff")
        assert_fits_width(page)


def test_it_logs_out_and_then_asks_to_log_in_again(open_page, base_url):
    for viewport in BOTH_WIDTHS:
        page = open_page(viewport)
        login_as(page, "staff")
        logout(page)

        assert page.url == base_url + LOGIN_PATH, viewport
        expect(login_form(page)).to_be_visible()
        page.goto("/")
        assert page.url.startswith(base_url + LOGIN_PATH)  # ?next=/
        expect(page.locator(".portal-navbar .dropdown-toggle")).to_have_count(0)


def _switch_language(page, button_text: str) -> None:
    with page.expect_navigation():
        page.locator(".portal-navbar").get_by_role("button", name=button_text, exact=True).click()


def test_it_switches_to_english_and_back(open_page, base_url):
    for viewport in BOTH_WIDTHS:
        page = open_page(viewport)
        page.goto(LOGIN_PATH)
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        expect(login_form(page).locator("label[for=id_username]")).to_contain_text("用户名")

        _switch_language(page, "EN")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(login_form(page).locator("label[for=id_username]")).to_contain_text("Username")  # Django's
        # The portal's own catalog (config/locale): not pinned to one wording, only no longer Chinese.
        expect(login_form(page).locator("button[type=submit]")).not_to_have_text("登录")
        assert page.url.split("?")[0].endswith(LOGIN_PATH), "the switch must stay on the same page"

        # The choice survives logging in, and switches back from inside the portal.
        login_as(page, "staff")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("main h1")).not_to_have_text("工作台")
        _switch_language(page, "中文")
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        assert page.url == base_url + "/"
        expect(page.locator("main h1")).to_have_text("工作台")
