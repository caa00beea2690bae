"""Reading real-world sheets: header detection, merged headers, parsers, and hostile files refused."""

from __future__ import annotations

import datetime as dt
import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from openpyxl import Workbook, load_workbook

from presidium.documents.importing import (
    ImportField,
    ImportSchema,
    check_xlsx_upload,
    make_choice_parser,
    parse_bool,
    parse_date,
    parse_int,
    parse_name,
    parse_phone,
    parse_text,
    read_preview,
    template_workbook,
)
from presidium.unit_import import UnitImportSchema
from tests.documents.sheets import (
    UNIT_HEADER,
    MiB,
    billion_laughs_xlsx,
    compound_file,
    replace_member,
    tall_sheet,
    unit_sheet,
    units,
    with_formulas,
    xlsx_bytes,
    zip_bomb,
)


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class RosterSchema(ImportSchema):
    title = "青石镇人大代表名册"
    unique_keys = ("name",)
    fields = [
        ImportField("name", "姓名", ("代表姓名", "名字"), required=True, parse=parse_name, example="张三"),
        ImportField("gender", "性别", (), parse=make_choice_parser(Gender, {"男性": "male", "女性": "female"})),
        ImportField("birth", "出生年月", ("出生日期", "出生时间"), parse=parse_date),
        ImportField("mobile", "手机", ("手机号码", "联系电话"), parse=parse_phone),
        ImportField("address", "地址", ("家庭住址", "通讯地址")),
        ImportField("county_level", "是否县人大代表", ("县代表",), parse=parse_bool),
        ImportField("visits", "走访人次", (), parse=parse_int),
    ]

    def clean_row(self, values):
        if values["birth"] and values["birth"] > dt.date(2008, 12, 31):
            raise ValidationError({"birth": "代表须年满十八周岁。"})
        return values


