"""One-time form tokens: what a form's first submit created, so a repeat can be sent there instead."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """表单提交记录 — a form token a user has used once, and the page its submit led to.

    Written in the same transaction as what the form saved (see :mod:`presidium.idempotency`): the row
    exists exactly when the save happened. The unique constraint is what stops a double tap or a retried
    upload from saving twice: the second insert waits for the first transaction and then fails.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("用户"))
    token = models.CharField(_("表单令牌"), max_length=64)
    result_url = models.CharField(_("保存结果页面"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("表单提交记录")
        verbose_name_plural = _("表单提交记录")
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="form_submission_once_per_token")]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.token}"
