"""The one table of the public pages: counters of the rate limit (see :mod:`petitions.public.throttle`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ThrottleCount(models.Model):
    """公开页面限流计数 — how often one key used one public action in one fixed time window.

    The key (a client address, a mobile number, a registration number) is stored only as a keyed
    digest: the table says "this address filed 3 times this hour", never which address. Rows older
    than a day past their window are deleted as new windows open.
    """

    scope = models.CharField(_("限流项目"), max_length=30)
    key_digest = models.CharField(_("对象摘要"), max_length=64)
    window_start = models.DateTimeField(_("时段开始"))
    hits = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("公开页面限流计数")
        verbose_name_plural = _("公开页面限流计数")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key_digest", "window_start"], name="throttle_one_row_per_window"),
            models.CheckConstraint(condition=~Q(scope=""), name="throttle_scope_named"),
        ]
        indexes = [models.Index(fields=["window_start"], name="throttle_window_start")]

    def __str__(self) -> str:
        return f"{self.scope} · {self.window_start:%Y-%m-%d %H:%M} · {self.hits}"


class OnlineSubmission(models.Model):
    """网上信访提交凭据 — the one-time token of an online form, claimed in the registration's transaction.

    The floor's ``FormSubmission`` needs a logged-in user; the public form has none. The token is a
    random value only the page that sent the form knows: a second tap or a retry after the answer was
    lost on a slow link finds this row and is shown the first submit's receipt instead of filing the
    matter twice (the petitioner never saw the query code if the first answer was lost). Stored as a
    digest; rows are kept for :data:`petitions.public.services.KEEP_TOKENS`, then deleted.
    """

    token_digest = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    petition = models.ForeignKey("petitions.Petition", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+", verbose_name=_("信访件"))
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("网上信访提交凭据")
        verbose_name_plural = _("网上信访提交凭据")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.petition_id or '—'}"
