"""Excel export: what is written comes back the same; user text never becomes a formula; memory stays flat."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from presidium.documents.excel import Column, attachment_response, write_xlsx, xlsx_response

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _read(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_it_round_trips_values_and_keeps_formulas_as_text():
    rows = [
        {"name": "=HYPERLINK(\"http://evil.example\",\"点我\")", "n": 3, "when": dt.date(2026, 3, 1),
         "at": dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC), "ok": True, "none": None, "money": Decimal("12.50")},
        {"name": "+cmd|' /C calc'!A0", "n": 4.5, "when": None, "at": None, "ok": False, "none": None,
         "money": Decimal("0")},
        {"name": "第一行\x0b第二行\x00", "n": 0, "when": None, "at": None, "ok": False, "none": None, "money": None},
    ]
    columns = [Column("名称", "name", 30), Column("数量", "n"), Column("日期", "when"), Column("时间", "at"),
               Column("办结", "ok"), Column("空", "none"), Column("金额", "money"),
               Column("计算", lambda row: f"={row['n']}*2")]
    sheet = _read(write_xlsx(rows, columns, title="=标题", sheet_name="台账[2026]"))
    assert sheet.title == "台账_2026_"
    assert sheet["A1"].value == "=标题" and sheet["A1"].data_type == "s"
    assert [c.value for c in sheet[2]] == ["名称", "数量", "日期", "时间", "办结", "空", "金额", "计算"]
    first = sheet[3]
    assert first[0].value == "=HYPERLINK(\"http://evil.example\",\"点我\")"
    assert first[0].data_type == "s"  # a string, not a formula
    assert first[1].value == 3
    assert first[2].value == dt.datetime(2026, 3, 1)
    assert first[3].value == dt.datetime(2026, 3, 1, 9, 30)  # local time, naive
    assert first[4].value == "是"
    assert first[5].value is None
    assert first[6].value == 12.5
    assert first[7].value == "=3*2" and first[7].data_type == "s"
    assert sheet["A4"].value.startswith("+cmd") and sheet["A4"].data_type == "s"
    assert sheet["E4"].value == "否"
    assert sheet["A5"].value == "第一行第二行"  # control characters dropped instead of a 500


def test_it_truncates_a_cell_to_excels_limit():
    sheet = _read(write_xlsx([{"t": "字" * 40000}], [Column("正文", "t")]))
    assert len(sheet["A2"].value) == 32767


def test_it_reads_attribute_paths_and_display_methods(world):
    unit = world.unit
    sheet = _read(write_xlsx([unit], [Column("乡镇", "township.name"), Column("类型", "get_kind_display")]))
    assert [c.value for c in sheet[2]] == ["甲镇", "站所"]


def test_it_writes_a_download_with_a_chinese_file_name():
    response = xlsx_response([], [Column("名称", "name")], "承办单位-20260301")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="-20260301.xlsx"; filename*=UTF-8\'\'')
    assert "%E6%89%BF%E5%8A%9E" in disposition


def test_it_keeps_the_fallback_file_name_inside_its_quotes():
    disposition = attachment_response(b"x", 'a"b;c/d\r\n.xlsx', "text/plain")["Content-Disposition"]
    assert disposition.startswith('attachment; filename="abc_d.xlsx"; filename*=UTF-8\'\'a%22b%3Bc_d.xlsx')


def _peak_writing(rows: int, columns, ticks) -> tuple[int, bytes]:
    tracemalloc.start()
    try:
        content = write_xlsx((i for i in range(rows)), columns, progress=ticks.append)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, content


def test_it_writes_rows_from_a_generator_in_flat_memory():
    """Write-only mode: peak memory does not grow with the row count (the 100k figure is in the benchmark)."""
    def cell(n):
        return lambda row: f"{row}号第{n}列中文内容"

    columns = [Column(f"列{n}", cell(n)) for n in range(10)]
    small_peak, small = _peak_writing(1_000, columns, [])
    ticks = []
    large_peak, large = _peak_writing(8_000, columns, ticks)
    print(f"1k rows: peak {small_peak / 2**20:.1f} MiB; 8k rows: peak {large_peak / 2**20:.1f} MiB")  # noqa: T201
    # Eight times the rows may cost only the larger finished file, not the rows held in memory.
    assert large_peak - small_peak < 2 * len(large) + 2 * 2**20
    assert ticks[-1] == 8_000
    workbook = load_workbook(io.BytesIO(large), read_only=True)
    assert sum(1 for _ in workbook.active.iter_rows(values_only=True)) == 8_001
    workbook.close()


def test_it_writes_ledgers_in_chinese_even_for_a_user_browsing_in_english():
    from django.utils import translation

    from presidium.choices import HandlingUnitKind

    with translation.override("en"):
        content = write_xlsx([{"kind": HandlingUnitKind.STATION}], [Column("类型", lambda r: r["kind"].label)])
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[2]] == ["站所"]


def test_it_writes_a_ledger_ready_to_file_and_print():
    """Named sheet, title row, frozen header with filters, A4 landscape one page wide, title and header on each page."""
    rows = [{"name": f"第{n}件", "on": dt.date(2026, 3, n), "at": dt.datetime(2026, 3, n, 8, 0, tzinfo=SHANGHAI)}
            for n in range(1, 4)]
    content = write_xlsx(rows, [Column("名称", "name", 20), Column("交办日期", "on"), Column("时间", "at")],
                         title="青石镇议案建议办理台账")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "青石镇议案建议办理台账"  # named after the ledger unless a sheet name is given
    assert sheet["A1"].value == "青石镇议案建议办理台账" and sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == ["名称", "交办日期", "时间"]
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:C5"
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$2"
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    assert sheet["B3"].is_date and sheet["B3"].value == dt.datetime(2026, 3, 1)
    assert sheet["B3"].number_format == "yyyy-mm-dd" and sheet["C3"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet.column_dimensions["A"].width == 20


def test_it_freezes_and_filters_the_header_without_a_title_too():
    sheet = load_workbook(io.BytesIO(write_xlsx([], [Column("名称", "name")], sheet_name="单位"))).active
    assert sheet.title == "单位" and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:A1"
    assert sheet.print_title_rows == "$1:$1"


def test_it_writes_markup_whitespace_and_every_value_type_in_the_data_rows_as_given():
    """The data rows are written as sheet XML directly: escaping, kept spaces and number formats read back."""
    rows = [{"text": "a & <b>\r\nc", "padded": "  两个空格 ", "empty": "", "n": 7, "x": 2.5, "money": Decimal("1.10"),
             "on": dt.date(2026, 1, 2), "at": dt.datetime(2026, 1, 2, 3, 4, tzinfo=SHANGHAI)}] * 3
    columns = [Column(name, name) for name in ("text", "padded", "empty", "n", "x", "money", "on", "at")]
    sheet = _read(write_xlsx(rows, columns, title="台账"))
    for row in (3, 5):
        assert [c.value for c in sheet[row]] == ["a & <b>\r\nc", "  两个空格 ", None, 7, 2.5, 1.1,
                                                  dt.datetime(2026, 1, 2), dt.datetime(2026, 1, 2, 3, 4)]
        assert all(c.data_type == "s" for c in sheet[row][:2])
    assert sheet["G3"].number_format == "yyyy-mm-dd" and sheet["H3"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet.auto_filter.ref == "A2:H5" and sheet.max_row == 5


def _openpyxl_sheet(rows, columns):
    """The same rows written cell by cell by openpyxl itself (what the export wrote before its own row XML)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from presidium.documents.excel import _cell_value

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([column.header for column in columns])
    for row in rows:
        cells = []
        for column in columns:
            value = _cell_value(column.get(row))
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
            elif isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    content = io.BytesIO()
    workbook.save(content)
    return _read(content.getvalue())


