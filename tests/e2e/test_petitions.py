"""A petition in the browser: staff register a visit at the desk → accept → transfer to 财政所; the unit's
liaison replies from a phone; staff issue the written answer, record the return visit and close it.

The online public form is p-public's (not on this branch yet): the case starts at the desk. Staff work at
1280 px, the liaison at 390 px; the ledger and the figures are looked at in both widths."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import assert_fits_width, assert_styled, login_as

pytestmark = pytest.mark.e2e

SUBJECT = "东风村三组灌溉渠堵塞影响春耕"


def _shot(page: Page, name: str) -> None:
    """A full-page picture in the artifacts folder (var/e2e/), to look at the screens as people see them."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"petitions-{name}.png"), full_page=True)


def _step(page: Page, key: str) -> None:
    page.get_by_test_id(f"step-{key}").click()


def _status(page: Page, text: str) -> None:
    expect(page.get_by_test_id("status")).to_have_text(text)


def test_it_carries_a_petition_from_the_desk_to_closing(open_page):
    desk = open_page("desktop")
    desk.on("dialog", lambda dialog: dialog.accept())
    login_as(desk, "staff")
    desk.goto("/petitions/new/")
    assert_styled(desk)
    desk.locator("select[name=channel]").select_option("visit")
    expect(desk.locator("#div_id_referral_body")).to_be_hidden()
    desk.locator("select[name=channel]").select_option("referred")
    expect(desk.locator("#div_id_referral_body")).to_be_visible()
    # Sent without the referring body: the form comes back with the error, the referral fields still shown.
    desk.locator("input[name=subject]").fill(SUBJECT)
    desk.locator("textarea[name=content]").fill("灌溉渠多处堵塞，村民六人来访，请求镇里协调疏通。")
    desk.locator("input[name=name]").fill("赵春生")
    desk.get_by_test_id("register-submit").click()
    expect(desk.get_by_test_id("form-errors")).to_be_visible()
    expect(desk.locator("#div_id_referral_body")).to_be_visible()
    expect(desk.locator("#div_id_reception_day")).to_be_hidden()
    expect(desk.locator("input[name=subject]")).to_have_value(SUBJECT)
    desk.locator("select[name=channel]").select_option("visit")
    expect(desk.locator("#div_id_referral_body")).to_be_hidden()
    desk.locator("input[name=mobile]").fill("13907310001")
    desk.locator("input[name=people_count]").fill("6")
    desk.locator("input[name=is_collective]").check()
    expect(desk.get_by_test_id("collective-section")).to_be_visible()
    desk.locator("input[name=rep-0-name]").fill("赵春生")
    desk.locator("input[name=rep-1-name]").fill("赵夏生")
    desk.locator("input[name=subject]").fill(SUBJECT)
    desk.locator("textarea[name=content]").click()  # blur: the repeats panel answers
    expect(desk.get_by_test_id("repeats-panel")).not_to_be_empty()
    desk.locator("textarea[name=content]").fill("灌溉渠多处堵塞，村民六人来访，请求镇里协调疏通。")
    _shot(desk, "register-1280")
    desk.get_by_test_id("register-submit").click()
    _status(desk, "已登记")
    expect(desk.get_by_test_id("not-yet-transfer")).to_contain_text("须先受理")
    expect(desk.get_by_test_id("clock-acceptance")).to_contain_text("计时中")
    case_url = desk.url
    _shot(desk, "registered-1280")

    _step(desk, "accept")
    desk.get_by_test_id("action-submit").click()
    _status(desk, "已受理")
    expect(desk.get_by_test_id("clock-completion")).to_be_visible()
    _step(desk, "transfer")
    desk.locator("select[name=unit]").select_option(label="财政所")
    desk.locator("input[name=owner_name]").fill("刘所长")
    due = timezone.localdate() + dt.timedelta(days=20)
    desk.locator("input[name=due_on]").fill(f"{due:%Y-%m-%d}")
    desk.get_by_test_id("action-submit").click()
    _status(desk, "已转办")
    expect(desk.get_by_test_id("transfers")).to_contain_text("财政所")

    phone = open_page("phone")
    phone.on("dialog", lambda dialog: dialog.accept())
    login_as(phone, "liaison")
    phone.goto("/petitions/unit/")
    assert_fits_width(phone)
    phone.get_by_role("link", name=SUBJECT).click()
    expect(phone.get_by_test_id("unit-transfer")).to_be_visible()
    expect(phone.get_by_test_id("petitioner-mobile")).to_contain_text("13907310001")  # while it is with the unit
    assert_fits_width(phone)
    _shot(phone, "liaison-case-390")
    _step(phone, "unit_reply")
    phone.locator("textarea[name=reply]").fill("已组织人员清淤疏通，并与村委会约定每年春耕前检查。")
    phone.locator("textarea[name=reply_public]").fill("已清淤疏通，每年春耕前检查。")
    phone.get_by_test_id("action-submit").click()
    expect(phone.get_by_test_id("transfers")).to_contain_text("已回复")

    desk.goto(case_url)
    _step(desk, "reply")
    expect(desk.locator("textarea[name=text]")).to_have_value("已组织人员清淤疏通，并与村委会约定每年春耕前检查。")
    desk.locator("select[name=findings]").select_option("true")
    desk.locator("input[name=request_reasonable][value=true]").check()
    desk.locator("select[name=resolution]").select_option("solved")
    desk.get_by_test_id("action-submit").click()
    _status(desk, "已答复")
    _step(desk, "return_visit")
    desk.locator("select[name=result]").select_option("satisfied")
    desk.get_by_test_id("action-submit").click()
    _step(desk, "close")
    desk.get_by_test_id("action-submit").click()
    _status(desk, "已息访（办结）")
    _shot(desk, "closed-1280")
    expect(desk.get_by_test_id("findings")).to_have_text("属实")
    expect(desk.get_by_test_id("feedback")).to_have_text("满意")

    # The liaison no longer sees the petitioner's phone once the case has left the unit.
    phone.goto(case_url)
    expect(phone.get_by_test_id("petitioner-mobile")).not_to_contain_text("13907310001")

    desk.goto("/petitions/figures/")
    expect(desk.get_by_test_id("definitions")).to_be_visible()
    _shot(desk, "figures-1280")
    staff_phone = open_page("phone")
    login_as(staff_phone, "staff")
    for name, path in (("list", "/petitions/"), ("figures", "/petitions/figures/"), ("case", case_url),
                       ("register", "/petitions/new/"), ("home", "/")):
        staff_phone.goto(path)
        assert_fits_width(staff_phone)
        _shot(staff_phone, f"{name}-390")
    desk.goto("/petitions/")
    expect(desk.get_by_test_id("petition-table")).to_contain_text(SUBJECT)
    _shot(desk, "list-1280")
    desk.goto("/")
    expect(desk.get_by_test_id("petitions-home-block")).to_be_visible()
    _shot(desk, "home-1280")
