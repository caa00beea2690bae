"""Staff count a paper ballot twice: the 监票人's entry differs, publication is blocked and names the difference,
the entry is made again, the result is published and its line "应到 N 人，实到 M 人，赞成 X 票…" shows; and the
public page of the year's livelihood projects on a 390 px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import assert_fits_width, assert_styled, login_as

pytestmark = pytest.mark.e2e
TITLE = "关于镇人大主席团工作报告的决议"


def _session():
    from presidium.meetings.models import Meeting
    from presidium.votes.models import Vote

    session = Vote.objects.filter(township__name="青石镇", subject="projects").select_related("meeting").get().meeting
    present = session.invitations.filter(counts_for_quorum=True, status="present").count()
    entitled = session.invitations.filter(counts_for_quorum=True).count()
    assert isinstance(session, Meeting) and present > 4
    return session, entitled, present


def _enter(page, *, entry: int, teller: str, ballots: int, yes: int, no: int, abstain: int) -> None:
    page.get_by_test_id(f"enter-{entry}").click()
    page.wait_for_url(re.compile(rf"/votes/\d+/tally/{entry}/$"))
    page.get_by_label("计票人/监票人姓名").fill(teller)
    page.get_by_label("收回选票（张）").fill(str(ballots))
    page.get_by_label("无效票（张）").fill("0")
    page.get_by_label(f"{TITLE} 赞成").fill(str(yes))
    page.get_by_label(f"{TITLE} 反对").fill(str(no))
    page.get_by_label(f"{TITLE} 弃权").fill(str(abstain))
    page.get_by_role("button", name="保存录入").click()
    page.wait_for_url(re.compile(r"/votes/\d+/$"))


def test_it_blocks_a_differing_paper_count_until_it_is_entered_again(page):
    session, entitled, present = _session()
    page.on("dialog", lambda dialog: dialog.accept())
    login_as(page, "staff")
    page.goto("/votes/")
    assert_styled(page)
    page.get_by_test_id("new-vote").click()
    page.get_by_test_id(f"new-vote-{session.pk}").click()
    page.get_by_label("表决事项").fill(TITLE)
    page.get_by_label("类别").select_option(label="决议")
    page.get_by_label("表决方式").select_option(label="纸质选票")
    page.get_by_role("button", name="创建").click()
    page.wait_for_url(re.compile(r"/votes/\d+/$"))
    page.get_by_test_id("step-open").click()
    expect(page.get_by_test_id("vote-state")).to_have_text("表决中")

    yes, no, abstain = present - 2, 1, 1
    _enter(page, entry=1, teller="李文华", ballots=present, yes=yes, no=no, abstain=abstain)
    _enter(page, entry=2, teller="陈志明", ballots=present, yes=yes - 1, no=no + 1, abstain=abstain)
    expect(page.get_by_test_id("differences")).to_contain_text(f"赞成：计票人录入 {yes}，监票人录入 {yes - 1}")

    page.get_by_test_id("step-count").click()
    expect(page.get_by_test_id("snapshot")).to_contain_text(f"应到 {entitled} 人，实到 {present} 人")
    page.get_by_test_id("step-publish").click()
    expect(page.locator(".alert-danger").first).to_contain_text("计票人与监票人的录入不一致，不能公布")
    expect(page.get_by_test_id("vote-state")).to_have_text("已计票")

    _enter(page, entry=2, teller="陈志明", ballots=present, yes=yes, no=no, abstain=abstain)
    expect(page.get_by_test_id("differences")).to_have_count(0)
    page.get_by_test_id("step-publish").click()
    expect(page.get_by_test_id("vote-state")).to_have_text("已公布")
    expect(page.get_by_test_id("result-lines")).to_contain_text(
        f"应到 {entitled} 人，实到 {present} 人，赞成 {yes} 票，反对 {no} 票，弃权 {abstain} 票，"
        + ("通过" if yes * 2 > entitled else "未通过"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "votes-published-desktop.png"), full_page=True)


@pytest.mark.parametrize("viewport", ["phone"])
def test_it_shows_the_years_projects_to_the_public_on_a_phone(page, viewport):
    from presidium.models import Township

    township = Township.objects.get(name="青石镇")
    page.goto(f"/public/projects/{township.pk}/")
    assert_styled(page)
    assert_fits_width(page)
    cards = page.get_by_test_id("public-projects").locator(".project-card")
    expect(cards).to_have_count(5)
    expect(cards.first).to_contain_text("1. ")
    expect(page.locator("progress.project-progress").first).to_be_visible()
