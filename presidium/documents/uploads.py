"""Every uploaded file is checked here before it is stored: its type by content, its size, its structure.

One list of accepted kinds (:data:`FILE_KINDS`), one check (:func:`check_upload`) used by every upload of
the portal (attachments of suggestions and replies; photos go through :func:`clean_image`; spreadsheet
imports through :mod:`presidium.documents.xlsx_safety`, whose archive checks are shared here):

* the name never decides: a ``.pdf`` holding a web page, an ``.exe`` named ``.jpg`` are refused;
* PDF must start with ``%PDF-``, carry no HTML (a PDF/HTML polyglot renders as a web page if anything
  ever serves it as one), parse with pypdf, open without a password and hold no scripts, launch actions
  or embedded files — only such a checked PDF is shown inline;
* images are decoded and re-encoded with Pillow (metadata dropped, decompression bombs refused);
* Word/Excel/OFD archives go through the zip-bomb checks; macros and encrypted entries are refused;
* old binary Office files (OLE compound files) are read just far enough to refuse password-protected
  ones (an encrypted .xlsx is such a file) and macros.

Messages are Chinese and name the file, because several files are uploaded at once.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from presidium.documents.storage import safe_suffix
from presidium.documents.xlsx_safety import CFB_SIGNATURE, ZIP_SIGNATURE, checked_zip_members, read_upload


@dataclass(frozen=True)
class FileKind:
    """An accepted kind of file: what it is stored and served as."""

    content_type: str
    suffix: str
    inline: bool = False  # shown in the browser (only kinds whose content has been checked in full)
    other_suffixes: tuple[str, ...] = ()  # names of the same format kept as uploaded (WPS's .wps, .et)


FILE_KINDS: dict[str, FileKind] = {
    "pdf": FileKind("application/pdf", ".pdf", inline=True),
    "jpeg": FileKind("image/jpeg", ".jpg", inline=True, other_suffixes=(".jpeg",)),
    "png": FileKind("image/png", ".png", inline=True),
    "docx": FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xlsx": FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "doc": FileKind("application/msword", ".doc", other_suffixes=(".wps",)),
    "xls": FileKind("application/vnd.ms-excel", ".xls", other_suffixes=(".et",)),
    "ofd": FileKind("application/ofd", ".ofd"),
}
DOCUMENT_KINDS = frozenset(FILE_KINDS)  # what a suggestion or a reply may carry
DOCUMENT_LABEL = gettext_lazy("PDF、Word、Excel、OFD、JPG、PNG")
INLINE_CONTENT_TYPES = frozenset(kind.content_type for kind in FILE_KINDS.values() if kind.inline)

PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"})
MAX_PIXELS = 50_000_000  # decompression bombs: a 50 MP phone photo is the largest we take
PHOTO_MAX_EDGE = 2560  # long edge of a photo after re-encoding: plenty for a ledger, a tenth of the bytes
SCAN_MAX_EDGE = 4000  # a scanned A4 page at 300 dpi is 3508 px: keep it legible
JPEG_QUALITY = 85
# Thumbnails fill tiles about 180 CSS px wide (two per row on a phone) at twice the pixel density:
# 400 px on the long edge is sharp there and ~20 KB instead of ~500 KB for the picture.
THUMBNAIL_EDGE = 400
THUMBNAIL_QUALITY = 75
PDF_MAX_OBJECTS = 200_000

# Tags that start a web page or a script. Searched in the whole file (HTML can run from anywhere in it);
# none can be a PDF hex string, and the terminator keeps chance matches in compressed streams to about
# one in 200,000 ten-megabyte files.
_HTML_IN_PDF = re.compile(rb"<(?:script|html|body|iframe|!doctype\s+html)[\s>/]", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*<(?:!doctype|html|head|body|script|svg|\?xml|!--)", re.IGNORECASE)
_PDF_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/Launch", "/EmbeddedFiles", "/EmbeddedFile", "/RichMedia",
                              "/XFA"})
_PDF_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"})
_EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"#!")


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed :func:`check_upload`: the bytes to store (images re-encoded) and their kind."""

    kind: str
    content: ContentFile
    original_name: str

    @property
    def content_type(self) -> str:
        return FILE_KINDS[self.kind].content_type

    @property
    def suffix(self) -> str:
        kind = FILE_KINDS[self.kind]
        own = safe_suffix(self.original_name)
        return own if own in kind.other_suffixes else kind.suffix

    @property
    def size(self) -> int:
        return self.content.size

    @property
    def inline(self) -> bool:
        return FILE_KINDS[self.kind].inline


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int
    format: str = "JPEG"

    @property
    def size(self) -> int:
        return self.content.size


