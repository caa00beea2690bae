"""Evaluating units (工作评议 / 综合评议): the models.

A :class:`Campaign` evaluates some of a township's handling units in one or four rounds. Deputies vote in
a round's window. Who voted (:class:`BallotCast`) and what was voted (:class:`Ballot`, :class:`BallotScore`)
live in tables that share no key, no order and no time finer than the day: the roll of a round is written
when it opens (so its rows follow the roll, not the order of voting), a ballot's rows have random UUID keys
and carry no time at all, and one deputy's ballots are inserted in one statement.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from evaluations.units.choices import (
    DeductionSource,
    Grade,
    PeriodKind,
    RectificationStage,
    RectificationStatus,
    RoundState,
    SchemeKind,
    ScoringMethod,
    Tier,
)
from presidium.documents.storage import private_storage

POINTS = {"max_digits": 7, "decimal_places": 2}
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Campaign(models.Model):
    """评议活动 — one township's evaluation of units in a year: its period, methods, scheme and outcome rules."""

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="unit_campaigns",
                                 verbose_name=_("乡镇"))
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=120)
    period_kind = models.CharField(_("评议周期"), max_length=20, choices=PeriodKind.choices,
                                   default=PeriodKind.QUARTERLY)
    scheme_kind = models.CharField(_("评分方式"), max_length=20, choices=SchemeKind.choices,
                                   default=SchemeKind.INDICATORS)
    methods = models.JSONField(_("评议方式"), default=list, blank=True,
                               help_text=_("视察、暗访、问卷、电话调查，可多选。"))
    min_ballots = models.PositiveSmallIntegerField(
        _("公布结果所需最少票数"), default=5, validators=[MinValueValidator(1)],
        help_text=_("某单位收到的票数少于此数时不显示其结果，以免推知个人投票。"))
    unsatisfied_threshold = models.DecimalField(
        _("不满意率整改线（%）"), default=Decimal("20"), validators=PERCENT, **POINTS,
        help_text=_("某单位不满意票占比超过此值时，自动为其建立整改事项。"))
    satisfied_share_min = models.DecimalField(
        _("评为满意所需满意票占比（%）"), default=Decimal("60"), validators=PERCENT, **POINTS)
    title_top_n = models.PositiveSmallIntegerField(_("“群众信得过单位”名额"), default=5)
    praise_top_n = models.PositiveSmallIntegerField(_("表扬通报名额"), default=3)
    criticism_bottom_n = models.PositiveSmallIntegerField(_("批评通报名额"), default=2)
    good_tier_min = models.DecimalField(_("“好”档最低分"), default=Decimal("90"), **POINTS)
    poor_tier_below = models.DecimalField(_("“差”档分数线（低于）"), default=Decimal("75"), **POINTS)
    complaint_points = models.DecimalField(_("每件属实投诉扣分"), default=Decimal("2"), **POINTS)
    late_reply_points = models.DecimalField(_("每件逾期答复扣分"), default=Decimal("1"), **POINTS)
    unsatisfied_reply_points = models.DecimalField(_("每件不满意评价扣分"), default=Decimal("2"), **POINTS)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评议活动")
        verbose_name_plural = _("评议活动")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(poor_tier_below__lte=models.F("good_tier_min")),
                                   name="campaign_tiers_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluations:units:campaign_detail", args=[self.pk])

    @property
    def uses_grades(self) -> bool:
        return self.scheme_kind == SchemeKind.GRADES

    def method_labels(self) -> list[str]:
        from evaluations.units.choices import Method

        labels = dict(Method.choices)
        return [str(labels.get(m, m)) for m in self.methods]


class CampaignUnit(models.Model):
    """被评议单位 — a unit evaluated in a campaign; ``evaluated_again`` when last year's result brought it back."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="units", verbose_name=_("评议活动"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("单位"))
    evaluated_again = models.BooleanField(_("上年末位，再次评议"), default=False)

    class Meta:
        verbose_name = _("被评议单位")
        verbose_name_plural = _("被评议单位")
        ordering = ["campaign", "unit__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="campaign_unit_once")]

    def __str__(self) -> str:
        return self.unit.name


class Round(models.Model):
    """评议轮次 — one quarter (or the year) of a campaign: the period it covers and its voting window."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("评议活动"))
    number = models.PositiveSmallIntegerField(_("轮次"))
    period_start = models.DateField(_("评议期间起"))
    period_end = models.DateField(_("评议期间止"))
    opens_on = models.DateField(_("投票开始日期"))
    closes_on = models.DateField(_("投票截止日期"))
    state = models.CharField(_("状态"), max_length=20, choices=RoundState.choices, default=RoundState.DRAFT)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("公布人"))

    class Meta:
        verbose_name = _("评议轮次")
        verbose_name_plural = _("评议轮次")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="round_number_once"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="round_window_ordered"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="round_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("evaluations:units:round_results", args=[self.pk])

    @property
    def label(self) -> str:
        if self.campaign.period_kind == PeriodKind.ANNUAL:
            return f"{self.campaign.year}年度"
        return f"{self.campaign.year}年第{self.number}季度"


