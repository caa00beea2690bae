"""The official-document kit (公文, GB/T 9704): one description of a document, printed as PDF or Word.

An app describes what a document says — masthead, 发文字号, title, addressee, the body as a list of
blocks (headings, paragraphs, tables, a label/value grid with a photo box), signature and date —
as an :class:`OfficialDocument`, then asks for :func:`official_pdf` (WeasyPrint, the template
``pdf/official_document.html``) or :func:`presidium.documents.word.official_docx` (python-docx). Both
come from the same description, so the Word copy an office edits before stamping says exactly what
the PDF says. Several documents make one file (batch print): each starts on a new page, with its
page numbers starting again at "— 1 —".

The layout follows GB/T 9704-2012: A4, margins 37 mm top / 35 mm bottom / 28 mm left / 26 mm right,
body in a 仿宋 face at 三号 (≈16 pt), 22 lines of 28 characters; the masthead (版头) is the issuing
body's name in red, centred, above a red rule; the number reads 青人大〔2026〕5号; the title is in a
小标宋 face; first-level headings in 黑体; the date at the signature in Chinese numerals
(二〇二六年十二月二日); page numbers "— 2 —" on the outer side. No generation timestamp: a letter is
dated by its 成文日期, not by when it was printed.

Fonts: offices have 仿宋_GB2312 / 方正小标宋简体 / 黑体 on their PCs, and the Word copy names them. On
the server, WeasyPrint takes the first installed face of each stack: FangSong if someone installed
it, else AR PL UKai (fonts-arphic-ukai, a 楷体-like face, the closest free stand-in Debian packages),
else Noto Serif CJK; Noto Serif CJK SC Bold stands in for 小标宋 and Noto Sans CJK SC for 黑体.

The text of official documents is written in Chinese whoever prints (like the Excel ledgers), so the
apps build it as plain Chinese strings and render it under ``zh-hans``.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from presidium.documents.chinese import chinese_date

BODY_WIDTH_MM = 156  # 210 − 28 − 26: the 版心 width
MASTHEAD_MAX_PT = 36
MASTHEAD_MIN_PT = 22
MASTHEAD_RED = "#E60012"  # 红色版头和分隔线
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Heading:
    """A heading inside the body: level 1 "一、…" in 黑体, level 2 "（一）…" in 楷体."""

    text: str
    level: int = 1
    kind: str = field(default="heading", init=False)


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph, first line indented two characters; ``lead`` is a bold run before the text."""

    text: str
    lead: str = ""
    indent: bool = True
    align: str = "justify"  # justify | left | right | center
    small: bool = False  # a note under a table, in a smaller face
    kind: str = field(default="paragraph", init=False)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines() or [""]


@dataclass(frozen=True)
class Table:
    """A table with a header row; ``widths`` are relative column widths, ``align`` per column."""

    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    widths: Sequence[float] | None = None
    align: Sequence[str] | None = None  # left | center | right per column
    kind: str = field(default="table", init=False)

    @property
    def percentages(self) -> list[float]:
        widths = list(self.widths or [1] * len(self.headers))
        total = sum(widths) or 1
        return [round(100 * w / total, 2) for w in widths]

    def alignment(self, index: int) -> str:
        return (self.align[index] if self.align and index < len(self.align) else "left") or "left"

    @property
    def body(self) -> list[list[tuple[str, str]]]:
        """Each cell with its alignment, for the template."""
        return [[("" if v is None else str(v), self.alignment(i)) for i, v in enumerate(row)] for row in self.rows]

    @property
    def head(self) -> list[tuple[str, float]]:
        return list(zip(self.headers, self.percentages, strict=False))


@dataclass(frozen=True)
class GridField:
    """One label and its value in a :class:`FieldGrid`; ``span`` is how many label/value pairs it covers."""

    label: str
    value: object
    span: int = 1

    @property
    def text(self) -> str:
        return "" if self.value is None else str(self.value)


