"""Choices of the working-day calendar. TextChoices only: never bare strings in code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarSource(models.TextChoices):
    """Where a calendar row came from."""

    LIBRARY = "library", _("法定节假日库")
    STAFF = "staff", _("人工录入")


class DeadlineUnit(models.TextChoices):
    """The unit a deadline rule is written in. Callers store it with every rule.

    Petition limits (信访工作条例: 15 日, 60 日, 30 日) are calendar days, suggestion replies
    (代表法: 3 个月) are months, and a county's "3 个工作日内" prompts are working days.
    """

    WORKING_DAYS = "working_days", _("工作日")
    CALENDAR_DAYS = "calendar_days", _("自然日")
    MONTHS = "months", _("月")
