"""The working-day calendar: dated exceptions to Monday–Friday, and which years are known.

A date without a row follows the weekday rule (Monday–Friday work, Saturday and Sunday off). A row
says otherwise: a statutory holiday on a weekday (``is_working_day=False``) or a make-up working
weekend, 调休上班 (``is_working_day=True``). Rows without a county are national (global); a county's
own row for the same date wins over the global one. The same holds for years: a county's row in
:class:`CalendarYear` wins over the global row.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from presidium.calendar.choices import CalendarSource

FIRST_YEAR = 2000
LAST_YEAR = 2100


def scope_filter(county_id: int | None) -> Q:
    """Rows that apply to a county's townships: the national rows and the county's own."""
    return Q(county__isnull=True) | Q(county_id=county_id) if county_id else Q(county__isnull=True)


class CalendarDay(models.Model):
    """工作日历调整（法定节假日 / 调休上班日）— one date that is not what its weekday says.

    A holiday (放假) has ``is_working_day=False``; a make-up working weekend (调休上班, 补班) has
    ``is_working_day=True``. ``county`` empty means the national arrangement; a county's row for
    the same date overrides it for that county's townships.
    """

    date = models.DateField(_("日期"))
    is_working_day = models.BooleanField(
        _("上班"), help_text=_("放假的节假日不勾选；调休上班的周末勾选。")
    )
    name = models.CharField(_("名称"), max_length=50, help_text=_("例如“国庆节”“春节调休上班”。"))
    source = models.CharField(_("来源"), max_length=20, choices=CalendarSource.choices, default=CalendarSource.STAFF)
    county = models.ForeignKey(
        "presidium.County", on_delete=models.PROTECT, null=True, blank=True, related_name="calendar_days",
        verbose_name=_("县（区）"), help_text=_("留空表示全国统一安排；填写则只对该县（区）的乡镇生效。"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("修改人"),
    )
    changed_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date", "county_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=Q(county__isnull=True), name="calendarday_unique_global_date",
                violation_error_message=_("该日期已有全国统一的安排。"),
            ),
            models.UniqueConstraint(
                fields=["date", "county"], condition=Q(county__isnull=False), name="calendarday_unique_county_date",
                violation_error_message=_("该县（区）在这一天已有调整。"),
            ),
            models.CheckConstraint(
                condition=Q(date__gte=dt.date(FIRST_YEAR, 1, 1), date__lte=dt.date(LAST_YEAR, 12, 31)),
                name="calendarday_date_in_range",
                violation_error_message=_("日期须在 2000 年至 2100 年之间。"),
            ),
            models.CheckConstraint(
                condition=~Q(name=""), name="calendarday_name_not_empty",
                violation_error_message=_("请填写名称。"),
            ),
        ]

    def __str__(self) -> str:
        kind = _("上班") if self.is_working_day else _("放假")
        return f"{self.date:%Y-%m-%d} {self.name}（{kind}）"

    @property
    def is_make_up_day(self) -> bool:
        """A weekend that is worked (调休上班)."""
        return self.is_working_day and self.date.weekday() >= 5

    def clean(self) -> None:
        self.name = (self.name or "").strip()
        if not self.name:
            raise ValidationError({"name": _("请填写名称，例如“国庆节”或“春节调休上班”。")})


class CalendarYear(models.Model):
    """工作日历年度（节假日安排确认）— whether a year's holiday arrangement has been entered and confirmed.

    Without a confirmed row a year is *unknown*: deadlines running through it count only weekends
    as days off and are marked provisional. A county's row wins over the global row for that county.
    """

    year = models.PositiveSmallIntegerField(_("年份"))
    county = models.ForeignKey(
        "presidium.County", on_delete=models.PROTECT, null=True, blank=True, related_name="calendar_years",
        verbose_name=_("县（区）"), help_text=_("留空表示全国统一安排。"),
    )
    confirmed = models.BooleanField(_("已确认"), default=False)
    source = models.CharField(_("来源"), max_length=20, choices=CalendarSource.choices, default=CalendarSource.STAFF)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("修改人"),
    )
    changed_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")
        ordering = ["year", "county_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(county__isnull=True), name="calendaryear_unique_global_year",
                violation_error_message=_("该年度已有全国统一的记录。"),
            ),
            models.UniqueConstraint(
                fields=["year", "county"], condition=Q(county__isnull=False), name="calendaryear_unique_county_year",
                violation_error_message=_("该县（区）的这一年度已有记录。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR), name="calendaryear_year_in_range",
                violation_error_message=_("年份须在 2000 年至 2100 年之间。"),
            ),
        ]

    def __str__(self) -> str:
        state = _("已确认") if self.confirmed else _("未确认")
        scope = self.county.name if self.county_id else _("全国")
        return f"{self.year} {scope}（{state}）"
