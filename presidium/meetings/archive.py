"""The duty archive's "meetings" section (参加会议和活动), through the deputies app's provider slot.

Rows: the deputy's invitations of the year (cancelled meetings left out) with their attendance. Counts:
meetings (sessions and presidium meetings) attended, on leave, absent; activities attended. For the 三不
check, a session or presidium meeting attended is a MEETING, any other activity attended an ACTIVITY.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.archive import ArchiveProvider, ArchiveRow, ArchiveSection, DutySignal
from presidium.meetings.choices import QUORUM_KINDS, AttendanceStatus, MeetingStatus

TONES = {AttendanceStatus.PRESENT: "success", AttendanceStatus.LEAVE: "warning", AttendanceStatus.ABSENT: "danger",
         AttendanceStatus.INVITED: "secondary"}
MEETING_KINDS = sorted(k.value for k in QUORUM_KINDS)
# (a meeting rather than an activity, attendance) -> the summary figure it adds to; as attendance_summary counts
SUMMARY_KEYS = {
    (True, AttendanceStatus.PRESENT): "meetings_present", (True, AttendanceStatus.LEAVE): "meetings_leave",
    (True, AttendanceStatus.ABSENT): "meetings_absent", (False, AttendanceStatus.PRESENT): "activities_present",
    (False, AttendanceStatus.LEAVE): "activities_leave", (False, AttendanceStatus.ABSENT): "activities_absent",
}


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (timezone.make_aware(dt.datetime.combine(start, dt.time.min)),
            timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)))


def invitations_in(deputy_ids, start: dt.date, end: dt.date):
    from presidium.meetings.models import Invitation

    low, high = _bounds(start, end)
    return (Invitation.objects.filter(deputy_id__in=list(deputy_ids), meeting__starts_at__gte=low,
                                      meeting__starts_at__lt=high)
            .exclude(meeting__status=MeetingStatus.CANCELLED))


def attendance_summary(deputy_ids, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """Per deputy: meetings attended / on leave / absent, activities attended / on leave / absent (one query)."""
    meeting = Q(meeting__kind__in=MEETING_KINDS)
    rows = (invitations_in(deputy_ids, start, end).order_by().values("deputy_id").annotate(
        meetings_present=Count("pk", filter=meeting & Q(status=AttendanceStatus.PRESENT)),
        meetings_leave=Count("pk", filter=meeting & Q(status=AttendanceStatus.LEAVE)),
        meetings_absent=Count("pk", filter=meeting & Q(status=AttendanceStatus.ABSENT)),
        activities_present=Count("pk", filter=~meeting & Q(status=AttendanceStatus.PRESENT)),
        activities_leave=Count("pk", filter=~meeting & Q(status=AttendanceStatus.LEAVE)),
        activities_absent=Count("pk", filter=~meeting & Q(status=AttendanceStatus.ABSENT)),
    ))
    return {row.pop("deputy_id"): row for row in rows}


class MeetingsArchive(ArchiveProvider):
    title = _("参加会议和活动")
    order = 20
    signals = frozenset({DutySignal.MEETING, DutySignal.ACTIVITY})

    def section(self, deputy, year: int, *, viewer):
        from presidium.meetings.selectors import meetings_visible_to

        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        # one query: the rows, whether the viewer may open each meeting, and (counted below) the summary
        invitations = list(invitations_in([deputy.pk], start, end).select_related("meeting")
                           .annotate(meeting_visible=Exists(meetings_visible_to(viewer).filter(pk=OuterRef("meeting_id"))))
                           .order_by("meeting__starts_at", "pk"))
        summary = dict.fromkeys(SUMMARY_KEYS.values(), 0)
        rows = []
        for invitation in invitations:
            key = SUMMARY_KEYS.get((invitation.meeting.kind in MEETING_KINDS, invitation.status))
            if key:
                summary[key] += 1
            meeting = invitation.meeting
            detail = f"{meeting.get_kind_display()} · {meeting.place}"
            if invitation.role == "attendee":
                detail += f" · {invitation.get_role_display()}"
            if invitation.status == AttendanceStatus.LEAVE and invitation.leave_reason:
                detail += f" · {invitation.leave_reason}"
            rows.append(ArchiveRow(date=timezone.localdate(meeting.starts_at), title=meeting.title, detail=detail,
                                   status=invitation.get_status_display(),
                                   tone=TONES[AttendanceStatus(invitation.status)],
                                   url=meeting.get_absolute_url() if invitation.meeting_visible else ""))
        return ArchiveSection(key="meetings", title=str(self.title), rows=rows, counts={
            _("出席会议"): summary["meetings_present"], _("会议请假"): summary["meetings_leave"],
            _("会议缺席"): summary["meetings_absent"], _("参加活动"): summary["activities_present"],
            _("活动请假"): summary["activities_leave"], _("活动缺席"): summary["activities_absent"],
        }, empty=not rows, signals={DutySignal.MEETING: summary["meetings_present"],
                                    DutySignal.ACTIVITY: summary["activities_present"]})

    def signal_counts(self, deputy_ids, start: dt.date, end: dt.date):
        return {pk: {DutySignal.MEETING: row["meetings_present"], DutySignal.ACTIVITY: row["activities_present"]}
                for pk, row in attendance_summary(deputy_ids, start, end).items()}