def messy_roster() -> bytes:
    """The sheet an office really sends: title, 填报单位 line, a two-row merged header with a group
    "联系方式" over 手机/地址, synonyms, blank rows, dates as Excel dates and as text, phones as numbers,
    a subtotal and a total row followed by a signature line."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    sheet["A1"] = "青石镇第十八届人大代表名册"
    sheet["A2"] = "填报单位：青石镇人大办（盖章）        填报时间：2026年3月5日"
    sheet["A3"], sheet["B3"], sheet["C3"], sheet["D3"] = "序号", "代表\n姓名", "性 别", "出生年月*"
    sheet["E3"], sheet["G3"], sheet["H3"], sheet["I3"] = "联系方式", "是否县人大代表", "走访人次", "备注"
    sheet["E4"], sheet["F4"] = "手机号码", "家庭住址"
    for merged in ("A1:I1", "A2:I2", "E3:F3", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "G3:G4", "H3:H4", "I3:I4"):
        sheet.merge_cells(merged)
    data = [
        (5, [1, "王  芳", "女", dt.datetime(1975, 3, 1), 13812345678, "东风村3组", "是", 12, ""]),
        (6, [2, "李建国", "男性", "1980.05", "139 1234 5678", "红旗村", "否", "8", None]),
        (8, [3, "赵敏", "女", "1968年11月", 15912345678.0, "新华社区", "√", None, "调入"]),
        (9, [4, "孙强", "男", 27454, "0791-88886666", "光明村", "×", 3, ""]),
        (10, [5, "周文", "男", "19700815", "+86 137-1234-5678", "太平村", "N", 0, ""]),
        (11, [None, "小计", None, None, None, None, None, 23, None]),
        (13, [6, "吴桂英", "女", "1972/6/18", "13612345678", "和平村", "Y", 5, ""]),
        (14, [None, "合计", None, None, None, None, None, 28, "6人"]),
        (16, [None, "填表人：钱晓梅", None, None, "审核人：孙建平", None, None, None, None]),
    ]
    for row_number, values in data:
        for col, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=row_number, column=col, value=value)
    sheet["D5"].number_format = "yyyy-mm-dd"
    sheet["D9"].number_format = "General"  # a date cell that lost its format: an Excel serial
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_it_reads_a_messy_office_sheet():
    preview = read_preview(messy_roster(), RosterSchema())
    assert preview.sheet_name == "名册"
    assert preview.header_row == 4
    assert preview.columns == {"name": "B", "gender": "C", "birth": "D", "mobile": "E", "address": "F",
                               "county_level": "G", "visits": "H"}
    assert preview.missing == []
    assert preview.unknown_headers == ["备注"]
    assert [row.number for row in preview.rows] == [5, 6, 8, 9, 10, 13]
    assert preview.ok, [row.errors for row in preview.rows]
    by_name = {row.values["name"]: row.values for row in preview.rows}
    assert by_name["王芳"] == {"name": "王芳", "gender": "female", "birth": dt.date(1975, 3, 1),
                               "mobile": "13812345678", "address": "东风村3组", "county_level": True, "visits": 12}
    assert by_name["李建国"]["birth"] == dt.date(1980, 5, 1)
    assert by_name["李建国"]["mobile"] == "13912345678"
    assert by_name["李建国"]["visits"] == 8
    assert by_name["赵敏"]["birth"] == dt.date(1968, 11, 1)
    assert by_name["赵敏"]["mobile"] == "15912345678"
    assert by_name["赵敏"]["county_level"] is True
    assert by_name["孙强"]["birth"] == dt.date(1975, 3, 1)  # serial 27454
    assert by_name["孙强"]["mobile"] == "079188886666"
    assert by_name["周文"]["birth"] == dt.date(1970, 8, 15)
    assert by_name["周文"]["mobile"] == "13712345678"
    assert by_name["吴桂英"]["birth"] == dt.date(1972, 6, 18)
    assert any("小计" in note and "11" in note for note in preview.notes)
    assert any("第 14 行" in note for note in preview.notes)


BAD_ROWS = [
    (["", "女", "1975.03", "13812345678"], "姓名：不能为空。"),
    (["甲", "未知", "1975.03", "13812345678"], "性别：“未知”不是可选的值，请填写：男、女。"),
    (["乙", "男", "1975.13", "13812345678"], "出生年月：日期“1975.13”的月份不对（应为 1—12）。"),
    (["丙", "男", "1975年2月30日", "13812345678"], "出生年月：日期“1975年2月30日”不存在"),
    (["丁", "男", "七五年", "13812345678"], "出生年月：无法识别日期“七五年”"),
    (["戊", "男", 1975.1, "13812345678"], "出生年月：“1975.1”无法确定是 1 月还是 10 月"),
    (["己", "男", "2012-01-01", "13812345678"], "出生年月：代表须年满十八周岁。"),
    (["庚", "男", "1975.03", "1381234567"], "手机：手机号码“1381234567”应为 11 位数字"),
    (["辛", "男", "1975.03", "13812345678/13912345678"], "手机：电话号码“13812345678/13912345678”只能包含数字"),
    (["壬", "男", "1975.03", "12345"], "手机：手机号码“12345”应为 11 位数字"),
    (["癸", "男", "1975.03", "13812345678", "也许"], "是否县人大代表：“也许”请填写“是”或“否”"),
    (["子", "男", "1975.03", "13812345678", "是", "3.5"], "走访人次：请填写整数，而不是“3.5”。"),
    (["甲乙", "男", "1975.03", "13812345678"], None),
    (["甲乙", "女", "1976.04", "13912345678"], "与第 15 行重复（姓名相同）。"),
]


def test_it_gives_each_bad_row_its_own_chinese_error():
    header = ["姓名", "性别", "出生年月", "手机", "是否县人大代表", "走访人次"]
    data = xlsx_bytes([["代表名册"], header, *[row for row, _ in BAD_ROWS]])
    preview = read_preview(data, RosterSchema())
    assert preview.header_row == 2
    assert not preview.ok
    assert preview.error_count == len([e for _, e in BAD_ROWS if e])
    for row, (_, expected) in zip(preview.rows, BAD_ROWS, strict=True):
        if expected is None:
            assert row.errors == []
        else:
            assert len(row.errors) == 1 and row.errors[0].startswith(expected), (row.number, row.errors)


def test_it_reports_missing_required_columns_and_reads_nothing():
    data = xlsx_bytes([["出生年月", "手机"], ["1975.03", "13812345678"]])
    preview = read_preview(data, RosterSchema())
    assert preview.missing == ["姓名"]
    assert preview.rows == []
    assert not preview.ok
    assert "缺少必填列：姓名。" in preview.problems


def test_it_does_not_take_a_title_line_for_a_column():
    data = xlsx_bytes([["填报单位：青石镇人大办", None, None, None], ["姓名", "手机", None, "备注"],
                       ["王五", "13812345678", None, ""]], merges=("A1:D1",))
    preview = read_preview(data, RosterSchema())
    assert preview.header_row == 2 and preview.unknown_headers == ["备注"]
    assert preview.ok


def test_it_reads_a_header_written_in_the_upper_of_two_rows():
    data = xlsx_bytes([["姓名", "联系方式", None], [None, "手机号码", "家庭住址"], ["王五", "13812345678", "东风村"]],
                      merges=("B1:C1",))
    preview = read_preview(data, RosterSchema())
    assert preview.header_row == 2
    assert preview.columns == {"name": "A", "mobile": "B", "address": "C"}
    assert preview.rows[0].values["address"] == "东风村"


def test_it_says_so_when_no_header_is_found():
    preview = read_preview(xlsx_bytes([["随便写的"], ["一些内容"]]), RosterSchema())
    assert preview.header_row == 0
    assert preview.problems and "没有找到表头行" in preview.problems[0]


def test_it_skips_prenumbered_blank_rows_and_the_untouched_template_example():
    schema = RosterSchema()
    template = load_workbook(io.BytesIO(template_workbook(schema)))
    sheet = template.active
    sheet.append(["李四", "男", "1980.01", "13812345678"])  # row 4, after the example row 3
    for number in range(5, 40):
        sheet.cell(row=number, column=1)  # formatted but empty rows
    buffer = io.BytesIO()
    template.save(buffer)
    preview = read_preview(buffer.getvalue(), schema)
    assert [row.values["name"] for row in preview.rows] == ["李四"]
    assert any("示例" in note for note in preview.notes)


def test_it_finds_the_data_sheet_when_the_active_sheet_is_something_else():
    data = xlsx_bytes([["填表说明"], ["请按要求填写"]], title="说明",
                      extra_sheets={"代表": [["姓名", "手机"], ["王五", "13812345678"]]})
    preview = read_preview(data, RosterSchema())
    assert preview.sheet_name == "代表"
    assert [row.values["name"] for row in preview.rows] == ["王五"]


def test_it_reads_a_named_sheet_and_refuses_an_unknown_one():
    data = xlsx_bytes([["姓名"], ["王五"]], title="代表")
    assert read_preview(data, RosterSchema(), sheet="代表").rows[0].values["name"] == "王五"
    with pytest.raises(ValidationError, match="没有名为“名单”的工作表"):
        read_preview(data, RosterSchema(), sheet="名单")


def test_it_refuses_more_rows_than_the_schema_allows():
    schema = RosterSchema(max_rows=3)
    data = xlsx_bytes([["姓名"], *[[f"代表{n}"] for n in range(5)]])
    with pytest.raises(ValidationError, match="数据超过 3 行"):
        read_preview(data, schema)


@pytest.mark.parametrize(("value", "expected"), [
    (dt.datetime(1975, 3, 1, 0, 0), dt.date(1975, 3, 1)),
    (dt.date(1975, 3, 1), dt.date(1975, 3, 1)),
    ("1975.03", dt.date(1975, 3, 1)),
    ("1975.3", dt.date(1975, 3, 1)),
    ("1975年3月", dt.date(1975, 3, 1)),
    ("1975年3月1日", dt.date(1975, 3, 1)),
    ("1975-03-01", dt.date(1975, 3, 1)),
    ("1975/3/1", dt.date(1975, 3, 1)),
    ("197503", dt.date(1975, 3, 1)),
    ("19750301", dt.date(1975, 3, 1)),
    ("１９７５．０３", dt.date(1975, 3, 1)),
    ("1975-03-01 00:00:00", dt.date(1975, 3, 1)),
    (1975.03, dt.date(1975, 3, 1)),
    (1975.12, dt.date(1975, 12, 1)),
    (197503, dt.date(1975, 3, 1)),
    (27454, dt.date(1975, 3, 1)),
    (None, None),
    ("  ", None),
])
def test_it_parses_the_dates_offices_type(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (13812345678, "13812345678"),
    (13812345678.0, "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"),
    ("+86 13812345678", "13812345678"),
    ("0791-88886666", "079188886666"),
    ("（0791）8888666", "07918888666"),
    (79188886666, "079188886666"),  # a landline typed as a number lost its 0
    ("8888666", "8888666"),
    (None, ""),
])
def test_it_normalises_phone_numbers(value, expected):
    assert parse_phone(value) == expected


@pytest.mark.parametrize("value", ["1381234567", "23812345678", "abc", "0791", 13812345678.5, True])
def test_it_refuses_bad_phone_numbers_in_chinese(value):
    with pytest.raises(ValidationError) as error:
        parse_phone(value)
    assert any("号码" in m for m in error.value.messages)


def test_it_parses_yes_no_ints_names_text_and_choices():
    assert [parse_bool(v) for v in ("是", "否", "√", "×", "Y", "n", True, 1, 0, None)] == [
        True, False, True, False, True, False, True, True, False, None]
    assert parse_int("1,200") == 1200 and parse_int(3.0) == 3 and parse_int(None) is None
    assert parse_name(" 王　 芳 ") == "王芳"
    assert parse_text(12.0) == "12" and parse_text("  东风村 ") == "东风村" and parse_text(None) == ""
    choice = make_choice_parser(Gender, {"男性": "male"})
    assert [choice(v) for v in ("男", "male", "男性", " 女 ", None)] == ["male", "male", "male", "female", None]
    assert choice.label("female") == "女"
    with pytest.raises(ValueError):
        make_choice_parser(Gender, {"未知": "unknown"})


def test_it_makes_a_template_that_reads_back_with_its_own_schema():
    schema = RosterSchema()
    workbook = load_workbook(io.BytesIO(template_workbook(schema)))
    sheet = workbook.active
    assert sheet["A1"].value == "青石镇人大代表名册"
    assert [c.value for c in sheet[2]][:3] == ["*姓名", "性别", "出生年月"]
    assert sheet["A3"].value == "张三"
    assert sheet["C3"].number_format == "@"  # dates typed as text keep "1975.10"
    assert "填写说明" in workbook.sheetnames
    preview = read_preview(template_workbook(schema), schema)
    assert preview.header_row == 2 and preview.rows == [] and any("示例" in n for n in preview.notes)


# --- hostile and wrong files ---------------------------------------------------------------------
def _refusal(data: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as error:
        check_xlsx_upload(io.BytesIO(data), **kwargs)
    with pytest.raises(ValidationError):
        read_preview(data, RosterSchema(), **kwargs)
    return " ".join(error.value.messages)


def test_it_refuses_a_zip_bomb_before_opening_it():
    started = time.perf_counter()
    message = _refusal(zip_bomb(80))
    assert "解压后过大或压缩比异常" in message
    assert time.perf_counter() - started < 5


def test_it_refuses_a_member_with_an_absurd_compression_ratio(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
    assert "压缩比异常" in _refusal(zip_bomb(8))


def test_it_refuses_billion_laughs_quickly():
    started = time.perf_counter()
    with pytest.raises(ValidationError) as error:
        read_preview(billion_laughs_xlsx(), RosterSchema())
    assert "不允许的 XML 内容" in error.value.messages[0]
    assert time.perf_counter() - started < 2


def test_it_refuses_wrong_signatures_old_xls_and_encrypted_files():
    assert "不是 Excel 工作簿" in _refusal(b"just some text without commas")
    assert "网页格式" in _refusal(b"<html><body><table><tr><td>1</td></tr></table></body></html>")
    assert "CSV" in _refusal("姓名,手机\n王五,13812345678\n".encode())
    assert "另存为" in _refusal(compound_file("Workbook")) and ".xls" in _refusal(compound_file("Workbook"))
    assert "打开密码" in _refusal(compound_file("EncryptedPackage"))
    assert "空的" in _refusal(b"")


def test_it_refuses_a_zip_that_is_not_a_workbook_or_is_broken():
    docx_like = replace_member(unit_sheet(units(1)), "xl/workbook.xml", b"")
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert "不是 Excel 工作簿" in _refusal(out.getvalue())
    assert "损坏" in _refusal(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(ValidationError, match="无法读取"):
        read_preview(docx_like, RosterSchema())


def test_it_refuses_an_oversized_file_without_reading_it_all():
    data = unit_sheet(units(200))
    assert "文件太大" in _refusal(data, max_bytes=2048)
    check_xlsx_upload(io.BytesIO(data), max_bytes=len(data))  # exactly at the limit is fine


def test_it_refuses_an_oversized_upload_by_its_declared_size(settings):
    settings.UPLOAD_MAX_BYTES = 4096

    class Upload(io.BytesIO):
        size = 50 * 1024 * 1024

    with pytest.raises(ValidationError) as error:
        check_xlsx_upload(Upload(b"PK\x03\x04"))
    assert error.value.messages[0].startswith("文件太大（50.0\xa0MB），上限为 4.0\xa0KB")


# --- hostile and surprising sheets: reading stops, formulas are told, personal data is masked ------
def _read_refusal(data: bytes, schema: ImportSchema) -> str:
    with pytest.raises(ValidationError) as error:
        read_preview(data, schema)
    return " ".join(error.value.messages)


def _count_parsed_rows(monkeypatch) -> list[int]:
    """How many sheet rows openpyxl parses (the work a hostile sheet makes a web worker do)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    parsed = [0]
    original = WorkSheetParser.parse_row

    def counting(self, row):
        parsed[0] += 1
        return original(self, row)

    monkeypatch.setattr(WorkSheetParser, "parse_row", counting)
    return parsed


