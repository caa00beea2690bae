"""Spreadsheets built in code for the import tests: real-world messes and hostile files."""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

from openpyxl import Workbook

MiB = 1024 * 1024


def xlsx_bytes(rows: list[list], *, merges: tuple[str, ...] = (), title: str = "Sheet1",
               formats: dict[str, str] | None = None, extra_sheets: dict[str, list[list]] | None = None) -> bytes:
    """An .xlsx whose first sheet holds ``rows`` (row 1 first); ``None`` leaves a cell empty."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row_index, row in enumerate(rows, start=1):
        for col_index, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=row_index, column=col_index, value=value)
    for merged in merges:
        sheet.merge_cells(merged)
    for coordinate, number_format in (formats or {}).items():
        sheet[coordinate].number_format = number_format
    for name, extra_rows in (extra_sheets or {}).items():
        extra = workbook.create_sheet(name)
        for row in extra_rows:
            extra.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


UNIT_HEADER = ["单位名称", "单位类型", "分管领导", "联系人", "联系电话"]


def unit_sheet(rows: list[list], *, header: list[str] | None = None) -> bytes:
    """A plain 承办单位 sheet: a title line, the header, then ``rows``."""
    head = header or UNIT_HEADER
    return xlsx_bytes([["青石镇承办单位名单"], head, *rows], merges=(f"A1:{chr(64 + len(head))}1",))


def units(count: int, *, start: int = 0) -> list[list]:
    return [[f"测试站{n}", "站所", "王建国", "李红梅", f"138{n:08d}"] for n in range(start, start + count)]


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """The same archive with one member's content replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == name else source.read(item.filename))
    return out.getvalue()


def zip_bomb(uncompressed_mib: int = 80) -> bytes:
    """A small archive that looks like an xlsx and holds a sheet of ``uncompressed_mib`` MiB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * MiB
            for _ in range(uncompressed_mib):
                member.write(chunk)
    return out.getvalue()


def compound_file(stream_name: str) -> bytes:
    """An OLE2 compound file header with ``stream_name`` in its directory (enough to be recognised)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    directory = stream_name.encode("utf-16-le") + b"\0" * (64 - 2 * len(stream_name))
    return header + b"\0" * 512 + directory + b"\0" * 4096


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>
</sheetData></worksheet>"""


def billion_laughs_xlsx() -> bytes:
    return replace_member(unit_sheet(units(1)), "xl/worksheets/sheet1.xml", BILLION_LAUGHS)


def tall_sheet(header: list, rows: list[list], *, filled_down: int, column: str = "Z") -> bytes:
    """A sheet with ``header`` and ``rows``, then one more column filled down to row ``filled_down``.

    The rows are written straight into the sheet's XML (openpyxl's write-only mode takes ~11 s for
    880,000 rows; this takes about one): the same archive an office gets by dragging a cell down.
    """
    start = len(rows) + 2
    data = xlsx_bytes([header, *rows])
    source = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    filler = "".join(f'<row r="{n}"><c r="{column}{n}" t="inlineStr"><is><t>x</t></is></c></row>'
                     for n in range(start, filled_down + 1))
    xml = source.replace("</sheetData>", filler + "</sheetData>")
    return replace_member(data, "xl/worksheets/sheet1.xml", xml.encode())


def with_formulas(data: bytes, formulas: dict[str, tuple[str, str | None]]) -> bytes:
    """``data`` with cells turned into formulas: {"E3": ("A1&\"\"", "13812345678")}; None: no cached result."""
    source = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    for ref, (formula, cached) in formulas.items():
        cell = re.search(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', source)
        cached_xml = "" if cached is None else f"<v>{cached}</v>"
        kind = "" if cached is None or cached.replace(".", "").isdigit() else (
            ' t="e"' if cached.startswith("#") else ' t="str"')
        new = f'<c r="{ref}"{kind}><f>{escape(formula)}</f>{cached_xml}</c>'
        if cell:
            source = source.replace(cell.group(0), new, 1)
        else:
            row = re.search(r"\d+", ref).group(0)
            source = re.sub(rf'(<row r="{row}"[^>]*>)', rf"\g<1>{new}", source, count=1)
    return replace_member(data, "xl/worksheets/sheet1.xml", source.encode())
