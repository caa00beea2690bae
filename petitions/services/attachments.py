"""Attachments (附件) of a case: letters' scans, the petitioner's materials, a unit's signed reply; kept private."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from petitions.access import relations
from petitions.choices import Channel
from petitions.models import Petition, PetitionAttachment
from petitions.services.common import log
from presidium.access import STAFF_ROLES
from presidium.choices import Role
from presidium.documents.storage import RemoveFilesOnError
from presidium.documents.uploads import DOCUMENT_KINDS, CheckedFile, check_upload
from presidium.records import record

MAX_ATTACHMENTS = 10


def check_petition_uploads(uploads: Iterable, *, field: str = "attachments") -> list[CheckedFile]:
    """Every file through the floor's ``check_upload`` (type by content, size, structure) — CPU work done before
    any transaction — or a ValidationError on ``field`` naming the refused file, in Chinese."""
    uploads = [upload for upload in uploads if upload]
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError({field: _("每件最多 %(n)s 个附件。") % {"n": MAX_ATTACHMENTS}})
    checked = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload, accept=DOCUMENT_KINDS))
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
    return checked


def _may_attach(by, petition: Petition) -> bool:
    if by is None:  # the petitioner's own online form, in the registration's transaction
        return petition.channel == Channel.ONLINE and petition.created_by_id is None
    held = relations(by, petition)
    return bool(held & STAFF_ROLES) or Role.UNIT_LIAISON in held


def petition_attachments_add(*, petition: Petition, by, checked: list[CheckedFile], written: list | None = None,
                             field: str = "attachments") -> list[PetitionAttachment]:
    """Store files already checked (:func:`check_petition_uploads`) on a case: all or none.

    ``written`` is the caller's :class:`~presidium.documents.storage.RemoveFilesOnError` list when the files
    belong to a bigger transaction (a registration with its attachments); without it this function keeps its
    own, so a refused row removes the files it wrote.
    """
    if not checked:
        return []
    if not _may_attach(by, petition):
        raise PermissionDenied(_("您不能为这件信访件上传附件。"))
    if petition.attachments.count() + len(checked) > MAX_ATTACHMENTS:
        raise ValidationError({field: _("每件最多 %(n)s 个附件。") % {"n": MAX_ATTACHMENTS}})
    if written is not None:
        with transaction.atomic():
            return _store(petition, by, checked, written)
    with RemoveFilesOnError() as own, transaction.atomic():
        return _store(petition, by, checked, own)


def _store(petition: Petition, by, checked: list[CheckedFile], written: list) -> list[PetitionAttachment]:
    added = []
    for item in checked:
        name = item.original_name[-200:]
        attachment = PetitionAttachment(petition=petition, original_name=name, content_type=item.content_type,
                                        size_bytes=item.size, uploaded_by=by if getattr(by, "pk", None) else None,
                                        content_checked=True)
        attachment.file.save(f"upload{item.suffix}", item.content, save=False)
        written.append((attachment.file.storage, attachment.file.name))
        attachment.full_clean()
        attachment.save()
        log(petition, event="attach", by=by, title=record(_l("上传附件“%(name)s”"), {"name": name}), tell_leader=False)
        added.append(attachment)
    return added


def attachment_visible(user, attachment: PetitionAttachment) -> bool:
    """Whoever may see the case may download its files (the download view serves them privately)."""
    from petitions.selectors import petitions_visible_to

    return petitions_visible_to(user).filter(pk=attachment.petition_id).exists()