def test_it_refuses_a_column_filled_down_880000_rows_without_reading_them(monkeypatch):
    data = tall_sheet(UNIT_HEADER, units(3), filled_down=880_000)
    assert len(data) < 5 * MiB
    parsed = _count_parsed_rows(monkeypatch)
    message = _read_refusal(data, UnitImportSchema())
    assert "到第 880000 行还有内容" in message and "最多导入 1000 行" in message
    assert parsed[0] <= 20  # the header scan only: the byte scan saw the last row


def test_it_stops_at_the_row_limit_plus_a_margin_when_the_last_row_is_not_known(monkeypatch):
    """Even without the byte scan's answer, reading stops one row past the limit and the margin."""
    from presidium.documents import importing
    from presidium.documents.sheet_scan import scan_sheet

    def blind_scan(*args):
        scan = scan_sheet(*args)
        scan.last_value_row = None
        return scan

    monkeypatch.setattr(importing, "scan_sheet", blind_scan)
    data = tall_sheet(UNIT_HEADER, units(3), filled_down=20_000)
    parsed = _count_parsed_rows(monkeypatch)
    schema = UnitImportSchema()
    assert "最多导入 1000 行" in _read_refusal(data, schema)
    assert parsed[0] <= 2 * importing.HEADER_SCAN_ROWS + schema.max_rows + importing.READ_MARGIN_ROWS + 2