def test_it_writes_every_cell_as_openpyxl_does_also_past_the_columns_caches():
    """Cell by cell against openpyxl's own writer: hostile text, repeats, lazy labels, enums, subclasses, all types;
    more distinct short values than a column caches, then the first ones again (the cache emptied and refilled)."""
    from django.utils.functional import lazy

    from presidium.choices import HandlingUnitKind

    class Text(str):
        pass

    hostile = ["=cmd|' /C calc'!A0", "@SUM(1)", "-1+2", "a & <b>\r\n\"c\"", " 前后空格 ", "\t制表", "第一\x0b第二\x00",
               "", "x" * 65, "x" * 65, "字" * 40000, "]]>", "&amp;"]
    label = lazy(lambda: "站所", str)()
    rows = []
    for n in range(1300):
        rows.append({
            "short": f"东风村{n % 700}组" if n % 3 else hostile[n % len(hostile)],
            "day": dt.date(2020, 1, 1) + dt.timedelta(days=n % 600),
            "at": dt.datetime(2026, 3, 1, n % 24, n % 60, tzinfo=SHANGHAI if n % 2 else dt.UTC) if n % 5 else None,
            "naive": dt.datetime(2026, 3, 1, 8, n % 60),
            "number": [n, -n * 1.5, Decimal(n) / 8, 10**20, float("inf") if n == 7 else 0.1][n % 5],
            "flag": [True, False, None][n % 3],
            "other": [label, HandlingUnitKind.STATION, Text("子类<文本>"), n % 2 == 0, 3][n % 5],
        })
    columns = [Column(name, name) for name in rows[0]] + [Column("计算", lambda row: f"={row['number']}")]
    ours = _read(write_xlsx(rows, columns))
    theirs = _openpyxl_sheet(rows, columns)
    assert ours.max_row == theirs.max_row == 1301 and ours.max_column == theirs.max_column == len(columns)
    for mine, reference in zip(ours.iter_rows(), theirs.iter_rows(), strict=True):
        for cell, expected in zip(mine, reference, strict=True):
            assert (cell.value, cell.data_type, cell.number_format) == (
                expected.value, expected.data_type, expected.number_format), cell.coordinate
