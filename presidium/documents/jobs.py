"""Document jobs: documents generated in the background while the page polls a job row.

An app registers a generator once, in its ``AppConfig.ready()``::

    @register_job("deputy_roster", title=_("代表名册"))
    def deputy_roster(job, params, progress):
        ...
        progress(done, total)          # as often as you like: writes are throttled
        return "代表名册.xlsx", content  # (file name shown to the user, bytes)

and a view starts it with :func:`job_start`, then redirects to ``documents:job_detail``. The job is
enqueued after the surrounding transaction commits, with ``robust=True``: when the broker is down
the request still succeeds, and ``manage.py run_document_jobs`` (or the periodic task) picks the
queued row up later. Without Redis, Celery runs eagerly and the job is done before the redirect.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.documents import services
from presidium.documents.choices import JobStatus
from presidium.documents.models import DocumentJob

logger = logging.getLogger(__name__)

JobFunction = Callable[[DocumentJob, dict, Callable[..., None]], tuple[str, bytes]]
PROGRESS_INTERVAL_SECONDS = 0.5


@dataclass(frozen=True)
class JobKind:
    kind: str
    title: str
    fn: JobFunction


_REGISTRY: dict[str, JobKind] = {}


def register_job(kind: str, *, title: str) -> Callable[[JobFunction], JobFunction]:
    """Register ``fn(job, params, progress) -> (filename, bytes)`` under ``kind``."""

    def decorator(fn: JobFunction) -> JobFunction:
        existing = _REGISTRY.get(kind)
        if existing and existing.fn is not fn and existing.fn.__qualname__ != fn.__qualname__:
            raise ValueError(f"document job kind {kind!r} is already registered by {existing.fn.__module__}")
        _REGISTRY[kind] = JobKind(kind, title, fn)
        return fn

    return decorator


def registered_jobs() -> dict[str, JobKind]:
    return dict(_REGISTRY)


def job_title(kind: str) -> str:
    entry = _REGISTRY.get(kind)
    return str(entry.title) if entry else kind


def job_start(*, kind: str, params: dict, by, township=None) -> DocumentJob:
    """Create a queued job and enqueue it once the current transaction commits.

    The caller has checked that ``by`` may have this document; the job only runs it.
    """
    if kind not in _REGISTRY:
        raise ValueError(f"unknown document job kind {kind!r}: register it with register_job")
    with transaction.atomic():
        job = services.document_job_create(kind=kind, params=params, by=by, township=township)
        transaction.on_commit(lambda: enqueue(job.pk), robust=True)
    return job


def enqueue(job_id: int) -> None:
    from presidium.documents.tasks import run_document_job

    run_document_job.delay(job_id)


class _Progress:
    """The ``progress(done, total, message="")`` callback: writes at most every half second."""

    def __init__(self, job: DocumentJob, interval: float = PROGRESS_INTERVAL_SECONDS):
        self.job, self.interval, self._last = job, interval, 0.0

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        total = self.job.total if total is None else total
        now = time.monotonic()
        finished = bool(total) and done >= total
        if not finished and now - self._last < self.interval:
            return
        self._last = now
        services.document_job_progress(job=self.job, done=done, total=total, message=message)


def _error_text(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        return "；".join(str(m) for m in error.messages)
    if isinstance(error, SoftTimeLimitExceeded):
        return _("生成超时（超过 %(s)s 秒），请缩小范围后重试。") % {
            "s": getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", "")}
    text = str(error).strip()
    return _("生成失败：%(kind)s%(text)s") % {"kind": type(error).__name__, "text": f"：{text}" if text else ""}


def run_job(job_id: int) -> DocumentJob | None:
    """Run one queued job to the end. Returns quietly (None) if it is gone or not queued.

    The generator's exception is kept on the row and shown to the user, and logged with its
    traceback; it is not re-raised, so a failing document never makes the worker retry.
    """
    job = services.document_job_claim(job_id=job_id)
    if job is None:
        return None
    entry = _REGISTRY.get(job.kind)
    if entry is None:
        return services.document_job_fail(job=job, error=_("未知的文档类型“%(k)s”。") % {"k": job.kind})
    try:
        filename, content = entry.fn(job, dict(job.params), _Progress(job))
    except Exception as error:  # noqa: BLE001 - every failure is recorded and shown, none swallowed
        logger.exception("document job %s (%s) failed", job.pk, job.kind)
        return services.document_job_fail(job=job, error=_error_text(error))
    try:
        return services.document_job_finish(job=job, filename=filename, content=content)
    except Exception as error:  # noqa: BLE001
        logger.exception("document job %s (%s) could not be saved", job.pk, job.kind)
        return services.document_job_fail(job=job, error=_error_text(error))


def stale_cutoff() -> timedelta:
    """A running job older than the hard time limit (plus a margin) has lost its worker."""
    return timedelta(seconds=int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 300)) + 60)


def fail_stale_jobs() -> int:
    """Mark jobs whose worker died mid-run as failed, so their pages stop polling and say so."""
    count = 0
    limit = timezone.now() - stale_cutoff()
    for job in DocumentJob.objects.filter(status=JobStatus.RUNNING, started_at__lt=limit):
        services.document_job_fail(job=job, error=_("生成过程被中断（服务重启或超时），请重新生成。"))
        count += 1
    return count


def run_queued_jobs(*, limit: int = 50, min_age_seconds: int = 0) -> list[DocumentJob]:
    """Run queued jobs in order here, in this process: for sites without a worker, or lost enqueues.

    ``min_age_seconds`` leaves fresh rows to the worker that was just asked to run them.
    """
    fail_stale_jobs()
    queued = DocumentJob.objects.filter(status=JobStatus.QUEUED)
    if min_age_seconds:
        queued = queued.filter(created_at__lt=timezone.now() - timedelta(seconds=min_age_seconds))
    ran = []
    for job_id in list(queued.order_by("created_at", "pk").values_list("pk", flat=True)[:limit]):
        job = run_job(job_id)
        if job is not None:
            ran.append(job)
    return ran


def purge_expired(*, days: int | None = None) -> tuple[int, int]:
    """Delete finished jobs (and their files) and give up unconfirmed imports older than ``days``.

    Generated files and uploaded rosters hold personal data: keep them no longer than needed
    (``DOCUMENT_RETENTION_DAYS``, 30 by default). Import files go much sooner (a committed or discarded
    batch's file at once, an abandoned one after a day: :mod:`presidium.documents.retention`); this is
    the backstop. Returns (jobs deleted, batches discarded).
    """
    from presidium.documents.choices import IMPORT_COMMITTABLE
    from presidium.documents.models import ImportBatch

    days = days if days is not None else int(getattr(settings, "DOCUMENT_RETENTION_DAYS", 30))
    limit = timezone.now() - timedelta(days=days)
    jobs = 0
    for job in DocumentJob.objects.filter(status__in=[JobStatus.DONE, JobStatus.FAILED], created_at__lt=limit):
        name, storage = job.result.name, job.result.storage
        job.delete()
        if name:
            storage.delete(name)
        jobs += 1
    batches = 0
    for batch in ImportBatch.objects.filter(status__in=sorted(IMPORT_COMMITTABLE), created_at__lt=limit):
        services.import_batch_discard(batch=batch, by=None)
        batches += 1
    return jobs, batches
