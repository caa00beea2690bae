"""Celery tasks of the documents app: take an id, load, return quietly if gone, call one function."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="documents.run_document_job", ignore_result=True)
def run_document_job(job_id: int) -> None:
    """Generate one document job. A job that is gone, or already taken, is left alone.

    Not retried: the generator's failure is recorded on the row and shown to the user; a worker lost
    mid-run leaves the row "running" until ``run_document_jobs`` marks it failed.
    """
    from presidium.documents.jobs import run_job

    run_job(job_id)


@shared_task(name="documents.run_queued_document_jobs", ignore_result=True)
def run_queued_document_jobs() -> int:
    """The periodic pass: run jobs whose enqueue was lost (broker down), fail stale ones, purge old files."""
    from presidium.documents.jobs import purge_expired, run_queued_jobs

    purge_expired()
    return len(run_queued_jobs(limit=20, min_age_seconds=60))


@shared_task(name="documents.purge_import_files", ignore_result=True)
def purge_import_files() -> int:
    """The nightly pass: discard import batches left unconfirmed past the retention, deleting their files."""
    from presidium.documents.retention import purge_import_files as purge

    return purge().batches
