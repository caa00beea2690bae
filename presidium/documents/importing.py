"""Excel import: read the sheets offices really keep into checked rows, and show every problem in Chinese.

A schema names its columns (with the synonyms offices use for them) and how each cell is parsed.
:func:`read_preview` finds the header row among title lines ("青石镇第十八届人大代表名册",
"填报单位：…"), understands a two-row header with merged group cells ("联系方式" over "手机"/"地址"),
skips blank rows, stops at a total row, and returns every row with its values and its errors. It
writes nothing: committing is the caller's job (see :mod:`presidium.documents.import_flow`).

Untrusted files are checked before openpyxl opens them (:mod:`presidium.documents.xlsx_safety`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from defusedxml import DefusedXmlException
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from presidium.documents.import_template import template_workbook
from presidium.documents.parsers import (
    ChoiceParser,
    Parser,
    display_value,
    is_blank,
    make_choice_parser,
    normalize,
    parse_bool,
    parse_date,
    parse_int,
    parse_name,
    parse_phone,
    parse_text,
)
from presidium.documents.sheet_scan import MergeFiller, open_read_only, scan_sheet
from presidium.documents.xlsx_safety import (
    MSG_BROKEN,
    MSG_UNSAFE_XML,
    check_xlsx_upload,
    ensure_defusedxml,
    load_checked_bytes,
)

__all__ = [
    "ImportField", "ImportSchema", "ImportRow", "ImportPreview", "check_xlsx_upload", "read_preview",
    "template_workbook", "parse_text", "parse_name", "parse_int", "parse_date", "parse_phone", "parse_bool",
    "make_choice_parser", "ChoiceParser",
]

logger = logging.getLogger(__name__)

HEADER_SCAN_ROWS = 15
# Rows read below the header: the schema's row limit plus this margin for blank lines, subtotals and
# footers. A sheet with more rows is refused without reading on (a column filled down 880,000 rows
# would otherwise hold a web worker for a minute).
READ_MARGIN_ROWS = 500
MAX_FORMULA_NOTES = 20
TOTAL_STOP_WORDS = ("合计", "总计", "共计")
TOTAL_SKIP_WORDS = ("小计",)
FOOTER_WORDS = ("填表人", "填报人", "制表人", "审核人", "填表说明", "说明:", "注:")
IGNORED_HEADERS = frozenset({"序号", "编号", "序", "no", "no."})
_NOTE = re.compile(r"\(.*?\)")
_MARKERS = re.compile(r"[*※★☆]")
_BELONGS = re.compile(r"^(所属|所在|所处|隶属)")


def normalize_header(text: Any) -> str:
    """Header text for matching: half-width, no spaces/newlines, no "*" markers, no trailing colon."""
    return _MARKERS.sub("", normalize(text)).rstrip(":")


@dataclass(frozen=True)
class ImportField:
    """One column a schema reads. ``synonyms`` are other headers offices use for it."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    parse: Parser = parse_text
    example: Any = ""
    help_text: str = ""
    width: int | None = None
    mask: Callable[[str], str] | None = None  # personal data: shown masked unless revealed (and logged)

    @property
    def personal(self) -> bool:
        return self.mask is not None

    def header_names(self) -> set[str]:
        return {normalize_header(name) for name in (self.label, *self.synonyms)} - {""}


class ImportSchema:
    """What a sheet must hold. Subclass with class attributes, or pass them to the constructor.

    Override :meth:`clean_row` for checks across the fields of one row (raise ``ValidationError``,
    a message or a dict keyed by field key); ``unique_keys`` makes repeated rows (same name) errors.
    A schema instance may carry context (the township) for its checks.
    """

    title: str = ""
    fields: list[ImportField] = []
    unique_keys: tuple[str, ...] = ()
    max_rows: int = 5000
    sheet_name: str = "导入数据"
    instructions: tuple[str, ...] = ()

    def __init__(self, *, title: str | None = None, fields: list[ImportField] | None = None,
                 unique_keys: tuple[str, ...] | None = None, max_rows: int | None = None,
                 instructions: tuple[str, ...] | None = None):
        if title is not None:
            self.title = title
        if fields is not None:
            self.fields = list(fields)
        if unique_keys is not None:
            self.unique_keys = tuple(unique_keys)
        if max_rows is not None:
            self.max_rows = max_rows
        if instructions is not None:
            self.instructions = tuple(instructions)
        keys = [f.key for f in self.fields]
        if len(keys) != len(set(keys)):
            raise ValueError(f"duplicate field keys in {type(self).__name__}")

    def clean_row(self, values: dict) -> dict:
        return values

    def check_preview(self, preview: ImportPreview) -> None:
        """Checks across rows and against the database that the commit will make (seats, names to be
        created, duplicates): add to ``row.errors``, ``row.warnings``, ``row.cell_notes`` or ``preview.notes``."""

    def row_note(self, values: dict) -> str:
        """A short word shown beside a good row in the preview, e.g. "新增" or "更新"."""
        return ""

    def field(self, key: str) -> ImportField:
        for item in self.fields:
            if item.key == key:
                return item
        raise KeyError(key)


