"""The evaluation of units in the browser: a deputy scores every unit on the phone, the staff close the vote
and publish the results, and the finance office's liaison sees its own result and rectification item."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_width, assert_styled, login_as

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("E2E_ARTIFACTS_DIR", settings.BASE_DIR / "var" / "e2e"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"unit-evaluation-{name}.png"), full_page=True)


def test_a_deputy_scores_on_the_phone_staff_publish_and_the_liaison_sees_its_own(page, open_page):
    from evaluations.models import Ballot, BallotCast, Round, UnitResult

    round_ = Round.objects.get(state="open", campaign__scheme_kind="indicators")
    before = Ballot.objects.filter(round=round_).count()

    # The phone: the demo deputy opens the vote and scores each unit on a page of its own.
    phone = open_page("phone")
    login_as(phone, "deputy")
    phone.goto("/evaluations/units/vote/")
    expect(phone.get_by_test_id("open-rounds")).to_contain_text(round_.campaign.title)
    assert_fits_width(phone)
    _shot(phone, "vote-home-phone")
    with phone.expect_navigation():
        phone.get_by_test_id("open-rounds").locator("a").first.click()
    units = phone.get_by_test_id("units-to-score").locator("a")
    count = units.count()
    assert count >= 4
    for index in range(count):
        with phone.expect_navigation():
            phone.get_by_test_id("units-to-score").locator("a").first.click()
        form = phone.get_by_test_id("unit-ballot")
        inputs = form.locator("input[type=number]")
        for i in range(inputs.count()):
            inputs.nth(i).fill("1" if "次数" in (form.locator(".form-text").nth(i).inner_text()) else "12")
        if index == 0:
            assert_fits_width(phone)
            _shot(phone, "vote-unit-phone")
        with phone.expect_navigation():
            phone.get_by_test_id("submit-ballot").click()
        expect(phone.locator(".alert-success")).to_contain_text("已提交")
    expect(phone.get_by_test_id("units-to-score")).to_contain_text("您已完成本轮全部单位的评分")
    assert Ballot.objects.filter(round=round_).count() == before + count
    assert not BallotCast.objects.filter(round=round_, deputy__user__username="deputy", cast_on__isnull=True).exists()

    # The desktop: staff see the turnout, close the vote and publish the results.
    login_as(page, "staff")
    page.goto(round_.campaign.get_absolute_url())
    assert_styled(page)
    _shot(page, "campaign-desktop")
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id(f"close-{round_.number}").click()
    expect(page.locator(".alert-success")).to_contain_text("投票已截止")
    with page.expect_navigation():
        page.get_by_test_id(f"publish-{round_.number}").click()
    expect(page.locator(".alert-success")).to_contain_text("结果已公布")
    page.goto(f"/evaluations/units/rounds/{round_.pk}/results/")
    expect(page.get_by_test_id("results")).to_contain_text("财政所")
    _shot(page, "results-desktop")
    assert UnitResult.objects.filter(round=round_, shown=True).count() >= 4

    # The liaison of 财政所: its own results and rectification item, no other unit's.
    liaison = open_page("phone")
    login_as(liaison, "liaison")
    liaison.goto("/evaluations/units/mine/")
    expect(liaison.get_by_test_id("my-results")).to_contain_text(round_.label)
    expect(liaison.get_by_test_id("rectifications")).to_contain_text("财政所")
    expect(liaison.get_by_test_id("rectifications")).not_to_contain_text("办事窗口午间无人值守")  # another unit's
    assert_fits_width(liaison)
    _shot(liaison, "liaison-phone")
    with liaison.expect_navigation():
        liaison.get_by_test_id("rectifications").locator("a").first.click()
    expect(liaison.get_by_test_id("rectification")).to_contain_text("限期整改")
