"""Reception days (接待日) and the deputies on duty. Written once by p-core; owned by the reception work."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
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
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("取消人"))

    class Meta:
        verbose_name = _("接待日")
        verbose_name_plural = _("接待日")
        ordering = ["township", "date"]
        constraints = [
            models.UniqueConstraint(fields=["township", "date"], name="reception_day_once_per_date"),
            models.CheckConstraint(condition=~models.Q(status=ReceptionStatus.CANCELLED) | ~models.Q(cancel_reason=""),
                                   name="reception_day_cancelled_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.place}".strip()

    def get_absolute_url(self) -> str:
        return reverse("reception:day_detail", args=[self.pk])


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
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    leave_requested_at = models.DateTimeField(_("请假时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("确认出席人"),
                                     help_text=_("到场但未在手机上签到的，由人大办确认出席。"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("最后登记人"))
    recorded_at = models.DateTimeField(_("最后登记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接待日值班")
        verbose_name_plural = _("接待日值班")
        ordering = ["day", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["day", "deputy"], name="reception_duty_once_per_day"),
            # Attended: signed in on the phone, or confirmed by the staff (who came but could not sign in).
            models.CheckConstraint(condition=~models.Q(status=DutyStatus.SIGNED_IN)
                                   | models.Q(signed_in_at__isnull=False) | models.Q(confirmed_at__isnull=False),
                                   name="reception_duty_attended_has_time"),
            models.CheckConstraint(condition=~models.Q(status=DutyStatus.LEAVE) | ~models.Q(leave_reason=""),
                                   name="reception_duty_leave_has_reason"),
        ]

    def __str__(self) -> str:
        return str(self.deputy)
