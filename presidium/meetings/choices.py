"""Choices of meetings and activities. TextChoices only: never bare strings in code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    """会议活动类型. The first two are meetings with a quorum; the rest are activities."""

    CONGRESS_SESSION = "congress_session", _("人代会")
    PRESIDIUM_MEETING = "presidium_meeting", _("主席团会议")
    GROUP_ACTIVITY = "group_activity", _("代表小组活动")
    INSPECTION = "inspection", _("视察")
    SURVEY = "survey", _("调研")
    LAW_CHECK = "law_check", _("执法检查")
    TRAINING = "training", _("培训")
    HEARING = "hearing", _("听证")


# Meetings whose decisions need a quorum, shown on their page (人代会: 全体代表过半数; 主席团: 成员过半数).
QUORUM_KINDS = frozenset({MeetingKind.CONGRESS_SESSION, MeetingKind.PRESIDIUM_MEETING})
# Kinds that belong to a term (a session is numbered within it; the presidium is elected for it).
TERM_KINDS = QUORUM_KINDS
# Activities whose findings become suggestions or rectification items.
FINDING_KINDS = frozenset({MeetingKind.INSPECTION, MeetingKind.SURVEY, MeetingKind.LAW_CHECK})


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


# The one table of allowed status changes (DESIGN rule 2). A held meeting stays held (its record is
# the minutes); a cancelled one may be scheduled again (a new date), which bumps its iCal sequence.
MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.SCHEDULED: frozenset({MeetingStatus.HELD, MeetingStatus.CANCELLED}),
    MeetingStatus.HELD: frozenset(),
    MeetingStatus.CANCELLED: frozenset({MeetingStatus.SCHEDULED}),
}


class InvitationRole(models.TextChoices):
    MEMBER = "member", _("出席")
    ATTENDEE = "attendee", _("列席")


class AttendanceStatus(models.TextChoices):
    """出席情况 of one invited person. Leave is asked in advance, with a reason."""

    INVITED = "invited", _("未登记")
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


# Staff record any of these on the attendance form (a correction included); a deputy asks for leave
# only while invited and before the start (see services.invitation_request_leave).
ATTENDANCE_TRANSITIONS: dict[str, frozenset[str]] = {
    AttendanceStatus.INVITED: frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT}),
    AttendanceStatus.PRESENT: frozenset({AttendanceStatus.INVITED, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT}),
    AttendanceStatus.LEAVE: frozenset({AttendanceStatus.INVITED, AttendanceStatus.PRESENT, AttendanceStatus.ABSENT}),
    AttendanceStatus.ABSENT: frozenset({AttendanceStatus.INVITED, AttendanceStatus.PRESENT, AttendanceStatus.LEAVE}),
}


class OutcomeKind(models.TextChoices):
    MINUTES = "minutes", _("会议纪要")
    RESOLUTION = "resolution", _("决议")
    DECISION = "decision", _("决定")
    DELIBERATION_OPINION = "deliberation_opinion", _("审议意见")
    FINDING = "finding", _("视察调研意见")


class FindingFollowUp(models.TextChoices):
    """What became of a finding of an inspection or survey."""

    NONE = "", _("未处理")
    SUGGESTION = "suggestion", _("转为代表建议")
    RECTIFICATION = "rectification", _("列为整改事项")


class OpinionStatus(models.TextChoices):
    """Where a deliberation opinion (审议意见) stands with the government."""

    DRAFT = "draft", _("未送交")
    SENT = "sent", _("已送交，待答复")
    ANSWERED = "answered", _("已答复")
