"""The Word counterpart of the official-document kit: an :class:`OfficialDocument` as an editable .docx.

Offices edit the letter before stamping it, so the Word copy carries the same parts as the PDF
(red masthead, red rule, 发文字号, title, body, signature, Chinese date, "— N —" page numbers in the
footer through a PAGE field, odd pages on the right and even on the left) in GB/T 9704's page
set-up, with the font names an office PC has: 方正小标宋简体 for the masthead and title, 仿宋_GB2312 for
the body, 黑体 for first-level headings, 楷体_GB2312 for second-level ones. Word falls back to its
own faces where one is missing, and the office keeps editing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.http import HttpResponse
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from presidium.documents.excel import attachment_response
from presidium.documents.official import (
    MASTHEAD_RED,
    FieldGrid,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN = "Times New Roman"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
TABLE_PT = 11
LINE_PT = 28.9  # 22 lines in the 225 mm 版心
RED = RGBColor.from_string(MASTHEAD_RED.lstrip("#"))
# WordprocessingML elements come in a fixed order (Word calls a file with them out of order corrupt):
# each element is inserted before the first of its successors that is present.
_PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                     "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                     "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                     "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                     "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_SECTPR_AFTER_PGNUMTYPE = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
                           "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
_TCPR_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
                   "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")
_ALIGN = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "left": WD_ALIGN_PARAGRAPH.LEFT,
          "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}


def _font(run, face: str, size: float = BODY_PT, *, bold: bool = False, color: RGBColor | None = None) -> None:
    """Chinese in ``face`` (Word reads w:eastAsia for it), digits and Latin letters in Times New Roman,
    as government document templates set them."""
    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN)
    fonts.set(qn("w:eastAsia"), face)


def _spacing(paragraph, *, line: float | None = LINE_PT, before: float = 0, after: float = 0,
             first_line_chars: int = 0) -> None:
    fmt = paragraph.paragraph_format
    if line:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if first_line_chars:
        fmt.first_line_indent = Pt(BODY_PT * first_line_chars)


def _text(paragraph, text: str, face: str, size: float = BODY_PT, **kwargs) -> None:
    """Add ``text`` to ``paragraph``, its line breaks as Word line breaks."""
    for index, line in enumerate(text.splitlines() or [""]):
        run = paragraph.add_run(line)
        _font(run, face, size, **kwargs)
        if index:
            run._element.addprevious(_line_break())


def _line_break():
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    return run


def _bottom_border(paragraph, *, color: str, size_eighths: int = 12) -> None:
    """The red rule under the masthead: a paragraph border as wide as the 版心."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size_eighths)), ("w:space", "1"), ("w:color", color)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.insert_element_before(borders, *_PPR_AFTER_BORDER)