@dataclass
class ImportRow:
    """One data row: ``number`` is the row number Excel shows; ``raw`` the cells by field key."""

    number: int
    raw: dict
    values: dict
    errors: list[str] = field(default_factory=list)
    note: str = ""
    warnings: list[str] = field(default_factory=list)  # worth a look, does not stop the import
    cell_notes: dict[str, str] = field(default_factory=dict)  # a word beside a cell, e.g. "将新建"
    shown: dict[str, str] | None = None  # cell texts kept in a stored check result (personal data masked)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPreview:
    """What a sheet holds, checked: rows with errors, columns found, required columns missing."""

    rows: list[ImportRow]
    header_row: int
    columns: dict[str, str]
    missing: list[str]
    unknown_headers: list[str]
    sheet_name: str
    fields: list[ImportField] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0  # sheet rows read in all (header scan included): bounded, whatever the file holds
    refusals: list[str] = field(default_factory=list)  # what a rehearsal of the commit refused, not tied to a row
    expected: dict = field(default_factory=dict)  # the rehearsed commit's counts ("created": 3, …)
    personal_rows: int | None = None  # kept with a stored result, whose raw cells are gone

    @property
    def ok(self) -> bool:
        return not self.missing and bool(self.rows) and self.error_count == 0 and not self.refusals

    @property
    def error_count(self) -> int:
        """Rows with at least one error."""
        return sum(1 for row in self.rows if row.errors)

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.errors]

    @property
    def problems(self) -> list[str]:
        """What stops the whole sheet (as opposed to single rows), in Chinese."""
        found = []
        if not self.header_row:
            found.append(_("没有找到表头行。请确认表格中有“%(names)s”等列名（可下载导入模板对照）。")
                         % {"names": "”“".join(f.label for f in self.fields[:3])})
        elif self.missing:
            found.append(_("缺少必填列：%(names)s。") % {"names": "、".join(self.missing)})
        if self.header_row and not self.rows:
            found.append(_("表头下面没有数据行。"))
        return found + self.refusals

    def display_rows(self, *, reveal: bool = False) -> Iterator[tuple[ImportRow, list[tuple[ImportField, str, str]]]]:
        """Each row with its (field, text, note) cells: parsed values for good rows, as typed for bad ones.

        Personal data (fields with a ``mask``) is masked unless ``reveal``; the caller logs a reveal.
        """
        shown = self.shown_fields
        for row in self.rows:
            cells = []
            for item in shown:
                if row.shown is not None:
                    text = row.shown.get(item.key, "")
                else:
                    text = cell_text(row, item)
                    if item.mask is not None and not reveal:
                        text = item.mask(text)
                cells.append((item, text, row.cell_notes.get(item.key, "")))
            yield row, cells

    @property
    def personal_row_count(self) -> int:
        """Rows that show at least one personal-data cell (what a reveal would show unmasked)."""
        if self.personal_rows is not None:
            return self.personal_rows
        keys = [f.key for f in self.shown_fields if f.personal]
        return sum(1 for row in self.rows if any(not is_blank(row.raw.get(k)) for k in keys))

    @property
    def warning_count(self) -> int:
        return sum(1 for row in self.rows if row.warnings)

    @property
    def shown_fields(self) -> list[ImportField]:
        return [item for item in self.fields if item.key in self.columns]

    @property
    def note_counts(self) -> list[tuple[str, int]]:
        """How many good rows carry each note ("新增" 3, "更新" 5), in order of first appearance."""
        counts: dict[str, int] = {}
        for row in self.rows:
            if row.note and not row.errors:
                counts[row.note] = counts.get(row.note, 0) + 1
        return list(counts.items())


def cell_text(row: ImportRow, item: ImportField) -> str:
    """A cell as the preview shows it: the parsed value of a good row, the typed text of a bad one."""
    if row.errors or item.key not in row.values:
        raw = row.raw.get(item.key)
        return "" if raw is None else display_value(raw)
    return display_value(row.values[item.key], item.parse)


