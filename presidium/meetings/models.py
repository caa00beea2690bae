"""Meetings and activities (会议活动): sessions, presidium meetings, group activities, inspections and the like,
with their agenda, invitations and attendance, documents, outcomes, and the per-user calendar feed."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from presidium.documents.storage import private_storage, safe_suffix
from presidium.meetings.choices import (
    AttendanceStatus,
    FindingFollowUp,
    InvitationRole,
    MeetingKind,
    MeetingStatus,
    OpinionStatus,
    OutcomeKind,
)


class Meeting(models.Model):
    """会议活动 — a congress session (人代会), presidium meeting (主席团会议), deputy-group activity (代表小组活动),
    inspection (视察), survey (调研), law-enforcement check (执法检查), training (培训) or hearing (听证).

    A congress session is numbered within its term (``session_number``: 第十八届人民代表大会第二次会议); sessions
    and presidium meetings belong to a term, activities may. ``ical_sequence`` goes up with every change the
    invitees' calendars must take over (time, place, cancellation), as RFC 5545 asks.
    """

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="meetings",
                                 verbose_name=_("乡镇"))
    term = models.ForeignKey("presidium.Term", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="meetings", verbose_name=_("届次"))
    kind = models.CharField(_("类型"), max_length=30, choices=MeetingKind.choices)
    session_number = models.PositiveSmallIntegerField(_("会议次数"), null=True, blank=True,
                                                      help_text=_("人代会在本届内的次数：第几次会议。"))
    title = models.CharField(_("名称"), max_length=150)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=120)
    organiser = models.CharField(_("组织者"), max_length=80, blank=True)
    group = models.ForeignKey("deputies.DeputyGroup", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="meetings", verbose_name=_("代表小组"))
    note = models.TextField(_("内容说明"), blank=True)
    open_to_deputies = models.BooleanField(_("本乡镇代表均可查看"), default=False,
                                           help_text=_("勾选后，未受邀的本乡镇代表也能在“我的会议”中看到。"))
    status = models.CharField(_("状态"), max_length=20, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    held_at = models.DateTimeField(_("确认召开时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("取消人"))
    ical_sequence = models.PositiveIntegerField(_("日历版本号"), default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("安排人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("最后修改人"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会议活动")
        verbose_name_plural = _("会议活动")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["township", "kind", "starts_at"], name="meeting_township_kind_start"),
                   # The list's order: a county's page of 30 reads 30 rows, not a sort of its 4,500 meetings.
                   models.Index(fields=["-starts_at", "-id"], name="meeting_newest_first")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="meeting_ends_after_start"),
            # Only a congress session has a number, and every session has one.
            models.CheckConstraint(
                condition=(Q(kind=MeetingKind.CONGRESS_SESSION, session_number__isnull=False, term__isnull=False)
                           | (~Q(kind=MeetingKind.CONGRESS_SESSION) & Q(session_number__isnull=True))),
                name="meeting_session_numbered_in_term",
            ),
            models.CheckConstraint(condition=~Q(kind=MeetingKind.PRESIDIUM_MEETING) | Q(term__isnull=False),
                                   name="meeting_presidium_in_term"),
            models.CheckConstraint(condition=~Q(kind=MeetingKind.GROUP_ACTIVITY) | Q(group__isnull=False),
                                   name="meeting_group_activity_has_group"),
            models.CheckConstraint(condition=~Q(status=MeetingStatus.CANCELLED) | ~Q(cancel_reason=""),
                                   name="meeting_cancelled_has_reason"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in MeetingStatus]),
                                   name="meeting_status_valid"),
            models.UniqueConstraint(fields=["term", "session_number"], condition=Q(session_number__isnull=False),
                                    name="meeting_session_number_unique_in_term"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def has_quorum_rule(self) -> bool:
        from presidium.meetings.choices import QUORUM_KINDS

        return self.kind in QUORUM_KINDS

    def members_entitled(self) -> models.QuerySet:
        """The invitations that count for the quorum (出席 members, not 列席): the base of 应到/实到."""
        return self.invitations.filter(counts_for_quorum=True)


class AgendaItem(models.Model):
    """议程 / 议题 — one item of a meeting's agenda, or a topic of an activity, in order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items",
                                verbose_name=_("会议活动"))
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("议题"), max_length=200)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """参会人员 — one person invited to a meeting: a deputy, a presidium member, or someone who sits in (列席),
    with their attendance: present (出席), on leave (请假, with the reason, asked in advance) or absent (缺席).

    ``name`` keeps the name as it was when invited; ``counts_for_quorum`` marks those whose presence makes
    the quorum (the deputies at a session, the presidium's members at its meeting), never a 列席 attendee.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations",
                                verbose_name=_("会议活动"))
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="meeting_invitations", verbose_name=_("代表"))
    membership = models.ForeignKey("presidium.PresidiumMembership", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="meeting_invitations", verbose_name=_("主席团成员"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="meeting_invitations", verbose_name=_("账号"))
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("单位职务"), max_length=100, blank=True)
    role = models.CharField(_("身份"), max_length=20, choices=InvitationRole.choices, default=InvitationRole.MEMBER)
    counts_for_quorum = models.BooleanField(_("计入法定人数"), default=True)
    status = models.CharField(_("出席情况"), max_length=20, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.INVITED)
    leave_reason = models.CharField(_("请假理由"), max_length=200, blank=True)
    leave_requested_at = models.DateTimeField(_("请假时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("最后登记人"))
    recorded_at = models.DateTimeField(_("最后登记时间"), null=True, blank=True)
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["meeting", "role", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "deputy"], condition=Q(deputy__isnull=False),
                                    name="invitation_deputy_once"),
            models.UniqueConstraint(fields=["meeting", "membership"], condition=Q(membership__isnull=False),
                                    name="invitation_member_once"),
            models.CheckConstraint(condition=~Q(status=AttendanceStatus.LEAVE) | ~Q(leave_reason=""),
                                   name="invitation_leave_has_reason"),
            models.CheckConstraint(condition=Q(role=InvitationRole.MEMBER) | Q(counts_for_quorum=False),
                                   name="invitation_attendee_not_in_quorum"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in AttendanceStatus]),
                                   name="invitation_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name


def meeting_document_path(instance, filename: str) -> str:
    # Never keep the uploader's file name on disk: it may carry personal data.
    return (f"meetings/{instance.meeting.township_id}/{instance.meeting_id}/{uuid.uuid4().hex}"
            f"{safe_suffix(filename)}")


class MeetingDocument(models.Model):
    """会议材料 — a document of a meeting (the notice, a report to be deliberated, the signed minutes); kept private."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents",
                                verbose_name=_("会议活动"))
    title = models.CharField(_("材料名称"), max_length=150, blank=True)
    file = models.FileField(_("文件"), storage=private_storage, upload_to=meeting_document_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size_bytes = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议材料")
        verbose_name_plural = _("会议材料")
        ordering = ["meeting", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title or self.original_name


class Outcome(models.Model):
    """会议成果 — what a meeting produced: minutes (会议纪要), a resolution (决议) or decision (决定), a deliberation
    opinion (审议意见) sent to the government and followed up until answered, or a finding of an inspection or
    survey (视察调研意见) that becomes a suggestion or a rectification item.

    Vote counts of resolutions and decisions live with the votes app, which points here.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes",
                                verbose_name=_("会议活动"))
    kind = models.CharField(_("类型"), max_length=30, choices=OutcomeKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("内容"), blank=True)
    # A deliberation opinion: to whom, when sent, by when answered, and the answer.
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="meeting_outcomes", verbose_name=_("送交（整改）单位"))
    sent_on = models.DateField(_("送交日期"), null=True, blank=True)
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    # A finding: what became of it. The suggestion (or anything else a higher app made of it) is linked
    # generically, as a visit's opinion is, so this app needs no import of the proposals app.
    follow_up = models.CharField(_("处理方式"), max_length=20, choices=FindingFollowUp.choices, blank=True,
                                 default=FindingFollowUp.NONE)
    rectification_due_on = models.DateField(_("整改期限"), null=True, blank=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    converted_content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True,
                                               related_name="+")
    converted_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    converted_to = GenericForeignKey("converted_content_type", "converted_object_id")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["converted_content_type", "converted_object_id"])

    class Meta:
        verbose_name = _("会议成果")
        verbose_name_plural = _("会议成果")
        ordering = ["meeting", "kind", "pk"]
        indexes = [models.Index(fields=["kind", "answered_on", "due_on"], name="outcome_opinion_follow_up")]
        constraints = [
            models.CheckConstraint(condition=Q(kind=OutcomeKind.DELIBERATION_OPINION) | Q(
                sent_on__isnull=True, due_on__isnull=True, answered_on__isnull=True),
                name="outcome_follow_up_only_for_opinions"),
            models.CheckConstraint(condition=Q(kind__in=[OutcomeKind.DELIBERATION_OPINION, OutcomeKind.FINDING])
                                   | Q(unit__isnull=True), name="outcome_unit_for_opinion_or_finding"),
            models.CheckConstraint(condition=Q(answered_on__isnull=True) | Q(sent_on__isnull=False),
                                   name="outcome_answered_after_sent"),
            models.CheckConstraint(condition=Q(sent_on__isnull=True) | Q(unit__isnull=False),
                                   name="outcome_sent_to_unit"),
            models.CheckConstraint(condition=Q(kind=OutcomeKind.FINDING) | Q(follow_up=""),
                                   name="outcome_follow_up_only_for_findings"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def opinion_status(self) -> str:
        if self.answered_on:
            return OpinionStatus.ANSWERED
        if self.sent_on:
            return OpinionStatus.SENT
        return OpinionStatus.DRAFT

    def get_opinion_status_display(self) -> str:
        return str(OpinionStatus(self.opinion_status).label)


class CalendarFeed(models.Model):
    """日历订阅 — a user's secret iCal feed address. Renewing it gives a new token; the old address stops working."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_feed",
                                verbose_name=_("用户"))
    token = models.CharField(_("订阅令牌"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("生成时间"))
    last_fetched_at = models.DateTimeField(_("最近读取时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self) -> str:
        return str(self.user)
