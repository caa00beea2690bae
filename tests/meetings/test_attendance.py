"""Attendance and quorum: leave asked in advance, the staff's one form, more than half of the members."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from presidium.choices import Role
from presidium.meetings import services
from presidium.meetings.choices import AttendanceStatus, MeetingStatus
from presidium.meetings.selectors import Quorum, quorum_of
from presidium.meetings.services import AttendanceEntry
from presidium.notifications.models import Notification
from tests.factories import InvitationFactory, MeetingFactory, deputy_with_account, meeting_with_members

pytestmark = pytest.mark.django_db


def own_invitation(world):
    deputy = deputy_with_account(world.township)
    meeting = MeetingFactory(township=world.township)
    return InvitationFactory(meeting=meeting, deputy=deputy, user=deputy.user, name=deputy.name), deputy


def test_it_lets_an_invitee_ask_for_leave_before_the_start_and_tells_the_staff(world):
    invitation, deputy = own_invitation(world)
    services.invitation_request_leave(invitation=invitation, reason="外出务工", by=deputy.user)
    invitation.refresh_from_db()
    assert invitation.status == AttendanceStatus.LEAVE and invitation.leave_requested_at is not None
    notices = Notification.objects.filter(kind="meetings.leave")
    assert {n.recipient_id for n in notices} == {world.user(Role.PRESIDIUM_STAFF).pk,
                                                 world.user(Role.PRESIDIUM_CHAIR).pk}
    assert all("外出务工" in n.title for n in notices)


def test_it_refuses_leave_without_a_reason_after_the_start_or_for_someone_else(world):
    invitation, deputy = own_invitation(world)
    with pytest.raises(ValidationError) as error:
        services.invitation_request_leave(invitation=invitation, reason=" ", by=deputy.user)
    assert "请写明请假事由" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.invitation_request_leave(invitation=invitation, reason="生病", by=deputy.user,
                                          now=invitation.meeting.starts_at)
    assert "请假须在开始之前提出" in str(error.value)
    other = deputy_with_account(world.township)
    with pytest.raises(PermissionDenied):
        services.invitation_request_leave(invitation=invitation, reason="生病", by=other.user)
    invitation.refresh_from_db()
    assert invitation.status == AttendanceStatus.INVITED


def test_it_records_the_whole_list_at_once_and_marks_the_meeting_held(world):
    meeting = meeting_with_members(world.township, members=3)
    a, b, c = meeting.invitations.order_by("pk")
    staff = world.user(Role.PRESIDIUM_STAFF)
    entries = [AttendanceEntry(a.pk, "present"), AttendanceEntry(b.pk, "leave", "住院"), AttendanceEntry(c.pk, "absent")]
    changed = services.invitation_record_attendance(meeting=meeting, entries=entries, by=staff,
                                                    now=meeting.starts_at + dt.timedelta(minutes=1))
    assert len(changed) == 3
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert quorum_of(meeting).line == "应到 3 人，实到 1 人，请假 1 人，缺席 1 人"


def test_it_saves_nothing_when_one_entry_is_wrong(world):
    meeting = meeting_with_members(world.township, members=2)
    a, b = meeting.invitations.order_by("pk")
    staff = world.user(Role.PRESIDIUM_STAFF)
    with pytest.raises(ValidationError) as error:
        services.invitation_record_attendance(meeting=meeting, by=staff, now=meeting.starts_at, entries=[
            AttendanceEntry(a.pk, "present"), AttendanceEntry(b.pk, "leave", "")])
    assert "请假请写明事由" in str(error.value)
    assert not meeting.invitations.exclude(status="invited").exists()


def test_it_records_presence_only_from_the_meetings_day_but_leave_at_any_time(world):
    meeting = meeting_with_members(world.township, members=2)
    a, b = meeting.invitations.order_by("pk")
    staff = world.user(Role.PRESIDIUM_STAFF)
    day_before = meeting.starts_at - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.invitation_record_attendance(meeting=meeting, by=staff, now=day_before,
                                              entries=[AttendanceEntry(a.pk, "present")])
    assert "会议当天起才能登记" in str(error.value)
    services.invitation_record_attendance(meeting=meeting, by=staff, now=day_before,
                                          entries=[AttendanceEntry(b.pk, "leave", "出差")])
    b.refresh_from_db()
    assert b.status == "leave"


def test_it_refuses_the_attendance_form_to_others(world):
    meeting = meeting_with_members(world.township, members=1)
    for user in (world.user(Role.DEPUTY), world.user(Role.COUNTY_REVIEWER), world.other_staff):
        with pytest.raises(PermissionDenied):
            services.invitation_record_attendance(meeting=meeting, entries=[], by=user)


@pytest.mark.parametrize(("entitled", "present", "met"), [
    (7, 4, True), (7, 3, False),  # odd: 4 of 7 is more than half
    (6, 3, False), (6, 4, True),  # a tie (exactly half) is not more than half
    (1, 1, True), (0, 0, False), (76, 38, False), (76, 39, True),
])
def test_it_needs_more_than_half_of_the_members_present(entitled, present, met):
    quorum = Quorum(kind="presidium_meeting", entitled=entitled, present=present, leave=0, absent=0)
    assert quorum.met is met
    if entitled:
        assert quorum.needed == entitled // 2 + 1


def test_it_reads_the_quorum_from_the_members_not_the_attendees(world):
    meeting = meeting_with_members(world.township, members=5)
    InvitationFactory(meeting=meeting, role="attendee", counts_for_quorum=False, status="present")
    for invitation in meeting.members_entitled().order_by("pk")[:3]:
        invitation.status = "present"
        invitation.save(update_fields=["status"])
    quorum = quorum_of(meeting)
    assert (quorum.entitled, quorum.present, quorum.met) == (5, 3, True)
    assert "符合法定人数" in quorum.verdict
    assert quorum_of(MeetingFactory(township=world.township, kind="training")) is None


def test_it_keeps_each_recorded_change_in_the_history_with_who_recorded_it(world):
    meeting = meeting_with_members(world.township, members=2)
    a, b = meeting.invitations.order_by("pk")
    staff = world.user(Role.PRESIDIUM_STAFF)
    services.invitation_record_attendance(meeting=meeting, by=staff, now=meeting.starts_at, entries=[
        AttendanceEntry(a.pk, "present"), AttendanceEntry(b.pk, "leave", "出差")])
    services.invitation_record_attendance(meeting=meeting, by=staff, now=meeting.starts_at, entries=[
        AttendanceEntry(a.pk, "absent"), AttendanceEntry(b.pk, "leave", "出差")])
    history = list(a.history.order_by("history_date", "history_id").values_list("status", "history_user_id"))
    assert history[-2:] == [("present", staff.pk), ("absent", staff.pk)]
    assert b.history.count() == 2  # created, then leave; unchanged the second time: no new row
    b.refresh_from_db()
    assert (b.status, b.leave_reason, b.recorded_by) == ("leave", "出差", staff)
