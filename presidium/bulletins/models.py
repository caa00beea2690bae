"""Bulletins (简报): series, issues, articles, the distribution list and the numbers given out.

A :class:`BulletinSeries` is one masthead (人大信息, 联络动态 …) of a township, or of the county when it
has no township; its issues are numbered within the year (第 11 期) and overall (总第六百六十一期). The
number is given when the issue is signed off (签发), under a row lock on the series and on its counter
for that year (:class:`BulletinYearCounter`); a number passed over by an override, or lost with a voided
issue, is kept as a :class:`BulletinNumber`. Publishing freezes the distribution list
(:class:`BulletinRecipient`, with the names as they were) and stores the PDF with its SHA-256.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from presidium.bulletins.choices import (
    BulletinKind,
    DistributionLine,
    IssueState,
    NumberRecordKind,
    RecipientKind,
)
from presidium.documents.storage import dated_name, private_storage


def bulletin_pdf_to(instance, filename: str) -> str:
    return dated_name("bulletins", filename, default_suffix=".pdf")


class BulletinSeries(models.Model):
    """简报系列 — one masthead and its numbering: 人大信息, 督查通报, 政情通报, 联络动态 (代表联络简报).

    ``township`` empty means a county-level series (编印单位 the county's congress office). The issue
    number within the year restarts every year; the overall number (总第 N 期) runs on from
    ``first_overall_number`` and never restarts.
    """

    county = models.ForeignKey("presidium.County", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("县（区）"))
    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="bulletin_series", verbose_name=_("乡镇"),
                                 help_text=_("不选乡镇即为县级简报。"))
    kind = models.CharField(_("简报类别"), max_length=20, choices=BulletinKind.choices, default=BulletinKind.NEWS)
    masthead = models.CharField(_("报头"), max_length=20, help_text=_("红色报头文字，例如“人大信息”“联络动态”。"))
    masthead_latin = models.CharField(_("报头拼音"), max_length=40, blank=True,
                                      help_text=_("报头下的拼音行，例如“LIANLUODONGTAI”，可不填。"))
    compiling_body = models.CharField(_("编印单位"), max_length=60,
                                      help_text=_("报头下左侧的编印单位，例如“青石镇人大主席团编”。"))
    first_overall_number = models.PositiveIntegerField(
        _("起始总期号"), default=1, help_text=_("本系统编出的第一期的总期号（接续以往纸质简报的总期数）。"))
    last_overall_number = models.PositiveIntegerField(_("已用最大总期号"), default=0, editable=False)
    number_in_chinese = models.BooleanField(_("年内期号用汉字"), default=False,
                                            help_text=_("勾选后印“第十一期”，否则印“第 11 期”。"))
    overall_in_chinese = models.BooleanField(_("总期号用汉字"), default=True,
                                             help_text=_("勾选后印“总第六百六十一期”，否则印“总第 661 期”。"))
    responsible_editor = models.CharField(_("默认责任编辑"), max_length=60, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True,
                               help_text=_("印在责任编辑之后，例如电话和邮箱。"))
    approval_number = models.CharField(_("批准文号"), max_length=60, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("创建人"))

    class Meta:
        verbose_name = _("简报系列")
        verbose_name_plural = _("简报系列")
        ordering = ["county", "township", "kind", "masthead", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=BulletinKind.values), name="bulletin_series_kind_valid"),
            models.CheckConstraint(condition=Q(first_overall_number__gte=1), name="bulletin_series_first_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.masthead}（{self.owner_name}）"

    @property
    def owner_name(self) -> str:
        return self.township.name if self.township_id else self.county.name


class BulletinYearCounter(models.Model):
    """简报年度期号 — the last issue number given in one series and year; locked while a number is given."""

    series = models.ForeignKey(BulletinSeries, on_delete=models.CASCADE, related_name="counters",
                               verbose_name=_("简报系列"))
    year = models.PositiveSmallIntegerField(_("年份"))
    last_number = models.PositiveIntegerField(_("已用最大期号"), default=0)

    class Meta:
        verbose_name = _("简报年度期号")
        verbose_name_plural = _("简报年度期号")
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="bulletin_counter_unique")]

    def __str__(self) -> str:
        return f"{self.series.masthead} {self.year}：{self.last_number}"


class BulletinIssue(models.Model):
    """简报（一期） — one issue of a series: drafted, signed off (签发, numbered), published (印发) or voided.

    ``year``/``number``/``overall_number`` are empty until sign-off. At publication the PDF is stored
    with its SHA-256 and the distribution list is frozen; a published issue is never edited again.
    """

    series = models.ForeignKey(BulletinSeries, on_delete=models.PROTECT, related_name="issues",
                               verbose_name=_("简报系列"))
    state = models.CharField(_("状态"), max_length=20, choices=IssueState.choices, default=IssueState.DRAFT,
                             db_index=True)
    issue_date = models.DateField(_("印发日期"))
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    number = models.PositiveIntegerField(_("期号"), null=True, blank=True)
    overall_number = models.PositiveIntegerField(_("总期号"), null=True, blank=True)
    responsible_editor = models.CharField(_("责任编辑"), max_length=60, blank=True)
    to_all_deputies = models.BooleanField(_("发全体代表"), default=False,
                                          help_text=_("印发后通知本乡镇全体在任代表，并在“发”一栏印“全体人大代表”。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("创建人"))
    signed_off_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("签发人"))
    signer_name = models.CharField(_("签发人姓名"), max_length=50, blank=True)
    published_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("印发人"))
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("作废人"))
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    pdf = models.FileField(_("PDF 文件"), storage=private_storage, upload_to=bulletin_pdf_to, max_length=255,
                           blank=True)
    pdf_sha256 = models.CharField(_("PDF 摘要（SHA-256）"), max_length=64, blank=True)
    pdf_deferred = models.BooleanField(
        _("PDF 待生成"), default=False, editable=False,
        help_text=_("批量导入的已印发简报：PDF 在第一次下载时按固定的内容和分送名单生成并留存摘要。"))

    class Meta:
        verbose_name = _("简报")
        verbose_name_plural = _("简报")
        ordering = ["-issue_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=IssueState.values), name="bulletin_issue_state_valid"),
            models.UniqueConstraint(fields=["series", "year", "number"], condition=Q(number__isnull=False),
                                    name="bulletin_issue_number_unique"),
            models.UniqueConstraint(fields=["series", "overall_number"], condition=Q(overall_number__isnull=False),
                                    name="bulletin_issue_overall_unique"),
            models.CheckConstraint(
                condition=Q(state=IssueState.DRAFT) | Q(state=IssueState.VOIDED)
                | (Q(number__gte=1) & Q(overall_number__gte=1) & Q(year__isnull=False)),
                name="bulletin_issue_signed_has_number",
            ),
            # A published issue has its stored PDF, or (bulk-loaded history) is marked to render it on first use.
            models.CheckConstraint(condition=~Q(state=IssueState.PUBLISHED) | (~Q(pdf="") & ~Q(pdf_sha256=""))
                                   | Q(pdf="", pdf_sha256="", pdf_deferred=True),
                                   name="bulletin_issue_published_has_pdf"),
        ]
        indexes = [models.Index(fields=["series", "state", "issue_date"], name="bulletin_issue_series_state")]

    def __str__(self) -> str:
        return f"{self.series.masthead} {self.number_text or _('（未编号）')}"

    @property
    def is_numbered(self) -> bool:
        return self.number is not None

    @property
    def number_text(self) -> str:
        """第 11 期 / 第十一期 (empty before sign-off)."""
        from presidium.bulletins.numbering import issue_number_text

        return issue_number_text(self.series, self.number) if self.number else ""

    @property
    def overall_text(self) -> str:
        """总第六百六十一期 / 总第 661 期 (empty before sign-off)."""
        from presidium.bulletins.numbering import overall_number_text

        return overall_number_text(self.series, self.overall_number) if self.overall_number else ""

    @property
    def is_editable(self) -> bool:
        return self.state == IssueState.DRAFT

    @property
    def file_stem(self) -> str:
        if self.number:
            return f"{self.series.masthead}-{self.year}年第{self.number}期"
        return f"{self.series.masthead}-样稿"


class Article(models.Model):
    """简报文章 — one article of an issue: title, body (sanitised rich text), and its source (供稿)."""

    issue = models.ForeignKey(BulletinIssue, on_delete=models.CASCADE, related_name="articles",
                              verbose_name=_("简报"))
    position = models.PositiveIntegerField(_("顺序"), default=0)
    title = models.CharField(_("标题"), max_length=120)
    body_html = models.TextField(_("正文"), help_text=_("只保留段落、加粗、列表、小标题和简单表格，其他格式会被清除。"))
    body_text = models.TextField(_("正文文字"), blank=True, editable=False)
    source = models.CharField(_("供稿"), max_length=80, blank=True,
                              help_text=_("印在文末括号中，例如“华容县人大常委会联工委”。"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("修改人"))

    class Meta:
        verbose_name = _("简报文章")
        verbose_name_plural = _("简报文章")
        ordering = ["issue", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class BulletinRecipient(models.Model):
    """简报分送 — one entry of an issue's 报 / 送 / 发 lines: a deputy, a unit, all deputies, or free text.

    ``name`` is what is printed; while the issue is a draft it follows the deputy's or unit's name, and
    publication freezes it with the name as it was that day.
    """

    issue = models.ForeignKey(BulletinIssue, on_delete=models.CASCADE, related_name="recipients",
                              verbose_name=_("简报"))
    line = models.CharField(_("分送栏"), max_length=10, choices=DistributionLine.choices)
    kind = models.CharField(_("类型"), max_length=20, choices=RecipientKind.choices)
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("代表"))
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("单位"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("账号"),
                             help_text=_("印发时有账号的代表：据此通知和阅读。"))
    name = models.CharField(_("名称"), max_length=120)
    position = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("简报分送")
        verbose_name_plural = _("简报分送")
        ordering = ["issue", "line", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(line__in=DistributionLine.values), name="bulletin_recipient_line_valid"),
            models.CheckConstraint(condition=Q(kind__in=RecipientKind.values), name="bulletin_recipient_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_line_display()}：{self.name}"


class BulletinNumber(models.Model):
    """简报期号记录 — a number that no published issue carries: skipped by an override, or voided with its issue."""

    series = models.ForeignKey(BulletinSeries, on_delete=models.CASCADE, related_name="number_records",
                               verbose_name=_("简报系列"))
    year = models.PositiveSmallIntegerField(_("年份"))
    number = models.PositiveIntegerField(_("期号"))
    overall_number = models.PositiveIntegerField(_("总期号"), null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=NumberRecordKind.choices)
    reason = models.CharField(_("原因"), max_length=200)
    issue = models.ForeignKey(BulletinIssue, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("简报"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("记录人"))

    class Meta:
        verbose_name = _("简报期号记录")
        verbose_name_plural = _("简报期号记录")
        ordering = ["series", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "number"], name="bulletin_number_record_unique"),
            models.CheckConstraint(condition=Q(kind__in=NumberRecordKind.values), name="bulletin_number_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.series.masthead} {self.year} 第{self.number}期（{self.get_kind_display()}）"