class Indicator(models.Model):
    """评议指标 — a node of the campaign's indicator tree: points, weight and how it is scored.

    A unit's total is the sum over the leaves of (leaf score × the product of the weights on its path).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="indicators",
                                 verbose_name=_("评议活动"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=_("上级指标"))
    title = models.CharField(_("指标"), max_length=120)
    max_points = models.DecimalField(_("满分"), validators=[MinValueValidator(Decimal("0"))], **POINTS)
    weight = models.DecimalField(_("权重"), default=Decimal("1"), validators=[MinValueValidator(Decimal("0"))],
                                 max_digits=5, decimal_places=2)
    method = models.CharField(_("计分方法"), max_length=20, choices=ScoringMethod.choices,
                              default=ScoringMethod.DIRECT)
    per_occurrence = models.DecimalField(_("每次扣分"), default=Decimal("0"), **POINTS)
    floor = models.DecimalField(_("最低得分"), default=Decimal("0"), **POINTS)
    rank_points = models.CharField(_("各名次得分"), max_length=200, blank=True,
                                   help_text=_("按名次依次填写，用逗号分隔，例如 60,57,54。"))
    target = models.DecimalField(_("达标值"), null=True, blank=True, **POINTS)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评议指标")
        verbose_name_plural = _("评议指标")
        ordering = ["campaign", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(floor__lte=models.F("max_points")), name="indicator_floor_le_max"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_leaf(self) -> bool:
        """Scored by deputies (a node with children adds theirs up). Set by the scheme loader, else asked."""
        cached = getattr(self, "_is_leaf", None)
        return cached if cached is not None else not self.children.exists()

    def rank_point_list(self) -> list[Decimal]:
        return [Decimal(p.strip()) for p in self.rank_points.replace("，", ",").split(",") if p.strip()]


class BallotCast(models.Model):
    """投票登记 — who may vote, and on which day they did (the roll of a round); never what they voted.

    The rows are written when the round opens, one per deputy on the roll and unit, in roll order; voting
    only fills ``cast_on`` with the day. Nothing here points at a ballot.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="casts", verbose_name=_("评议轮次"))
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("代表"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("单位"))
    cast_on = models.DateField(_("投票日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("投票登记")
        verbose_name_plural = _("投票登记")
        constraints = [models.UniqueConstraint(fields=["round", "deputy", "unit"], name="ballot_cast_once")]

    def __str__(self) -> str:
        return f"{self.deputy_id} · {self.unit_id}"


class Ballot(models.Model):
    """选票 — what one (unknown) deputy voted for one unit in a round: a grade, or scores per indicator.

    A random UUID key, no time, no order: nothing joins it to :class:`BallotCast`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("评议轮次"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("单位"))
    grade = models.CharField(_("测评等次"), max_length=20, choices=Grade.choices, blank=True)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        indexes = [models.Index(fields=["round", "unit"], name="ballot_round_unit")]

    def __str__(self) -> str:
        return self.get_grade_display() or str(_("选票"))


class BallotScore(models.Model):
    """选票得分 — the value one ballot gives one indicator."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="scores", verbose_name=_("选票"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", verbose_name=_("指标"))
    value = models.DecimalField(_("分值"), **POINTS)

    class Meta:
        verbose_name = _("选票得分")
        verbose_name_plural = _("选票得分")
        constraints = [models.UniqueConstraint(fields=["ballot", "indicator"], name="ballot_score_once")]

    def __str__(self) -> str:
        return str(self.value)


class Deduction(models.Model):
    """扣分 — points taken from a unit in a round, with its source: a complaint, a suggestion, or staff's reason.

    Computed rows are recomputed from the records (``deductions_refresh``); staff's rows stay, and a withdrawn
    one is kept with who withdrew it and when (it no longer counts).
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="deductions", verbose_name=_("评议轮次"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("单位"))
    source = models.CharField(_("来源"), max_length=30, choices=DeductionSource.choices)
    points = models.DecimalField(_("扣分"), validators=[MinValueValidator(Decimal("0.01"))], **POINTS)
    reason = models.CharField(_("扣分理由"), max_length=300)
    petition = models.ForeignKey("petitions.Petition", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+", verbose_name=_("信访件"))
    suggestion = models.ForeignKey("proposals.Suggestion", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="+", verbose_name=_("议案建议"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("扣分人"))
    created_at = models.DateTimeField(_("扣分时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("撤销人"))

    class Meta:
        verbose_name = _("扣分")
        verbose_name_plural = _("扣分")
        ordering = ["round", "unit", "source", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(source=DeductionSource.MANUAL) | Q(created_by__isnull=False),
                                   name="deduction_manual_has_author"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} −{self.points}"


class UnitResult(models.Model):
    """评议结果 — a unit's published result in one round (stored when the round is published)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results", verbose_name=_("评议轮次"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("单位"))
    ballots = models.PositiveIntegerField(_("票数"))
    shown = models.BooleanField(_("票数足够，公布结果"))
    score = models.DecimalField(_("测评得分"), null=True, blank=True, **POINTS)
    deducted = models.DecimalField(_("扣分"), default=Decimal("0"), **POINTS)
    total = models.DecimalField(_("总分"), null=True, blank=True, **POINTS)
    satisfied = models.PositiveIntegerField(_("满意票"), default=0)
    basic = models.PositiveIntegerField(_("基本满意票"), default=0)
    unsatisfied = models.PositiveIntegerField(_("不满意票"), default=0)
    grade = models.CharField(_("测评等次"), max_length=20, choices=Grade.choices, blank=True)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    tied = models.BooleanField(_("并列"), default=False)
    tier = models.CharField(_("档次"), max_length=10, choices=Tier.choices, blank=True)

    class Meta:
        verbose_name = _("评议结果")
        verbose_name_plural = _("评议结果")
        ordering = ["round", "rank", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="unit_result_once")]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.total}"


