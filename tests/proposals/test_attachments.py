"""Attachments: every file checked by content before anything is stored; served as downloads unless shown safely."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import Attachment, Reply, Suggestion
from tests.documents import hostile
from tests.factories import proposals_suggestion

HOSTILE = [
    ("答复函.pdf", hostile.pdf_html_polyglot(), "夹带了网页代码"),
    ("名册.xlsx", hostile.xlsx_zip_bomb(), "压缩比异常"),
    ("名册.xlsx", hostile.encrypted_workbook(), "打开密码"),
    ("说明.pdf", hostile.html_page(), "网页（HTML）"),
    ("现场照片.jpg", hostile.exe_bytes(), "可执行程序"),
]


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _new_suggestion(client, category, files):
    return client.post(reverse("proposals:create"), {
        "kind": "suggestion", "raised_during": "recess", "category": category.pk, "title": "关于修缮村道的建议",
        "content": "雨天难行。", "attachments": files})


@pytest.fixture
def category(world):
    return services.categories_ensure(township=world.township)[0]


@pytest.mark.parametrize("name, data, words", HOSTILE, ids=[h[0] + h[2] for h in HOSTILE])
def test_it_refuses_a_hostile_attachment_with_a_chinese_error_and_stores_nothing(world, login, deputy, category,
                                                                                  name, data, words):
    response = _new_suggestion(login(world.user("deputy")), category, [SimpleUploadedFile(name, data)])
    assert response.status_code == 200
    errors = response.context["form"].errors["attachments"]
    assert any(name in e and words in e for e in errors), errors
    assert not Suggestion.objects.exists() and not Attachment.objects.exists() and _stored_files() == []


def test_it_checks_every_file_before_storing_any(world, login, deputy, category):
    good = SimpleUploadedFile("材料.pdf", hostile.pdf_bytes())
    bad = SimpleUploadedFile("名册.xlsx", hostile.encrypted_workbook())
    response = _new_suggestion(login(world.user("deputy")), category, [good, bad])
    assert response.status_code == 200 and "打开密码" in response.content.decode()
    assert not Suggestion.objects.exists() and not Attachment.objects.exists() and _stored_files() == []


def test_it_refuses_a_hostile_reply_file_and_keeps_no_reply(world, login, deputy, liaison):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit)
    client = login(liaison)
    client.post(reverse("proposals:accept", args=[item.pk]))
    services.consultation_record(suggestion=item, by=liaison, stage="after_assignment", form="phone",
                                 held_on=timezone.localdate(), participants="代表、所长", summary="电话沟通")
    response = client.post(reverse("proposals:reply", args=[item.pk]), {
        "result_class": "A", "text": "已办理", "files": [SimpleUploadedFile("答复函.pdf", hostile.pdf_html_polyglot())]})
    assert response.status_code == 200 and "夹带了网页代码" in response.content.decode()
    assert not Reply.objects.exists() and not Attachment.objects.exists() and _stored_files() == []


def _serve(client, attachment):
    return client.get(reverse("proposals:attachment", args=[attachment.pk]))


def test_it_shows_checked_pdfs_and_images_inline_and_sends_everything_else_as_a_download(world, login, deputy,
                                                                                         category):
    client = login(world.user("deputy"))
    files = [SimpleUploadedFile("答复函.pdf", hostile.pdf_bytes()), SimpleUploadedFile("扫描件.png",
                                                                                      hostile.image_bytes("PNG")),
             SimpleUploadedFile("办理情况.docx", hostile.docx_bytes()), SimpleUploadedFile("旧统计.xls",
                                                                                        hostile.excel97())]
    assert _new_suggestion(client, category, files).status_code == 302
    served = {a.original_name: _serve(client, a) for a in Attachment.objects.all()}
    for response in served.values():
        assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert served["答复函.pdf"]["Content-Type"] == "application/pdf"
    assert served["答复函.pdf"]["Content-Disposition"].startswith("inline")
    assert served["扫描件.png"]["Content-Type"] == "image/png"
    assert served["扫描件.png"]["Content-Disposition"].startswith("inline")
    for name in ("办理情况.docx", "旧统计.xls"):
        assert served[name]["Content-Disposition"].startswith("attachment")


def test_it_sends_a_file_kept_before_the_checks_as_a_download(world, login, deputy, category):
    client = login(world.user("deputy"))
    assert _new_suggestion(client, category, [SimpleUploadedFile("答复函.pdf", hostile.pdf_bytes())]).status_code == 302
    Attachment.objects.update(content_checked=False)  # as every row migrated from before
    response = _serve(client, Attachment.objects.get())
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
