"""Article bodies: rich text without raw HTML (nh3 with a small allow-list), and its plain blocks.

Staff type paragraphs (a blank or new line starts one) or paste formatted text; either way only
paragraphs, line breaks, bold, italics, lists, small headings and simple tables survive — no
attributes, no links, no images, no scripts or styles. The same HTML prints in the preview and the
PDF; :func:`blocks` reads it back as plain blocks for the Word copy and the search text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "h3", "h4",
                          "table", "thead", "tbody", "tr", "th", "td"})
_ANY_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_BLANK_LINES = re.compile(r"\n\s*\n")


def _from_plain_text(text: str) -> str:
    """Plain text as paragraphs: each non-empty line is one (Chinese text has no wrapped lines to join)."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line)


def sanitize(body: str) -> str:
    """The stored HTML of an article body: allow-listed tags only, no attributes, no empty paragraphs."""
    body = (body or "").strip()
    if not _ANY_TAG.search(body):
        body = _from_plain_text(body)
    cleaned = nh3.clean(body, tags=set(ALLOWED_TAGS), attributes={}, clean_content_tags={"script", "style"},
                        strip_comments=True, link_rel=None)
    cleaned = cleaned.replace("<b>", "<strong>").replace("</b>", "</strong>")
    cleaned = cleaned.replace("<i>", "<em>").replace("</i>", "</em>")
    return re.sub(r"<p>\s*</p>", "", cleaned).strip()


@dataclass
class Block:
    """One block of an article body: a paragraph, a heading (level 3/4), a list item, or a table."""

    kind: str  # p | h | li | table
    text: str = ""
    level: int = 0
    marker: str = ""
    rows: list[list[str]] = field(default_factory=list)


class _BlockParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.current: Block | None = None
        self.lists: list[list] = []  # [ordered, counter]
        self.table: Block | None = None
        self.row: list[str] | None = None

    def _start(self, block: Block) -> None:
        self._flush()
        self.current = block

    def _flush(self) -> None:
        text = "".join(self.buffer).strip()
        self.buffer = []
        if self.current is not None and self.current.kind != "table":
            if text:
                self.current.text = text
                self.blocks.append(self.current)
        elif text and self.table is None:
            self.blocks.append(Block("p", text))
        self.current = None

    def handle_starttag(self, tag, attrs):
        if tag == "p" and self.table is None:
            self._start(Block("p"))
        elif tag in ("h3", "h4"):
            self._start(Block("h", level=int(tag[1])))
        elif tag in ("ul", "ol"):
            self._flush()
            self.lists.append([tag == "ol", 0])
        elif tag == "li":
            marker = "•"
            if self.lists:
                self.lists[-1][1] += 1
                marker = f"{self.lists[-1][1]}." if self.lists[-1][0] else "•"
            self._start(Block("li", marker=marker))
        elif tag == "table":
            self._flush()
            self.table = Block("table")
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th"):
            self.buffer = []
        elif tag == "br":
            self.buffer.append("\n")

    def handle_endtag(self, tag):
        if tag in ("p", "h3", "h4", "li"):
            self._flush()
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists.pop()
        elif tag in ("td", "th") and self.row is not None:
            self.row.append("".join(self.buffer).strip())
            self.buffer = []
        elif tag == "tr" and self.table is not None and self.row is not None:
            self.table.rows.append(self.row)
            self.row = None
        elif tag == "table" and self.table is not None:
            if self.table.rows:
                self.blocks.append(self.table)
            self.table = None
            self.buffer = []

    def handle_data(self, data):
        self.buffer.append(data)


def blocks(body_html: str) -> list[Block]:
    parser = _BlockParser()
    parser.feed(body_html or "")
    parser.close()
    parser._flush()
    return parser.blocks


def plain_text(body_html: str) -> str:
    """The body's words, one block a line (the search text)."""
    lines = []
    for block in blocks(body_html):
        lines.append(" ".join(" ".join(row) for row in block.rows) if block.kind == "table" else block.text)
    return "\n".join(lines)
