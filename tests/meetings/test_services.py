"""Scheduling, changing and cancelling meetings: the invitation list, numbering, notices, the lifecycle table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from presidium.choices import Role
from presidium.meetings import services
from presidium.meetings.choices import MEETING_TRANSITIONS, MeetingKind, MeetingStatus
from presidium.meetings.models import Meeting
from presidium.notifications.models import Notification
from tests.factories import (
    DeputyFactory,
    DeputyGroupFactory,
    PresidiumMembershipFactory,
    deputy_with_account,
)

pytestmark = pytest.mark.django_db


def at(days: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(hour)))


def schedule(world, kind=MeetingKind.PRESIDIUM_MEETING, **kwargs) -> Meeting:
    kwargs.setdefault("starts_at", at(7))
    kwargs.setdefault("ends_at", kwargs["starts_at"] + dt.timedelta(hours=2))
    kwargs.setdefault("place", "镇政府三楼会议室")
    return services.meeting_schedule(township=world.township, kind=kind, by=world.user(Role.PRESIDIUM_STAFF),
                                     **kwargs)


def test_it_invites_the_sitting_presidium_members_and_tells_those_with_an_account(world):
    term = world.township.current_term()
    deputy = deputy_with_account(world.township, name="冯国强")
    PresidiumMembershipFactory(term=term, name="孙建平", position="chair", user=world.user(Role.PRESIDIUM_CHAIR))
    PresidiumMembershipFactory(term=term, name="冯国强", user=deputy.user)
    PresidiumMembershipFactory(term=term, name="李四")
    PresidiumMembershipFactory(term=term, name="已离任", until=timezone.localdate() - dt.timedelta(days=1))
    meeting = schedule(world, agenda=["听取民生实事进展汇报", "研究代表建议督办｜重点建议"])
    invitations = list(meeting.invitations.order_by("position"))
    assert [i.name for i in invitations] == ["孙建平", "冯国强", "李四"]
    assert all(i.counts_for_quorum for i in invitations)
    assert invitations[1].deputy == deputy
    assert [a.title for a in meeting.agenda_items.all()] == ["听取民生实事进展汇报", "研究代表建议督办"]
    told = Notification.objects.filter(kind="meetings.invited").values_list("recipient_id", flat=True)
    assert sorted(told) == sorted([world.user(Role.PRESIDIUM_CHAIR).pk, deputy.user_id])
    assert meeting.term == term and meeting.title.endswith("主席团会议")


def test_it_numbers_congress_sessions_within_the_term_and_titles_them(world):
    DeputyFactory(township=world.township, name="张甲乙")
    DeputyFactory(township=world.township, name="李丙丁", level="county")
    first = schedule(world, MeetingKind.CONGRESS_SESSION, starts_at=at(3))
    second = schedule(world, MeetingKind.CONGRESS_SESSION, starts_at=at(60))
    assert (first.session_number, second.session_number) == (1, 2)
    assert second.title == "甲镇第十八届人民代表大会第二次会议"
    assert first.open_to_deputies
    # Only township-level deputies sit in the township congress.
    assert [i.name for i in first.invitations.all()] == ["张甲乙"]
    with pytest.raises(ValidationError) as error:
        schedule(world, MeetingKind.CONGRESS_SESSION, session_number=2)
    assert "第二次会议已经安排过" in str(error.value)


def test_it_invites_a_groups_serving_members_to_its_activity(world):
    group = DeputyGroupFactory(township=world.township, name="东风村代表小组")
    DeputyFactory(township=world.township, name="王在任", group=group)
    gone = DeputyFactory(township=world.township, name="赵离任", group=group)
    gone.status, gone.status_since = "resigned", timezone.localdate()
    gone.save(update_fields=["status", "status_since"])
    meeting = schedule(world, MeetingKind.GROUP_ACTIVITY, group=group)
    assert [i.name for i in meeting.invitations.all()] == ["王在任"]
    assert meeting.title.startswith("东风村代表小组活动")
    assert not meeting.invitations.filter(counts_for_quorum=True).exists()


def test_it_refuses_bad_input_in_chinese_and_saves_nothing(world):
    with pytest.raises(ValidationError) as error:
        schedule(world, MeetingKind.GROUP_ACTIVITY, place=" ")
    assert "请填写地点" in str(error.value) and "请选择代表小组" in str(error.value)
    with pytest.raises(ValidationError) as error:
        schedule(world, starts_at=at(7, 10), ends_at=at(7, 9))
    assert "结束时间不能早于开始时间" in str(error.value)
    other = DeputyFactory(township=world.other_township, name="钱外乡")
    with pytest.raises(ValidationError):
        schedule(world, MeetingKind.INSPECTION, deputies=[other])
    assert not Meeting.objects.exists()


def test_it_lets_only_the_townships_staff_schedule(world):
    for user in (world.user(Role.DEPUTY), world.user(Role.COUNTY_ADMIN), world.other_staff):
        with pytest.raises(PermissionDenied):
            services.meeting_schedule(township=world.township, kind=MeetingKind.TRAINING, starts_at=at(1),
                                      ends_at=at(1, 11), place="会议室", by=user)


def test_it_raises_the_calendar_sequence_and_tells_invitees_when_time_or_place_change(world):
    deputy = deputy_with_account(world.township)
    meeting = schedule(world, MeetingKind.INSPECTION, deputies=[deputy])
    staff = world.user(Role.PRESIDIUM_STAFF)
    services.meeting_update(meeting=meeting, by=staff, note="带上笔记本")
    meeting.refresh_from_db()
    assert meeting.ical_sequence == 0
    assert not Notification.objects.filter(kind="meetings.changed").exists()
    services.meeting_update(meeting=meeting, by=staff, place="东风村村委会", starts_at=at(8), ends_at=at(8, 11))
    meeting.refresh_from_db()
    assert meeting.ical_sequence == 1
    notice = Notification.objects.get(kind="meetings.changed")
    assert notice.recipient == deputy.user and "东风村村委会" in notice.title


def test_it_cancels_with_a_reason_and_tells_invitees(world):
    deputy = deputy_with_account(world.township)
    meeting = schedule(world, MeetingKind.SURVEY, deputies=[deputy])
    staff = world.user(Role.PRESIDIUM_STAFF)
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, reason="  ", by=staff)
    services.meeting_cancel(meeting=meeting, reason="与县人大会议冲突", by=staff)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.ical_sequence == 1
    assert "与县人大会议冲突" in Notification.objects.get(kind="meetings.cancelled", recipient=deputy.user).title
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, by=staff, place="别处")


@pytest.mark.parametrize("start", list(MeetingStatus))
@pytest.mark.parametrize("to", list(MeetingStatus))
def test_it_walks_every_status_change_as_the_table_says(world, start, to):
    """The one table of the meeting's lifecycle decides every move, allowed or refused."""
    from presidium.meetings.services.meetings import _move

    meeting = Meeting(status=start)
    if to in MEETING_TRANSITIONS[start]:
        _move(meeting, to)
        assert meeting.status == to
    else:
        with pytest.raises(ValidationError):
            _move(meeting, to)


