"""The home's two lists of meetings that hold "now" — 我的会议 (``upcoming_invitations_kept``) and the chair's desk's
coming meetings (``coming_up``) — read by SQL kept for the roles and the day, with the start of the day in SQL and
the exact time compared in Python: the same lines as the query with "now" at every hour of the day, one query a
page, nothing built again the same day (docs/performance.md, eleventh round)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from presidium.choices import Role
from presidium.home_cards import _BUILT_EACH_TIME, _KEPT
from presidium.meetings import selectors
from presidium.meetings.models import Invitation, Meeting
from presidium.meetings.views import chair as desk
from tests.factories import InvitationFactory, MeetingFactory, deputy_with_account

ZONE = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 11, 16)
HOURS = (0, 7, 9, 10, 11, 13, 15, 18, 23)
LEAVE = {"status": "leave", "leave_reason": "外出"}


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE)


def _meetings(township, **extra) -> list[Meeting]:
    """Meetings over the day and the next weeks: finished before each hour, running, tomorrow, in 29 and 31 days,
    one cancelled, one past, sessions and presidium meetings."""
    made = []
    for i, (start, hours, kind, status) in enumerate([
        (_at(DAY, 7), 1, "presidium_meeting", "scheduled"),
        (_at(DAY, 8), 1, "congress_session", "scheduled"),
        (_at(DAY, 8, 30), 1, "presidium_meeting", "scheduled"),
        (_at(DAY, 9), 2, "presidium_meeting", "scheduled"),
        (_at(DAY, 9), 1, "presidium_meeting", "cancelled"),
        (_at(DAY, 10), 3, "congress_session", "scheduled"),
        (_at(DAY, 14), 1, "presidium_meeting", "scheduled"),
        (_at(DAY - dt.timedelta(days=1), 9), 30, "congress_session", "scheduled"),  # began yesterday, ends today
        (_at(DAY - dt.timedelta(days=3), 9), 2, "presidium_meeting", "scheduled"),
        (_at(DAY + dt.timedelta(days=1), 9), 2, "presidium_meeting", "scheduled"),
        (_at(DAY + dt.timedelta(days=29), 23), 1, "presidium_meeting", "scheduled"),
        (_at(DAY + dt.timedelta(days=30), 9), 1, "congress_session", "scheduled"),
        (_at(DAY + dt.timedelta(days=31), 9), 1, "presidium_meeting", "scheduled"),
    ]):
        numbered = {"session_number": i + 1} if kind == "congress_session" else {}
        if status == "cancelled":
            numbered["cancel_reason"] = "改期"
        made.append(MeetingFactory(township=township, title=f"会议{i}", place=f"会议室{i}", kind=kind, status=status,
                                   starts_at=start, ends_at=start + dt.timedelta(hours=hours), **numbered, **extra))
    return made


def _plain_upcoming(user, now, limit=5) -> list[tuple]:
    """The rule written out: the user's invitations (account or deputy) to meetings not cancelled, not over."""
    own = Invitation.objects.filter(user=user) | Invitation.objects.filter(deputy__user=user)
    rows = sorted((i for i in own.select_related("meeting")
                   if i.meeting.status != "cancelled" and i.meeting.ends_at >= now),
                  key=lambda i: (i.meeting.starts_at, i.pk))[:limit]
    return [(i.pk, i.status, i.meeting.pk, i.meeting.title, i.meeting.starts_at, i.meeting.place, i.meeting.status)
            for i in rows]


def _kept(key: str) -> list:
    """The kept entries of a ``kept_rows`` key: compiled SQL, not "built every time"."""
    found = [value for entry, value in _KEPT.items() if entry[:2] == ("rows", key)]
    assert found and _BUILT_EACH_TIME not in found
    return found


def _lines(invitations) -> list[tuple]:
    return [(i.pk, i.status, i.meeting.pk, i.meeting.title, i.meeting.starts_at, i.meeting.place, i.meeting.status)
            for i in invitations]


def _plain_coming(township, now) -> list[tuple]:
    rows = sorted((m for m in Meeting.objects.filter(township=township, status="scheduled",
                                                     kind__in=["presidium_meeting", "congress_session"])
                   if m.ends_at >= now and m.starts_at < now + dt.timedelta(days=30)),
                  key=lambda m: (m.starts_at, m.pk))[:desk.LIMIT]
    return [(m.title, timezone.localdate(m.starts_at), m.get_absolute_url(),
             f"{m.place} · {timezone.localtime(m.starts_at):%H:%M} · 已请假 "
             f"{m.invitations.filter(status='leave').count()} 人") for m in rows]


@pytest.mark.parametrize("limit", [2, 5])
def test_my_coming_meetings_are_those_of_the_query_with_now_at_every_hour_of_the_day(world, limit):
    deputy = deputy_with_account(world.township)
    for i, meeting in enumerate(_meetings(world.township)):
        if i % 3 == 0:
            InvitationFactory(meeting=meeting, deputy=deputy, user=None, **(LEAVE if i % 2 else {}))
        elif i % 3 == 1:
            InvitationFactory(meeting=meeting, user=deputy.user)
    InvitationFactory(meeting=MeetingFactory(township=world.township), user=None)  # someone else's
    for hour in HOURS:
        now = _at(DAY, hour, 30)
        with time_machine.travel(now, tick=False):
            expected = _plain_upcoming(deputy.user, now, limit)
            with CaptureQueriesContext(connection) as captured:
                got = _lines(selectors.upcoming_invitations_kept(deputy.user, limit=limit))
            assert got == expected == _lines(selectors.upcoming_invitations(deputy.user, now=now, limit=limit)), hour
            # the kept SQL (and the account's roles, at the first); the exact query too when today's finished
            # meetings fill the read
            assert len(captured) <= 2, hour
    assert len(_kept(f"meetings_upcoming_invitations_{limit}")) == 1  # one day, one account: built once


