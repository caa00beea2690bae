"""Files built in the test, good and hostile: PDFs, polyglots, zip bombs, OLE compound files (old Office)."""

from __future__ import annotations

import io
import struct
import zipfile

from PIL import Image

FREE, END, FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def pdf_bytes(*, javascript: str | None = None, embedded: bytes | None = None) -> bytes:
    """A real one-page PDF written by pypdf (optionally with a document-level script or an embedded file)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if javascript:
        from pypdf.actions import JavaScript

        writer.add_open_action(JavaScript(javascript))
    if embedded is not None:
        writer.add_attachment("payload.exe", embedded)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_html_polyglot() -> bytes:
    """Starts as a PDF (``%PDF-``) and parses as one, yet carries a web page a browser would run."""
    pdf = pdf_bytes()
    header, rest = pdf.split(b"\n", 1)
    return header + b"\n%<html><body><script>alert(document.cookie)</script></body></html>\n" + rest


def html_page() -> bytes:
    return b"<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>"


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def image_bytes(fmt: str = "PNG", size=(40, 30), *, trailer: bytes = b"") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue() + trailer


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx_bytes(*, macro: bool = False) -> bytes:
    members = {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>"}
    if macro:
        members["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macro"
    return zip_bytes(members)


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "代表姓名"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_zip_bomb(megabytes: int = 8) -> bytes:
    """Looks like a workbook; one member unpacks to ``megabytes`` MiB of zeros (ratio ~1000:1)."""
    return zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>",
                      "xl/worksheets/sheet1.xml": b"\0" * (megabytes * 1024 * 1024)})


# --- OLE2 compound files ([MS-CFB], version 3, 512-byte sectors) ------------------------------------
def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal but well-formed compound file holding ``streams`` (small ones in the mini stream)."""
    sector = 512
    big = {n: d for n, d in streams.items() if len(d) >= 4096}
    small = {n: d for n, d in streams.items() if len(d) < 4096}
    data_sectors: list[bytes] = []
    fat: list[int] = []

    def place(payload: bytes) -> int:
        if not payload:
            return END
        first = 1 + len(data_sectors)  # sector 0 is the FAT
        chunks = [payload[i:i + sector].ljust(sector, b"\0") for i in range(0, len(payload), sector)]
        for n, chunk in enumerate(chunks):
            data_sectors.append(chunk)
            fat.append(first + n + 1 if n + 1 < len(chunks) else END)
        return first

    starts: dict[str, tuple[int, int]] = {}
    for name, payload in big.items():
        starts[name] = (place(payload), len(payload))
    mini_stream, minifat = b"", []
    for name, payload in small.items():
        first = len(mini_stream) // 64
        chunks = max(1, (len(payload) + 63) // 64)
        mini_stream += payload.ljust(chunks * 64, b"\0")
        minifat += [first + n + 1 if n + 1 < chunks else END for n in range(chunks)]
        starts[name] = (first, len(payload))
    root_start = place(mini_stream)
    minifat_start = place(b"".join(struct.pack("<I", n) for n in minifat)) if minifat else END
    names = list(streams)
    entries = [_dir_entry("Root Entry", 5, root_start, len(mini_stream), child=1 if names else FREE)]
    for index, name in enumerate(names, start=1):
        start, size = starts[name]
        entries.append(_dir_entry(name, 2, start, size, right=index + 1 if index < len(names) else FREE))
    directory = b"".join(entries)
    directory = directory.ljust(-(-len(directory) // sector) * sector, b"\0")
    dir_start = place(directory)
    table = [FAT_SECTOR] + fat
    assert len(table) <= 128, "keep test files small: one FAT sector"
    fat_sector = b"".join(struct.pack("<I", n) for n in table).ljust(sector, b"\xff")
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, dir_start, 0, 4096, minifat_start,
                     1 if minifat else 0, END, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([FREE] * 108))
    return bytes(header) + fat_sector + b"".join(data_sectors)


def _dir_entry(name: str, kind: int, start: int, size: int, *, child: int = FREE, right: int = FREE) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    raw = bytearray(128)
    raw[:len(encoded)] = encoded
    struct.pack_into("<HBB", raw, 0x40, len(encoded), kind, 1)
    struct.pack_into("<III", raw, 0x44, FREE, right, child)
    struct.pack_into("<IQ", raw, 0x74, start, size)
    return bytes(raw)


def encrypted_workbook() -> bytes:
    """What Excel writes for an .xlsx with an open password: an OLE file with EncryptionInfo + EncryptedPackage."""
    return compound_file({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x00" * 200,
                          "EncryptedPackage": b"\x00" * 5000})


def word97(*, encrypted: bool = False, size: int = 4096) -> bytes:
    """An old .doc: a WordDocument stream whose FIB says whether the document is encrypted."""
    fib = bytearray(size)
    struct.pack_into("<HH", fib, 0, 0xA5EC, 0x00C1)
    struct.pack_into("<H", fib, 0x0A, 0x0100 if encrypted else 0)
    return compound_file({"WordDocument": bytes(fib), "1Table": b"\0" * 600})


def excel97(*, password: bool = False) -> bytes:
    """An old .xls: a Workbook stream of BIFF8 records (BOF, optionally FILEPASS, EOF)."""
    records = struct.pack("<HH", 0x0809, 16) + b"\x00\x06\x05\x00" + b"\x00" * 12
    if password:
        records += struct.pack("<HH", 0x002F, 6) + b"\x00\x00\x01\x00\x01\x00"
    records += struct.pack("<HH", 0x000A, 0)
    return compound_file({"Workbook": records.ljust(4200, b"\0")})
