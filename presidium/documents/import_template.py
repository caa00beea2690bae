"""The downloadable import template: a schema's headers, an example row and instructions, as .xlsx."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from presidium.documents.parsers import (
    ChoiceParser,
    display_value,
    parse_bool,
    parse_date,
    parse_int,
    parse_name,
    parse_phone,
)

if TYPE_CHECKING:
    from presidium.documents.importing import ImportField, ImportSchema

_HINTS = {
    parse_date: "日期，如 1975-03-01、1975年3月 或 1975.03",
    parse_phone: "手机 11 位或座机（区号+号码），每格一个号码",
    parse_bool: "填“是”或“否”",
    parse_int: "整数",
    parse_name: "姓名（空格会被去掉）",
}
_TEXT_FORMATTED = (parse_date, parse_phone)


def _hint(item: ImportField) -> str:
    if item.help_text:
        return item.help_text
    if isinstance(item.parse, ChoiceParser):
        return "可选：" + "、".join(item.parse.labels.values())
    return _HINTS.get(item.parse, "")


def template_workbook(schema: ImportSchema) -> bytes:
    """An .xlsx to fill in: title, headers (required ones marked *), an example row, and instructions.

    The example row is skipped on import if left unchanged; date and phone columns are text cells so
    Excel does not turn "1975.10" into 1975.1 or drop a landline's leading 0.
    """
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = schema.sheet_name[:31]
    width = len(schema.fields)
    sheet.cell(row=1, column=1, value=schema.title or schema.sheet_name).font = Font(bold=True, size=14)
    if width > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    header_fill = PatternFill("solid", fgColor="F2F2F2")
    for col, item in enumerate(schema.fields, start=1):
        letter = get_column_letter(col)
        cell = sheet.cell(row=2, column=col, value=("*" if item.required else "") + item.label)
        cell.font = Font(bold=True, color="C00000" if item.required else "000000")
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        example = sheet.cell(row=3, column=col, value=display_value(item.example, item.parse) or None)
        example.font = Font(italic=True, color="808080")
        sheet.column_dimensions[letter].width = item.width or max(12, len(item.label) * 2 + 6)
        if item.parse in _TEXT_FORMATTED:
            for row in range(3, 503):
                sheet.cell(row=row, column=col).number_format = "@"
        if isinstance(item.parse, ChoiceParser):
            options = ",".join(item.parse.labels.values())
            if len(options) < 250:
                validation = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
                validation.error = "请从下拉列表中选择。"
                validation.errorTitle = item.label
                sheet.add_data_validation(validation)
                validation.add(f"{letter}3:{letter}1002")
    sheet.freeze_panes = "A3"

    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "填写要求", "示例"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    for item in schema.fields:
        notes.append([item.label, "必填" if item.required else "选填", _hint(item),
                      display_value(item.example, item.parse)])
    notes.append([])
    for line in (
        "第一个工作表的第 3 行是示例，可以直接覆盖或删除；未修改的示例行导入时会被忽略。",
        "表头上方可以保留标题行；不要合并数据区域的单元格；表尾的“合计”行及其以下内容不会被读取。",
        *schema.instructions,
    ):
        notes.append([line])
    for letter, size in (("A", 16), ("B", 10), ("C", 48), ("D", 20)):
        notes.column_dimensions[letter].width = size
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
