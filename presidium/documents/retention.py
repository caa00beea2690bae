"""Uploaded import files hold personal data: none is kept longer than the import needs it.

A batch's file is deleted when the batch is committed or discarded (the services do it). A batch
left waiting — previewed or failed, never confirmed — is discarded ``IMPORT_FILE_RETENTION_HOURS``
(24 by default) after its upload by the nightly pass (``manage.py purge_import_files``, or the beat
entry in ``config/celery.py``), which deletes its file through the same service. A repeated or
concurrent pass is harmless: the discard is a conditional update.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from presidium.documents import services
from presidium.documents.choices import IMPORT_COMMITTABLE
from presidium.documents.models import ImportBatch


@dataclass(frozen=True)
class ImportPurge:
    batches: int
    cutoff: object


def abandoned_batches(*, hours: int | None = None):
    hours = hours if hours is not None else int(settings.IMPORT_FILE_RETENTION_HOURS)
    cutoff = timezone.now() - timedelta(hours=hours)
    return ImportBatch.objects.filter(status__in=sorted(IMPORT_COMMITTABLE), created_at__lt=cutoff), cutoff


def purge_import_files(*, hours: int | None = None, dry_run: bool = False) -> ImportPurge:
    """Discard batches left unconfirmed past the retention, deleting their files. Returns how many."""
    batches, cutoff = abandoned_batches(hours=hours)
    if dry_run:
        return ImportPurge(batches.count(), cutoff)
    count = 0
    for batch in batches.order_by("pk").iterator(chunk_size=200):
        try:
            services.import_batch_discard(batch=batch, by=None)
        except ValidationError:  # committed meanwhile: its file is already gone
            continue
        count += 1
    return ImportPurge(count, cutoff)
