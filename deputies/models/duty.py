"""The deputy's own duty records for the archive: pledge, report to voters, assessment, training, awards."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from deputies.choices import AssessmentGrade, AwardLevel

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class DutyPledge(models.Model):
    """履职承诺 / 履职责任书 — what the deputy pledges for the year, signed with the presidium at its start."""

    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="pledges",
                               verbose_name=_("代表"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    signed_on = models.DateField(_("签订日期"))
    content = models.TextField(_("承诺内容"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("履职承诺")
        verbose_name_plural = _("履职承诺")
        ordering = ["deputy", "-year"]
        constraints = [models.UniqueConstraint(fields=["deputy", "year"], name="pledge_one_per_year")]

    def __str__(self) -> str:
        return f"{self.deputy} {self.year}"


class VoterReport(models.Model):
    """向选民述职 — the deputy reports to voters, who grade them 优秀 / 称职 / 不称职.

    Seed 002: 46 voters, 29 优秀, 16 称职, so 1 不称职: 63% / 35% / 2%.
    """

    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="voter_reports",
                               verbose_name=_("代表"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    reported_on = models.DateField(_("述职日期"))
    place = models.CharField(_("述职地点"), max_length=100)
    voters_present = models.PositiveIntegerField(_("参加评议选民人数"), validators=[MinValueValidator(1)])
    excellent = models.PositiveIntegerField(_("评为优秀"), default=0)
    competent = models.PositiveIntegerField(_("评为称职"), default=0)
    incompetent = models.PositiveIntegerField(_("评为不称职"), default=0)
    summary = models.TextField(_("述职要点"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("向选民述职")
        verbose_name_plural = _("向选民述职")
        ordering = ["deputy", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["deputy", "year"], name="voter_report_one_per_year"),
            models.CheckConstraint(condition=Q(voters_present__gte=1), name="voter_report_someone_present"),
            models.CheckConstraint(
                condition=Q(voters_present__gte=F("excellent") + F("competent") + F("incompetent")),
                name="voter_report_grades_within_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.year}"

    @property
    def graded(self) -> int:
        return self.excellent + self.competent + self.incompetent

    @property
    def percentages(self) -> tuple[int, int, int]:
        """Whole percentages of those present (largest remainder, so they add up when all graded)."""
        from deputies.services.duty import whole_percentages

        return whole_percentages([self.excellent, self.competent, self.incompetent], self.voters_present)


class YearAssessment(models.Model):
    """年度履职考核 — the presidium's year-end grade of a deputy."""

    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="assessments",
                               verbose_name=_("代表"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    grade = models.CharField(_("考核等次"), max_length=20, choices=AssessmentGrade.choices)
    assessed_on = models.DateField(_("考核日期"))
    comment = models.TextField(_("考核意见"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度履职考核")
        verbose_name_plural = _("年度履职考核")
        ordering = ["deputy", "-year"]
        constraints = [models.UniqueConstraint(fields=["deputy", "year"], name="assessment_one_per_year")]

    def __str__(self) -> str:
        return f"{self.deputy} {self.year} {self.get_grade_display()}"


class TrainingRecord(models.Model):
    """代表培训 — a training the deputy attended (often organised by the county or the province)."""

    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="trainings",
                               verbose_name=_("代表"))
    attended_on = models.DateField(_("培训日期"))
    title = models.CharField(_("培训名称"), max_length=120)
    organizer = models.CharField(_("组织单位"), max_length=80, blank=True)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1, null=True, blank=True,
                                validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("500"))])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))

    class Meta:
        verbose_name = _("代表培训")
        verbose_name_plural = _("代表培训")
        ordering = ["deputy", "-attended_on"]

    def __str__(self) -> str:
        return self.title


class Award(models.Model):
    """表彰奖励 — an honour the deputy received (优秀人大代表 ...)."""

    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="awards",
                               verbose_name=_("代表"))
    awarded_on = models.DateField(_("表彰日期"))
    title = models.CharField(_("表彰名称"), max_length=120)
    conferred_by = models.CharField(_("授予单位"), max_length=80, blank=True)
    level = models.CharField(_("级别"), max_length=20, choices=AwardLevel.choices, default=AwardLevel.TOWNSHIP)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))

    class Meta:
        verbose_name = _("表彰奖励")
        verbose_name_plural = _("表彰奖励")
        ordering = ["deputy", "-awarded_on"]

    def __str__(self) -> str:
        return self.title