# --- reading --------------------------------------------------------------------------------------
class _HeaderMatch:
    def __init__(self, row: int, mapping: dict[str, int], unknown: list[str]):
        self.row, self.mapping, self.unknown = row, mapping, unknown

    @property
    def score(self) -> int:
        return len(self.mapping)


def _field_for(text: str, lookup: dict[str, str]) -> str | None:
    if not text:
        return None
    if text in lookup:
        return lookup[text]
    plain = _NOTE.sub("", text)
    if plain and plain in lookup:
        return lookup[plain]
    bare = _BELONGS.sub("", plain)  # "所属代表小组", "所在选区": the column is the group, the constituency
    return lookup.get(bare) if bare and bare != plain else None


def _match_header(number: int, row: list, above: list | None, covered: set[tuple[int, int]],
                  lookup: dict[str, str]) -> _HeaderMatch:
    mapping: dict[str, int] = {}
    unknown: list[str] = []
    width = max(len(row), len(above or []))
    # The row above is the upper half of a two-row header (not a title line) when it names a column itself.
    two_row_header = bool(above) and any(
        _field_for(normalize_header(value), lookup) for value in above if not is_blank(value))
    for col in range(1, width + 1):
        lower_raw = row[col - 1] if col - 1 < len(row) else None
        upper_raw = above[col - 1] if above and col - 1 < len(above) else None
        lower, upper = normalize_header(lower_raw), normalize_header(upper_raw)
        candidates = []
        if lower:
            if upper and upper != lower and (number, col) not in covered:
                candidates.append(upper + lower)  # "联系方式" + "手机": lets a schema tell two "电话" apart
            candidates.append(lower)
        elif upper:
            candidates.append(upper)  # header written in the upper row, the lower cell left blank
        key = next((k for k in (_field_for(c, lookup) for c in candidates) if k), None)
        if key and key not in mapping:
            mapping[key] = col
        elif key:
            unknown.append(_("%(h)s（重复的列，已忽略）") % {"h": str(lower_raw or upper_raw).strip()})
        elif lower and lower not in IGNORED_HEADERS:
            # Only the header row's own text: a blank cell under a title line is not a column.
            shown = str(lower_raw).strip()
            if shown not in unknown:
                unknown.append(shown)
        elif (not lower and upper and two_row_header and upper not in IGNORED_HEADERS
              and (number, col) not in covered):
            shown = str(upper_raw).strip()  # written in the upper row only: a column all the same
            if shown not in unknown:
                unknown.append(shown)
    return _HeaderMatch(number, mapping, unknown)


def _row_marker(values: list) -> str | None:
    """"stop" for a total row or a footer line, "skip" for a subtotal, else None."""
    texts = list(islice((normalize(v) for v in values if not is_blank(v)), 2))
    for text in texts:
        if text.startswith(TOTAL_STOP_WORDS):
            return "stop"
        if text.startswith(TOTAL_SKIP_WORDS):
            return "skip"
    if texts and texts[0].startswith(FOOTER_WORDS):
        return "stop"
    return None


def _example_cells(schema: ImportSchema) -> dict[str, str]:
    """The template's example row as the reader sees it (normalised text per field key)."""
    return {f.key: normalize(display_value(f.example, f.parse)) for f in schema.fields if not is_blank(f.example)}


def _is_example(cells: dict, examples: dict[str, str]) -> bool:
    return bool(examples) and all(normalize(display_value(cells.get(key))) == shown
                                  for key, shown in examples.items())


def _error_texts(error: ValidationError, schema: ImportSchema) -> list[str]:
    if hasattr(error, "error_dict"):
        texts = []
        for key, errors in error.error_dict.items():
            try:
                label = schema.field(key).label
            except KeyError:
                label = ""
            for item in errors:
                for message in item.messages:
                    texts.append(f"{label}：{message}" if label else message)
        return texts
    return list(error.messages)


def _scrub(message: str, raw: Any, item: ImportField) -> str:
    """A parser's message quotes what was typed: masked, for personal data ("手机号码“138****56”…")."""
    if item.mask is None or is_blank(raw):
        return message
    for typed in {display_value(raw), str(raw).strip()}:
        if len(typed) >= 3 and typed in message:
            message = message.replace(typed, item.mask(typed))
    return message


