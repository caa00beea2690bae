"""Figures snapshots: a county's (or a township's) figures of a year, computed by a periodic task instead of on
every home view."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FiguresSnapshot(models.Model):
    """统计快照 — one app's figures of one county and year (or, with ``township``, of that township only, as its
    own staff see them), as its selectors computed them at ``computed_at``.

    A county's year is tens of thousands of items: too much to aggregate on every view of the county's home
    page. The snapshot is a cache, never a record: :mod:`presidium.snapshots` recomputes it from the live
    selectors (every 10 minutes from Celery beat, or on reading when it is older than that), and the page
    says "统计截至 HH:MM". Counts that ask someone to act (待办) are never read from here.
    """

    kind = models.CharField(_("统计"), max_length=50)
    county = models.ForeignKey("presidium.County", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("县/区"))
    township = models.ForeignKey("presidium.Township", on_delete=models.CASCADE, related_name="+", null=True,
                                 blank=True, verbose_name=_("乡镇"))
    year = models.PositiveSmallIntegerField(_("年度"))
    data = models.JSONField(_("数据"), default=dict)
    computed_at = models.DateTimeField(_("统计时间"))

    class Meta:
        verbose_name = _("统计快照")
        verbose_name_plural = _("统计快照")
        constraints = [
            models.UniqueConstraint(fields=["kind", "county", "year"], condition=models.Q(township__isnull=True),
                                    name="figures_snapshot_once"),
            models.UniqueConstraint(fields=["kind", "township", "year"], condition=models.Q(township__isnull=False),
                                    name="figures_snapshot_township_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.county_id}/{self.township_id or '-'} {self.year}"
