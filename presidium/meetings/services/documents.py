"""Meeting documents (会议材料): every file checked by the floor's ``check_upload`` before anything is stored."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from presidium.documents.storage import RemoveFilesOnError
from presidium.documents.uploads import DOCUMENT_KINDS, CheckedFile, check_upload
from presidium.meetings.models import Meeting, MeetingDocument
from presidium.meetings.services.common import clean, require_manage

MAX_DOCUMENTS = 30


def check_meeting_uploads(uploads: Iterable, *, field: str = "files") -> list[CheckedFile]:
    """Type by content, size, structure — CPU work done before any transaction — or a message naming the file."""
    checked = []
    for upload in [u for u in uploads if u]:
        try:
            checked.append(check_upload(upload, accept=DOCUMENT_KINDS))
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
    if not checked:
        raise ValidationError({field: _("请选择要上传的文件。")})
    return checked


def meeting_documents_add(*, meeting: Meeting, checked: list[CheckedFile], by, title: str = "") -> list[MeetingDocument]:
    """上传会议材料: all the files or none (a refused row removes the files already written)."""
    require_manage(by, meeting.township)
    if meeting.documents.count() + len(checked) > MAX_DOCUMENTS:
        raise ValidationError({"files": _("每个会议活动最多 %(n)s 份材料。") % {"n": MAX_DOCUMENTS}})
    added = []
    with RemoveFilesOnError() as written, transaction.atomic():
        for item in checked:
            document = MeetingDocument(meeting=meeting, title=clean(title, 150) if len(checked) == 1 else "",
                                       original_name=item.original_name[-200:], content_type=item.content_type,
                                       size_bytes=item.size, uploaded_by=by)
            document.file.save(f"upload{item.suffix}", item.content, save=False)
            written.append((document.file.storage, document.file.name))
            document.full_clean()
            document.save()
            added.append(document)
    return added


def meeting_document_remove(*, document: MeetingDocument, by) -> None:
    """删除会议材料 (the row and, after the commit, the file)."""
    require_manage(by, document.meeting.township)
    storage, name = document.file.storage, document.file.name
    with transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: storage.delete(name), robust=True)
