"""Import batches and document jobs: the rows that track an upload and a generated file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from presidium.documents.choices import ImportStatus, JobStatus
from presidium.documents.storage import dated_name, private_storage


def import_upload_to(instance, filename: str) -> str:
    return dated_name("imports", filename, default_suffix=".xlsx")


def job_result_to(instance, filename: str) -> str:
    return dated_name("jobs", filename)


class ImportBatch(models.Model):
    """导入批次 — one uploaded spreadsheet: previewed, then committed all at once (or failed/discarded).

    The file is kept (private storage) while the batch waits, so preview and commit read exactly what
    was uploaded; it holds personal data, so it is deleted once the batch is committed or discarded,
    and abandoned batches are discarded after a day (``purge_import_files``). The digest, the summary
    and who did what stay as the record. ``check_result`` is the preview's stored result (cell texts
    with personal data masked), written once when the file is checked — in the request, or by a
    document job for a large file — so the preview page does not read the file again. ``job`` is the
    document job that checks or commits a large batch, which the preview page follows.
    """

    kind = models.CharField(_("导入类型"), max_length=50, db_index=True)
    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("乡镇"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("上传人"))
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    file = models.FileField(_("文件"), storage=private_storage, upload_to=import_upload_to, max_length=255,
                            blank=True)
    sha256 = models.CharField(_("文件摘要（SHA-256）"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("文件大小（字节）"), default=0)
    status = models.CharField(_("状态"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    summary = models.JSONField(_("结果摘要"), default=dict, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("确认导入人"))
    check_result = models.JSONField(_("检查结果"), default=dict, blank=True)
    checked_at = models.DateTimeField(_("检查时间"), null=True, blank=True)
    job = models.ForeignKey("DocumentJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                            verbose_name=_("后台任务"))

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "township", "sha256"], name="import_batch_same_file")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="import_batch_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ImportStatus.COMMITTED) | Q(committed_at__isnull=False),
                name="import_batch_committed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name or self.kind}（{self.get_status_display()}）"


class DocumentJob(models.Model):
    """文档任务 — a document generated in the background (a ledger, a roster), tracked while the page polls.

    ``kind`` names a function registered with :func:`presidium.documents.jobs.register_job`; the
    result is a private file that only the requester (or staff of the same township) may download.
    """

    kind = models.CharField(_("任务类型"), max_length=50, db_index=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("申请人"))
    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("乡镇"))
    status = models.CharField(_("状态"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED,
                              db_index=True)
    progress = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    message = models.CharField(_("进度说明"), max_length=200, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    result = models.FileField(_("结果文件"), storage=private_storage, upload_to=job_result_to, max_length=255,
                              blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("文档任务")
        verbose_name_plural = _("文档任务")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="document_job_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=JobStatus.DONE) | (~Q(result="") & Q(finished_at__isnull=False)),
                name="document_job_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def title(self) -> str:
        from presidium.documents.jobs import job_title

        named = (self.params or {}).get("title") if isinstance(self.params, dict) else ""
        return f"{named}（Excel）" if named else job_title(self.kind)

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return max(0, min(100, round(self.progress * 100 / self.total)))


def default_document_code(township_name: str) -> str:
    """The 机关代字 a township starts with: its first character and 人大 (青石镇 → 青人大)."""
    return f"{(township_name or '').strip()[:1]}人大"


class DocumentIssuer(models.Model):
    """发文机关 — how a township's presidium signs its official documents: full name and 机关代字.

    Created with defaults the first time it is read (:func:`presidium.documents.selectors.issuer_for`):
    the masthead (版头) says "青石镇人民代表大会主席团", the numbers read 青人大〔2026〕5号.
    """

    township = models.OneToOneField("presidium.Township", on_delete=models.CASCADE, related_name="document_issuer",
                                    verbose_name=_("乡镇"))
    name = models.CharField(_("发文机关全称"), max_length=60,
                            help_text=_("版头和落款使用，例如“青石镇人民代表大会主席团”。"))
    code = models.CharField(_("机关代字"), max_length=12,
                            help_text=_("发文字号的机关代字，例如“青人大”，发文字号为“青人大〔2026〕5号”。"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("发文机关")
        verbose_name_plural = _("发文机关")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class DocumentNumberSequence(models.Model):
    """发文字号序列 — the last number given per township, 机关代字 and year; locked while a number is given."""

    township = models.ForeignKey("presidium.Township", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("乡镇"))
    code = models.CharField(_("机关代字"), max_length=12)
    year = models.PositiveSmallIntegerField(_("年份"))
    last_number = models.PositiveIntegerField(_("已用最大序号"), default=0)

    class Meta:
        verbose_name = _("发文字号序列")
        verbose_name_plural = _("发文字号序列")
        constraints = [models.UniqueConstraint(fields=["township", "code", "year"],
                                               name="document_number_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.code}〔{self.year}〕{self.last_number}"


class DocumentNumber(models.Model):
    """发文字号 — one number given to one document (青人大〔2026〕5号), kept so a reprint shows the same number.

    ``kind`` names the document (``proposals.assignment_letter``), the generic link its subject (the
    suggestion), ``variant`` one issue of it (a 改办 to another unit is a new letter with a new number).
    """

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("乡镇"))
    code = models.CharField(_("机关代字"), max_length=12)
    year = models.PositiveSmallIntegerField(_("年份"))
    number = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("文种"), max_length=60)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("对象类型"))
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    variant = models.CharField(_("版次"), max_length=60, blank=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    issued_at = models.DateTimeField(_("编号时间"), auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("编号人"))

    class Meta:
        verbose_name = _("发文字号")
        verbose_name_plural = _("发文字号")
        ordering = ["township", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["township", "code", "year", "number"], name="document_number_unique"),
            models.UniqueConstraint(fields=["kind", "content_type", "object_id", "variant"],
                                    name="document_number_once_per_document"),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_number_positive"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="document_number_subject")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """青人大〔2026〕5号: 机关代字, the year in 六角括号 〔〕, the number without leading zeros."""
        return f"{self.code}〔{self.year}〕{self.number}号"
