"""PDF rendering: Chinese text, running header and page numbers come back out of the file."""

from __future__ import annotations

import io
import time

import pdfplumber
import pytest
from django.conf import settings
from pypdf import PdfReader

from presidium.documents.pdf import local_only_fetcher, pdf_response, render_pdf

HEADER = "青石镇人大主席团"


def _rows(count: int) -> list[dict]:
    return [{"name": f"青石镇东风村{n}组", "kind": "村（社区）", "leader": "王建国", "contact": "李红梅",
             "phone": "13812345678", "status": "已办结"} for n in range(count)]


def _render(rows: int, **kwargs) -> bytes:
    context = {"rows": _rows(rows), "subtitle": "（2026年第一季度）", "signer": HEADER,
               "intro": "现将本镇承办单位名单汇编如下，供各代表小组参照使用。"}
    return render_pdf("pdf/examples/sample.html", context, title="青石镇承办单位名单", header=HEADER, **kwargs)


def test_it_renders_chinese_text_header_and_page_numbers_that_read_back():
    started = time.perf_counter()
    content = _render(8)
    seconds = time.perf_counter() - started
    print(f"one-page PDF rendered in {seconds:.2f} s ({len(content) // 1024} KiB)")  # noqa: T201
    assert content.startswith(b"%PDF-")

    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in ("青石镇承办单位名单", HEADER, "第 1 页", "共 1 页", "生成时间", "东风村", "已办结"):
        assert expected in text, expected
    assert reader.metadata.title == "青石镇承办单位名单"

    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Noto-Serif-CJK-SC" in name for name in fonts), fonts
    assert any("Noto-Sans-CJK-SC" in name for name in fonts), fonts

    with pdfplumber.open(io.BytesIO(content)) as pdf:
        page = pdf.pages[0]
        words = page.extract_text()
        assert "青石镇承办单位名单" in words and "第 1 页 共 1 页" in words
        header_line = [w for w in page.extract_words() if HEADER in w["text"]]
        assert header_line and header_line[0]["top"] < 80  # in the top margin, not in the body
        table = page.extract_table()
        assert table[0][:3] == ["序号", "单位名称", "类型"]
        assert list({row[-1] for row in table[1:]}) == ["已办结"]  # short cells never break


def test_it_repeats_the_header_and_numbers_every_page():
    content = _render(90)
    reader = PdfReader(io.BytesIO(content))
    pages = len(reader.pages)
    assert pages >= 3
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert HEADER in text and f"第 {number} 页" in text and f"共 {pages} 页" in text
        assert "序号" in text  # table header repeated on each page


def test_it_renders_landscape_when_asked():
    reader = PdfReader(io.BytesIO(_render(2, landscape=True)))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)


def test_it_never_fetches_from_the_network_or_outside_the_portal():
    fetcher = local_only_fetcher()
    for url in ("http://example.com/logo.png", "https://example.com/x.css", "ftp://example.com/x"):
        with pytest.raises(ValueError, match="does not fetch"):
            fetcher(url)
    with pytest.raises(ValueError, match="may not read"):
        fetcher("file:///etc/passwd")
    favicon = (settings.BASE_DIR / "static" / "img" / "favicon.svg").as_uri()
    assert fetcher(favicon).read()
    assert fetcher("data:text/plain,ok").read() == b"ok"


def test_it_renders_despite_a_remote_image_without_waiting_for_it(tmp_path, settings):
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]
    (tmp_path / "remote.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<p>正文</p>'
        '<img src="http://10.255.255.1/slow.png">{% endblock %}', encoding="utf-8")
    started = time.perf_counter()
    content = render_pdf("remote.html", {}, title="远程图片")
    assert time.perf_counter() - started < 10
    assert "正文" in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_it_serves_a_pdf_inline_with_a_chinese_file_name():
    response = pdf_response(b"%PDF-1.7", "代表履职档案卡")
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert "filename*=UTF-8''%E4%BB%A3%E8%A1%A8" in disposition and disposition.endswith(".pdf")
    assert pdf_response(b"%PDF", "card.pdf", inline=False)["Content-Disposition"].startswith("attachment;")
