"""What browser tests do over and over: log in through the form, log out, check the page is styled.

Import from tests: ``from tests.e2e.helpers import login_as, logout, assert_styled``.
Paths are relative: the ``page`` fixture's context has the live server as its base URL.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from presidium.demo import DEMO_PASSWORD

LOGIN_PATH = "/accounts/login/"
PORTAL_RED = "rgb(166, 27, 27)"  # .portal-navbar in static/css/portal.css


def login_form(page: Page):
    """The login form (the page has other forms: the language switch)."""
    return page.locator("form:has(input[name=password])")


def submit_login(page: Page, username: str, password: str) -> None:
    if not page.url.split("?")[0].endswith(LOGIN_PATH):
        page.goto(LOGIN_PATH)
    form = login_form(page)
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def login_as(page: Page, username: str, *, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form and wait until the portal has let the user in."""
    page.goto(LOGIN_PATH)
    submit_login(page, username, password)
    expect(page.locator(".portal-navbar .dropdown-toggle"), f"{username} is not logged in").to_be_attached()


def logout(page: Page) -> None:
    """Log out through the user menu (a POST form, as Django 5 requires)."""
    page.locator(".portal-navbar .dropdown-toggle").click()
    item = page.get_by_role("button", name="退出登录")
    expect(item).to_be_visible()
    with page.expect_navigation():
        item.click()


def assert_styled(page: Page) -> None:
    """The portal's CSS and Bootstrap's really applied (not just referenced): a page without them
    still "works" in a test that only reads text."""
    navbar_colour = page.evaluate(
        "() => getComputedStyle(document.querySelector('.portal-navbar')).backgroundColor")
    assert navbar_colour == PORTAL_RED, f"portal.css not applied: navbar is {navbar_colour}"
    body_margin = page.evaluate("() => getComputedStyle(document.body).margin")
    assert body_margin == "0px", f"bootstrap.min.css not applied: body margin is {body_margin}"
    assert page.evaluate("() => typeof bootstrap === 'object' && typeof htmx === 'object'"), \
        "bootstrap.bundle.min.js or htmx.min.js did not load"


def assert_fits_width(page: Page) -> None:
    """Nothing sticks out sideways: on a phone the page must not scroll horizontally."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the {page.viewport_size['width']}px viewport"