def evidence_path(instance, filename: str) -> str:
    from presidium.documents.storage import safe_suffix

    return f"evaluations/{instance.item.campaign.township_id}/{instance.item_id}/{uuid.uuid4().hex}" \
           f"{safe_suffix(filename)}"


class RectificationItem(models.Model):
    """整改事项 — what a unit must put right after its evaluation, by stage, with owner and due date;
    ticked off with evidence and re-checked at year end (回头看)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rectifications",
                                 verbose_name=_("评议活动"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, related_name="rectifications",
                             verbose_name=_("单位"))
    round = models.ForeignKey(Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("来源轮次"))
    stage = models.CharField(_("整改阶段"), max_length=20, choices=RectificationStage.choices,
                             default=RectificationStage.NEAR)
    title = models.CharField(_("整改事项"), max_length=200)
    measures = models.TextField(_("整改措施"), blank=True)
    owner = models.CharField(_("责任人"), max_length=50)
    due_on = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=20, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    opened_automatically = models.BooleanField(_("因不满意率超线自动建立"), default=False)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_note = models.TextField(_("整改情况"), blank=True)
    checked_on = models.DateField(_("回头看日期"), null=True, blank=True)
    check_note = models.TextField(_("回头看意见"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("建立人"))
    created_at = models.DateTimeField(_("建立时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status=RectificationStatus.OPEN) | Q(done_on__isnull=False),
                                   name="rectification_done_dated"),
            models.CheckConstraint(condition=~Q(status=RectificationStatus.CHECKED) | Q(checked_on__isnull=False),
                                   name="rectification_checked_dated"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluations:units:rectification_detail", args=[self.pk])


class RectificationEvidence(models.Model):
    """整改佐证 — a file showing the item was put right (checked by the floor's upload checks)."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="evidence",
                             verbose_name=_("整改事项"))
    file = models.FileField(_("文件"), storage=private_storage, upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size_bytes = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改佐证")
        verbose_name_plural = _("整改佐证")
        ordering = ["item", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


__all__ = ["Ballot", "BallotCast", "BallotScore", "Campaign", "CampaignUnit", "Deduction", "Indicator",
           "RectificationEvidence", "RectificationItem", "Round", "UnitResult"]