def _parse_row(number: int, cells: dict, mapping: dict[str, int], schema: ImportSchema) -> ImportRow:
    row = ImportRow(number=number, raw=cells, values={})
    for item in schema.fields:
        raw = cells.get(item.key)
        if item.key in mapping and item.required and is_blank(raw):
            row.errors.append(_("%(label)s：不能为空。") % {"label": item.label})
            continue
        try:
            row.values[item.key] = item.parse(None if is_blank(raw) else raw)
        except ValidationError as error:
            row.errors.extend(f"{item.label}：{_scrub(message, raw, item)}" for message in error.messages)
    if not row.errors:
        try:
            row.values = schema.clean_row(dict(row.values))
        except ValidationError as error:
            row.errors.extend(_error_texts(error, schema))
        else:
            row.note = schema.row_note(row.values)
    return row


def _iter_rows(sheet, *, min_row: int = 1, max_row: int | None = None,
               max_col: int | None = None) -> Iterator[tuple[int, list]]:
    sheet.reset_dimensions()  # a wrong <dimension> in the file would otherwise cut columns off
    for number, values in enumerate(sheet.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col,
                                                    values_only=True), start=min_row):
        yield number, list(values)


def _too_many_rows(schema: ImportSchema, last: int) -> ValidationError:
    return ValidationError(
        _("表格到第 %(last)s 行还有内容，超过了一次最多导入 %(n)s 行的范围，系统没有继续读取。"
          "请删除表格下方多余的内容（包括其他列里的内容），或分批导入。"),
        params={"last": last, "n": schema.max_rows}, code="too_many_rows")


def _formula_warning(number: int, col: int, item: ImportField, kind: str) -> str:
    params = {"n": number, "col": get_column_letter(col), "label": item.label}
    if kind == "value":
        return _("第 %(n)s 行 %(col)s 列（%(label)s）是公式，已按其计算结果处理。") % params
    if kind == "error":
        return _("第 %(n)s 行 %(col)s 列（%(label)s）是公式，计算出错，已按空白处理。") % params
    return _("第 %(n)s 行 %(col)s 列（%(label)s）是公式，文件中没有保存计算结果，已按空白处理。") % params


def _read_sheet(workbook, sheet, data: bytes, schema: ImportSchema) -> ImportPreview:
    lookup: dict[str, str] = {}
    for item in schema.fields:
        for name in item.header_names():
            lookup.setdefault(name, item.key)
    scan = scan_sheet(data, getattr(sheet, "_worksheet_path", None))
    filler = MergeFiller(scan.merges, header_rows=HEADER_SCAN_ROWS)
    covered = set()
    head: list[tuple[int, list]] = [(number, filler.fill(number, values))
                                    for number, values in _iter_rows(sheet, max_row=HEADER_SCAN_ROWS)]
    for number, values in head:
        for col in range(1, len(values) + 1):
            if filler.covered_from_above(number, col):
                covered.add((number, col))
    best: _HeaderMatch | None = None
    for index, (number, values) in enumerate(head):
        above = head[index - 1][1] if index else None
        match = _match_header(number, values, above, covered, lookup)
        if match.score and (best is None or match.score > best.score):
            best = match
    preview = ImportPreview(rows=[], header_row=0, columns={}, missing=[], unknown_headers=[],
                            sheet_name=sheet.title, fields=list(schema.fields), rows_read=len(head))
    if best is None:
        preview.missing = [f.label for f in schema.fields if f.required]
        return preview
    preview.header_row = best.row
    preview.columns = {key: get_column_letter(col) for key, col in sorted(best.mapping.items(), key=lambda kv: kv[1])}
    preview.unknown_headers = best.unknown
    preview.missing = [f.label for f in schema.fields if f.required and f.key not in best.mapping]
    if preview.missing:
        return preview

    # Read no further than the row limit plus a margin, and no wider than the last recognised column.
    last_allowed = best.row + schema.max_rows + READ_MARGIN_ROWS
    if scan.last_value_row and scan.last_value_row > last_allowed:
        raise _too_many_rows(schema, scan.last_value_row)
    width = max(best.mapping.values())
    seen: dict[tuple, int] = {}
    subtotal_rows, example_rows, formula_notes = [], [], 0
    examples = _example_cells(schema)
    fields_by_col = {col: schema.field(key) for key, col in best.mapping.items()}

    def data_rows():
        for number, values in head:
            if number > best.row:
                yield number, values[:max(width, 1)]
        start = max(HEADER_SCAN_ROWS, len(head)) + 1
        for number, values in _iter_rows(sheet, min_row=start, max_row=last_allowed + 1, max_col=width):
            preview.rows_read += 1
            yield number, filler.fill(number, values)

    for number, values in data_rows():
        if number > last_allowed:  # the sheet goes on (openpyxl yields this row only if a later one exists)
            raise _too_many_rows(schema, number)
        cells = {key: (values[col - 1] if col - 1 < len(values) else None) for key, col in best.mapping.items()}
        warnings = []
        for col, item in fields_by_col.items():
            kind = scan.formulas.get((number, col))
            if kind:
                if kind == "error":
                    cells[item.key] = None
                warnings.append(_formula_warning(number, col, item, kind))
        if all(is_blank(v) for v in cells.values()):
            if warnings:
                preview.notes.extend(warnings[:MAX_FORMULA_NOTES])
            continue
        marker = _row_marker(values)
        if marker == "stop":
            preview.notes.append(_("第 %(n)s 行是合计行或表尾说明，从这一行起不再读取。") % {"n": number})
            break
        if marker == "skip":
            subtotal_rows.append(number)
            continue
        if _is_example(cells, examples):
            example_rows.append(number)
            continue
        if len(preview.rows) >= schema.max_rows:
            raise ValidationError(_("数据超过 %(n)s 行，请分批导入。"), params={"n": schema.max_rows}, code="too_many_rows")
        row = _parse_row(number, cells, best.mapping, schema)
        row.warnings.extend(warnings)
        formula_notes += len(warnings)
        if schema.unique_keys and not row.errors:
            key = tuple(normalize(display_value(row.values.get(k))) for k in schema.unique_keys)
            if all(key):
                if key in seen:
                    labels = "、".join(schema.field(k).label for k in schema.unique_keys)
                    row.errors.append(_("与第 %(n)s 行重复（%(labels)s相同）。") % {"n": seen[key], "labels": labels})
                else:
                    seen[key] = number
        preview.rows.append(row)
    if formula_notes:
        preview.notes.append(_("有 %(n)s 个单元格是公式，按各行的提示核对（有计算结果的按结果导入，没有的按空白处理）。")
                             % {"n": formula_notes})
    if subtotal_rows:
        preview.notes.append(_("已跳过小计行：第 %(rows)s 行。") % {"rows": "、".join(map(str, subtotal_rows))})
    if example_rows:
        preview.notes.append(_("已跳过与模板示例相同的行：第 %(rows)s 行。")
                             % {"rows": "、".join(map(str, example_rows))})
    if preview.rows:
        schema.check_preview(preview)
    return preview


