"""The petition (信访件) and what hangs on it: representatives, transfers, clocks, notices, return visits,
reviews, the timeline, attachments and the log of unmasked views of the petitioner's personal data."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from petitions.choices import (
    COLLECTIVE_MIN_PEOPLE,
    MAX_REPRESENTATIVES,
    Channel,
    ClockKind,
    ClockState,
    DataAccessPurpose,
    EventKind,
    FeedbackResult,
    Findings,
    NoticeKind,
    PetitionStatus,
    Resolution,
    ReturnVisitMethod,
    ReviewDecision,
    ReviewLevel,
    Urgency,
)
from presidium.calendar.choices import DeadlineUnit
from presidium.crypto import EncryptedCharField
from presidium.documents.storage import private_storage

# Personal data columns: encrypted (or digests of them); kept out of the history tables.
PII_FIELDS = ("mobile", "mobile_digest", "id_number", "id_number_digest", "address", "query_code",
              "query_code_digest")


class Category(models.Model):
    """信访类别 — a township's own list of subjects (土地房产, 劳动工资 …), editable by its staff."""

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="petition_categories",
                                 verbose_name=_("乡镇"))
    name = models.CharField(_("类别名称"), max_length=30)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("信访类别")
        verbose_name_plural = _("信访类别")
        ordering = ["township", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="petition_category_unique_name")]

    def __str__(self) -> str:
        return self.name


class PetitionSequence(models.Model):
    """信访登记号计数器 — the last registration number used per township and year (locked while allocating).

    Not the floor's ``DocumentNumberSequence``: a registration number (〔2026〕第12号) is not a
    发文字号 and must not take numbers from, or show up among, the township's official documents.
    """

    township = models.ForeignKey("presidium.Township", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("乡镇"))
    year = models.PositiveSmallIntegerField(_("年度"))
    last_number = models.PositiveIntegerField(_("已用最大编号"), default=0)

    class Meta:
        verbose_name = _("信访登记号计数器")
        verbose_name_plural = _("信访登记号计数器")
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="petition_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.township_id}/{self.year}: {self.last_number}"