def test_it_marks_held_only_once_begun(world):
    meeting = schedule(world, MeetingKind.TRAINING)
    staff = world.user(Role.PRESIDIUM_STAFF)
    with pytest.raises(ValidationError):
        services.meeting_mark_held(meeting=meeting, by=staff)
    services.meeting_mark_held(meeting=meeting, by=staff, now=meeting.starts_at + dt.timedelta(minutes=5))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, reason="晚了", by=staff)


def test_it_adds_and_removes_invitees_and_keeps_presidium_quorum_to_members(world):
    meeting = schedule(world)
    staff = world.user(Role.PRESIDIUM_STAFF)
    deputy = deputy_with_account(world.township)
    added = services.invitation_add(meeting=meeting, by=staff, deputy=deputy)
    assert added.role == "attendee" and not added.counts_for_quorum
    assert Notification.objects.filter(kind="meetings.invited", recipient=deputy.user).exists()
    with pytest.raises(ValidationError):
        services.invitation_add(meeting=meeting, by=staff, deputy=deputy)
    guest = services.invitation_add(meeting=meeting, by=staff, name="王明", post="镇政府副镇长", role="attendee")
    services.invitation_remove(invitation=guest, by=staff)
    assert list(meeting.invitations.values_list("name", flat=True)) == [deputy.name]
    meeting.refresh_from_db()
    assert meeting.ical_sequence == 1
