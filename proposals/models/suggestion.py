"""The motion or suggestion itself, its co-signers, categories, serial counters, files and timeline."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from presidium.calendar.choices import DeadlineUnit
from presidium.documents.storage import private_storage
from proposals.choices import (
    ASSIGNED_OR_LATER,
    OPEN_HANDLING,
    AgendaDecision,
    AttachmentPurpose,
    DeadlineChoice,
    RaisedDuring,
    ResultClass,
    Satisfaction,
    SubmitterKind,
    SuggestionKind,
    SuggestionStatus,
    SupervisionMode,
)

DEFAULT_CATEGORIES = ["经济发展", "农业农村", "城乡建设", "教育", "医疗卫生", "社会保障", "生态环境", "其他"]


class Category(models.Model):
    """建议类别 — a township's own list of subjects (经济发展, 农业农村 …), editable by its staff."""

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="proposal_categories",
                                 verbose_name=_("乡镇"))
    name = models.CharField(_("类别名称"), max_length=30)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("建议类别")
        verbose_name_plural = _("建议类别")
        ordering = ["township", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="proposal_category_unique_name")]

    def __str__(self) -> str:
        return self.name


class ProposalSettings(models.Model):
    """建议办理设置 — a township's choices for reminders, re-handling and the public 五公开 page.

    The reply deadlines themselves are the township's (``Township.reply_deadline_months``); these
    are the proposals app's own settings, created with defaults the first time they are read.
    """

    township = models.OneToOneField("presidium.Township", on_delete=models.CASCADE,
                                    related_name="proposal_settings", verbose_name=_("乡镇"))
    reminder_days_before = models.CharField(
        _("到期前提醒（工作日）"), max_length=30, default="10,3",
        help_text=_("到期前多少个工作日提醒承办单位，用逗号分隔，例如“10,3”。到期当日和逾期后每周也会提醒。"),
    )
    stale_after_days = models.PositiveSmallIntegerField(
        _("未面商提醒（天）"), default=30, validators=[MinValueValidator(5), MaxValueValidator(180)],
        help_text=_("交办后超过这么多天仍未与代表面商，提醒代表和人大办。"),
    )
    rehandling_deadline_months = models.PositiveSmallIntegerField(
        _("重新办理期限（月）"), default=1, validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_("代表评价不满意后，重新办理并再次答复的期限。"),
    )
    public_show_deputy_names = models.BooleanField(
        _("公开页显示领衔代表姓名"), default=False,
        help_text=_("五公开页面默认不显示代表姓名；开启后只显示领衔代表的姓名，不显示其他个人信息。"),
    )
    publish_by_default = models.BooleanField(_("交办后默认公开"), default=False)
    hand_back_days = models.PositiveSmallIntegerField(
        _("申请退办时限（工作日）"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("交办后多少个工作日内，主办单位认为不属于本单位职责的，可以申请退办。"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("建议办理设置")
        verbose_name_plural = _("建议办理设置")

    def __str__(self) -> str:
        return str(self.township_id)

    def clean(self) -> None:
        try:
            days = parse_reminder_days(self.reminder_days_before)
        except ValueError as error:
            raise ValidationError({"reminder_days_before": str(error)}) from None
        self.reminder_days_before = ",".join(str(n) for n in days)

    @property
    def reminder_days(self) -> list[int]:
        try:
            return parse_reminder_days(self.reminder_days_before)
        except ValueError:
            return [10, 3]


def parse_reminder_days(text: str) -> list[int]:
    """``"10, 3"`` → ``[10, 3]`` (distinct, largest first); a clear Chinese error otherwise."""
    parts = [p.strip() for p in (text or "").replace("，", ",").split(",") if p.strip()]
    try:
        days = sorted({int(p) for p in parts}, reverse=True)
    except ValueError:
        raise ValueError(_("请填写用逗号分隔的工作日数，例如“10,3”。")) from None
    if len(days) > 5 or any(d < 1 or d > 60 for d in days):
        raise ValueError(_("最多 5 个提醒，每个在 1 到 60 个工作日之间。"))
    return days


class SerialCounter(models.Model):
    """编号计数器 — the last serial number used per township, year and kind (locked while allocating)."""

    township = models.ForeignKey("presidium.Township", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("乡镇"))
    kind = models.CharField(_("类型"), max_length=20, choices=SuggestionKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    last_number = models.PositiveIntegerField(_("已用最大编号"), default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        constraints = [models.UniqueConstraint(fields=["township", "kind", "year"], name="serial_counter_unique")]

    def __str__(self) -> str:
        return f"{self.township_id}/{self.kind}/{self.year}: {self.last_number}"


def format_serial(kind, year, number) -> str:
    """An item's serial from its columns (``Suggestion.serial``; the chair's desk reads the columns alone)."""
    if number is None:
        return ""
    text = f"{year}-{number:03d}"
    return f"议 {text}" if kind == SuggestionKind.MOTION else text


class Suggestion(models.Model):
    """代表建议、批评和意见 / 议案 — one item from a deputy's idea to a rated reply.

    The item carries its current assignment (lead unit, deadline and its rule) and a few
    denormalised facts of its handling (first consultation, first reply, latest result class and
    satisfaction) so that the rates are one aggregate query over this table.
    """

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="suggestions",
                                 verbose_name=_("乡镇"))
    kind = models.CharField(_("类型"), max_length=20, choices=SuggestionKind.choices, default=SuggestionKind.SUGGESTION)
    submitter_kind = models.CharField(_("提出方式"), max_length=20, choices=SubmitterKind.choices,
                                      default=SubmitterKind.DEPUTIES)
    raised_during = models.CharField(_("提出时间"), max_length=20, choices=RaisedDuring.choices,
                                     default=RaisedDuring.RECESS)
    session_name = models.CharField(_("会议"), max_length=100, blank=True,
                                    help_text=_("大会期间提出的，写明会议，例如“第十八届人民代表大会第五次会议”。"))
    # The session's record (会议活动); the name above stays as typed (and as printed on the 交办函 batches).
    session = models.ForeignKey("meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="suggestions", limit_choices_to={"kind": "congress_session"},
                                verbose_name=_("大会"))
    serial_year = models.PositiveSmallIntegerField(_("编号年度"), null=True, blank=True)
    serial_number = models.PositiveIntegerField(_("编号"), null=True, blank=True)
    former_serial = models.CharField(_("原编号"), max_length=30, blank=True,
                                     help_text=_("议案改作建议处理前的编号。"))
    title = models.CharField(_("标题（案由）"), max_length=200)
    content = models.TextField(_("内容和理由"))
    measures = models.TextField(_("具体建议"), blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="suggestions",
                                 verbose_name=_("类别"))
    lead_deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="led_suggestions", verbose_name=_("领衔代表"))
    source_opinion = models.ForeignKey("deputies.VisitOpinion", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name=_("来源（选民意见）"))
    status = models.CharField(_("状态"), max_length=20, choices=SuggestionStatus.choices,
                              default=SuggestionStatus.DRAFT, db_index=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    registered_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("登记人"))
    returned_reason = models.TextField(_("退回理由"), blank=True)
    agenda_decision = models.CharField(_("议程决定"), max_length=20, choices=AgendaDecision.choices, blank=True)
    agenda_reason = models.TextField(_("议程决定说明"), blank=True)
    agenda_decided_at = models.DateTimeField(_("议程决定时间"), null=True, blank=True)
    # --- the current assignment (交办) ---
    lead_unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="lead_suggestions", verbose_name=_("主办单位"))
    co_units = models.ManyToManyField("presidium.HandlingUnit", through="proposals.CoUnit", blank=True,
                                      related_name="co_suggestions", verbose_name=_("协办单位"))
    responsible_leader = models.CharField(_("分管领导"), max_length=50, blank=True)
    responsible_leader_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                                blank=True, related_name="+", verbose_name=_("分管领导账号"))
    supervision_mode = models.CharField(_("督办方式"), max_length=20, choices=SupervisionMode.choices, blank=True)
    is_key = models.BooleanField(_("重点建议"), default=False)
    leading_leader = models.CharField(_("领办领导"), max_length=50, blank=True)
    assignment_note = models.TextField(_("交办意见"), blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("交办人"))
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    # --- the deadline and its rule (stored so it can be recomputed when a year's holidays change) ---
    deadline_choice = models.CharField(_("期限类型"), max_length=20, choices=DeadlineChoice.choices, blank=True)
    deadline_start = models.DateField(_("期限起算日"), null=True, blank=True)
    deadline_amount = models.PositiveSmallIntegerField(_("期限数"), null=True, blank=True)
    deadline_unit = models.CharField(_("期限单位"), max_length=20, choices=DeadlineUnit.choices, blank=True)
    deadline = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    deadline_provisional = models.BooleanField(_("期限暂定"), default=False,
                                               help_text=_("期限跨入节假日尚未确认的年份，确认后自动重算。"))
    # --- the handling so far (denormalised for the figures) ---
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    first_consulted_at = models.DateTimeField(_("首次面商时间"), null=True, blank=True)
    last_consulted_at = models.DateTimeField(_("最近面商时间"), null=True, blank=True)
    first_replied_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    first_reply_on_time = models.BooleanField(_("首次答复按期"), null=True, blank=True)
    last_replied_at = models.DateTimeField(_("最近答复时间"), null=True, blank=True)
    result_class = models.CharField(_("办理结果"), max_length=1, choices=ResultClass.choices, blank=True)
    satisfaction = models.CharField(_("代表满意度"), max_length=20, choices=Satisfaction.choices, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_reason = models.TextField(_("办结说明"), blank=True)
    is_public = models.BooleanField(_("五公开"), default=False)
    last_activity_at = models.DateTimeField(_("最近办理动态"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "last_activity_at"])

    class Meta:
        verbose_name = _("议案建议")
        verbose_name_plural = _("议案建议")
        ordering = ["-serial_year", "-serial_number", "-created_at", "-pk"]
        indexes = [
            # The list's own order, so a county's first page is read from the index, not sorted from every row.
            models.Index(fields=["-serial_year", "-serial_number", "-created_at", "-id"], name="suggestion_list_order"),
            models.Index(fields=["township", "status"], name="suggestion_township_status"),
            models.Index(fields=["lead_unit", "status"], name="suggestion_unit_status"),
            models.Index(fields=["township", "assigned_at"], name="suggestion_township_assigned"),
            # The figures of a period (in_period): a county's year is read from here, not from every item.
            models.Index(fields=["submitted_at"], name="suggestion_submitted_at"),
            # The overdue items (the homes' 逾期未办结 card, the list's filter): the open ones by deadline, read from
            # the index alone, not every item of the township filtered (a township's 1,750 rows for its 35).
            models.Index(fields=["township", "deadline"], name="suggestion_open_deadline",
                         condition=Q(status__in=sorted(s.value for s in OPEN_HANDLING))),
        ]
        constraints = [
            models.UniqueConstraint(fields=["township", "kind", "serial_year", "serial_number"],
                                    condition=Q(serial_number__isnull=False), name="suggestion_unique_serial"),
            models.CheckConstraint(
                condition=Q(kind=SuggestionKind.MOTION) | Q(submitter_kind=SubmitterKind.DEPUTIES),
                name="suggestion_only_motions_by_presidium",
            ),
            models.CheckConstraint(
                condition=Q(submitter_kind=SubmitterKind.PRESIDIUM) | Q(lead_deputy__isnull=False),
                name="suggestion_has_lead_deputy",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(s.value for s in ASSIGNED_OR_LATER))
                | Q(lead_unit__isnull=False, deadline__isnull=False, assigned_at__isnull=False),
                name="suggestion_assigned_has_unit_and_deadline",
            ),
            models.CheckConstraint(
                condition=Q(serial_number__isnull=True) | Q(serial_year__isnull=False),
                name="suggestion_serial_has_year",
            ),
            models.CheckConstraint(
                condition=~Q(status=SuggestionStatus.CLOSED) | Q(closed_at__isnull=False),
                name="suggestion_closed_has_time",
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="suggestion_round_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.serial or _('未编号')} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    @property
    def serial(self) -> str:
        """2026-015 for a suggestion, 议 2026-003 for a motion; empty until registered."""
        return format_serial(self.kind, self.serial_year, self.serial_number)

    @property
    def is_motion(self) -> bool:
        return self.kind == SuggestionKind.MOTION

    @property
    def is_open_handling(self) -> bool:
        return self.status in (SuggestionStatus.ASSIGNED, SuggestionStatus.IN_HANDLING, SuggestionStatus.REHANDLING)


class Cosignature(models.Model):
    """附议 / 联名 — a deputy who signs with the lead deputy; counts only once they confirm."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosignatures",
                                   verbose_name=_("议案建议"))
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="cosignatures",
                               verbose_name=_("联名代表"))
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    declined_at = models.DateTimeField(_("谢绝时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("确认人"),
                                     help_text=_("代表本人，或代为登记的人大办工作人员。"))

    class Meta:
        verbose_name = _("联名代表")
        verbose_name_plural = _("联名代表")
        ordering = ["suggestion", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "deputy"], name="cosignature_once"),
            models.CheckConstraint(condition=Q(confirmed_at__isnull=True) | Q(declined_at__isnull=True),
                                   name="cosignature_confirmed_or_declined"),
        ]

    def __str__(self) -> str:
        return str(self.deputy)

    @property
    def state_label(self) -> str:
        if self.confirmed_at:
            return _("已确认")
        if self.declined_at:
            return _("已谢绝")
        return _("待确认")


def attachment_path(instance, filename: str) -> str:
    # Never keep the uploader's file name on disk: it may carry personal data.
    from presidium.documents.storage import safe_suffix

    return f"proposals/{instance.suggestion.township_id}/{instance.suggestion_id}/{uuid.uuid4().hex}" \
           f"{safe_suffix(filename)}"


class Attachment(models.Model):
    """附件 — a file kept with an item (materials, the signed reply, a consultation record); private."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="attachments",
                                   verbose_name=_("议案建议"))
    purpose = models.CharField(_("用途"), max_length=20, choices=AttachmentPurpose.choices,
                               default=AttachmentPurpose.MATERIAL)
    reply = models.ForeignKey("proposals.Reply", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="attachments", verbose_name=_("答复"))
    file = models.FileField(_("文件"), storage=private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size_bytes = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    # Files kept before uploads were checked in full (presidium.documents.uploads) are served as downloads.
    content_checked = models.BooleanField(_("内容已检查"), default=False)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["suggestion", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class SuggestionLog(models.Model):
    """办理记录 — the readable timeline of an item: who did what, when, from which status to which."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="log",
                                   verbose_name=_("议案建议"))
    event = models.CharField(_("事项"), max_length=40)
    title = models.CharField(_("说明"), max_length=300)
    note = models.TextField(_("备注"), blank=True)
    from_status = models.CharField(_("原状态"), max_length=20, choices=SuggestionStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=SuggestionStatus.choices, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["suggestion", "at", "pk"]

    def __str__(self) -> str:
        return self.title