class Petition(models.Model):
    """信访件 — one letter, visit, call or online petition from registration to 息访.

    The status is the step the case is at; the outcome (findings, reasonableness, resolution, the
    petitioner's feedback) is kept apart, so a closed case is not taken for a solved one. The next
    running clock's due date is kept here (``next_due_on``) for lists and the overdue count; the clocks
    themselves are :class:`PetitionClock` rows.
    """

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="petitions",
                                 verbose_name=_("乡镇"))
    year = models.PositiveSmallIntegerField(_("登记年度"))
    number = models.PositiveIntegerField(_("登记号"))
    channel = models.CharField(_("信访渠道"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("收到日期"))
    referral_body = models.CharField(_("转办机关"), max_length=100, blank=True,
                                     help_text=_("上级转办的，写明转办机关，例如“县信访局”。"))
    referral_number = models.CharField(_("转办文号"), max_length=60, blank=True)
    reception_day = models.ForeignKey("petitions.ReceptionDay", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="petitions", verbose_name=_("接待日"))
    raised_by_deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="raised_petitions", verbose_name=_("代言代表"))
    origin_opinion = models.ForeignKey("deputies.VisitOpinion", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name=_("来源（选民意见）"))
    # --- the petitioner (信访人) ---
    anonymous = models.BooleanField(_("匿名"), default=False)
    name = models.CharField(_("信访人姓名"), max_length=50, blank=True)
    mobile = EncryptedCharField(_("联系电话"), max_length=20, blank=True, default="")
    mobile_digest = models.CharField(_("联系电话摘要"), max_length=64, blank=True, db_index=True, editable=False)
    id_number = EncryptedCharField(_("身份证号码"), max_length=18, blank=True, default="")
    id_number_digest = models.CharField(_("身份证号码摘要"), max_length=64, blank=True, db_index=True,
                                        editable=False)
    address = EncryptedCharField(_("住址"), max_length=200, blank=True, default="")
    village = models.CharField(_("所在村（社区）"), max_length=50, blank=True)
    people_count = models.PositiveSmallIntegerField(_("人数"), default=1, validators=[MinValueValidator(1)],
                                                    help_text=_("来访人数；五人以上为集体访。"))
    is_collective = models.BooleanField(_("集体访"), default=False)
    # --- the matter ---
    subject = models.CharField(_("信访事项"), max_length=200)
    content = models.TextField(_("主要诉求和事实"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="petitions",
                                 verbose_name=_("类别"))
    urgency = models.CharField(_("紧急程度"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("状态"), max_length=30, choices=PetitionStatus.choices,
                              default=PetitionStatus.REGISTERED, db_index=True)
    # --- steps (dates of the main events, for lists and figures) ---
    on_spot_answer = models.TextField(_("当场答复内容"), blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    rejection_reason = models.TextField(_("不予受理理由"), blank=True)
    current_unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="current_petitions", verbose_name=_("当前承办单位"))
    replied_on = models.DateField(_("书面答复日期"), null=True, blank=True)
    closed_at = models.DateTimeField(_("息访时间"), null=True, blank=True)
    close_note = models.TextField(_("息访说明"), blank=True)
    next_due_on = models.DateField(_("最近到期日"), null=True, blank=True, db_index=True,
                                   help_text=_("正在计时的法定时限中最早的到期日，由时限服务写入。"))
    # --- the outcome (kept apart from the status) ---
    findings = models.CharField(_("调查认定"), max_length=20, choices=Findings.choices, blank=True)
    request_reasonable = models.BooleanField(_("诉求合理"), null=True, blank=True)
    resolution = models.CharField(_("化解方式"), max_length=20, choices=Resolution.choices, blank=True)
    outcome_note = models.TextField(_("处理结果说明"), blank=True)
    feedback = models.CharField(_("信访人评价"), max_length=20, choices=FeedbackResult.choices, blank=True,
                                help_text=_("最近一次回访的结果。"))
    # --- supervision ---
    key_supervision = models.BooleanField(_("重点督办"), default=False)
    supervising_leader = models.CharField(_("督办领导"), max_length=50, blank=True)
    lead_leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="led_petitions", verbose_name=_("包案领导"),
                                    help_text=_("领导包案：包案领导会收到每一步办理的通知。"))
    # --- referred cases: the result reported back upward ---
    result_reported_on = models.DateField(_("结果上报日期"), null=True, blank=True)
    result_report = models.TextField(_("上报的办理结果"), blank=True)
    # --- repeats ---
    repeat_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="repeats",
                                  verbose_name=_("重复信访，原件"))
    related = models.ManyToManyField("self", blank=True, symmetrical=True, verbose_name=_("相关信访件"))
    # --- the petitioner's own look-up (查询码) ---
    query_code = EncryptedCharField(_("查询码"), max_length=20, blank=True, default="")
    query_code_digest = models.CharField(_("查询码摘要"), max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("登记人"),
                                   help_text=_("网上信访由信访人本人提交，登记人为空。"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=[*PII_FIELDS, "updated_at"])

    class Meta:
        verbose_name = _("信访件")
        verbose_name_plural = _("信访件")
        ordering = ["-year", "-number", "-pk"]
        indexes = [
            # The list's own order: a county's list reads its first page from this index instead of sorting
            # every petition of the county (140 ms → a few ms at 60,000 petitions, docs/performance.md).
            models.Index(fields=["-year", "-number", "-id"], name="petition_list_order"),
            models.Index(fields=["township", "status"], name="petition_township_status"),
            models.Index(fields=["township", "received_on"], name="petition_township_received"),
            models.Index(fields=["current_unit", "status"], name="petition_unit_status"),
            # The figures of a period across townships (the county's year): 12,000 of 60,000 cases, not all.
            models.Index(fields=["received_on"], name="petition_received_on"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "number"], name="petition_unique_number"),
            models.UniqueConstraint(fields=["query_code_digest"], condition=~Q(query_code_digest=""),
                                    name="petition_unique_query_code"),
            models.CheckConstraint(condition=Q(people_count__gte=1), name="petition_people_count_positive"),
            models.CheckConstraint(
                condition=Q(is_collective=True, people_count__gte=COLLECTIVE_MIN_PEOPLE)
                | Q(is_collective=False, people_count__lt=COLLECTIVE_MIN_PEOPLE),
                name="petition_collective_iff_five_or_more",
            ),
            models.CheckConstraint(condition=Q(anonymous=False) | Q(name=""), name="petition_anonymous_has_no_name"),
            models.CheckConstraint(condition=~Q(channel=Channel.REFERRED) | ~Q(referral_body=""),
                                   name="petition_referred_has_body"),
            models.CheckConstraint(condition=~Q(channel=Channel.DEPUTY) | Q(raised_by_deputy__isnull=False),
                                   name="petition_deputy_channel_has_deputy"),
            models.CheckConstraint(condition=~Q(status=PetitionStatus.CLOSED) | Q(closed_at__isnull=False),
                                   name="petition_closed_has_time"),
            models.CheckConstraint(
                condition=~Q(status__in=sorted({PetitionStatus.ACCEPTED, PetitionStatus.TRANSFERRED,
                                                PetitionStatus.REPLIED}))
                | Q(accepted_on__isnull=False),
                name="petition_accepted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", args=[self.pk])

    @property
    def registration_number(self) -> str:
        """〔2026〕第12号."""
        return f"〔{self.year}〕第{self.number}号"

    @property
    def person_visits(self) -> int:
        """人次: a collective visit of 8 people counts 8."""
        return self.people_count


class PetitionRepresentative(models.Model):
    """集体访代表 — one of at most five representatives a collective visit chose."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="representatives",
                                 verbose_name=_("信访件"))
    position = models.PositiveSmallIntegerField(
        _("序号"), validators=[MinValueValidator(1), MaxValueValidator(MAX_REPRESENTATIVES)])
    name = models.CharField(_("姓名"), max_length=50)
    mobile = EncryptedCharField(_("联系电话"), max_length=20, blank=True, default="")

    class Meta:
        verbose_name = _("集体访代表")
        verbose_name_plural = _("集体访代表")
        ordering = ["petition", "position"]
        constraints = [
            # The position is 1..5 and unique per petition: the database itself holds "at most five".
            models.UniqueConstraint(fields=["petition", "position"], name="petition_representative_position_once"),
            models.CheckConstraint(condition=Q(position__gte=1, position__lte=MAX_REPRESENTATIVES),
                                   name="petition_representative_at_most_five"),
        ]

    def __str__(self) -> str:
        return self.name


class PetitionTransfer(models.Model):
    """转办 — the case given to a unit with a named owner and a due date; the unit's reply comes back on it.

    One open transfer at a time (a constraint); a transfer withdrawn before the reply (改办) is
    ``cancelled_at`` and a new one is made.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="transfers",
                                 verbose_name=_("信访件"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, related_name="petition_transfers",
                             verbose_name=_("承办单位"))
    owner_name = models.CharField(_("责任人"), max_length=50)
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("责任人账号"))
    due_on = models.DateField(_("办结期限"))
    note = models.TextField(_("转办意见"), blank=True)
    transferred_at = models.DateTimeField(_("转办时间"), auto_now_add=True)
    transferred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("转办人"))
    reply = models.TextField(_("办理情况"), blank=True)
    reply_public = models.TextField(_("办理情况（公开版）"), blank=True,
                                    help_text=_("不含个人信息，可向信访人公开的文本。"))
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("回复人"))
    cancelled_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("转办")
        verbose_name_plural = _("转办")
        ordering = ["petition", "transferred_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["petition"], condition=Q(replied_at__isnull=True, cancelled_at__isnull=True),
                                    name="petition_one_open_transfer"),
            models.CheckConstraint(condition=Q(replied_at__isnull=True) | Q(cancelled_at__isnull=True),
                                   name="petition_transfer_replied_or_cancelled"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.owner_name}"

    @property
    def is_open(self) -> bool:
        return self.replied_at is None and self.cancelled_at is None