def _page_number(paragraph) -> None:
    """"— N —" with N a PAGE field, so Word numbers the pages however the office edits."""
    _text(paragraph, "— ", SONGTI, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        _font(run, SONGTI, 14)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text
    _text(paragraph, " —", SONGTI, 14)


def _restart_numbering(section) -> None:
    number_type = OxmlElement("w:pgNumType")
    number_type.set(qn("w:start"), "1")
    section._sectPr.insert_element_before(number_type, *_SECTPR_AFTER_PGNUMTYPE)


def _set_up(section, *, first: bool) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    _restart_numbering(section)
    if first:
        odd = section.footer.paragraphs[0]
        odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        odd.paragraph_format.right_indent = Pt(14)
        _page_number(odd)
        even = section.even_page_footer.paragraphs[0]
        even.alignment = WD_ALIGN_PARAGRAPH.LEFT
        even.paragraph_format.left_indent = Pt(14)
        _page_number(even)


def _cell_text(cell, text: str, *, face: str = FANGSONG, align: str = "left", bold: bool = False,
               shade: str = "") -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = _ALIGN.get(align, WD_ALIGN_PARAGRAPH.LEFT)
    _spacing(paragraph, line=None)
    _text(paragraph, text, face, TABLE_PT, bold=bold)
    if shade:
        properties = cell._tc.get_or_add_tcPr()
        fill = OxmlElement("w:shd")
        fill.set(qn("w:val"), "clear")
        fill.set(qn("w:color"), "auto")
        fill.set(qn("w:fill"), shade)
        properties.insert_element_before(fill, *_TCPR_AFTER_SHD)


def _fixed_widths(table, widths) -> None:
    """Fixed column widths (the table grid and each cell): Word and LibreOffice then keep the proportions."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _table(document, block: Table) -> None:
    table = document.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Mm(156 * p / 100) for p in block.percentages]
    for index, header in enumerate(block.headers):
        _cell_text(table.rows[0].cells[index], str(header), face=HEITI, align="center")
    _repeat_header(table.rows[0])
    for row in block.body:
        cells = table.add_row().cells
        for index, (value, align) in enumerate(row):
            _cell_text(cells[index], value, align=align)
    _fixed_widths(table, widths)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _fields(document, block: FieldGrid) -> None:
    columns = len(block.column_widths)
    table = document.add_table(rows=len(block.rows), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, [Mm(156 * p / 100) for p in block.column_widths])  # before merging: merges add them up
    for row_index, (cells, _photo_here) in enumerate(block.layout):
        row = table.rows[row_index]
        row.height = Mm(9)
        column = 0
        for label, text, span in cells:
            _cell_text(row.cells[column], label, face=HEITI, align="center", shade="F2F2F2")
            value = row.cells[column + 1]
            if span > 1:
                value = value.merge(row.cells[column + span])
            _cell_text(value, text)
            column += 1 + span
    if block.has_photo_column:
        top = table.rows[0].cells[columns - 1]
        photo = top.merge(table.rows[block.photo_rowspan - 1].cells[columns - 1]) if block.photo_rowspan > 1 else top
        paragraph = photo.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if block.photo:
            paragraph.add_run().add_picture(io.BytesIO(block.photo), width=Mm(25))
        else:
            _text(paragraph, "照片", FANGSONG, TABLE_PT, color=RGBColor(0x66, 0x66, 0x66))


def _document_body(document, doc: OfficialDocument) -> None:
    if doc.masthead and doc.issuer:
        masthead = document.add_paragraph()
        masthead.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(masthead, line=None, before=28, after=0)
        _text(masthead, doc.issuer, XIAOBIAOSONG, doc.masthead_pt, bold=True, color=RED)
        number = document.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(number, line=LINE_PT, before=30, after=0)
        _text(number, doc.number, FANGSONG)
        _bottom_border(number, color=MASTHEAD_RED.lstrip("#"))
    elif doc.number:
        number = document.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _text(number, doc.number, FANGSONG)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(title, line=TITLE_PT * 1.45, before=LINE_PT if doc.masthead else 0, after=0)
    _text(title, doc.title, XIAOBIAOSONG, TITLE_PT, bold=True)
    if doc.subtitle:
        subtitle = document.add_paragraph()
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(subtitle)
        _text(subtitle, doc.subtitle, KAITI)
    _spacing(document.add_paragraph())  # one empty line under the title
    if doc.addressee:
        addressee = document.add_paragraph()
        _spacing(addressee)
        _text(addressee, f"{doc.addressee}：", FANGSONG)
    for block in doc.blocks:
        if isinstance(block, Heading):
            heading = document.add_paragraph()
            _spacing(heading, first_line_chars=2)
            heading.paragraph_format.keep_with_next = True
            _text(heading, block.text, HEITI if block.level == 1 else KAITI, bold=block.level != 1)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            paragraph.alignment = _ALIGN.get(block.align, WD_ALIGN_PARAGRAPH.JUSTIFY)
            size = 12 if block.small else BODY_PT
            _spacing(paragraph, line=None if block.small else LINE_PT, first_line_chars=2 if block.indent else 0)
            if block.lead:
                _text(paragraph, block.lead, HEITI, size)
            _text(paragraph, block.text, FANGSONG, size)
        elif isinstance(block, Table | FieldGrid):
            (_table if isinstance(block, Table) else _fields)(document, block)
            _spacing(document.add_paragraph(), line=None, after=4)  # Word joins tables that touch
    if doc.has_signature:
        _spacing(document.add_paragraph())
        for line in [doc.signature, *doc.signature_lines, doc.date_text]:
            if not line:
                continue
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = Pt(BODY_PT * 4)
            _spacing(paragraph)
            _text(paragraph, line, FANGSONG)
    if doc.copy_to:
        imprint = document.add_paragraph()
        _spacing(imprint, line=None, before=LINE_PT)
        _text(imprint, f"抄送：{doc.copy_to}。", FANGSONG, 14)


def official_docx(documents: Sequence[OfficialDocument]) -> bytes:
    """The documents as one .docx: each in its own section from a new page, page numbers from 1."""
    documents = list(documents)
    if not documents:
        raise ValueError("official_docx needs at least one document")
    document = Document()
    document.settings.odd_and_even_pages_header_footer = True
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = LATIN, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    properties = document.core_properties
    properties.title, properties.author = documents[0].title, documents[0].issuer
    properties.comments = ""
    for index, doc in enumerate(documents):
        if index:
            section = document.add_section(WD_SECTION.NEW_PAGE)
            _set_up(section, first=False)
        else:
            _set_up(document.sections[0], first=True)
        _document_body(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_response(content: bytes, filename: str) -> HttpResponse:
    """A .docx download with a UTF-8 file name (Chinese names survive every browser)."""
    if not filename.lower().endswith(".docx"):
        filename += ".docx"
    response = attachment_response(content, filename, DOCX_CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response
