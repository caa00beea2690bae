"""County scorecards of townships (县人大对乡镇人大工作的考评): checklists, responses, evidence, scores.

A county reviewer publishes a :class:`Checklist` for a quarter or a month; every township of the county
then has one :class:`TownshipResponse` to it, answering each :class:`ChecklistItem` (:class:`ItemResponse`)
with files and, for items tied to an indicator, the records the portal computed (:class:`Evidence`).
The reviewer scores each item (:class:`ItemScore`) and finalises. State changes: ``evaluations.scorecards.services``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from evaluations.scorecards.choices import (
    Answer,
    ChecklistState,
    EvidenceKind,
    PeriodKind,
    ResponseState,
    ReviewState,
)
from presidium.documents.storage import private_storage

__all__ = ["Checklist", "ChecklistItem", "Evidence", "EvidenceReview", "ItemResponse", "ItemScore",
           "TownshipResponse"]

POINTS = {"max_digits": 6, "decimal_places": 1}


class Checklist(models.Model):
    """考评清单（季度指导清单、月度提示） — what the county expects of its townships in one period."""

    county = models.ForeignKey("presidium.County", on_delete=models.PROTECT, related_name="scorecard_checklists",
                               verbose_name=_("县"))
    title = models.CharField(_("标题"), max_length=120)
    period_kind = models.CharField(_("周期"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    period_start = models.DateField(_("考评期开始"))
    period_end = models.DateField(_("考评期结束"))
    state = models.CharField(_("状态"), max_length=12, choices=ChecklistState.choices, default=ChecklistState.DRAFT)
    responses_due = models.DateField(_("填报截止日期"))
    plan_working_days = models.PositiveSmallIntegerField(
        _("工作计划报送时限（工作日）"), default=3, validators=[MaxValueValidator(30)],
        help_text=_("发布后多少个工作日内报送工作计划（耒阳：3 个工作日）。0 表示不要求。"))
    plan_due = models.DateField(_("工作计划报送截止"), null=True, blank=True)
    plan_due_provisional = models.BooleanField(_("截止日期暂定"), default=False)
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("复制自"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("发布人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考评清单")
        verbose_name_plural = _("考评清单")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="checklist_period_order"),
            models.CheckConstraint(condition=Q(responses_due__gte=F("period_start")), name="checklist_due_in_period"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scorecards:checklist_detail", args=[self.pk])

    @property
    def total_points(self) -> Decimal:
        return sum((item.points for item in self.items.all()), Decimal("0"))


class ChecklistItem(models.Model):
    """考评事项 — one thing expected ("召开主席团会议不少于1次"), its points, guidance and the evidence expected."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items", verbose_name=_("清单"))
    section = models.CharField(_("类别"), max_length=40, blank=True,
                               help_text=_("如：基础工作、监督工作、代表工作、自身建设、宣传工作。"))
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("事项"), max_length=200)
    guidance = models.TextField(_("工作指引"), blank=True)
    points = models.DecimalField(_("分值"), **POINTS, validators=[MinValueValidator(Decimal("0.5")),
                                                                 MaxValueValidator(Decimal("100"))])
    evidence_expected = models.CharField(_("佐证材料要求"), max_length=200, blank=True)
    indicator_key = models.CharField(_("平台指标"), max_length=40, blank=True,
                                     help_text=_("由平台根据乡镇自己的记录计算，审阅人看到数字和来源记录。"))
    target = models.DecimalField(_("指标目标值"), **POINTS, null=True, blank=True)

    class Meta:
        verbose_name = _("考评事项")
        verbose_name_plural = _("考评事项")
        ordering = ["checklist", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(points__gt=0), name="checklist_item_points_positive")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def indicator_label(self) -> str:
        """The computed indicator's name as people read it (the key is stored, never shown)."""
        from evaluations.scorecards.indicators import get_indicator

        indicator = get_indicator(self.indicator_key) if self.indicator_key else None
        return str(indicator.label) if indicator else self.indicator_key