def test_it_reads_no_further_than_the_data_when_the_sheet_is_short():
    preview = read_preview(tall_sheet(UNIT_HEADER, units(3), filled_down=300), UnitImportSchema())
    assert len(preview.rows) == 3 and preview.ok
    assert preview.rows_read <= 300


def test_it_reports_formula_cells_with_their_cached_result_or_as_blank():
    data = with_formulas(unit_sheet(units(3)), {
        "E3": ("\"138\"&\"00000000\"", "13800000000"),  # a cached result: used
        "C4": ("VLOOKUP(A4,Sheet2!A:B,2,0)", None),  # never calculated (written by a program): blank
        "D5": ("1/0", "#DIV/0!"),  # an error: blank
    })
    preview = read_preview(data, UnitImportSchema())
    by_number = {row.number: row for row in preview.rows}
    assert by_number[3].values["contact_phone"] == "13800000000"
    assert "第 3 行 E 列（联系电话）是公式，已按其计算结果处理。" in by_number[3].warnings
    assert by_number[4].values["responsible_leader"] == ""
    assert "第 4 行 C 列（分管领导）是公式，文件中没有保存计算结果，已按空白处理。" in by_number[4].warnings
    assert by_number[5].values["contact_person"] == ""
    assert "第 5 行 D 列（联系人）是公式，计算出错，已按空白处理。" in by_number[5].warnings
    assert any("3 个单元格是公式" in note for note in preview.notes)
    assert preview.ok  # told, not refused