def test_my_coming_meetings_fall_back_to_the_exact_query_when_todays_finished_meetings_fill_the_read(world):
    """More meetings of today already over than the read's spare rows: the exact query gives the lines."""
    deputy = deputy_with_account(world.township)
    for i in range(selectors.SPARE + 6):
        start = _at(DAY, 6) + dt.timedelta(minutes=10 * i)
        InvitationFactory(meeting=MeetingFactory(township=world.township, title=f"早会{i}", starts_at=start,
                                                 ends_at=start + dt.timedelta(minutes=5)), deputy=deputy, user=None)
    late = [InvitationFactory(meeting=MeetingFactory(township=world.township, title=f"晚会{i}",
                                                     starts_at=_at(DAY, 20 + i), ends_at=_at(DAY, 20 + i, 30)),
                              deputy=deputy, user=None) for i in range(2)]
    for hour in (5, 12):
        now = _at(DAY, hour)
        with time_machine.travel(now, tick=False):
            assert _lines(selectors.upcoming_invitations_kept(deputy.user)) == _plain_upcoming(deputy.user, now), hour
    with time_machine.travel(_at(DAY, 12), tick=False):
        assert [i.pk for i in selectors.upcoming_invitations_kept(deputy.user)] == [i.pk for i in late]


def test_the_home_block_of_my_meetings_reads_nothing_it_did_not_select(world, login):
    """The invitations made from the kept rows carry what the block shows: rendering it runs the one query only."""
    from django.test import RequestFactory

    from presidium.meetings.views.mine import home_block

    deputy = deputy_with_account(world.township)
    for meeting in _meetings(world.township)[:6]:
        InvitationFactory(meeting=meeting, deputy=deputy, user=None)
    with time_machine.travel(_at(DAY, 8, 15), tick=False):
        request = RequestFactory().get("/")
        request.user = deputy.user
        home_block(request)  # the kept SQL and the frame's context
        request = RequestFactory().get("/")
        request.user = deputy.user
        request._shell_context = {}
        with CaptureQueriesContext(connection) as captured:
            html = home_block(request)
        assert len(captured) == 1
    for title in ("会议2", "会议3", "会议5", "会议1"):  # 会议0 (7:00–8:00) is over, 会议4 cancelled
        assert title in html
    assert "会议0" not in html and "会议4" not in html


def test_the_desks_coming_meetings_are_those_of_the_query_with_now_at_every_hour_of_the_day(world):
    chair = world.user(Role.PRESIDIUM_CHAIR)
    made = _meetings(world.township)
    _meetings(world.other_township)  # not this chair's
    InvitationFactory(meeting=made[3], **LEAVE)
    InvitationFactory(meeting=made[3], **LEAVE)
    InvitationFactory(meeting=made[5], status="invited")
    for hour in HOURS:
        now = _at(DAY, hour, 30)
        with time_machine.travel(now, tick=False):
            with CaptureQueriesContext(connection) as captured:
                got = [(r.title, r.when, r.url, r.detail) for r in desk.coming_up(chair)]
            assert got == _plain_coming(world.township, now), hour
            # the kept SQL; the chair's roles at the first hour; from 13:30 on today's five finished meetings
            # leave fewer than LIMIT of the read's LIMIT + SPARE, and the exact query gives the lines
            assert len(captured) == (2 if hour == 0 or hour >= 13 else 1), hour
    assert len(_kept("meetings_desk_coming")) == 1
    with time_machine.travel(_at(DAY + dt.timedelta(days=1), 0, 30), tick=False):
        tomorrow = _at(DAY + dt.timedelta(days=1), 0, 30)
        assert [(r.title, r.when, r.url, r.detail) for r in desk.coming_up(chair)] == _plain_coming(
            world.township, tomorrow)


def test_the_desks_coming_meetings_fall_back_to_the_exact_query_when_todays_finished_meetings_fill_the_read(world):
    chair = world.user(Role.PRESIDIUM_CHAIR)
    for i in range(desk.LIMIT + desk.SPARE):
        start = _at(DAY, 6) + dt.timedelta(minutes=10 * i)
        MeetingFactory(township=world.township, title=f"早会{i}", starts_at=start,
                       ends_at=start + dt.timedelta(minutes=5))
    for i in range(3):
        MeetingFactory(township=world.township, title=f"下周{i}", starts_at=_at(DAY + dt.timedelta(days=7), 9 + i),
                       ends_at=_at(DAY + dt.timedelta(days=7), 10 + i))
    for hour in (5, 12):
        now = _at(DAY, hour)
        with time_machine.travel(now, tick=False):
            assert [(r.title, r.when, r.url, r.detail) for r in desk.coming_up(chair)] == _plain_coming(
                world.township, now), hour
    with time_machine.travel(_at(DAY, 12), tick=False):
        assert [r.title for r in desk.coming_up(chair)] == ["下周0", "下周1", "下周2"]
