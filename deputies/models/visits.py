"""Visits to constituents (走访选民), the opinions voters raised, photos, and per-township targets."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from deputies.choices import OpinionCategory, VisitMethod
from presidium.documents.storage import private_storage


def visit_photo_path(instance, filename: str) -> str:
    return f"deputies/visits/{instance.visit.township_id}/{instance.visit_id}/{uuid.uuid4().hex}.jpg"


def visit_thumbnail_path(instance, filename: str) -> str:
    return f"deputies/visits/{instance.visit.township_id}/{instance.visit_id}/thumbs/{uuid.uuid4().hex}.jpg"


class Visit(models.Model):
    """走访选民 — one visit (or forum, call, reception) by a deputy: where, how, whom, what was raised."""

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="deputy_visits",
                                 verbose_name=_("乡镇"))
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="visits",
                               verbose_name=_("代表"))
    visited_on = models.DateField(_("走访日期"))
    place = models.CharField(_("村（社区）/地点"), max_length=100)
    method = models.CharField(_("走访方式"), max_length=20, choices=VisitMethod.choices, default=VisitMethod.HOME)
    households = models.PositiveIntegerField(_("走访户数"), default=0, validators=[MaxValueValidator(5000)])
    people = models.PositiveIntegerField(_("联系选民人数"), default=0, validators=[MaxValueValidator(5000)])
    summary = models.TextField(_("走访情况"), blank=True)
    follow_up = models.TextField(_("跟进与反馈"), blank=True,
                                 help_text=_("向选民解释、转交有关单位或下次回访的安排。"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    # Kept by the visit services with the opinions they write: the "有意见" filter counts a county's
    # 100,000 visits without looking at their opinions (146 ms → docs/performance.md).
    opinion_count = models.PositiveSmallIntegerField(_("意见条数"), default=0, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("走访选民记录")
        verbose_name_plural = _("走访选民记录")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["township", "visited_on"], name="visit_township_date"),
                   # A year's visits summed per deputy (behind target, the duty overview) from the index alone on
                   # PostgreSQL; elsewhere a plain index on the date (INCLUDE is PostgreSQL's).
                   models.Index(fields=["visited_on"], include=["deputy", "township", "people", "households"],
                                name="visit_date_cover"),
                   models.Index(fields=["deputy", "visited_on"], name="visit_deputy_date"),
                   # The "有意见"/"无意见" filter's count over a county's visits from the index alone (PostgreSQL
                   # read and joined every visit row: 116 → 38 ms for 104,098 visits, docs/performance.md).
                   models.Index(fields=["township", "opinion_count"], name="visit_township_opinions")]
        constraints = [
            models.CheckConstraint(condition=Q(people__gte=1), name="visit_reached_someone"),
            models.CheckConstraint(condition=Q(people__gte=models.F("households")), name="visit_people_cover_households"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.visited_on:%Y-%m-%d} · {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("deputies:visit_detail", args=[self.pk])


class VisitOpinion(models.Model):
    """选民意见 — one matter voters raised during a visit; may later become a suggestion or a petition.

    ``converted_to`` points at whatever a higher app created from it (a suggestion draft, a petition
    registration): the deputies app only records the link; see :mod:`deputies.conversions`.
    """

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("走访记录"))
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    content = models.TextField(_("意见内容"))
    category = models.CharField(_("类别"), max_length=20, choices=OpinionCategory.choices, default=OpinionCategory.OTHER)
    raised_by = models.CharField(_("反映人"), max_length=50, blank=True, help_text=_("可只写“村民”“某组群众”。"))
    converted_kind = models.CharField(_("转为"), max_length=40, blank=True)
    converted_content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True,
                                               related_name="+")
    converted_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    converted_to = GenericForeignKey("converted_content_type", "converted_object_id")
    converted_at = models.DateTimeField(_("转办时间"), null=True, blank=True)
    converted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("转办人"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("选民意见")
        verbose_name_plural = _("选民意见")
        ordering = ["visit", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(converted_kind="", converted_object_id__isnull=True, converted_at__isnull=True)
                           | (~Q(converted_kind="") & Q(converted_at__isnull=False))),
                name="opinion_conversion_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.content[:40]

    @property
    def is_converted(self) -> bool:
        return bool(self.converted_kind)


class VisitPhoto(models.Model):
    """走访照片 — re-encoded on upload (no EXIF, no GPS), stored privately, served through a checked view.

    ``thumbnail`` is a small copy for lists and the visit page (a phone on a slow link loads that, and the
    full picture only when the person taps it); photos stored before thumbnails existed get theirs on
    first request.
    """

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("走访记录"))
    image = models.FileField(_("照片"), storage=private_storage, upload_to=visit_photo_path, max_length=200)
    thumbnail = models.FileField(_("缩略图"), storage=private_storage, upload_to=visit_thumbnail_path,
                                 max_length=200, blank=True)
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    size_bytes = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("走访照片")
        verbose_name_plural = _("走访照片")
        ordering = ["visit", "pk"]

    def __str__(self) -> str:
        return f"{self.visit_id}/{self.pk}"

    def stored_files(self) -> list[tuple]:
        """(storage, name) of the picture and its thumbnail, for deleting them with the row."""
        return [(f.storage, f.name) for f in (self.image, self.thumbnail) if f]


class VisitTarget(models.Model):
    """走访目标 — what the township expects of each deputy in a year (水冶: 2 people a month; others: 20 a year)."""

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="visit_targets",
                                 verbose_name=_("乡镇"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    visits_per_month = models.PositiveSmallIntegerField(_("每人每月走访次数"), default=1,
                                                        validators=[MaxValueValidator(31)])
    people_per_year = models.PositiveSmallIntegerField(_("每人每年联系选民人数"), default=20,
                                                       validators=[MaxValueValidator(5000)])
    households_per_year = models.PositiveSmallIntegerField(_("每人每年走访户数"), default=0,
                                                           validators=[MaxValueValidator(5000)],
                                                           help_text=_("0 表示不设户数目标。"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("设定人"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("走访目标")
        verbose_name_plural = _("走访目标")
        ordering = ["township", "-year"]
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="visit_target_one_per_year")]

    def __str__(self) -> str:
        return f"{self.township} {self.year}"


class VisitYear(models.Model):
    """A deputy's visits of one calendar year summed (走访年度合计): kept by the visit services (create, edit,
    delete), the demo, the scale builder and the migration that made it, so "behind target" reads about 2,000
    rows a county year instead of grouping its 23,500 visits on every view (docs/performance.md, eighth round).

    A row exists for each (deputy, year) with at least one visit; :func:`deputies.visit_years.refresh` recounts one
    from the visits, so it always equals ``visits.filter(deputy, year)`` summed.
    """

    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="visit_years",
                               verbose_name=_("代表"))
    # The deputy's township (which never changes), copied as the visits copy it: the behind filter reads
    # a township's rows without joining the deputies.
    township = models.ForeignKey("presidium.Township", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("乡镇"))
    year = models.PositiveSmallIntegerField(_("年度"))
    visits = models.PositiveIntegerField(_("走访次数"), default=0)
    people = models.PositiveIntegerField(_("联系选民人数"), default=0)
    households = models.PositiveIntegerField(_("走访户数"), default=0)
    opinions = models.PositiveIntegerField(_("意见条数"), default=0)

    class Meta:
        verbose_name = _("走访年度合计")
        verbose_name_plural = _("走访年度合计")
        constraints = [models.UniqueConstraint(fields=["deputy", "year"], name="visit_year_one_per_deputy")]
        indexes = [models.Index(fields=["year", "township"], name="visit_year_township")]

    def __str__(self) -> str:
        return f"{self.deputy_id} · {self.year}"