def test_it_lists_a_column_named_only_in_the_upper_row_of_a_two_row_header():
    rows = [["单位名称", "单位类型", "联系方式", None, "所在片区"],
            [None, None, "联系人", "联系电话", None],
            *units(1)]
    preview = read_preview(xlsx_bytes(rows, merges=("C1:D1",)), UnitImportSchema())
    assert preview.header_row == 2
    assert preview.unknown_headers == ["所在片区"]


def test_it_matches_a_header_written_with_所属_or_所在_in_front():
    rows = [["所属单位名称", "所在单位类型", "联系人"], ["财政所", "站所", "李红梅"]]
    preview = read_preview(xlsx_bytes(rows), UnitImportSchema())
    assert preview.columns == {"name": "A", "kind": "B", "contact_person": "C"} and preview.ok


def test_it_masks_personal_columns_in_the_preview_and_in_error_messages():
    def mask(text):
        return text[:3] + "****" + text[-2:] if len(text) > 5 else "*" * len(text)

    schema = ImportSchema(fields=[ImportField("name", "姓名", required=True, parse=parse_name),
                                  ImportField("mobile", "手机", parse=parse_phone, mask=mask)])
    preview = read_preview(xlsx_bytes([["姓名", "手机"], ["王芳", "13812345678"], ["李四", "1381234567"]]), schema)
    masked = [[text for _field, text, _note in cells] for _row, cells in preview.display_rows()]
    assert masked == [["王芳", "138****78"], ["李四", "138****67"]]
    revealed = [[text for _field, text, _note in cells] for _row, cells in preview.display_rows(reveal=True)]
    assert revealed == [["王芳", "13812345678"], ["李四", "1381234567"]]
    assert "1381234567" not in " ".join(preview.rows[1].errors) and "138****67" in preview.rows[1].errors[0]
    assert preview.personal_row_count == 2
