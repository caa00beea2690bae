"""The official-document kit (公文, GB/T 9704): Chinese numerals and dates, 发文字号, the PDF and its Word copy."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from presidium.documents import services
from presidium.documents.chinese import chinese_date, chinese_digits, chinese_number
from presidium.documents.models import DocumentNumber
from presidium.documents.official import (
    FieldGrid,
    GridField,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    official_pdf,
)
from presidium.documents.selectors import document_number_of, issuer_for
from presidium.documents.word import docx_response, official_docx

TIMESTAMP = re.compile(r"\d{1,2}:\d{2}|生成时间")


@pytest.mark.parametrize(("number", "text"), [
    (0, "零"), (7, "七"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"), (31, "三十一"), (100, "一百"),
    (105, "一百零五"), (110, "一百一十"), (1005, "一千零五"), (2026, "二千零二十六"), (10001, "一万零一"),
    (100000, "十万"), (120000, "十二万"),
])
def test_it_writes_numbers_in_the_counting_form(number, text):
    assert chinese_number(number) == text


@pytest.mark.parametrize(("date", "text"), [
    (dt.date(2026, 12, 2), "二〇二六年十二月二日"), (dt.date(2026, 10, 31), "二〇二六年十月三十一日"),
    (dt.date(2000, 1, 20), "二〇〇〇年一月二十日"), (dt.date(2027, 11, 10), "二〇二七年十一月十日"),
])
def test_it_writes_the_signature_date_in_chinese_numerals(date, text):
    assert chinese_date(date) == text


def test_it_writes_years_digit_by_digit_and_refuses_negatives():
    assert chinese_digits(2026) == "二〇二六" and chinese_digits(0) == "〇"
    with pytest.raises(ValueError):
        chinese_number(-1)


# --- 发文字号 -----------------------------------------------------------------------------------------


def test_it_derives_the_issuer_and_its_code_from_the_township(world):
    issuer = issuer_for(world.township)  # 甲镇
    assert issuer.pk is None  # defaults, not written by a read
    assert issuer.name == "甲镇人民代表大会主席团" and issuer.code == "甲人大"


def test_it_numbers_documents_n_and_n_plus_1_and_restarts_each_year(world):
    staff = world.user("presidium_staff")
    first = services.document_number_issue(township=world.township, kind="test.letter", subject=world.unit,
                                           year=2026, by=staff)
    second = services.document_number_issue(township=world.township, kind="test.letter", subject=world.other_unit,
                                            year=2026, by=staff)
    assert (first.number, second.number) == (1, 2)
    assert first.text == "甲人大〔2026〕1号" and second.text == "甲人大〔2026〕2号"
    next_year = services.document_number_issue(township=world.township, kind="test.letter",
                                               subject=world.foreign_unit, year=2027, by=staff)
    assert next_year.text == "甲人大〔2027〕1号"
    other_township = services.document_number_issue(township=world.other_township, kind="test.letter",
                                                    subject=world.county, year=2026, by=staff)
    assert other_township.text == "乙人大〔2026〕1号"  # every township counts on its own


def test_it_keeps_a_documents_number_when_it_is_printed_again(world):
    staff = world.user("presidium_staff")
    first = services.document_number_issue(township=world.township, kind="test.letter", subject=world.unit,
                                           year=2026, by=staff, title="交办函")
    again = services.document_number_issue(township=world.township, kind="test.letter", subject=world.unit,
                                           year=2026, by=staff)
    assert again.pk == first.pk and DocumentNumber.objects.count() == 1
    assert document_number_of(kind="test.letter", subject=world.unit).text == "甲人大〔2026〕1号"
    assert first.issued_by == staff
    # another issue of the same subject (a new lead unit after 改办) is a new letter with the next number
    reissued = services.document_number_issue(township=world.township, kind="test.letter", subject=world.unit,
                                              year=2026, by=staff, variant="unit:2")
    assert reissued.number == 2


def test_it_uses_the_code_the_township_configured(world):
    staff = world.user("presidium_staff")
    services.document_issuer_update(township=world.township, by=staff, name="甲镇人大主席团", code="甲镇人大")
    number = services.document_number_issue(township=world.township, kind="test.letter", subject=world.unit,
                                            year=2026, by=staff)
    assert number.text == "甲镇人大〔2026〕1号"
    with pytest.raises(ValidationError) as error:
        services.document_issuer_update(township=world.township, by=staff, name="甲镇人大主席团", code="甲人大〔2026〕")
    assert "机关代字" in str(error.value)


# --- the PDF and the Word copy ----------------------------------------------------------------------


def _letter(number="青人大〔2026〕5号", **extra) -> OfficialDocument:
    values = {
        "title": "关于交办代表建议的函", "issuer": "青石镇人民代表大会主席团", "number": number,
        "addressee": "青石镇财政所",
        "blocks": [Paragraph("现将代表提出的建议交由你单位主办。"), Heading("一、办理要求"),
                   Paragraph("交办后应与领衔代表见面。", lead="（一）先面商、再答复。"),
                   Table(["编号", "标题", "状态"], [["2026-001", "修缮村道", "已办结"]], widths=[2, 6, 2],
                         align=["center", "left", "center"])],
        "signature": "青石镇人民代表大会主席团", "date": dt.date(2026, 12, 2),
    }
    return OfficialDocument(**{**values, **extra})


def test_it_prints_an_official_document_in_gbt_9704_form():
    content = official_pdf([_letter()])
    reader = PdfReader(io.BytesIO(content))
    text = reader.pages[0].extract_text()
    for expected in ("青石镇人民代表大会主席团", "青人大〔2026〕5号", "关于交办代表建议的函", "青石镇财政所：",
                     "二〇二六年十二月二日", "— 1 —"):
        assert expected in text, expected
    assert not TIMESTAMP.search(text)
    assert reader.metadata.title == "关于交办代表建议的函"
    fonts = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("UKai" in name for name in fonts), fonts  # the 仿宋 stand-in for the body
    assert any("Noto-Serif-CJK-SC-Bold" in name for name in fonts), fonts  # 小标宋 stand-in
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)  # A4
        masthead = [c for c in page.chars if c["text"] == "青" and c["size"] > 25]
        assert masthead and masthead[0]["non_stroking_color"] not in ((0,), (0, 0, 0), None)  # red
        body = [w for w in page.extract_words() if w["text"].startswith("现将")]
        assert body and abs(body[0]["x0"] - (28 / 25.4 * 72 + 2 * 15.75)) < 4  # 28 mm margin + two characters
        rule = [line for line in page.lines + page.rects if abs(line["x1"] - line["x0"]) > 400]
        assert rule, "the red rule under the masthead"
        number = [w for w in page.extract_words() if "—" in w["text"] or w["text"] == "1"]
        assert number and number[-1]["top"] > 842 - 35 / 25.4 * 72  # in the bottom margin


def test_it_prints_a_batch_each_numbered_from_one_on_its_outer_side():
    long_letter = _letter(blocks=[Paragraph("村道年久失修，雨天难行。" * 30)])
    content = official_pdf([long_letter, _letter(number="青人大〔2026〕6号")])
    reader = PdfReader(io.BytesIO(content))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) == 3, "a two-page letter, then a one-page letter"
    assert "— 1 —" in texts[0] and "— 2 —" in texts[1] and "— 1 —" in texts[2]
    assert "青人大〔2026〕6号" in texts[2]
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        def page_number_x(page):
            return [c["x0"] for c in page.chars if c["text"] == "—" and c["top"] > 750][0]
        assert page_number_x(pdf.pages[0]) > 400 and page_number_x(pdf.pages[1]) < 200  # odd right, even left


def test_it_prints_a_form_grid_with_an_empty_photo_box():
    grid = FieldGrid([[GridField("姓名", "冯国强"), GridField("性别", "男"), GridField("民族", "汉族")],
                      [GridField("单位职务", "东风村党支部书记", span=3)]], photo_box=True, photo_rows=2)
    text = PdfReader(io.BytesIO(official_pdf([OfficialDocument(title="履职登记卡", masthead=False,
                                                                blocks=[grid])]))).pages[0].extract_text()
    assert "冯国强" in text and "东风村党支部书记" in text and "照片" in text


def test_it_writes_the_same_document_as_an_editable_word_file():
    content = official_docx([_letter(), _letter(number="青人大〔2026〕6号")])
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["青石镇人民代表大会主席团", "青人大〔2026〕5号", "关于交办代表建议的函"]
    assert "青石镇财政所：" in texts and "二〇二六年十二月二日" in texts and "青人大〔2026〕6号" in texts
    assert not any(TIMESTAMP.search(t) for t in texts)
    masthead = document.paragraphs[0].runs[0]
    assert str(masthead.font.color.rgb) == "E60012" and masthead.font.bold
    east_asian = masthead._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    assert east_asian == "方正小标宋简体"
    body = next(p for p in document.paragraphs if p.text.startswith("现将"))
    assert body.runs[0]._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋_GB2312"
    assert 'w:color="E60012"' in document.paragraphs[1]._p.xml  # the red rule under the number
    assert len(document.sections) == 2  # one per letter, numbering restarting
    for section in document.sections:
        sizes = (section.page_width.mm, section.page_height.mm, section.top_margin.mm, section.bottom_margin.mm,
                 section.left_margin.mm, section.right_margin.mm)
        assert [round(x) for x in sizes] == [210, 297, 37, 35, 28, 26]  # A4, GB/T 9704 margins
        assert 'w:start="1"' in section._sectPr.xml
    footer = document.sections[0].footer.paragraphs[0]
    assert "PAGE" in footer._p.xml and footer.text.startswith("— ") and footer.text.endswith(" —")
    assert document.settings.odd_and_even_pages_header_footer
    assert document.tables[0].rows[1].cells[1].text == "修缮村道"


def test_it_serves_a_word_file_with_a_chinese_name():
    response = docx_response(b"PK", "交办函-2026-001")
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "filename*=UTF-8''%E4%BA%A4%E5%8A%9E" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(".docx")


def test_it_sets_the_body_at_28_characters_a_line_and_22_lines_a_page():
    """GB/T 9704's 版心: 156 × 225 mm, 三号 仿宋, 28 characters by 22 lines."""
    text = "文" * 28 * 80
    content = official_pdf([OfficialDocument(title="版心", masthead=False, blocks=[Paragraph(text, indent=False)])])
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        page = pdf.pages[1]  # a page of body text only
        lines: dict[int, int] = {}
        for char in page.chars:
            if char["text"] == "文":
                lines[round(char["top"])] = lines.get(round(char["top"]), 0) + 1
    assert set(lines.values()) == {28}
    assert len(lines) == 22


def test_it_lets_staff_set_the_issuer_and_refuses_a_code_with_brackets(world, login):
    from django.urls import reverse

    client = login(world.user("presidium_staff"))
    url = reverse("documents:issuer", args=[world.township.pk])
    page = client.get(url)
    assert page.status_code == 200 and "甲人大" in page.content.decode()
    bad = client.post(url, {"name": "甲镇人民代表大会主席团", "code": "甲人大〔2026〕"})
    assert bad.status_code == 200 and "机关代字只写代字本身" in bad.content.decode()
    assert issuer_for(world.township).pk is None  # nothing saved
    assert client.post(url, {"name": "甲镇人大主席团", "code": "甲镇人大"}).status_code == 302
    issuer = issuer_for(world.township)
    assert (issuer.name, issuer.code) == ("甲镇人大主席团", "甲镇人大")
