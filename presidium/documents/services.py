"""Every state change of import batches and document jobs: one keyword-only function each.

Status changes are conditional updates (``UPDATE … WHERE status IN (allowed sources)``): two
requests, two workers or a worker and ``run_document_jobs`` can race for the same row, and exactly
one of them wins. The allowed transitions are the tables in :mod:`presidium.documents.choices`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.documents.choices import (
    IMPORT_COMMITTABLE,
    IMPORT_TRANSITIONS,
    JOB_TRANSITIONS,
    ImportStatus,
    JobStatus,
)
from presidium.documents.models import DocumentJob, ImportBatch
from presidium.models import Township, User


def _sources(table: dict[str, frozenset[str]], target: str) -> list[str]:
    """The statuses from which ``target`` may be reached."""
    return sorted(source for source, targets in table.items() if target in targets)


def _json_safe(data: dict) -> dict:
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


# --- import batches -----------------------------------------------------------------------------
@transaction.atomic
def import_batch_create(*, kind: str, township: Township | None, by: User | None, content: bytes,
                        original_name: str) -> ImportBatch:
    """Store an uploaded (already checked) file as a batch awaiting confirmation."""
    batch = ImportBatch(kind=kind, township=township, uploaded_by=by, original_name=(original_name or "")[:255],
                        sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                        status=ImportStatus.PREVIEWED)
    batch.file.save(original_name or "upload.xlsx", ContentFile(content), save=False)
    try:
        batch.full_clean()
        batch.save()
    except Exception:
        batch.file.delete(save=False)  # nothing half-saved: no orphan file without its row
        raise
    return batch


def import_batch_commit(*, batch: ImportBatch, preview, commit: Callable[..., dict | None],
                        by: User | None) -> dict:
    """Write a previewed batch through the app's ``commit(preview, batch, by)``, all or nothing.

    The claim on the batch, everything ``commit`` writes and the summary are one transaction: an
    error anywhere rolls all of it back. A batch already committed is refused (a double click, a
    second tab, a retried request).
    """
    if not preview.ok:
        raise ValidationError(_("表格中还有错误，不能导入。"), code="preview_not_ok")
    with transaction.atomic():
        claimed = ImportBatch.objects.filter(pk=batch.pk, status__in=sorted(IMPORT_COMMITTABLE)).update(
            status=ImportStatus.COMMITTED, committed_at=timezone.now(), committed_by=by, error="")
        if not claimed:
            batch.refresh_from_db(fields=["status", "committed_at"])
            if batch.status == ImportStatus.COMMITTED:
                stamp = timezone.localtime(batch.committed_at).strftime("%Y-%m-%d %H:%M")
                raise ValidationError(_("这个文件已于 %(t)s 导入，不能重复导入。") % {"t": stamp},
                                      code="already_committed")
            raise ValidationError(_("这个导入批次已放弃，请重新上传。"), code="not_committable")
        summary = dict(commit(preview, batch, by) or {})
        summary = _json_safe({"rows": len(preview.rows), **summary})
        ImportBatch.objects.filter(pk=batch.pk).update(summary=summary, check_result={})
        _delete_file_on_commit(batch)
    batch.refresh_from_db()
    return summary


def _delete_file_on_commit(batch: ImportBatch) -> None:
    """Forget the stored upload (it holds personal data) and delete it once the transaction commits."""
    batch.refresh_from_db(fields=["file"])
    name = batch.file.name
    ImportBatch.objects.filter(pk=batch.pk).update(file="")
    if name:
        storage = batch.file.storage
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def import_batch_record_check(*, batch: ImportBatch, result: dict, by: User | None) -> ImportBatch:
    """Store the preview's result (personal data already masked) while the batch still waits."""
    ImportBatch.objects.filter(pk=batch.pk, status__in=sorted(IMPORT_COMMITTABLE)).update(
        check_result=_json_safe(result), checked_at=timezone.now())
    batch.refresh_from_db(fields=["check_result", "checked_at", "status"])
    return batch


def import_batch_start_check(*, batch: ImportBatch, job: DocumentJob, by: User | None) -> ImportBatch:
    """Hand the batch's check to a document job (a large file): the preview page follows the job."""
    ImportBatch.objects.filter(pk=batch.pk).update(job=job, check_result={}, checked_at=None)
    batch.refresh_from_db(fields=["job", "check_result", "checked_at"])
    return batch


