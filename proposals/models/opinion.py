"""督办意见: the county standing committee's written opinion to a township about an item or a unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from proposals.choices import OpinionStatus


class SupervisionOpinion(models.Model):
    """督办意见 — sent by a county reviewer to a township about one item or one handling unit; the township
    answers in writing and the county acknowledges the answer (sent → answered → closed).

    The seed of the county's guidance work: the township scorecards (evaluations) count on these rows.
    """

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="supervision_opinions",
                                 verbose_name=_("乡镇"))
    suggestion = models.ForeignKey("proposals.Suggestion", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="county_opinions", verbose_name=_("议案建议"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="county_opinions", verbose_name=_("承办单位"))
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("督办意见"))
    answer_by = models.DateField(_("答复期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=OpinionStatus.choices, default=OpinionStatus.SENT,
                              db_index=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("发出人"))
    sent_at = models.DateTimeField(_("发出时间"), auto_now_add=True)
    answer = models.TextField(_("乡镇答复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("答复人"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closing_note = models.TextField(_("确认意见"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("确认人"))
    closed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督办意见")
        verbose_name_plural = _("督办意见")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["township", "status"], name="opinion_township_status")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OpinionStatus.values), name="opinion_status_valid"),
            models.CheckConstraint(condition=Q(suggestion__isnull=False, unit__isnull=True) | Q(suggestion__isnull=True, unit__isnull=False),
                                   name="opinion_about_item_or_unit"),
            models.CheckConstraint(condition=Q(status=OpinionStatus.SENT) | (Q(answered_at__isnull=False) & ~Q(answer="")),
                                   name="opinion_answered_has_answer"),
            models.CheckConstraint(condition=~Q(status=OpinionStatus.CLOSED) | Q(closed_at__isnull=False),
                                   name="opinion_closed_has_time"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:opinion_detail", args=[self.pk])

    @property
    def subject(self) -> str:
        """What the opinion is about: the item (serial and title) or the unit."""
        if self.suggestion_id:
            return f"{self.suggestion.serial} {self.suggestion.title}".strip()
        return self.unit.name if self.unit_id else ""
