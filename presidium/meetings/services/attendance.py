"""Attendance: the staff record who came on one form; a deputy asks for leave from the phone, in advance.

:data:`presidium.meetings.choices.ATTENDANCE_TRANSITIONS` is the table of the staff's moves (every status
can be corrected); present and absent can be recorded only once the meeting's day has come, leave at any
time with a reason. A deputy's own request for leave is possible only while invited and before the start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from presidium.meetings.choices import ATTENDANCE_TRANSITIONS, AttendanceStatus, MeetingStatus
from presidium.meetings.models import Invitation, Meeting
from presidium.meetings.services.common import clean, require_manage, staff_users
from presidium.meetings.services.meetings import require_staff_or_own
from presidium.notifications.services import notify
from presidium.records import record


@dataclass(frozen=True)
class AttendanceEntry:
    invitation_id: int
    status: str
    leave_reason: str = ""


def leave_refusal(invitation: Invitation, *, now: dt.datetime | None = None) -> str | None:
    """Why the invitee cannot ask for leave now (a sentence), or None."""
    now = now or timezone.now()
    meeting = invitation.meeting
    if meeting.status != MeetingStatus.SCHEDULED:
        return _("会议活动%(status)s，不能请假。") % {"status": meeting.get_status_display()}
    if invitation.status == AttendanceStatus.LEAVE:
        return _("已请假。")
    if invitation.status != AttendanceStatus.INVITED:
        return _("出席情况已登记为“%(status)s”。") % {"status": invitation.get_status_display()}
    if now >= meeting.starts_at:
        return _("会议活动已经开始（%(start)s），请假须在开始之前提出；请联系人大办。") % {
            "start": f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"}
    return None


def invitation_request_leave(*, invitation: Invitation, reason: str, by, now: dt.datetime | None = None) -> Invitation:
    """请假: the invitee asks in advance, with a reason (or the staff for them); the staff are told."""
    now = now or timezone.now()
    reason = clean(reason, 200)
    if not reason:
        raise ValidationError({"reason": _("请写明请假事由。")})
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related("meeting__township", "deputy").get(
            pk=invitation.pk)
        staff = require_staff_or_own(by, invitation)
        refusal = leave_refusal(invitation, now=now)
        if refusal and not (staff and invitation.status != AttendanceStatus.LEAVE
                            and invitation.meeting.status != MeetingStatus.CANCELLED):
            raise ValidationError(refusal)
        invitation.status, invitation.leave_reason, invitation.leave_requested_at = AttendanceStatus.LEAVE, reason, now
        invitation.recorded_by, invitation.recorded_at = by, now
        invitation.full_clean()
        invitation.save(update_fields=["status", "leave_reason", "leave_requested_at", "recorded_by", "recorded_at"])
        meeting = invitation.meeting
        if not staff:
            recipients = [u for u in staff_users(meeting.township_id) if u.pk != by.pk]
            notify(recipients=recipients, title=record(_l("%(name)s 请假：%(title)s（%(reason)s）"), {
                "name": invitation.name, "title": meeting.title, "reason": reason}),
                url=meeting.get_absolute_url(), kind="meetings.leave", target=meeting, by=by, channels=())
    return invitation


def invitation_record_attendance(*, meeting: Meeting, entries: Iterable[AttendanceEntry], by,
                                 now: dt.datetime | None = None) -> list[Invitation]:
    """登记出席情况 for the whole list at once: present, on leave (with the reason), absent, or not yet recorded.

    Present and absent only from the meeting's day on. Recording someone present marks a scheduled meeting
    held. Returns the invitations that changed. A bad entry refuses the whole form: nothing half-saved.
    """
    require_manage(by, meeting.township)
    now = now or timezone.now()
    entries = {e.invitation_id: e for e in entries}
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("会议活动已取消，不能登记出席情况。"))
        invitations = {i.pk: i for i in meeting.invitations.select_for_update().filter(pk__in=list(entries))}
        unknown = set(entries) - set(invitations)
        if unknown:
            raise ValidationError(_("参会名单已有变动，请刷新页面后重新登记。"))
        day_started = timezone.localdate(now) >= timezone.localdate(meeting.starts_at)
        errors, changed = [], []
        for pk, entry in entries.items():
            invitation = invitations[pk]
            status = AttendanceStatus(entry.status)
            reason = clean(entry.leave_reason, 200)
            if status == invitation.status and (status != AttendanceStatus.LEAVE or reason == invitation.leave_reason):
                continue
            if status != invitation.status and status not in ATTENDANCE_TRANSITIONS[AttendanceStatus(invitation.status)]:
                errors.append(_("%(name)s：不能改为“%(to)s”。") % {"name": invitation.name, "to": status.label})
                continue
            if status in (AttendanceStatus.PRESENT, AttendanceStatus.ABSENT) and not day_started:
                errors.append(_("%(name)s：会议当天起才能登记“%(to)s”。") % {"name": invitation.name,
                                                                     "to": status.label})
                continue
            if status == AttendanceStatus.LEAVE and not reason:
                errors.append(_("%(name)s：请假请写明事由。") % {"name": invitation.name})
                continue
            invitation.status = status
            if status == AttendanceStatus.LEAVE:
                if invitation.leave_reason != reason or invitation.leave_requested_at is None:
                    invitation.leave_requested_at = invitation.leave_requested_at or now
                invitation.leave_reason = reason
            else:
                invitation.leave_reason, invitation.leave_requested_at = "", None
            invitation.recorded_by, invitation.recorded_at = by, now
            changed.append(invitation)
        if errors:
            raise ValidationError(errors)
        # One update per distinct answer (a session has a hundred deputies, nearly all "present"), and each
        # change kept in the history table with who recorded it. The checks above and the table's
        # constraints stand in for full_clean.
        groups: dict[tuple, list[int]] = {}
        for invitation in changed:
            key = (invitation.status, invitation.leave_reason, invitation.leave_requested_at)
            groups.setdefault(key, []).append(invitation.pk)
        for (status, reason, requested_at), ids in groups.items():
            Invitation.objects.filter(pk__in=ids).update(status=status, leave_reason=reason,
                                                         leave_requested_at=requested_at, recorded_by=by,
                                                         recorded_at=now)
        if changed:
            Invitation.history.bulk_history_create(changed, default_user=by, default_date=now)
        if (meeting.status == MeetingStatus.SCHEDULED and now >= meeting.starts_at
                and meeting.invitations.filter(status=AttendanceStatus.PRESENT).exists()):
            Meeting.objects.filter(pk=meeting.pk, status=MeetingStatus.SCHEDULED).update(
                status=MeetingStatus.HELD, held_at=now, updated_by=by, updated_at=now)
    return changed
