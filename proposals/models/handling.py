"""The handling of an assigned item: co-units, consultations, replies, ratings, extensions, supervision."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from proposals.choices import (
    ConsultationForm,
    ConsultationStage,
    ExtensionStatus,
    HandBackStatus,
    ResultClass,
    Satisfaction,
    SupervisionKind,
)


class CoUnit(models.Model):
    """协办单位 — a unit helping the lead unit; its opinion goes to the lead unit, not to the deputy.

    A 改办 that leaves a co-unit out does not delete its row: ``released_at`` is set, its opinion stays
    as history, and it no longer sees or works on the item.
    """

    suggestion = models.ForeignKey("proposals.Suggestion", on_delete=models.CASCADE, related_name="co_unit_links",
                                   verbose_name=_("议案建议"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("协办单位"))
    opinion = models.TextField(_("协办意见"), blank=True)
    opinion_at = models.DateTimeField(_("提交意见时间"), null=True, blank=True)
    opinion_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("提交人"))
    released_at = models.DateTimeField(_("改办后不再协办"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("协办单位")
        verbose_name_plural = _("协办单位")
        ordering = ["suggestion", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "unit"], name="co_unit_once"),
            models.CheckConstraint(condition=Q(opinion="") | Q(opinion_at__isnull=False),
                                   name="co_unit_opinion_has_time"),
        ]

    def __str__(self) -> str:
        return str(self.unit)


class Consultation(models.Model):
    """面商 / 三见面 — the lead unit meeting the lead deputy: after assignment, during handling, before reply."""

    suggestion = models.ForeignKey("proposals.Suggestion", on_delete=models.CASCADE, related_name="consultations",
                                   verbose_name=_("议案建议"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("承办单位"))
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    stage = models.CharField(_("阶段"), max_length=20, choices=ConsultationStage.choices)
    form = models.CharField(_("方式"), max_length=20, choices=ConsultationForm.choices)
    held_on = models.DateField(_("面商日期"))
    participants = models.CharField(_("参加人员"), max_length=200)
    summary = models.TextField(_("面商情况"))
    deputy_opinion = models.TextField(_("代表意见"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("面商记录")
        verbose_name_plural = _("面商记录")
        ordering = ["suggestion", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} · {self.get_form_display()} · {self.held_on}"


class Reply(models.Model):
    """答复 — the lead unit's written answer for one handling round, with its result class."""

    suggestion = models.ForeignKey("proposals.Suggestion", on_delete=models.CASCADE, related_name="replies",
                                   verbose_name=_("议案建议"))
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("答复单位"))
    text = models.TextField(_("答复内容"))
    result_class = models.CharField(_("办理结果"), max_length=1, choices=ResultClass.choices)
    promised_date = models.DateField(_("承诺解决日期"), null=True, blank=True,
                                     help_text=_("B 类答复必填：正在解决或列入计划的，承诺何时解决。"))
    reason = models.TextField(_("暂不能解决的原因"), blank=True)
    signed_by = models.CharField(_("签发人"), max_length=50, blank=True)
    deadline_at_reply = models.DateField(_("答复时的办理期限"))
    on_time = models.BooleanField(_("按期答复"))
    promise_kept_on = models.DateField(_("承诺兑现日期"), null=True, blank=True)
    promise_note = models.TextField(_("兑现情况"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("答复人"))
    submitted_at = models.DateTimeField(_("答复时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["suggestion", "round"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="reply_one_per_round"),
            models.CheckConstraint(condition=~Q(result_class=ResultClass.B) | Q(promised_date__isnull=False),
                                   name="reply_b_has_promised_date"),
            models.CheckConstraint(condition=~Q(result_class=ResultClass.C) | ~Q(reason=""),
                                   name="reply_c_has_reason"),
        ]

    def __str__(self) -> str:
        return f"第 {self.round} 轮答复 · {self.get_result_class_display()}"

    @property
    def promise_open(self) -> bool:
        return self.result_class == ResultClass.B and self.promise_kept_on is None


class Rating(models.Model):
    """代表评价 — the lead deputy's satisfaction with one reply: the handling work and the result."""

    suggestion = models.ForeignKey("proposals.Suggestion", on_delete=models.CASCADE, related_name="ratings",
                                   verbose_name=_("议案建议"))
    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="rating", verbose_name=_("答复"))
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("承办单位"))
    work_grade = models.CharField(_("对办理工作"), max_length=20, choices=Satisfaction.choices)
    result_grade = models.CharField(_("对办理结果"), max_length=20, choices=Satisfaction.choices)
    overall = models.CharField(_("总体评价"), max_length=20, choices=Satisfaction.choices,
                               help_text=_("两项中较低的一项；任一项不满意即重新办理。"))
    comment = models.TextField(_("评价意见"), blank=True)
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("评价代表"))
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("登记人"))
    rated_at = models.DateTimeField(_("评价时间"), auto_now_add=True)
    reason_accepted = models.BooleanField(
        _("不满意有正当理由"), default=False,
        help_text=_("主席团认定承办单位有正当理由的，不计入该单位当年的不满意件数。"),
    )
    reason_note = models.TextField(_("认定说明"), blank=True)
    reason_accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("认定人"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("代表评价")
        verbose_name_plural = _("代表评价")
        ordering = ["suggestion", "round"]
        indexes = [models.Index(fields=["unit", "rated_at"], name="rating_unit_date")]
        constraints = [
            models.CheckConstraint(condition=~Q(reason_accepted=True) | Q(overall=Satisfaction.UNSATISFIED),
                                   name="rating_reason_only_if_unsatisfied"),
        ]

    def __str__(self) -> str:
        return f"第 {self.round} 轮 · {self.get_overall_display()}"


class Extension(models.Model):
    """延期申请 / 延办反馈书 — the unit asks for more time: reason, the new latest date and measures."""

    suggestion = models.ForeignKey("proposals.Suggestion", on_delete=models.CASCADE, related_name="extensions",
                                   verbose_name=_("议案建议"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("申请单位"))
    reason = models.TextField(_("延期理由"))
    measures = models.TextField(_("办理措施"))
    requested_deadline = models.DateField(_("最迟办理时间"))
    previous_deadline = models.DateField(_("原办理期限"))
    status = models.CharField(_("状态"), max_length=20, choices=ExtensionStatus.choices,
                              default=ExtensionStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("审批人"))
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["suggestion", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion"], condition=Q(status=ExtensionStatus.PENDING),
                                    name="extension_one_pending"),
            models.CheckConstraint(condition=Q(requested_deadline__gt=models.F("previous_deadline")),
                                   name="extension_later_than_before"),
            models.CheckConstraint(condition=Q(status=ExtensionStatus.PENDING) | Q(decided_at__isnull=False),
                                   name="extension_decided_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} · {self.requested_deadline}"


class HandBackRequest(models.Model):
    """退办申请 — the lead unit says the item is not within its duties and asks the presidium to take it back.

    Staff either approve it and reassign the item to another unit in the same step (改办, ``new_unit``),
    or refuse it with a reason, and the unit must handle the item.
    """

    suggestion = models.ForeignKey("proposals.Suggestion", on_delete=models.CASCADE, related_name="hand_backs",
                                   verbose_name=_("议案建议"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("申请单位"))
    reason = models.TextField(_("退办理由"))
    suggested_unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("建议改交单位"))
    status = models.CharField(_("状态"), max_length=20, choices=HandBackStatus.choices,
                              default=HandBackStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("处理人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.TextField(_("处理意见"), blank=True)
    new_unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("改交单位"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("退办申请")
        verbose_name_plural = _("退办申请")
        ordering = ["suggestion", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion"], condition=Q(status=HandBackStatus.PENDING),
                                    name="hand_back_one_pending"),
            models.CheckConstraint(condition=~Q(reason=""), name="hand_back_has_reason"),
            models.CheckConstraint(condition=Q(status=HandBackStatus.PENDING) | Q(decided_at__isnull=False),
                                   name="hand_back_decided_has_time"),
            models.CheckConstraint(condition=~Q(status=HandBackStatus.APPROVED) | Q(new_unit__isnull=False),
                                   name="hand_back_approved_has_new_unit"),
            models.CheckConstraint(condition=~Q(status=HandBackStatus.REFUSED) | ~Q(decision_note=""),
                                   name="hand_back_refused_has_note"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} · {self.unit_id}"

    def clean(self) -> None:
        township_id = self.suggestion.township_id if self.suggestion_id else None
        errors = {}
        for name in ("suggested_unit", "new_unit"):
            unit = getattr(self, name)
            if unit is not None and township_id is not None and unit.township_id != township_id:
                errors[name] = _("请选择本乡镇的承办单位。")
        if self.suggested_unit_id and self.suggested_unit_id == self.unit_id:
            errors["suggested_unit"] = _("建议改交的单位不能是本单位。")
        if errors:
            raise ValidationError(errors)


class SupervisionAction(models.Model):
    """督办记录 — a supervision step taken by the presidium: reminder, on-site supervision, hearing …"""

    suggestion = models.ForeignKey("proposals.Suggestion", on_delete=models.CASCADE, related_name="supervisions",
                                   verbose_name=_("议案建议"))
    kind = models.CharField(_("督办方式"), max_length=20, choices=SupervisionKind.choices)
    held_on = models.DateField(_("日期"))
    note = models.TextField(_("督办情况"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["suggestion", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.held_on}"