class PetitionNotice(models.Model):
    """告知书、意见书和转办单 — a numbered document to the petitioner (or the unit); issuing it moves clocks.

    ``body`` is the full text as sent; ``public_body`` the version without personal data that the
    petitioner's look-up and the public may see.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="notices", verbose_name=_("信访件"))
    kind = models.CharField(_("文书"), max_length=20, choices=NoticeKind.choices)
    number = models.ForeignKey("documents.DocumentNumber", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("发文字号"))
    issued_on = models.DateField(_("印发日期"))
    issued_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("经办人"))
    addressee = models.CharField(_("主送"), max_length=100, blank=True)
    body = models.TextField(_("正文"))
    public_body = models.TextField(_("正文（公开版）"), blank=True)
    transfer = models.ForeignKey(PetitionTransfer, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="notices", verbose_name=_("转办"))
    extension_days = models.PositiveSmallIntegerField(_("延长天数"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    approved_by = models.CharField(_("批准人"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("信访文书")
        verbose_name_plural = _("信访文书")
        ordering = ["petition", "issued_at", "pk"]
        constraints = [
            # One acceptance decision and one extension per petition.
            models.UniqueConstraint(fields=["petition"], condition=Q(kind__in=["acceptance", "non_acceptance"]),
                                    name="petition_notice_one_acceptance_decision"),
            models.UniqueConstraint(fields=["petition"], condition=Q(kind="extension"),
                                    name="petition_notice_one_extension"),
            models.CheckConstraint(condition=~Q(kind="extension") | Q(extension_days__gte=1),
                                   name="petition_notice_extension_has_days"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number or ''}".strip()

    @property
    def reference(self) -> str:
        """The 发文字号 as printed (青人大〔2026〕5号), '' when not numbered."""
        return str(self.number) if self.number_id else ""


# The due date of a clock that is the presidium's late duty once past it (running, not the petitioner's own window
# to ask for a review), NULL for every other clock. Indexed as an expression (``petition_clock_duty_due``)
# so that PostgreSQL keeps statistics of these few hundred dates alone: against the due dates of all 160,000 clocks
# of a county (nearly all past) it guessed 1,440 late clocks for 326 and scanned every case of the county instead of
# fetching the late ones by key. Filter with this very expression (``petitions.selectors.running_duty_clocks``) so
# the index and its statistics apply.
RUNNING_DUTY_DUE = models.Case(
    models.When(Q(state="running") & ~Q(kind__in=["review_request", "re_review_request"]), then=models.F("due_on")),
    output_field=models.DateField(),
)


class PetitionClock(models.Model):
    """法定时限 — one statutory limit of one case: its basis, unit, start event, due date, and how it ended.

    Calendar days by default (信访工作条例); the unit is stored so a setting may count one in working
    days. Clocks do not pause; ``counted`` says how the due date was reached (shown on the page).
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="clocks", verbose_name=_("信访件"))
    kind = models.CharField(_("时限"), max_length=20, choices=ClockKind.choices)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1,
                                             help_text=_("回访不满意重新办理后，时限从第 2 轮起重新计算。"))
    legal_basis = models.CharField(_("依据"), max_length=300)
    unit = models.CharField(_("计算单位"), max_length=20, choices=DeadlineUnit.choices,
                            default=DeadlineUnit.CALENDAR_DAYS)
    amount = models.PositiveSmallIntegerField(_("期限数"))
    start_event = models.CharField(_("起算事件"), max_length=100)
    started_on = models.DateField(_("起算日"))
    due_on = models.DateField(_("到期日"), db_index=True)
    counted = models.CharField(_("期限计算"), max_length=300, blank=True)
    started_by_notice = models.ForeignKey(PetitionNotice, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="started_clocks", verbose_name=_("起算文书"))
    stopped_on = models.DateField(_("停止日"), null=True, blank=True)
    stop_event = models.CharField(_("停止事件"), max_length=100, blank=True)
    stopped_by_notice = models.ForeignKey(PetitionNotice, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="stopped_clocks", verbose_name=_("停止文书"))
    state = models.CharField(_("状态"), max_length=20, choices=ClockState.choices, default=ClockState.RUNNING,
                             db_index=True)

    class Meta:
        verbose_name = _("法定时限")
        verbose_name_plural = _("法定时限")
        ordering = ["petition", "started_on", "pk"]
        indexes = [
            # The late clocks (超期: running past the due date, the petitioner's own windows left out), which the
            # home card and the overdue filter look up: a few hundred among 160,000 clocks at county scale.
            models.Index(fields=["due_on"], name="petition_clock_late_running",
                         condition=Q(state="running") & ~Q(kind__in=["review_request", "re_review_request"])),
            models.Index(RUNNING_DUTY_DUE, name="petition_clock_duty_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["petition", "kind", "round"], name="petition_clock_once_per_round"),
            models.CheckConstraint(condition=Q(amount__gte=1), name="petition_clock_amount_positive"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("started_on")), name="petition_clock_due_after_start"),
            models.CheckConstraint(
                condition=Q(state=ClockState.RUNNING, stopped_on__isnull=True)
                | (~Q(state=ClockState.RUNNING) & Q(stopped_on__isnull=False)),
                name="petition_clock_stopped_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"


class ReturnVisit(models.Model):
    """回访 — asking the petitioner about the answer; a dissatisfied answer may reopen the case."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="return_visits",
                                 verbose_name=_("信访件"))
    visited_on = models.DateField(_("回访日期"))
    method = models.CharField(_("回访方式"), max_length=20, choices=ReturnVisitMethod.choices,
                              default=ReturnVisitMethod.PHONE)
    result = models.CharField(_("回访结果"), max_length=20, choices=FeedbackResult.choices)
    note = models.TextField(_("回访情况"), blank=True)
    reopened = models.BooleanField(_("重新转办"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("回访人"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["petition", "visited_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(reopened=False) | Q(result=FeedbackResult.UNSATISFIED),
                                   name="return_visit_reopens_only_when_unsatisfied"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.get_result_display()}"


class PetitionReview(models.Model):
    """复查 / 复核 — the petitioner's request against the written answer (or the review) and its decision."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("信访件"))
    level = models.CharField(_("层级"), max_length=20, choices=ReviewLevel.choices)
    requested_on = models.DateField(_("申请日期"))
    request_channel = models.CharField(_("申请方式"), max_length=20, choices=Channel.choices)
    reason = models.TextField(_("申请理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("登记人"),
                                     help_text=_("信访人通过查询码自行申请的，登记人为空。"))
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision = models.CharField(_("结论"), max_length=20, choices=ReviewDecision.choices, blank=True)
    decision_text = models.TextField(_("复查（复核）意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("决定人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("复查复核")
        verbose_name_plural = _("复查复核")
        ordering = ["petition", "requested_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "level"], name="petition_review_once_per_level"),
            models.CheckConstraint(condition=Q(decided_on__isnull=True) | ~Q(decision=""),
                                   name="petition_review_decided_has_decision"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.requested_on}"


class PetitionEvent(models.Model):
    """办理记录 — the readable timeline of a case: who did what, when, from which status to which (in Chinese)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events", verbose_name=_("信访件"))
    kind = models.CharField(_("类型"), max_length=20, choices=EventKind.choices, default=EventKind.STEP)
    event = models.CharField(_("事项"), max_length=40)
    title = models.CharField(_("说明"), max_length=300)
    note = models.TextField(_("备注"), blank=True)
    from_status = models.CharField(_("原状态"), max_length=30, choices=PetitionStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=30, choices=PetitionStatus.choices, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["petition", "at", "pk"]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance, filename: str) -> str:
    # Never keep the uploader's file name on disk: it may carry personal data.
    from presidium.documents.storage import safe_suffix

    return f"petitions/{instance.petition.township_id}/{instance.petition_id}/{uuid.uuid4().hex}" \
           f"{safe_suffix(filename)}"


class PetitionAttachment(models.Model):
    """附件 — a letter's scan, the petitioner's materials, a signed answer; kept private."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments",
                                 verbose_name=_("信访件"))
    file = models.FileField(_("文件"), storage=private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size_bytes = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("上传人"))
    content_checked = models.BooleanField(_("内容已检查"), default=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信访附件")
        verbose_name_plural = _("信访附件")
        ordering = ["petition", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class PetitionDataAccess(models.Model):
    """信访人个人信息查看记录 — who saw petitioners' personal data unmasked, when, where and why (PIPL art. 51).

    The same shape as ``deputies.PersonalDataAccess``, but its own table: that one points at a deputy,
    and a log of who looked at petitioners must be readable without the deputies' register.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("查看人"))
    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("乡镇"))
    petition = models.ForeignKey(Petition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("信访件"))
    purpose = models.CharField(_("用途"), max_length=20, choices=DataAccessPurpose.choices)
    fields = models.CharField(_("字段"), max_length=100)
    row_count = models.PositiveIntegerField(_("涉及件数"), default=1)
    path = models.CharField(_("页面"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("信访人个人信息查看记录")
        verbose_name_plural = _("信访人个人信息查看记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_purpose_display()} · {self.at:%Y-%m-%d %H:%M}"
