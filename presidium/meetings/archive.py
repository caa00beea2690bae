"""The duty archive's "meetings" section (参加会议和活动), through the deputies app's provider slot.

Rows: the deputy's invitations of the year (cancelled meetings left out) with their attendance. Counts:
meetings (sessions and presidium meetings) attended, on leave, absent; activities attended. For the 三不
check, a session or presidium meeting attended is a MEETING, any other activity attended an ACTIVITY.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from deputies.archive import ArchiveProvider, ArchiveRow, ArchiveSection, DutySignal
from presidium.meetings.choices import QUORUM_KINDS, AttendanceStatus, MeetingStatus
from presidium.notifications.links import pk_links

TONES = {AttendanceStatus.PRESENT: "success", AttendanceStatus.LEAVE: "warning", AttendanceStatus.ABSENT: "danger",
         AttendanceStatus.INVITED: "secondary"}
MEETING_KINDS = sorted(k.value for k in QUORUM_KINDS)
# (a meeting rather than an activity, attendance) -> the summary figure it adds to; as attendance_summary counts
SUMMARY_KEYS = {
    (True, AttendanceStatus.PRESENT): "meetings_present", (True, AttendanceStatus.LEAVE): "meetings_leave",
    (True, AttendanceStatus.ABSENT): "meetings_absent", (False, AttendanceStatus.PRESENT): "activities_present",
    (False, AttendanceStatus.LEAVE): "activities_leave", (False, AttendanceStatus.ABSENT): "activities_absent",
}


def _label(labels: dict, value) -> str:
    """What ``get_FOO_display()`` shows for ``value`` (``presidium.choice_labels``)."""
    return force_str(labels.get(value, value), strings_only=True)


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

    @staticmethod
    def _rows(viewer, deputy_ids, start: dt.date, end: dt.date):
        """The section's invitations with their meeting's columns and whether the viewer may open it, as values
        (kept as SQL per viewer's roles and day: ``kept_section_rows``)."""
        from presidium.meetings.selectors import meetings_visible_to

        return (invitations_in(deputy_ids, start, end)
                .annotate(meeting_visible=Exists(meetings_visible_to(viewer).filter(pk=OuterRef("meeting_id"))))
                .order_by("meeting__starts_at", "pk")
                .values("status", "role", "leave_reason", "meeting_id", "meeting__kind", "meeting__title",
                        "meeting__place", "meeting__starts_at", "meeting_visible"))

    def section(self, deputy, year: int, *, viewer):
        from deputies.archive import kept_section_rows
        from presidium.choice_labels import labels_of
        from presidium.meetings.models import Invitation, Meeting

        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        # one query: the rows, whether the viewer may open each meeting, and (counted below) the summary
        invitations = kept_section_rows(("meetings", start, end), lambda user, ids: self._rows(user, ids, start, end),
                                        viewer, [deputy.pk])
        kinds, roles = labels_of(Meeting._meta.get_field("kind")), labels_of(Invitation._meta.get_field("role"))
        statuses = labels_of(Invitation._meta.get_field("status"))
        meeting_url = pk_links(lambda pk: reverse("meetings:meeting_detail", args=[pk]))
        summary = dict.fromkeys(SUMMARY_KEYS.values(), 0)
        rows = []
        for invitation in invitations:
            status, kind = invitation["status"], invitation["meeting__kind"]
            key = SUMMARY_KEYS.get((kind in MEETING_KINDS, status))
            if key:
                summary[key] += 1
            detail = f"{_label(kinds, kind)} · {invitation['meeting__place']}"
            if invitation["role"] == "attendee":
                detail += f" · {_label(roles, invitation['role'])}"
            if status == AttendanceStatus.LEAVE and invitation["leave_reason"]:
                detail += f" · {invitation['leave_reason']}"
            rows.append(ArchiveRow(date=timezone.localdate(invitation["meeting__starts_at"]),
                                   title=invitation["meeting__title"], detail=detail,
                                   status=_label(statuses, status), tone=TONES[AttendanceStatus(status)],
                                   url=meeting_url(invitation["meeting_id"]) if invitation["meeting_visible"] else ""))
        return ArchiveSection(key="meetings", title=str(self.title), rows=rows, counts={
            _("出席会议"): summary["meetings_present"], _("会议请假"): summary["meetings_leave"],
            _("会议缺席"): summary["meetings_absent"], _("参加活动"): summary["activities_present"],
            _("活动请假"): summary["activities_leave"], _("活动缺席"): summary["activities_absent"],
        }, empty=not rows, signals={DutySignal.MEETING: summary["meetings_present"],
                                    DutySignal.ACTIVITY: summary["activities_present"]})

    signal_columns = (DutySignal.MEETING, DutySignal.ACTIVITY)

    def signal_query(self, deputy_ids, start: dt.date, end: dt.date):
        """Meetings and activities attended, per deputy: ``attendance_summary``'s two figures the 三不 check reads,
        of the invitations attended only (its other four counts are the archive section's)."""
        meeting = Q(meeting__kind__in=MEETING_KINDS)
        return (invitations_in(deputy_ids, start, end).filter(status=AttendanceStatus.PRESENT).order_by()
                .values_list("deputy_id").annotate(meetings=Count("pk", filter=meeting),
                                                   activities=Count("pk", filter=~meeting)))