def _pick_sheet(workbook, sheet):
    if sheet is None:
        return None
    if isinstance(sheet, int):
        if 0 <= sheet < len(workbook.worksheets):
            return workbook.worksheets[sheet]
    elif sheet in workbook.sheetnames:
        return workbook[sheet]
    raise ValidationError(_("文件中没有名为“%(s)s”的工作表，现有：%(all)s。"),
                          params={"s": sheet, "all": "、".join(workbook.sheetnames)}, code="no_sheet")


def _caused_by_unsafe_xml(error: BaseException) -> bool:
    """defusedxml's refusal, possibly wrapped by openpyxl ("Unable to read workbook") in a ValueError."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DefusedXmlException):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def read_preview(f, schema: ImportSchema, *, sheet: str | int | None = None,
                 max_bytes: int | None = None) -> ImportPreview:
    """Check ``f`` (an upload, file, path or bytes) and read it against ``schema``. Writes nothing.

    Without ``sheet`` the active sheet is read, or, if its header does not match, the sheet that
    matches best. Raises ``ValidationError`` (Chinese) for a file that cannot or must not be read.
    """
    data = load_checked_bytes(f, max_bytes=max_bytes)
    ensure_defusedxml()
    workbook = None
    try:
        workbook = open_read_only(data)
        chosen = _pick_sheet(workbook, sheet)
        if chosen is not None:
            return _read_sheet(workbook, chosen, data, schema)
        candidates = [workbook.active] + [ws for ws in workbook.worksheets if ws is not workbook.active]
        first = None
        for candidate in candidates:
            if not hasattr(candidate, "iter_rows"):  # a chart sheet
                continue
            preview = _read_sheet(workbook, candidate, data, schema)
            if preview.header_row:
                return preview
            first = first or preview
        if first is None:
            raise ValidationError(_("文件中没有可读取的工作表。"), code="no_sheet")
        return first
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 - an untrusted file may break a parser in any way: never a 500
        if _caused_by_unsafe_xml(error):
            logger.warning("spreadsheet refused: XML entities or DTD")
            raise ValidationError(MSG_UNSAFE_XML, code="unsafe_xml") from None
        logger.warning("unreadable spreadsheet: %s: %s", type(error).__name__, error, exc_info=True)
        raise ValidationError(MSG_BROKEN, code="unreadable") from None
    finally:
        if workbook is not None:
            workbook.close()
