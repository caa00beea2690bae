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


def private_file_response(field_file, filename: str, *, inline: bool = False,
                          content_type: str | None = None) -> FileResponse:
    """Stream a stored private file with a UTF-8 download name. A missing file is a 404, not a 500."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
