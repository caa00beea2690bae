"""Reads that encode a rule: which jobs and batches a user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from presidium.access import STAFF_ROLES, scope_of
from presidium.documents.models import DocumentJob


def jobs_visible_to(user) -> QuerySet:
    """A job is its requester's, and also visible to presidium staff of the job's township.

    Anyone else gets a 404 for it: a generated ledger can hold contact details.
    """
    scope = scope_of(user)
    jobs = DocumentJob.objects.select_related("township", "requested_by")
    if scope.user_id is None:
        return jobs.none()
    if scope.is_superuser:
        return jobs
    condition = Q(requested_by_id=scope.user_id)
    staff_townships = scope.township_ids(STAFF_ROLES)
    if staff_townships:
        condition |= Q(township_id__in=sorted(staff_townships))
    return jobs.filter(condition)


def issuer_for(township):
    """The township's 发文机关 (full name, 机关代字); the defaults (unsaved) when nobody changed them."""
    from presidium.documents.models import DocumentIssuer, default_document_code

    found = DocumentIssuer.objects.filter(township=township).first()
    return found or DocumentIssuer(township=township, name=f"{township.name}人民代表大会主席团",
                                   code=default_document_code(township.name))


def document_number_of(*, kind: str, subject, variant: str = ""):
    """The 发文字号 already given to this document, or None."""
    from django.contrib.contenttypes.models import ContentType

    from presidium.documents.models import DocumentNumber

    return DocumentNumber.objects.filter(kind=kind, content_type=ContentType.objects.get_for_model(subject),
                                         object_id=subject.pk, variant=variant).first()
