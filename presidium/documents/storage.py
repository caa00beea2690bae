"""Private file storage: uploads and generated documents under ``MEDIA_ROOT``, never served directly.

Nginx and whitenoise serve nothing from ``MEDIA_ROOT``; a file leaves only through a view that
checks who is asking (:func:`private_file_response`). ``url()`` therefore refuses, so a template
can never leak a direct link by accident.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """``FileSystemStorage`` on ``MEDIA_ROOT`` (read from settings at use, so tests can move it)."""

    def url(self, name):  # noqa: ARG002 - the signature is Django's
        raise NotImplementedError("private files have no URL: serve them through a view that checks access")


_STORAGE = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage callable that FileFields use (a callable keeps migrations free of settings)."""
    return _STORAGE


def safe_suffix(filename: str, default: str = "") -> str:
    """The lower-cased extension of ``filename`` if it is short and plain (".xlsx"), else ``default``."""
    suffix = PurePath(filename or "").suffix.lower()
    if 1 < len(suffix) <= 8 and suffix[1:].isascii() and suffix[1:].isalnum():
        return suffix
    return default


def dated_name(folder: str, filename: str, *, default_suffix: str = "") -> str:
    """``folder/2026/05/<uuid>.xlsx``: stored names never contain what a user typed."""
    today = timezone.localdate()
    return f"{folder}/{today:%Y/%m}/{uuid.uuid4().hex}{safe_suffix(filename, default_suffix)}"


class RemoveFilesOnError:
    """Files written inside the block are deleted again if it raises (their rows rolled back with it).

    ``with RemoveFilesOnError() as written, transaction.atomic():`` then ``written.append((storage, name))``
    after each file is saved: nothing half-saved, no file without its row.
    """

    def __init__(self):
        self.written: list = []

    def __enter__(self):
        return self.written

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            for storage, name in self.written:
                storage.delete(name)
        return False


def private_file_response(field_file, filename: str, *, inline: bool = False,
                          content_type: str | None = None) -> FileResponse:
    """Stream a stored private file with a UTF-8 download name. A missing file is a 404, not a 500.

    The one way a stored file leaves the portal. It is a download (``Content-Disposition: attachment``)
    unless the caller vouches that the content was checked (``inline=True``) *and* its type is one the
    browser may show (:data:`presidium.documents.uploads.INLINE_CONTENT_TYPES`: PDF, JPEG, PNG); the
    browser is told never to second-guess the type (``nosniff``), so a file can never become a page.
    """
    from presidium.documents.uploads import INLINE_CONTENT_TYPES

    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    show_inline = inline and content_type in INLINE_CONTENT_TYPES
    response = FileResponse(handle, as_attachment=not show_inline, filename=filename,
                            content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
