"""Meetings in the browser: the staff schedule a presidium meeting on a desktop, the invited deputy reads the
notice on the phone and asks for leave, the staff record attendance on one form and the quorum line shows.
Every meeting page is opened at 390 and 1280 px (screenshots for the user guide go to var/e2e/)."""

from __future__ import annotations

import datetime as dt
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
    page.screenshot(path=str(SHOTS / f"meetings-{name}.png"), full_page=True)


def _pick(page, name: str, deputy) -> None:
    picker = page.get_by_test_id(f"picker-{name}")
    search = picker.locator("input").first
    search.click()
    search.fill(deputy.name)
    picker.get_by_role("option", name=deputy.name, exact=True).first.click()
    expect(picker.locator(f".item[data-value='{deputy.pk}']")).to_be_visible()
    page.locator("input[name=place]").click()  # closes the list


def test_staff_schedule_the_deputy_asks_for_leave_and_attendance_gives_the_quorum(page, open_page):
    from deputies.models import Deputy
    from presidium.meetings.models import Invitation, Meeting

    deputy = Deputy.objects.get(user__username="deputy")
    # Later today, so that the deputy may still ask for leave and the staff may already record attendance.
    start = min(timezone.localtime() + dt.timedelta(minutes=30),
                timezone.localtime().replace(hour=23, minute=58, second=0, microsecond=0))
    end = start + dt.timedelta(hours=1)

    login_as(page, "staff")
    page.goto("/meetings/new/?kind=presidium_meeting")
    assert_styled(page)
    expect(page.locator("#div_id_session_number")).to_be_hidden()
    page.locator("input[name=date]").fill(f"{start:%Y-%m-%d}")
    page.locator("input[name=start_time]").fill(f"{start:%H:%M}")
    page.locator("input[name=end_date]").fill(f"{end:%Y-%m-%d}")
    page.locator("input[name=end_time]").fill(f"{end:%H:%M}")
    page.locator("input[name=place]").fill("镇政府三楼会议室")
    page.locator("textarea[name=agenda]").fill("研究年终代表履职考核工作\n听取民生实事项目进展汇报")
    _pick(page, "deputies", deputy)
    _shot(page, "schedule-desktop")
    with page.expect_navigation():
        page.get_by_role("button", name="安排并通知参会人员").click()
    expect(page.locator(".alert-success")).to_contain_text("已安排")
    meeting = Meeting.objects.filter(kind="presidium_meeting").latest("pk")
    assert page.url.endswith(meeting.get_absolute_url())
    expect(page.get_by_test_id("agenda")).to_contain_text("研究年终代表履职考核工作")
    expect(page.get_by_test_id("quorum-line")).to_contain_text("应到 7 人，实到 0 人")

    # The phone: the deputy finds the notice, opens the meeting and asks for leave.
    phone = open_page("phone")
    login_as(phone, "deputy")
    expect(phone.get_by_test_id("home-my-meetings")).to_contain_text(meeting.title)
    phone.goto("/notifications/")
    notice = phone.get_by_test_id("notification").filter(has_text="会议通知").first
    expect(notice).to_contain_text(meeting.title)
    assert_fits_width(phone)
    _shot(phone, "notice-phone")
    with phone.expect_navigation():
        notice.click()
    expect(phone.get_by_test_id("my-invitation")).to_contain_text("列席")
    expect(phone.get_by_test_id("quorum-line")).to_have_count(0)  # the figures are the staff's
    assert_fits_width(phone)
    _shot(phone, "detail-phone")
    phone.get_by_test_id("ask-leave").click()
    phone.locator("textarea[name=reason]").fill("参加县人大代表培训")
    with phone.expect_navigation():
        phone.get_by_role("button", name="提交请假").click()
    expect(phone.locator(".alert-success")).to_contain_text("已请假")
    expect(phone.get_by_test_id("my-meeting").filter(has_text=meeting.title)).to_contain_text("请假")
    assert_fits_width(phone)
    _shot(phone, "mine-phone")
    assert Invitation.objects.get(meeting=meeting, deputy=deputy).leave_reason == "参加县人大代表培训"

    # The desktop again: every member present but one absent, saved on one form.
    page.reload()
    form = page.get_by_test_id("attendance-form")
    row = form.get_by_test_id("invitee").filter(has_text=deputy.name)
    expect(row.locator("input[value=leave]")).to_be_checked()
    form.locator("[data-mark-all]").click()
    first = form.get_by_test_id("invitee").first
    first.locator("label", has_text="缺席").click()
    with page.expect_navigation():
        page.get_by_test_id("save-attendance").click()
    expect(page.locator(".alert-success")).to_contain_text("出席情况已保存")
    quorum = page.get_by_test_id("quorum-line")
    expect(quorum).to_contain_text("应到 7 人，实到 6 人，请假 0 人，缺席 1 人")
    expect(quorum).to_contain_text("符合法定人数")
    _shot(page, "detail-desktop")


def test_the_meeting_pages_fit_a_phone_and_a_desktop(open_page):
    for viewport in ("phone", "desktop"):
        page = open_page(viewport)
        login_as(page, "staff")
        for name, path in (("list", "/meetings/"), ("calendar", "/meetings/calendar/"), ("feed", "/meetings/feed/"),
                           ("home", "/")):
            page.goto(path)
            assert_styled(page)
            assert_fits_width(page)
            _shot(page, f"{name}-{viewport}")
        expect(page.get_by_test_id("meeting-gaps")).to_be_visible()
        page.goto("/meetings/?kind=congress_session")
        page.get_by_test_id("meeting-row").first.locator("a").first.click()
        expect(page.get_by_test_id("quorum-line")).to_contain_text("应到")
        assert_fits_width(page)
        _shot(page, f"session-{viewport}")
