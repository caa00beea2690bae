"""Every state change of meetings and activities: one function each (DESIGN rule 1)."""

from presidium.meetings.services.attendance import (
    AttendanceEntry,
    invitation_record_attendance,
    invitation_request_leave,
    leave_refusal,
)
from presidium.meetings.services.documents import (
    check_meeting_uploads,
    meeting_document_remove,
    meeting_documents_add,
)
from presidium.meetings.services.feeds import (
    calendar_feed_fetched,
    calendar_feed_get_or_create,
    calendar_feed_renew,
)
from presidium.meetings.services.meetings import (
    Attendee,
    agenda_set,
    invitation_add,
    invitation_remove,
    meeting_cancel,
    meeting_mark_held,
    meeting_schedule,
    meeting_update,
    next_session_number,
    session_title,
)
from presidium.meetings.services.outcomes import (
    outcome_add,
    outcome_convert,
    outcome_mark_rectification,
    outcome_mark_rectified,
    outcome_record_answer,
    outcome_send,
    outcome_update,
)

__all__ = [
    "AttendanceEntry",
    "Attendee",
    "agenda_set",
    "calendar_feed_fetched",
    "calendar_feed_get_or_create",
    "calendar_feed_renew",
    "check_meeting_uploads",
    "invitation_add",
    "invitation_record_attendance",
    "invitation_remove",
    "invitation_request_leave",
    "leave_refusal",
    "meeting_cancel",
    "meeting_document_remove",
    "meeting_documents_add",
    "meeting_mark_held",
    "meeting_schedule",
    "meeting_update",
    "next_session_number",
    "outcome_add",
    "outcome_convert",
    "outcome_mark_rectification",
    "outcome_mark_rectified",
    "outcome_record_answer",
    "outcome_send",
    "outcome_update",
    "session_title",
]