def import_batch_start_commit(*, batch: ImportBatch, job: DocumentJob, by: User | None) -> ImportBatch:
    """Hand the batch's commit to a document job (many rows): the preview page follows the job."""
    updated = ImportBatch.objects.filter(pk=batch.pk, status__in=sorted(IMPORT_COMMITTABLE)).update(job=job)
    if not updated:
        raise ValidationError(_("这个导入批次已导入或已放弃。"), code="not_committable")
    batch.refresh_from_db(fields=["job"])
    return batch


def import_batch_fail(*, batch: ImportBatch, by: User | None, error: str) -> ImportBatch:
    """Record why a commit failed (its writes were already rolled back). A committed batch stays committed."""
    ImportBatch.objects.filter(pk=batch.pk, status__in=_sources(IMPORT_TRANSITIONS, ImportStatus.FAILED)).update(
        status=ImportStatus.FAILED, error=error[:4000])
    batch.refresh_from_db()
    return batch


def import_batch_discard(*, batch: ImportBatch, by: User | None) -> ImportBatch:
    """Give up a batch before it is imported, and delete the stored file (it may hold personal data)."""
    with transaction.atomic():
        updated = ImportBatch.objects.filter(
            pk=batch.pk, status__in=_sources(IMPORT_TRANSITIONS, ImportStatus.DISCARDED)).update(
            status=ImportStatus.DISCARDED)
        if not updated:
            raise ValidationError(_("已导入的批次不能放弃。"), code="not_discardable")
        ImportBatch.objects.filter(pk=batch.pk).update(check_result={})
        _delete_file_on_commit(batch)
    batch.refresh_from_db()
    return batch


# --- document jobs ------------------------------------------------------------------------------
@transaction.atomic
def document_job_create(*, kind: str, params: dict, by: User | None, township: Township | None) -> DocumentJob:
    job = DocumentJob(kind=kind, params=_json_safe(params or {}), requested_by=by, township=township,
                      status=JobStatus.QUEUED)
    job.full_clean()
    job.save()
    return job


def document_job_claim(*, job_id: int) -> DocumentJob | None:
    """Mark a queued job running; None if it is gone or someone else took it (then do nothing)."""
    claimed = DocumentJob.objects.filter(pk=job_id, status__in=_sources(JOB_TRANSITIONS, JobStatus.RUNNING)).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=0, error="")
    if not claimed:
        return None
    return DocumentJob.objects.select_related("township").get(pk=job_id)


def document_job_progress(*, job: DocumentJob, done: int, total: int, message: str = "") -> None:
    done, total = max(0, int(done)), max(0, int(total))
    if total:
        done = min(done, total)
    changes: dict[str, Any] = {"progress": done, "total": total}
    if message:
        changes["message"] = message[:200]
    DocumentJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**changes)
    for field, value in changes.items():
        setattr(job, field, value)


def document_job_finish(*, job: DocumentJob, filename: str, content: bytes) -> DocumentJob:
    """Store the result file and mark the job done."""
    if not isinstance(content, bytes | bytearray) or not content:
        raise ValueError("a document job must return (filename, non-empty bytes)")
    job.result.save(filename, ContentFile(bytes(content)), save=False)
    stored = job.result.name
    updated = DocumentJob.objects.filter(pk=job.pk, status__in=_sources(JOB_TRANSITIONS, JobStatus.DONE)).update(
        status=JobStatus.DONE, result=stored, file_name=filename[:200], finished_at=timezone.now(),
        progress=max(job.total, job.progress), message="")
    if not updated:  # failed meanwhile (stale recovery): don't keep an orphan file
        job.result.storage.delete(stored)
    job.refresh_from_db()
    return job


def document_job_fail(*, job: DocumentJob, error: str) -> DocumentJob:
    DocumentJob.objects.filter(pk=job.pk, status__in=_sources(JOB_TRANSITIONS, JobStatus.FAILED)).update(
        status=JobStatus.FAILED, error=(error or _("未知错误"))[:4000], finished_at=timezone.now())
    job.refresh_from_db()
    return job