class TownshipResponse(models.Model):
    """乡镇填报 — one township's answer to a checklist: its plan, per-item answers, submission and scoring state."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="responses",
                                  verbose_name=_("清单"))
    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="scorecard_responses",
                                 verbose_name=_("乡镇"))
    state = models.CharField(_("状态"), max_length=12, choices=ResponseState.choices, default=ResponseState.DRAFT)
    plan = models.TextField(_("工作计划"), blank=True)
    plan_saved_at = models.DateTimeField(_("计划报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("提交人"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("退回人"))
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_comment = models.TextField(_("退回意见"), blank=True)
    reopened_until = models.DateField(_("补报截止日期"), null=True, blank=True,
                                      help_text=_("退回时给出的新截止日期，晚于清单截止日期时以此为准。"))
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("定稿人"))
    finalised_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    total = models.DecimalField(_("总分"), **POINTS, null=True, blank=True)
    timeline = models.JSONField(_("经过"), default=list, blank=True)

    class Meta:
        verbose_name = _("乡镇填报")
        verbose_name_plural = _("乡镇填报")
        ordering = ["checklist", "township__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "township"], name="scorecard_response_once_per_township"),
            models.CheckConstraint(condition=~Q(state=ResponseState.FINALISED) | Q(total__isnull=False),
                                   name="scorecard_finalised_has_total"),
        ]

    def __str__(self) -> str:
        return f"{self.township} · {self.checklist}"

    def get_absolute_url(self) -> str:
        return reverse("scorecards:response_detail", args=[self.pk])

    @property
    def plan_late(self) -> bool:
        """The plan was sent after its working-day limit (耒阳: 3 working days after the prompt)."""
        from django.utils import timezone

        due = self.checklist.plan_due
        return bool(due and self.plan_saved_at and timezone.localdate(self.plan_saved_at) > due)

    @property
    def due_date(self):
        """The day after which the township can no longer change its answers (a send-back may move it)."""
        due = self.checklist.responses_due
        return max(due, self.reopened_until) if self.reopened_until else due


class ItemResponse(models.Model):
    """事项填报 — the township's answer to one item (已完成 / 部分完成 / 未完成) with a note, and the figure at submission."""

    response = models.ForeignKey(TownshipResponse, on_delete=models.CASCADE, related_name="answers",
                                 verbose_name=_("乡镇填报"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="answers", verbose_name=_("事项"))
    answer = models.CharField(_("完成情况"), max_length=10, choices=Answer.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    figure = models.DecimalField(_("平台计算值（提交时）"), max_digits=10, decimal_places=2, null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("填报人"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("事项填报")
        verbose_name_plural = _("事项填报")
        ordering = ["item__position", "item_id"]
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="scorecard_answer_once_per_item")]

    def __str__(self) -> str:
        return f"{self.response} · {self.item}"


def evidence_path(instance, filename: str) -> str:
    from presidium.documents.storage import dated_name

    return dated_name("evaluations/scorecards", filename)


class Evidence(models.Model):
    """佐证材料 — a file the township uploaded, or a record the portal computed (a visit, an item, a petition).

    Each carries its own review state (认可 / 存疑 / 不认可) with the reviewer's note; the changes are kept in
    :class:`EvidenceReview`.
    """

    answer = models.ForeignKey(ItemResponse, on_delete=models.CASCADE, related_name="evidence",
                               verbose_name=_("事项填报"))
    kind = models.CharField(_("类型"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("文件"), upload_to=evidence_path, storage=private_storage, blank=True, max_length=200)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    inline = models.BooleanField(default=False)
    indicator_key = models.CharField(_("平台指标"), max_length=40, blank=True)
    record_label = models.CharField(_("记录"), max_length=200, blank=True)
    record_url = models.CharField(_("记录链接"), max_length=200, blank=True)
    review_state = models.CharField(_("审核"), max_length=12, choices=ReviewState.choices,
                                    default=ReviewState.PENDING)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("上传人"))
    added_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind=EvidenceKind.FILE) | ~Q(file=""), name="evidence_file_has_file"),
            models.CheckConstraint(condition=~Q(kind=EvidenceKind.RECORD) | ~Q(record_label=""),
                                   name="evidence_record_has_label"),
        ]

    def __str__(self) -> str:
        return self.file_name or self.record_label


class EvidenceReview(models.Model):
    """佐证材料审核记录 — each change of an evidence's review state, with its note (the history)."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="reviews",
                                 verbose_name=_("佐证材料"))
    state = models.CharField(_("审核"), max_length=12, choices=ReviewState.choices)
    note = models.CharField(_("审核意见"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("审核人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料审核记录")
        verbose_name_plural = _("佐证材料审核记录")
        ordering = ["evidence", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.evidence} · {self.get_state_display()}"


class ItemScore(models.Model):
    """事项评分 — the reviewer's score of one item for one township (0 … the item's points) and comment."""

    response = models.ForeignKey(TownshipResponse, on_delete=models.CASCADE, related_name="scores",
                                 verbose_name=_("乡镇填报"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="scores", verbose_name=_("事项"))
    score = models.DecimalField(_("得分"), **POINTS, validators=[MinValueValidator(Decimal("0"))])
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("评分人"))
    scored_at = models.DateTimeField(_("评分时间"), auto_now=True)

    class Meta:
        verbose_name = _("事项评分")
        verbose_name_plural = _("事项评分")
        ordering = ["item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="scorecard_score_once_per_item"),
            models.CheckConstraint(condition=Q(score__gte=0), name="scorecard_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.response} · {self.item}: {self.score}"
