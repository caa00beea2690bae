"""Reception days (接待日) and the deputies on duty. Written once by p-core; owned by the reception work."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from petitions.choices import DutyStatus, ReceptionStatus


class ReceptionDay(models.Model):
    """接待日 — one day the presidium receives petitioners (every Monday, a market day), with its place."""

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="reception_days",
                                 verbose_name=_("乡镇"))
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ReceptionStatus.choices,
                              default=ReceptionStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("排班人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接待日")
        verbose_name_plural = _("接待日")
        ordering = ["township", "date"]
        constraints = [models.UniqueConstraint(fields=["township", "date"], name="reception_day_once_per_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.place}".strip()


class ReceptionDuty(models.Model):
    """接待日值班 — a deputy (or a deputy group's member) on duty on a reception day: signed in, on leave, absent."""

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="duties", verbose_name=_("接待日"))
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="reception_duties",
                               verbose_name=_("值班代表"))
    group = models.ForeignKey("deputies.DeputyGroup", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("代表小组"))
    status = models.CharField(_("状态"), max_length=20, choices=DutyStatus.choices, default=DutyStatus.ON_DUTY)
    leave_reason = models.CharField(_("请假理由"), max_length=200, blank=True)
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接待日值班")
        verbose_name_plural = _("接待日值班")
        ordering = ["day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["day", "deputy"], name="reception_duty_once_per_day"),
            models.CheckConstraint(condition=~models.Q(status=DutyStatus.SIGNED_IN) | models.Q(signed_in_at__isnull=False),
                                   name="reception_duty_signed_in_has_time"),
        ]

    def __str__(self) -> str:
        return str(self.deputy)
