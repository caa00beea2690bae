"""An issue as a printed bulletin: the PDF (WeasyPrint, ``templates/bulletins/pdf/issue.html``) and the Word copy.

The layout is the bulletin form of GB/T 9704 (seed 003, 联络动态): A4 with the official margins, the
masthead in red in a heading face, under it the issue line (第 11 期) and the overall number in
brackets ((总第六百六十一期)), the compiling body at the left and the date in Chinese at the right of the
same line, a heavy red rule; articles with their titles in the heading face and the body in the 仿宋
face, each ending with its source in brackets （供稿：…）; at the foot of the last page the 报 / 送 / 发
lines and the 责任编辑 between rules; page numbers "— 2 —" on the outer side in the margin boxes (which take
their fonts from ``html``). A draft prints "样稿" across every page and a blank issue number. Nothing
internal (ids, who printed it, when) is printed. The Word copy reuses the floor's python-docx helpers
(:mod:`presidium.documents.word`) for fonts, rules and the PAGE-field page numbers.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from presidium.bulletins.richtext import blocks
from presidium.documents.chinese import chinese_date
from presidium.documents.official import MASTHEAD_RED
from presidium.documents.word import (
    BODY_PT,
    FANGSONG,
    HEITI,
    KAITI,
    LATIN,
    RED,
    XIAOBIAOSONG,
    _bottom_border,
    _set_up,
    _spacing,
    _text,
)

MASTHEAD_MAX_PT = 54
BODY_WIDTH_PT = 156 * 72 / 25.4


def masthead_pt(text: str) -> float:
    """As large as fits the 版心 with wide letter spacing: 人大信息 at 54 pt, a long name smaller."""
    length = max(1, len(text))
    return round(max(26, min(MASTHEAD_MAX_PT, BODY_WIDTH_PT / (length * 1.5))), 1)


def issue_context(issue, *, draft: bool) -> dict:
    from presidium.bulletins.services import recipients_of_lines

    series = issue.series
    articles = list(issue.articles.order_by("position", "pk"))
    return {
        "issue": issue,
        "series": series,
        "articles": articles,
        "draft": draft,
        "masthead_pt": masthead_pt(series.masthead),
        "masthead_red": MASTHEAD_RED,
        "number_text": issue.number_text or "第　　期",
        "overall_text": issue.overall_text or "总第　　期",
        "date_text": chinese_date(issue.issue_date),
        "lines": (lines := recipients_of_lines(issue)),
        "imprint_room_mm": imprint_room_mm(lines, issue),
    }


IMPRINT_CHARS_PER_LINE = 30  # 14 pt 仿宋 across the 156 mm text block, less the hanging indent
IMPRINT_LINE_MM = 10.2  # 14 pt × 1.55 line height + the rows' padding


def imprint_room_mm(lines: dict, issue) -> float:
    """How tall the 版记 block is: the space kept free at the foot of the last page for it."""
    import math

    rows = sum(math.ceil((len(label) + 1 + len(names)) / IMPRINT_CHARS_PER_LINE) for label, names in lines.items())
    rows += 1 + (1 if issue.series.approval_number else 0)  # 责任编辑 / 联系方式, 批准文号
    return round(6 + rows * IMPRINT_LINE_MM, 1)


def issue_pdf(issue, *, draft: bool = False) -> bytes:
    """The issue as a PDF; ``draft`` marks every page 样稿 (the preview before sign-off)."""
    from presidium.documents.pdf import render_pdf

    context = issue_context(issue, draft=draft)
    title = f"{issue.series.masthead} {issue.number_text or '样稿'}"
    return render_pdf("bulletins/pdf/issue.html", context, title=title, author=issue.series.compiling_body)


def _centered(document, text: str, face: str, size: float, *, color=None, bold=False, before=0, after=0):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(paragraph, line=None, before=before, after=after)
    _text(paragraph, text, face, size, color=color, bold=bold)
    return paragraph


def issue_docx(issue) -> bytes:
    """The issue as an editable .docx with the same parts as the PDF."""
    context = issue_context(issue, draft=issue.number is None)
    series = issue.series
    document = Document()
    document.settings.odd_and_even_pages_header_footer = True
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = LATIN, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    document.core_properties.title = f"{series.masthead} {context['number_text']}"
    document.core_properties.author = series.compiling_body
    document.core_properties.comments = ""
    _set_up(document.sections[0], first=True)

    _centered(document, series.masthead, XIAOBIAOSONG, context["masthead_pt"], color=RED, bold=True, after=4)
    if series.masthead_latin:
        _centered(document, series.masthead_latin, LATIN, 12, color=RED)
    _centered(document, context["number_text"], FANGSONG, BODY_PT, before=6)
    _centered(document, f"（{context['overall_text']}）", FANGSONG, BODY_PT)
    head = document.add_paragraph()
    _spacing(head, line=None, before=12)
    _text(head, series.compiling_body, FANGSONG, BODY_PT)
    _text(head, "\t" + context["date_text"], FANGSONG, BODY_PT)
    head.paragraph_format.tab_stops.add_tab_stop(Pt(BODY_WIDTH_PT), alignment=2)  # right-aligned tab
    _bottom_border(head, color=MASTHEAD_RED.lstrip("#"), size_eighths=24)

    for article in context["articles"]:
        _centered(document, article.title, XIAOBIAOSONG, 18, bold=True, before=20, after=12)
        for block in blocks(article.body_html):
            if block.kind == "table":
                table = document.add_table(rows=0, cols=max(len(r) for r in block.rows))
                table.style = "Table Grid"
                for row in block.rows:
                    cells = table.add_row().cells
                    for cell, text in zip(cells, row, strict=False):
                        _text(cell.paragraphs[0], text, FANGSONG, 12)
                continue
            paragraph = document.add_paragraph()
            if block.kind == "h":
                _spacing(paragraph, first_line_chars=2)
                _text(paragraph, block.text, HEITI if block.level == 3 else KAITI, BODY_PT)
            elif block.kind == "li":
                _spacing(paragraph, first_line_chars=2)
                _text(paragraph, f"{block.marker} {block.text}", FANGSONG, BODY_PT)
            else:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                _spacing(paragraph, first_line_chars=2)
                _text(paragraph, block.text, FANGSONG, BODY_PT)
        if article.source:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _spacing(paragraph)
            _text(paragraph, f"（供稿：{article.source}）", FANGSONG, BODY_PT)

    foot_lines = [f"{label}：{names}" for label, names in context["lines"].items()]
    editor = f"责任编辑：{issue.responsible_editor}" if issue.responsible_editor else ""
    if series.contact:
        editor = f"{editor}　联系方式：{series.contact}".strip("　")
    if foot_lines or editor:
        rule = document.add_paragraph()
        _spacing(rule, line=None, before=24)
        _bottom_border(rule, color="000000", size_eighths=6)
        for index, text in enumerate([*foot_lines, editor]):
            if not text:
                continue
            paragraph = document.add_paragraph()
            _spacing(paragraph, line=None, before=2, after=2)
            _text(paragraph, text, FANGSONG, 14)
            if index == len(foot_lines) - 1 or text == editor:
                _bottom_border(paragraph, color="000000", size_eighths=6)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