def max_upload_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024)


def _refuse(message: str, name: str, code: str, **params) -> ValidationError:
    return ValidationError(message % {"name": name, **params}, code=code)


def check_upload(upload: Any, *, accept: frozenset[str] = DOCUMENT_KINDS, max_bytes: int | None = None) -> CheckedFile:
    """Read ``upload`` (at most ``max_bytes``), decide its kind by content and check it, or raise in Chinese."""
    name = (getattr(upload, "name", "") or _("附件")).replace("\\", "/").rsplit("/", 1)[-1]
    limit = max_bytes or max_upload_bytes()
    size = getattr(upload, "size", None)
    if size == 0:
        raise _refuse(_("文件“%(name)s”是空的。"), name, "empty")
    try:
        data = read_upload(upload, max_bytes=limit)
    except ValidationError:
        raise _refuse(_("文件“%(name)s”超过 %(mb)s MB，请压缩后再上传。"), name, "too_big",
                      mb=limit // (1024 * 1024)) from None
    if not data:
        raise _refuse(_("文件“%(name)s”是空的。"), name, "empty")
    kind = _sniff(data, name)
    if kind not in accept:
        raise _unsupported(name, accept)
    if kind == "pdf":
        _check_pdf(data, name)
    elif kind in ("jpeg", "png"):
        data = _clean_scan(data, name, kind).content.read()
    # docx, xlsx, ofd: the archive was checked while sniffing; doc, xls: so was the compound file
    return CheckedFile(kind=kind, content=ContentFile(data, name=f"upload{FILE_KINDS[kind].suffix}"),
                       original_name=name)


def _unsupported(name: str, accept: frozenset[str]) -> ValidationError:
    label = DOCUMENT_LABEL if accept == DOCUMENT_KINDS else "、".join(
        FILE_KINDS[k].suffix.lstrip(".").upper() for k in sorted(accept))
    return _refuse(_("文件“%(name)s”的格式不支持，请上传 %(types)s 文件（系统按文件内容识别格式，只改扩展名不行）。"),
                   name, "unsupported", types=label)


# --- deciding the kind ---------------------------------------------------------------------------------
def _sniff(data: bytes, name: str) -> str:
    """The kind of ``data`` by its content (a key of FILE_KINDS), or raise for what is refused outright."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(ZIP_SIGNATURE):
        return _zip_kind(data, name)
    if data.startswith(CFB_SIGNATURE):
        return _compound_file_kind(data, name)
    if data.startswith(_EXECUTABLE_SIGNATURES):
        raise _refuse(_("文件“%(name)s”是可执行程序或脚本，不能上传。"), name, "executable")
    if _HTML_START.match(data[:1024].lstrip(b"\xef\xbb\xbf")):
        raise _refuse(_("文件“%(name)s”是网页（HTML）文件，不能上传。请打印为 PDF 后再上传。"), name, "html")
    return "unknown"


def _zip_kind(data: bytes, name: str) -> str:
    try:
        members = checked_zip_members(data)
    except ValidationError as error:
        if error.code in ("encrypted_zip",):
            raise _refuse(_("文件“%(name)s”设置了打开密码，系统无法检查其内容。请取消密码后再上传。"), name,
                          "encrypted") from None
        if error.code == "broken_zip":
            raise _refuse(_("文件“%(name)s”无法读取，可能已损坏。请用 Office 或 WPS 重新另存后上传。"), name,
                          "broken") from None
        raise _refuse(_("文件“%(name)s”解压后过大或压缩比异常，可能已损坏或含有恶意内容，系统拒绝接收。"), name,
                      "zip_bomb") from None
    names = {member.filename for member in members}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _refuse(_("文件“%(name)s”含有宏，系统拒绝接收。请另存为不含宏的 .docx 或 .xlsx 后再上传。"), name,
                      "macro")
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names and any(n.startswith("xl/") and "workbook" in n for n in names):
        return "xlsx"
    if "OFD.xml" in names:
        return "ofd"
    return "unknown"


# --- old binary Office files (OLE2 compound files) ----------------------------------------------------
class _BrokenCompoundFile(Exception):
    pass


_FREE_OR_END = 0xFFFFFFFA  # sector numbers from here up are markers (end of chain, free, FAT sector …)


class _CompoundFile:
    """Just enough of [MS-CFB] to list the streams and read the first bytes of one of them."""

    def __init__(self, data: bytes):
        if len(data) < 512:
            raise _BrokenCompoundFile
        self.data = data
        (sector_shift, mini_shift) = struct.unpack_from("<HH", data, 0x1E)
        if sector_shift not in (9, 12) or mini_shift != 6:
            raise _BrokenCompoundFile
        self.sector_size = 1 << sector_shift
        self.max_sectors = len(data) // self.sector_size + 1
        (fat_count, dir_start, _tx, self.mini_cutoff, minifat_start, minifat_count, difat_start,
         difat_count) = struct.unpack_from("<IIIIIIII", data, 0x2C)
        fat_sectors = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < _FREE_OR_END]
        per_sector = self.sector_size // 4
        sector, hops = difat_start, 0
        while sector < _FREE_OR_END and hops <= difat_count and hops < self.max_sectors:
            entries = struct.unpack(f"<{per_sector}I", self._sector(sector))
            fat_sectors.extend(n for n in entries[:-1] if n < _FREE_OR_END)
            sector, hops = entries[-1], hops + 1
        if fat_count > self.max_sectors:
            raise _BrokenCompoundFile
        self.fat = [n for s in fat_sectors[:fat_count] for n in struct.unpack(f"<{per_sector}I", self._sector(s))]
        directory = self._read_chain(dir_start, self.fat, self.sector_size, limit=self.max_sectors * self.sector_size)
        self.entries: dict[str, tuple[int, int, int]] = {}  # name -> (type, start, size)
        self.root: tuple[int, int] | None = None
        for offset in range(0, len(directory) - 127, 128):
            raw = directory[offset:offset + 128]
            name_length, entry_type = struct.unpack_from("<HB", raw, 0x40)
            if entry_type not in (1, 2, 5) or not 2 <= name_length <= 64:
                continue
            entry_name = raw[:name_length - 2].decode("utf-16-le", errors="replace")
            start, size = struct.unpack_from("<IQ", raw, 0x74)
            if self.sector_size == 512:
                size &= 0xFFFFFFFF  # version 3 files: the high half is undefined
            if entry_type == 5:
                self.root = (start, size)
            else:
                self.entries.setdefault(entry_name, (entry_type, start, size))
        self.minifat_start = minifat_start if minifat_count else _FREE_OR_END

    def _sector(self, number: int) -> bytes:
        offset = (number + 1) * self.sector_size
        if offset >= len(self.data):
            raise _BrokenCompoundFile
        return self.data[offset:offset + self.sector_size].ljust(self.sector_size, b"\0")

    def _read_chain(self, start: int, table: list[int], unit: int, *, limit: int, source=None) -> bytes:
        read = source or self._sector
        out, sector, hops = bytearray(), start, 0
        while sector < _FREE_OR_END and len(out) < limit:
            if sector >= len(table) or hops > len(table):
                raise _BrokenCompoundFile
            out += read(sector)
            sector, hops = table[sector], hops + 1
        return bytes(out[:limit])

    def names(self) -> set[str]:
        return set(self.entries)

    def stream_head(self, name: str, length: int) -> bytes:
        """The first ``length`` bytes of stream ``name`` (b"" if there is none)."""
        entry = self.entries.get(name)
        if entry is None or entry[0] != 2:
            return b""
        _type, start, size = entry
        limit = min(size, length)
        if size >= self.mini_cutoff or self.root is None:
            return self._read_chain(start, self.fat, self.sector_size, limit=limit)
        minifat_bytes = self._read_chain(self.minifat_start, self.fat, self.sector_size,
                                         limit=self.max_sectors * self.sector_size)
        minifat = list(struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes[:len(minifat_bytes) // 4 * 4]))
        mini_stream = self._read_chain(self.root[0], self.fat, self.sector_size, limit=self.root[1])

        def mini_sector(number: int) -> bytes:
            return mini_stream[number * 64:(number + 1) * 64].ljust(64, b"\0")

        return self._read_chain(start, minifat, 64, limit=limit, source=mini_sector)


def _compound_file_kind(data: bytes, name: str) -> str:
    encrypted = _refuse(_("文件“%(name)s”设置了打开密码（加密的 Word/Excel/WPS 文件），系统无法检查其内容。"
                          "请在 Office 或 WPS 中取消密码后再上传。"), name, "encrypted")
    try:
        compound = _CompoundFile(data)
        names = compound.names()
        if names & {"EncryptedPackage", "EncryptionInfo"}:  # an .xlsx/.docx saved with a password
            raise encrypted
        if names & {"Macros", "_VBA_PROJECT_CUR", "VBA"}:
            raise _refuse(_("文件“%(name)s”含有宏，系统拒绝接收。请另存为不含宏的 .docx 或 .xlsx 后再上传。"), name,
                          "macro")
        if "WordDocument" in names:
            fib = compound.stream_head("WordDocument", 32)
            if len(fib) < 12:
                raise _BrokenCompoundFile
            if struct.unpack_from("<H", fib, 0x0A)[0] & 0x0100:  # FIB fEncrypted
                raise encrypted
            return "doc"
        workbook = "Workbook" if "Workbook" in names else "Book" if "Book" in names else None
        if workbook:
            if _biff_has_filepass(compound.stream_head(workbook, 64 * 1024)):
                raise encrypted
            return "xls"
    except (_BrokenCompoundFile, struct.error):
        raise _refuse(_("文件“%(name)s”无法读取，可能已损坏。请用 Office 或 WPS 重新另存后上传。"), name,
                      "broken") from None
    return "unknown"


def _biff_has_filepass(stream: bytes) -> bool:
    """A FILEPASS record (0x002F) in the workbook globals: the .xls is password-protected."""
    offset = 0
    while offset + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, offset)
        if record == 0x002F:
            return True
        if record == 0x000A:  # EOF of the globals substream
            return False
        offset += 4 + length
    return False


# --- PDF ------------------------------------------------------------------------------------------------
def _check_pdf(data: bytes, name: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if _HTML_IN_PDF.search(data):
        raise _refuse(_("文件“%(name)s”不是规范的 PDF：其中夹带了网页代码，系统拒绝接收。"
                        "请用“打印为 PDF”或扫描重新生成后再上传。"), name, "pdf_html")
    broken = _refuse(_("文件“%(name)s”无法作为 PDF 打开，可能已损坏。请重新导出为 PDF 后再上传。"), name, "pdf_broken")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):  # a permissions-only password opens with ""
                raise _refuse(_("文件“%(name)s”设置了打开密码，系统无法检查其内容。请取消密码后再上传。"), name,
                              "encrypted")
            if len(reader.pages) < 1:
                raise broken
            active = _pdf_has_active_content(reader.trailer)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError, OSError,
            NotImplementedError, struct.error, zipfile.BadZipFile):
        raise broken from None
    if active:
        raise _refuse(_("文件“%(name)s”中含有脚本、内嵌文件或自动执行的动作，系统拒绝接收。"
                        "请用“打印为 PDF”重新生成后再上传。"), name, "pdf_active")


def _pdf_has_active_content(trailer) -> bool:
    """Walk every object reachable from the trailer (streams are not decoded) looking for scripts and launches."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list = [trailer.get("/Root")]
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            raise ValueError("too many objects to check")
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in _PDF_ACTIVE_KEYS:
                    return True
                if key in ("/S", "/Type") and str(value) in _PDF_ACTIVE_ACTIONS | {"/EmbeddedFile"}:
                    return True
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return False


# --- images ---------------------------------------------------------------------------------------------
def _clean_scan(data: bytes, name: str, kind: str) -> CleanImage:
    """A JPEG or PNG attachment, decoded and re-encoded in its own format (a PNG scan stays sharp)."""
    try:
        return _reencode(data, name, formats=frozenset({"JPEG", "MPO"} if kind == "jpeg" else {"PNG"}),
                         max_edge=SCAN_MAX_EDGE, output="PNG" if kind == "png" else "JPEG")
    except ValidationError as error:
        if error.code == "not_image":
            raise _refuse(_("文件“%(name)s”不是完整的图片，可能已损坏。请重新保存为 JPG 或 PNG 后再上传。"), name,
                          "not_image") from None
        raise


def clean_image(upload, *, max_edge: int = PHOTO_MAX_EDGE) -> CleanImage:
    """Check ``upload`` is a real photo within limits and return it re-encoded as a metadata-free JPEG."""
    name = getattr(upload, "name", "") or _("照片")
    limit = min(max_upload_bytes(), 20 * 1024 * 1024)
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("“%(name)s”太大（%(size).1f MB），每张照片不能超过 %(limit)d MB。")
            % {"name": name, "size": size / 1024 / 1024, "limit": limit // 1024 // 1024},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name}, code="empty")
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("“%(name)s”太大，每张照片不能超过 %(limit)d MB。")
                              % {"name": name, "limit": limit // 1024 // 1024}, code="too_large")
    return _reencode(data, name, formats=PHOTO_FORMATS, max_edge=max_edge, output="JPEG")


def make_thumbnail(data: bytes, *, edge: int = THUMBNAIL_EDGE) -> ContentFile:
    """A small JPEG of an image already cleaned by :func:`clean_image` (trusted: our own re-encoded bytes)."""
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        image.thumbnail((edge, edge), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return ContentFile(out.getvalue(), name="thumb.jpg")


def _reencode(data: bytes, name: str, *, formats: frozenset[str], max_edge: int, output: str) -> CleanImage:
    """Decode ``data`` with Pillow (refusing bombs and broken files) and write the pixels alone, afresh.

    Re-encoding drops every metadata block the camera wrote (EXIF with GPS position, maker notes, XMP,
    thumbnails) and anything appended to the file; the EXIF orientation is applied to the pixels first.
    """
    not_an_image = ValidationError(
        _("“%(name)s”不是可识别的图片。请上传 JPG、PNG 或 WebP 格式的照片。") % {"name": name}, code="not_image"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in formats:
                raise not_an_image
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("“%(name)s”的像素过多，请压缩后再上传。") % {"name": name}, code="too_many_pixels")
            probe.verify()  # structural check; the image must be reopened after verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise not_an_image from None
    image = ImageOps.exif_transpose(image)
    keep_alpha = output == "PNG" and image.mode in ("RGBA", "LA", "P")
    if keep_alpha:
        image = image.convert("RGBA")
    elif image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif image.mode == "L" and output == "JPEG":
        image = image.convert("RGB")
    image.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)
    # A fresh image holds pixels only: Pillow carries ``info`` (ICC, XMP, EXIF) into save() otherwise.
    pixels_only = Image.new(image.mode, image.size)
    pixels_only.paste(image)
    out = io.BytesIO()
    if output == "PNG":
        pixels_only.save(out, format="PNG", optimize=True)
    else:
        pixels_only.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    suffix = ".png" if output == "PNG" else ".jpg"
    return CleanImage(ContentFile(out.getvalue(), name=f"photo{suffix}"), pixels_only.width, pixels_only.height,
                      output)
