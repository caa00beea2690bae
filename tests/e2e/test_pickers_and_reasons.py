"""Picking co-signers by typing pinyin initials, and a step that is not possible yet shown disabled with its reason,
on a phone (390 px) and a desktop (1280 px)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import assert_fits_width, login_as, logout

pytestmark = pytest.mark.e2e


def _shot(page: Page, name: str) -> None:
    """Pictures to look at (var/e2e/), named by width."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"pickers-{name}-{page.viewport_size['width']}.png", full_page=True)


def _two_cosigners() -> list:
    """Two serving deputies of 青石镇 other than the logged-in deputy, whose initials pick them out."""
    from deputies.models import Deputy

    deputies = list(Deputy.objects.filter(township__name="青石镇", status="serving").exclude(user__username="deputy")
                    .order_by("name_pinyin"))
    chosen = []
    for deputy in deputies:
        same = [d for d in deputies if d.name_initials == deputy.name_initials]
        if len(same) <= 3 and deputy.name_initials not in {c.name_initials for c in chosen}:
            chosen.append(deputy)
        if len(chosen) == 2:
            return chosen
    raise AssertionError("the demo data has no two deputies to pick by initials")


def _matching(letters: str) -> int:
    from deputies.models import Deputy

    return sum(1 for d in Deputy.objects.filter(township__name="青石镇", status="serving").exclude(user__username="deputy")
               if letters in d.name_pinyin.replace(" ", "") or letters in d.name_initials)


def _write_with_cosigners(page: Page, title: str, cosigners: list) -> str:
    page.goto("/proposals/new/")
    assert_fits_width(page)
    page.locator("select[name=category]").select_option(index=1)
    page.locator("input[name=title]").fill(title)
    page.locator("textarea[name=content]").fill("村口路灯损坏多日，夜间出行不便。")
    picker = page.get_by_test_id("picker-cosigners")
    expect(picker).to_be_visible()
    for deputy in cosigners:
        search = picker.locator("input").first
        search.click()
        search.fill(deputy.name_initials)
        # Only the deputies whose reading holds the letters stay in the list (the search is the server's pinyin).
        expect(picker.locator(".ts-dropdown .option")).to_have_count(_matching(deputy.name_initials))
        option = picker.get_by_role("option", name=deputy.name, exact=True)
        expect(option).to_be_visible()
        box = option.bounding_box()
        assert box and box["height"] >= 44, f"option {deputy.name} is {box and box['height']} px high"
        option.click()
        expect(picker.locator(f".item[data-value='{deputy.pk}']")).to_be_visible()
    search.fill(cosigners[0].name_initials[:2])
    expect(picker.locator(".ts-dropdown .option")).to_have_count(_matching(cosigners[0].name_initials[:2]))
    _shot(page, "picker")
    search.fill("")
    page.locator("input[name=title]").click()  # tapping elsewhere closes the list
    expect(page.locator(".ts-dropdown")).to_be_hidden()
    # The deputy himself is not offered as his own co-signer.
    expect(page.locator("select[name=cosigners] option", has_text="冯国强")).to_have_count(0)
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_test_id("status")).to_have_text("草稿")
    for deputy in cosigners:
        expect(page.get_by_text(deputy.name, exact=True).first).to_be_visible()
    return re.sub(r"^https?://[^/]+", "", page.url)


def _assign_and_accept(path: str) -> None:
    """Staff register and assign it to 财政所; the liaison signs for it (the services, as the screens would)."""
    from presidium.models import RoleAssignment, User
    from proposals import services
    from proposals.models import Suggestion

    item = Suggestion.objects.get(pk=int(path.rstrip("/").split("/")[-1]))
    staff, liaison = User.objects.get(username="staff"), User.objects.get(username="liaison")
    item = services.suggestion_submit(suggestion=item, by=staff)
    item = services.suggestion_register(suggestion=item, by=staff)
    unit = RoleAssignment.objects.get(user=liaison, role="unit_liaison").handling_unit
    item = services.suggestion_assign(suggestion=item, by=staff, lead_unit=unit, supervision_mode="routine")
    services.suggestion_accept(suggestion=item, by=liaison)


def test_it_picks_co_signers_by_initials_and_shows_why_reply_waits(page: Page, open_page):
    cosigners = _two_cosigners()
    for screen, title in ((page, "关于修复村口路灯的建议（电脑）"), (open_page("phone"), "关于修复村口路灯的建议（手机）")):
        login_as(screen, "deputy")
        item = _write_with_cosigners(screen, title, cosigners)
        logout(screen)
        _assign_and_accept(item)
        login_as(screen, "liaison")
        screen.goto(item)
        assert_fits_width(screen)
        expect(screen.get_by_test_id("disabled-reply")).to_be_disabled()
        expect(screen.get_by_test_id("not-yet-reply")).to_contain_text("答复前须与领衔代表面商")
        expect(screen.get_by_test_id("consult")).to_be_visible()
        expect(screen.get_by_test_id("contacts")).to_contain_text("冯国强")
        _shot(screen, "not-yet")
        logout(screen)
