"""The printed duty registration card (履职登记卡) shows only data: no internal notes, a photo box, Word too."""

from __future__ import annotations

import io
import re

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from deputies import services
from tests.factories import DeputyFactory, VisitFactory, VisitOpinionFactory

INTERNAL_NOTES = ("暂无数据来源", "模块上线后", "自动汇入", "三不代表", "仅列前", "生成时间", "无法判定")


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (40, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile("证件照.png", buffer.getvalue(), content_type="image/png")


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _images(content: bytes) -> int:
    """Distinct images in the file (WeasyPrint may share one resource dictionary between pages)."""
    reader = PdfReader(io.BytesIO(content))
    return len({image.name for page in reader.pages for image in page.images})


def test_it_prints_only_data_and_an_empty_photo_box(world, login):
    deputy = DeputyFactory(township=world.township, name="冯国强", mobile="13812345678")
    VisitOpinionFactory(visit=VisitFactory(deputy=deputy, place="东风村"))
    response = login(world.user("presidium_staff")).get(reverse("deputies:deputy_archive_pdf", args=[deputy.pk]))
    assert response.status_code == 200
    text = _pdf_text(response.content)
    for expected in ("履职登记卡", "冯国强", "照片", "走访选民", "东风村", "人大主席团（盖章）", "— 1 —"):
        assert expected in text, expected
    for note in INTERNAL_NOTES:
        assert note not in text, note
    # The proposals, petitions and meetings apps feed their sections:
    assert "代表建议和议案" in text and "接待日值班和代表代言" in text and "参加会议和活动" in text
    assert not re.search(r"\d{1,2}:\d{2}", text)
    assert _images(response.content) == 0


def test_it_prints_the_deputys_photo_when_there_is_one(world, login):
    deputy = DeputyFactory(township=world.township, name="冯国强")
    services.deputy_set_photo(deputy=deputy, by=None, upload=_png())
    client = login(world.user("presidium_staff"))
    pdf = client.get(reverse("deputies:deputy_archive_pdf", args=[deputy.pk]))
    assert _images(pdf.content) == 1
    word = docx.Document(io.BytesIO(client.get(reverse("deputies:deputy_archive_docx", args=[deputy.pk])).content))
    assert len(word.inline_shapes) == 1


def test_it_offers_the_card_as_an_editable_word_file(world, login):
    deputy = DeputyFactory(township=world.township, name="冯国强", mobile="13812345678")
    VisitFactory(deputy=deputy, place="西岭村")
    response = login(world.user("deputy")).get(reverse("deputies:deputy_archive_docx", args=[deputy.pk]))
    assert response.status_code in (403, 404)  # not the deputy's own card
    response = login(world.user("presidium_staff")).get(reverse("deputies:deputy_archive_docx", args=[deputy.pk]))
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert any("履职登记卡" in t for t in texts)
    grid = document.tables[0]
    assert grid.rows[0].cells[1].text == "冯国强" and grid.rows[0].cells[-1].text == "照片"
    every_cell = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "西岭村" in every_cell
    assert not any(note in " ".join(texts) + every_cell for note in INTERNAL_NOTES)


def test_it_prints_a_chinese_card_for_a_user_browsing_in_english(world, login, settings):
    from django.utils import translation

    deputy = DeputyFactory(township=world.township, name="冯国强")
    VisitFactory(deputy=deputy)
    client = login(world.user("presidium_staff"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        text = _pdf_text(client.get(reverse("deputies:deputy_archive_pdf", args=[deputy.pk])).content)
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    assert "走访次数" in text and "Visits" not in text


def test_it_leaves_a_section_without_a_source_out_of_the_card(world, login):
    """A deployment without the meetings app: the card prints no empty 参加会议和活动 section (put back after)."""
    from deputies.archive import _PROVIDERS, register_archive_provider, unregister_archive_provider

    real = _PROVIDERS.get("meetings")
    unregister_archive_provider("meetings")
    try:
        deputy = DeputyFactory(township=world.township, name="冯国强")
        response = login(world.user("presidium_staff")).get(reverse("deputies:deputy_archive_pdf", args=[deputy.pk]))
        text = _pdf_text(response.content)
    finally:
        if real is not None:
            register_archive_provider("meetings", real)
    assert "走访选民" in text and "参加会议和活动" not in text and "暂无数据来源" not in text