# --- official document numbers (发文字号) ------------------------------------------------------------
@transaction.atomic
def document_issuer_update(*, township: Township, by: User | None, name: str, code: str):
    """Set how the township signs its documents: the 发文机关 full name and the 机关代字."""
    from presidium.documents.models import DocumentIssuer
    from presidium.documents.selectors import issuer_for

    issuer = issuer_for(township)
    issuer.name, issuer.code = (name or "").strip(), (code or "").strip()
    if any(c in issuer.code for c in "〔〕[]()（）"):
        raise ValidationError({"code": _("机关代字只写代字本身，例如“青人大”，不要带年份或括号。")})
    issuer.full_clean()
    issuer.save()
    return DocumentIssuer.objects.get(pk=issuer.pk)


@dataclass(frozen=True)
class NumberRequest:
    """One document asking for its 发文字号: its subject, which issue of it, the year it is dated in, a title."""

    subject: Any
    year: int
    variant: str = ""
    title: str = ""


@transaction.atomic
def document_numbers_issue(*, township: Township, kind: str, requests: list[NumberRequest], by: User | None,
                           code: str | None = None) -> list:
    """Give each requested document its 发文字号 (青人大〔2026〕5号), or return the one it already has.

    Numbers run per township, 机关代字 and year, from 1, without gaps: the sequence row is locked
    (``select_for_update``) while numbers are taken, so two clerks printing at the same moment get N
    and N+1; the unique constraints catch anything that slips past. A document keeps its number:
    asking again for the same (kind, subject, variant) returns the stored one. New numbers follow
    the order of ``requests`` (a batch in serial order is numbered in that order). A batch costs a
    few queries per year, not per letter.
    """
    from django.contrib.contenttypes.models import ContentType

    from presidium.documents.models import DocumentNumber, DocumentNumberSequence
    from presidium.documents.selectors import issuer_for

    if not requests:
        return []
    content_type = ContentType.objects.get_for_model(requests[0].subject)

    def key(request: NumberRequest) -> tuple[int, str]:
        return request.subject.pk, request.variant

    def stored() -> dict[tuple[int, str], DocumentNumber]:
        rows = DocumentNumber.objects.filter(kind=kind, content_type=content_type,
                                             object_id__in=sorted({r.subject.pk for r in requests}))
        return {(row.object_id, row.variant): row for row in rows}

    found = stored()
    missing = [r for r in requests if key(r) not in found]
    if missing:
        code = (code or issuer_for(township).code).strip()
        if not code:
            raise ValidationError(_("本乡镇尚未设置机关代字，请先在发文机关设置中填写。"))
        for year in sorted({r.year for r in missing}):
            DocumentNumberSequence.objects.get_or_create(township=township, code=code, year=year)
            sequence = DocumentNumberSequence.objects.select_for_update().get(township=township, code=code, year=year)
            # Another request may have numbered some of these while we waited for the lock.
            found = stored()
            todo = list({key(r): r for r in missing if r.year == year and key(r) not in found}.values())
            if not todo:
                continue
            first = sequence.last_number + 1
            sequence.last_number += len(todo)
            sequence.save(update_fields=["last_number"])
            rows = [DocumentNumber(township=township, code=code, year=year, number=first + offset, kind=kind,
                                   content_type=content_type, object_id=r.subject.pk, variant=r.variant,
                                   title=r.title[:200], issued_by=by) for offset, r in enumerate(todo)]
            for row in rows:  # lengths and choices; the foreign keys are the objects just read, not re-queried
                row.clean_fields(exclude=["township", "content_type", "issued_by"])
            DocumentNumber.objects.bulk_create(rows)
            found.update({(row.object_id, row.variant): row for row in rows})
    return [found[key(r)] for r in requests]


def document_number_issue(*, township: Township, kind: str, subject, year: int, by: User | None,
                          variant: str = "", title: str = "", code: str | None = None):
    """The 发文字号 of one document: see :func:`document_numbers_issue`."""
    return document_numbers_issue(township=township, kind=kind, by=by, code=code,
                                  requests=[NumberRequest(subject=subject, year=year, variant=variant,
                                                          title=title)])[0]