@dataclass(frozen=True)
class FieldGrid:
    """A registration-form grid (登记卡): rows of label/value pairs, and optionally a photo box at the right.

    ``pairs`` is how many label/value pairs make a full row. ``photo`` is image bytes (JPEG/PNG); with
    ``photo_box`` and no photo, an empty framed box marked "照片" is drawn, as on a paper form.
    """

    rows: Sequence[Sequence[GridField]]
    pairs: int = 3
    photo: bytes | None = None
    photo_content_type: str = "image/jpeg"
    photo_box: bool = False
    photo_rows: int = 4  # how many rows the photo box spans
    kind: str = field(default="fields", init=False)

    @property
    def photo_data_uri(self) -> str:
        if not self.photo:
            return ""
        return f"data:{self.photo_content_type};base64,{base64.b64encode(self.photo).decode('ascii')}"

    @property
    def has_photo_column(self) -> bool:
        return bool(self.photo or self.photo_box)

    @property
    def label_width(self) -> float:
        """Percent of the table per label cell (labels narrow, values wide; the photo column 18 %)."""
        usable = 82 if self.has_photo_column else 100
        return round(usable / self.pairs * 0.42, 2)

    @property
    def value_width(self) -> float:
        usable = 82 if self.has_photo_column else 100
        return round(usable / self.pairs * 0.58, 2)

    @property
    def layout(self) -> list[tuple[list[tuple[str, str, int]], bool]]:
        """Per row: (label, value, value colspan) cells and whether the photo cell starts here.

        A row that is short of ``pairs`` has its last value widened; rows below the photo box also
        cover the photo column.
        """
        result = []
        for index, row in enumerate(self.rows):
            cells = [(f.label, f.text, 2 * f.span - 1) for f in row]
            used = sum(2 * f.span for f in row)
            missing = 2 * self.pairs - used
            if self.has_photo_column and index >= self.photo_rows:
                missing += 1
            if cells and missing > 0:
                label, text, span = cells[-1]
                cells[-1] = (label, text, span + missing)
            result.append((cells, index == 0 and self.has_photo_column))
        return result

    @property
    def photo_rowspan(self) -> int:
        return min(self.photo_rows, len(self.rows))

    @property
    def column_widths(self) -> list[float]:
        widths = [self.label_width, self.value_width] * self.pairs
        return [*widths, 18.0] if self.has_photo_column else widths


@dataclass
class OfficialDocument:
    """Everything one official document says, in GB/T 9704 order.

    ``issuer`` is the 发文机关 full name shown red in the masthead (``masthead=False`` leaves the
    masthead and its rule out, for reports and forms); ``number`` the 发文字号; ``addressee`` the
    主送机关 ("财政所"), written before the body with a colon; ``signature`` and ``date`` the
    发文机关署名 and 成文日期 (the date printed in Chinese numerals); ``copy_to`` the 抄送 line
    of the 版记. ``signature_lines`` adds lines above the date (e.g. "（盖章）").
    """

    title: str
    issuer: str = ""
    masthead: bool = True
    number: str = ""
    subtitle: str = ""
    addressee: str = ""
    blocks: list = field(default_factory=list)
    signature: str = ""
    signature_lines: Sequence[str] = ()
    date: dt.date | None = None
    date_blank: bool = False  # "年　月　日" to be filled by hand
    copy_to: str = ""

    @property
    def date_text(self) -> str:
        if self.date_blank:
            return "年　　月　　日"
        return chinese_date(self.date) if self.date else ""

    @property
    def masthead_pt(self) -> float:
        """The masthead's size: as large as fits the 版心 on one line, 22–36 pt."""
        length = max(1, len(self.issuer))
        fitting = BODY_WIDTH_MM * PT_PER_MM / (length * 1.08)
        return round(max(MASTHEAD_MIN_PT, min(MASTHEAD_MAX_PT, fitting)), 1)

    @property
    def has_signature(self) -> bool:
        return bool(self.signature or self.date or self.date_blank)

    @property
    def closing_block(self) -> Paragraph | None:
        """The last paragraph, printed on the signature's page (a signature alone on a page signs nothing)."""
        if self.has_signature and self.blocks and isinstance(self.blocks[-1], Paragraph):
            return self.blocks[-1]
        return None

    @property
    def body_blocks(self) -> list:
        return self.blocks[:-1] if self.closing_block is not None else list(self.blocks)


def official_pdf(documents: Sequence[OfficialDocument], *, title: str | None = None) -> bytes:
    """The documents as one PDF (each from a new page, its page numbers from "— 1 —")."""
    from presidium.documents.pdf import render_pdf

    documents = list(documents)
    if not documents:
        raise ValueError("official_pdf needs at least one document")
    return render_pdf("pdf/official_document.html", {"documents": documents, "masthead_red": MASTHEAD_RED},
                      title=title or documents[0].title, author=documents[0].issuer)
