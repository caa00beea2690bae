"""Refuse an untrusted upload before any parser sees it: type by content, size, zip bombs.

openpyxl has no zip-bomb guard (STACK-NOTES: a 515 KB file holding a 512 MiB member loads), so the
archive's table of contents is checked with ``zipfile`` first. XML entity attacks are refused by
openpyxl itself because ``defusedxml`` is installed; :func:`ensure_defusedxml` makes that a checked
fact rather than a hope. Messages are Chinese and say what to do, because the person reading them
is an office worker holding a file, not a developer.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_SIGNATURE = b"PK\x03\x04"
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound file: .xls, .et, or an encrypted .xlsx

# An xlsx of a few thousand rows unpacks to a few MiB; these bounds leave a wide margin.
DEFAULT_MAX_UNCOMPRESSED = 64 * 1024 * 1024
DEFAULT_MAX_RATIO = 100
DEFAULT_MAX_MEMBERS = 2000
_RATIO_CHECK_FLOOR = 1024 * 1024  # tiny members compress absurdly well and are harmless

MSG_NOT_XLSX = _("这不是 Excel 工作簿（.xlsx）文件。请用 Excel 或 WPS 打开后“另存为 .xlsx”再上传。")
MSG_XLS = _("这是旧版 Excel 文件（.xls）。请用 Excel 或 WPS 打开，选择“文件 → 另存为”，保存类型选“Excel 工作簿（*.xlsx）”后再上传。")
MSG_ENCRYPTED = _("文件设置了打开密码，系统无法读取。请在 Excel 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后再上传。")
MSG_HTML = _("这是网页格式的表格（常见于从其他系统导出的 .xls）。请用 Excel 打开后“另存为 .xlsx”再上传。")
MSG_CSV = _("这是文本格式（CSV）的表格。请用 Excel 打开后“另存为 .xlsx”再上传。")
MSG_EMPTY = _("上传的文件是空的。")
MSG_TOO_BIG = _("文件太大（%(size)s），上限为 %(limit)s。请删除多余的工作表或分批导入。")
MSG_BOMB = _("文件解压后过大或压缩比异常，可能已损坏或含有恶意内容，系统拒绝读取。请重新另存为 .xlsx 后上传。")
MSG_UNSAFE_XML = _("文件中含有不允许的 XML 内容（DTD/实体声明），系统拒绝读取。请用 Excel 重新另存为 .xlsx 后上传。")
MSG_BROKEN = _("无法读取该文件，文件可能已损坏。请用 Excel 打开后“另存为 .xlsx”再上传。")


def ensure_defusedxml() -> None:
    """openpyxl parses sheets with defusedxml only if it is importable: fail loudly if it is not."""
    from openpyxl import DEFUSEDXML

    if not DEFUSEDXML:
        raise ImproperlyConfigured("defusedxml must be installed (and OPENPYXL_DEFUSEDXML not False) "
                                   "before untrusted spreadsheets are read")


def read_upload(f: Any, *, max_bytes: int) -> bytes:
    """All of an upload's bytes (an UploadedFile, a binary file, a path or bytes), never more than the limit.

    Reads at most ``max_bytes + 1`` so an oversized stream is refused without being held in memory.
    """
    if isinstance(f, bytes | bytearray | memoryview):
        data = bytes(f)
    elif isinstance(f, str | Path):
        with open(f, "rb") as handle:
            data = handle.read(max_bytes + 1)
    else:
        size = getattr(f, "size", None)
        if isinstance(size, int) and size > max_bytes:
            raise _too_big(size, max_bytes)
        if hasattr(f, "seek"):
            f.seek(0)
        data = f.read(max_bytes + 1)
        if hasattr(f, "seek"):
            f.seek(0)
    if len(data) > max_bytes:
        raise _too_big(len(data), max_bytes)
    return data


def _too_big(size: int, limit: int) -> ValidationError:
    return ValidationError(MSG_TOO_BIG % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
                           code="too_big")


def check_xlsx_bytes(data: bytes, *, max_uncompressed: int | None = None, max_ratio: int | None = None,
                     max_members: int | None = None) -> None:
    """Raise ``ValidationError`` (Chinese) unless ``data`` looks like a sane .xlsx archive."""
    if not data:
        raise ValidationError(MSG_EMPTY, code="empty")
    if data.startswith(CFB_SIGNATURE):
        # Both old .xls and password-protected .xlsx are compound files; the encrypted one has a
        # stream called "EncryptedPackage" (directory names are UTF-16LE; the directory may sit anywhere).
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ValidationError(MSG_ENCRYPTED, code="encrypted")
        raise ValidationError(MSG_XLS, code="xls")
    if not data.startswith(ZIP_SIGNATURE):
        head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta")):
            raise ValidationError(MSG_HTML, code="html")
        if b"," in head and b"\x00" not in head:
            raise ValidationError(MSG_CSV, code="csv")
        raise ValidationError(MSG_NOT_XLSX, code="signature")
    members = checked_zip_members(data, max_uncompressed=max_uncompressed, max_ratio=max_ratio,
                                  max_members=max_members)
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names:
        if "mimetype" in names:  # OpenDocument (.ods/.et saved as ODF)
            raise ValidationError(MSG_NOT_XLSX, code="ods")
        raise ValidationError(MSG_NOT_XLSX, code="no_content_types")
    if not any(name.startswith("xl/") and name.endswith(".xml") and "workbook" in name for name in names):
        raise ValidationError(MSG_NOT_XLSX, code="not_a_workbook")


def checked_zip_members(data: bytes, *, max_uncompressed: int | None = None, max_ratio: int | None = None,
                        max_members: int | None = None) -> list[zipfile.ZipInfo]:
    """The members of the zip archive ``data``, after refusing one that would exhaust memory or is encrypted.

    Only the central directory is read: nothing is decompressed. Codes: ``broken_zip``,
    ``too_many_members``, ``too_large_uncompressed``, ``ratio``, ``encrypted_zip`` (shared by every
    upload of Office/OFD archives, see :mod:`presidium.documents.uploads`).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise ValidationError(MSG_BROKEN, code="broken_zip") from None
    limit_total = max_uncompressed or getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED)
    limit_ratio = max_ratio or getattr(settings, "IMPORT_MAX_COMPRESSION_RATIO", DEFAULT_MAX_RATIO)
    if len(members) > (max_members or DEFAULT_MAX_MEMBERS):
        raise ValidationError(MSG_BOMB, code="too_many_members")
    total = 0
    for member in members:
        total += member.file_size
        if total > limit_total:
            raise ValidationError(MSG_BOMB, code="too_large_uncompressed")
        if member.file_size > _RATIO_CHECK_FLOOR and member.file_size > limit_ratio * max(member.compress_size, 1):
            raise ValidationError(MSG_BOMB, code="ratio")
    for member in members:
        if member.flag_bits & 0x1:
            raise ValidationError(MSG_ENCRYPTED, code="encrypted_zip")
    return members


def check_xlsx_upload(f: Any, *, max_bytes: int | None = None) -> None:
    """Refuse (``ValidationError`` in Chinese) anything that is not a small, sane .xlsx; read nothing else.

    ``f`` is an UploadedFile, a binary file object (rewound afterwards), a path or bytes.
    """
    data = read_upload(f, max_bytes=max_bytes or settings.UPLOAD_MAX_BYTES)
    check_xlsx_bytes(data)


def load_checked_bytes(f: Any, *, max_bytes: int | None = None) -> bytes:
    """:func:`check_xlsx_upload` that also returns the bytes (one read for check and parse)."""
    data = read_upload(f, max_bytes=max_bytes or settings.UPLOAD_MAX_BYTES)
    check_xlsx_bytes(data)
    return data
