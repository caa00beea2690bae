"""Every upload is checked by content (presidium.documents.uploads): hostile files are refused in Chinese."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from presidium.documents.uploads import DOCUMENT_KINDS, check_upload, clean_image
from tests.documents import hostile


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _refusal(name: str, data: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        check_upload(_upload(name, data), **kwargs)
    message = refused.value.messages[0]
    assert f"“{name}”" in message, message  # names the file: several are uploaded at once
    return refused.value


@pytest.mark.parametrize("name, data, code, words", [
    ("答复函.pdf", hostile.pdf_html_polyglot(), "pdf_html", "夹带了网页代码"),
    ("材料.pdf", hostile.pdf_bytes(javascript="app.alert('x')"), "pdf_active", "脚本"),
    ("材料.pdf", hostile.pdf_bytes(embedded=hostile.exe_bytes()), "pdf_active", "内嵌文件"),
    ("材料.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF", "pdf_broken", "无法作为 PDF 打开"),
    ("网页.pdf", hostile.html_page(), "html", "网页（HTML）"),
    ("照片.jpg", hostile.exe_bytes(), "executable", "可执行程序"),
    ("名册.xlsx", hostile.xlsx_zip_bomb(), "zip_bomb", "压缩比异常"),
    ("名册.xlsx", hostile.encrypted_workbook(), "encrypted", "打开密码"),
    ("旧名册.xls", hostile.excel97(password=True), "encrypted", "打开密码"),
    ("旧文件.doc", hostile.word97(encrypted=True), "encrypted", "打开密码"),
    ("小文件.doc", hostile.word97(encrypted=True, size=600), "encrypted", "打开密码"),
    ("宏.docx", hostile.docx_bytes(macro=True), "macro", "含有宏"),
    ("坏图.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "not_image", "不是完整的图片"),
    ("文本.txt", "村道年久失修".encode(), "unsupported", "按文件内容识别格式"),
    ("空.pdf", b"", "empty", "是空的"),
])
def test_it_refuses_hostile_and_broken_files_in_chinese(name, data, code, words):
    error = _refusal(name, data)
    assert error.code == code and words in error.messages[0]


def test_it_refuses_a_file_over_the_size_limit_without_reading_it_all(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    error = _refusal("扫描件.pdf", hostile.pdf_bytes() + b"%" * (2 * 1024 * 1024))
    assert error.code == "too_big" and "超过 1 MB" in error.messages[0]


def test_it_refuses_a_kind_the_caller_does_not_accept():
    error = _refusal("答复函.pdf", hostile.pdf_bytes(), accept=frozenset({"xlsx"}))
    assert error.code == "unsupported" and "XLSX" in error.messages[0]


@pytest.mark.parametrize("name, data, kind, suffix, inline", [
    ("答复函.pdf", hostile.pdf_bytes(), "pdf", ".pdf", True),
    ("办理情况.docx", hostile.docx_bytes(), "docx", ".docx", False),
    ("统计.xlsx", hostile.xlsx_bytes(), "xlsx", ".xlsx", False),
    ("旧文件.doc", hostile.word97(), "doc", ".doc", False),
    ("金山文字.wps", hostile.word97(size=700), "doc", ".wps", False),
    ("旧统计.et", hostile.excel97(), "xls", ".et", False),
    ("现场.jpg", hostile.image_bytes("JPEG"), "jpeg", ".jpg", True),
    ("扫描件.png", hostile.image_bytes("PNG"), "png", ".png", True),
])
def test_it_accepts_real_documents_by_their_content(name, data, kind, suffix, inline):
    checked = check_upload(_upload(name, data), accept=DOCUMENT_KINDS)
    assert (checked.kind, checked.suffix, checked.inline) == (kind, suffix, inline)
    assert checked.size > 0


def test_it_decides_by_content_not_by_name():
    checked = check_upload(_upload("答复函.pdf", hostile.image_bytes("PNG")))
    assert checked.kind == "png" and checked.content_type == "image/png" and checked.suffix == ".png"


def test_it_re_encodes_images_dropping_what_was_appended():
    trailer = b"<html><script>alert(1)</script></html>"
    checked = check_upload(_upload("扫描件.png", hostile.image_bytes("PNG", trailer=trailer)))
    stored = checked.content.read()
    assert trailer not in stored
    assert Image.open(io.BytesIO(stored)).format == "PNG"


def test_it_cleans_photos_through_the_same_module():
    image = clean_image(_upload("走访.png", hostile.image_bytes("PNG", size=(3000, 1000))))
    assert (image.width, image.height) == (2560, 853) and image.format == "JPEG"
    with pytest.raises(ValidationError, match="不是可识别的图片"):
        clean_image(_upload("走访.jpg", hostile.exe_bytes()))
