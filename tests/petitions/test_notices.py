"""Every petition notice and the 转办单 as official documents (PDF and Word), and who may print them."""

from __future__ import annotations

import io
import re

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

from petitions.choices import DataAccessPurpose, NoticeKind
from petitions.models import PetitionDataAccess
from presidium.choices import Role
from presidium.documents.chinese import chinese_date
from tests.petitions.public_flow import PERSON, accepted, answered, notice_of, registered, transferred

TIMESTAMP = re.compile(r"\d{1,2}:\d{2}|生成时间|打印时间")
MASTHEAD = "甲镇人民代表大会主席团"


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _docx_text(content: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


def _issued(world, kind):
    """A petition with a notice of ``kind``, walked there through the services."""
    from petitions import services

    staff = world.user(Role.PRESIDIUM_STAFF)
    if kind == NoticeKind.ACCEPTANCE:
        petition = accepted(world)
    elif kind == NoticeKind.NON_ACCEPTANCE:
        petition = services.petition_reject(petition=registered(world.township), by=staff,
                                            reason="该事项已进入诉讼程序，应依法通过诉讼途径解决。")
    elif kind == NoticeKind.EXTENSION:
        petition = accepted(world)
        services.petition_extend(petition=petition, by=staff, days=20, reason="涉及多户土地确权，需要测量。",
                                 approved_by="孙建平")
    elif kind == NoticeKind.ANSWER:
        petition, _transfer, _notice = answered(world)
    elif kind in (NoticeKind.REVIEW, NoticeKind.RE_REVIEW):
        petition, _transfer, _notice = answered(world)
        services.petition_review_request(petition=petition, by=staff, reason="修缮质量差。")
        services.petition_review_decide(petition=petition, by=staff, decision="upheld", text="经复查，维持原答复意见。",
                                        public_text="经复查，维持原答复意见。")
        if kind == NoticeKind.RE_REVIEW:
            services.petition_review_request(petition=petition, by=staff, reason="仍不服。")
            services.petition_review_decide(petition=petition, by=staff, decision="upheld",
                                            text="经复核，维持复查意见。", public_text="经复核，维持复查意见。")
    else:
        petition, _transfer = transferred(world)
    return petition, notice_of(petition, kind)


@pytest.mark.parametrize("kind", [NoticeKind.ACCEPTANCE, NoticeKind.NON_ACCEPTANCE, NoticeKind.EXTENSION,
                                  NoticeKind.ANSWER, NoticeKind.REVIEW, NoticeKind.RE_REVIEW])
def test_it_prints_each_notice_to_the_petitioner_on_the_official_kit(world, login, kind):
    petition, notice = _issued(world, kind)
    response = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("petition_notices:notice_pdf", args=[notice.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for expected in (MASTHEAD, notice.reference, f"信访事项{NoticeKind(kind).label}", f"{PERSON['name']}：",
                     chinese_date(notice.issued_on), "— 1 —"):
        assert expected in text.replace("\n", ""), expected
    assert not TIMESTAMP.search(text)
    assert "staff_a" not in text and "李站长" not in text  # no account names, no internal owner


@pytest.mark.parametrize("kind", [NoticeKind.ACCEPTANCE, NoticeKind.ANSWER, NoticeKind.RE_REVIEW])
def test_it_offers_each_notice_as_an_editable_word_file(world, login, kind):
    petition, notice = _issued(world, kind)
    response = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("petition_notices:notice_docx", args=[notice.pk]))
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    texts = _docx_text(response.content)
    assert texts[:3] == [MASTHEAD, notice.reference, f"信访事项{NoticeKind(kind).label}"]
    assert f"{PERSON['name']}：" in texts and chinese_date(notice.issued_on) in texts


def test_it_logs_each_print_that_shows_the_petitioners_name(world, login):
    petition, notice = _issued(world, NoticeKind.ACCEPTANCE)
    login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("petition_notices:notice_pdf", args=[notice.pk]))
    entry = PetitionDataAccess.objects.get()
    assert (entry.user.username, entry.petition, entry.purpose) == ("staff_a", petition, DataAccessPurpose.PRINT)


def test_it_prints_the_transfer_form_with_the_petitioners_full_data_for_the_unit(world, login):
    """The unit that handles the case must reach the petitioner: it gets the full data, and the print is logged."""
    petition, transfer = transferred(world)
    notice = notice_of(petition, NoticeKind.TRANSFER)
    response = login(world.user(Role.UNIT_LIAISON)).get(reverse("petition_notices:transfer_pdf", args=[transfer.pk]))
    assert response.status_code == 200
    text = _pdf_text(response.content).replace("\n", "")
    for expected in (MASTHEAD, notice.reference, "信访事项转办单", "财政所：", petition.registration_number,
                     PERSON["mobile"], PERSON["id_number"], "李站长", chinese_date(notice.issued_on)):
        assert expected in text, expected
    assert not TIMESTAMP.search(text)
    assert PetitionDataAccess.objects.filter(user=world.user(Role.UNIT_LIAISON), petition=petition).exists()
    docx_response = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("petition_notices:transfer_docx",
                                                                        args=[transfer.pk]))
    texts = _docx_text(docx_response.content)
    assert "信访事项转办单" in texts and PERSON["mobile"] in texts


def test_it_prints_the_transfer_notice_by_its_notice_id_too(world, login):
    petition, _transfer = transferred(world)
    notice = notice_of(petition, NoticeKind.TRANSFER)
    response = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("petition_notices:notice_pdf", args=[notice.pk]))
    assert "信访事项转办单" in _pdf_text(response.content)


def test_it_masks_the_form_for_a_unit_the_case_has_left(world, login):
    """After the written answer the case is no longer with the unit: its liaison still prints, masked."""
    petition, transfer, _answer = answered(world)
    response = login(world.user(Role.UNIT_LIAISON)).get(reverse("petition_notices:transfer_pdf", args=[transfer.pk]))
    text = _pdf_text(response.content).replace("\n", "")
    assert response.status_code == 200
    assert PERSON["mobile"] not in text and "139****5678" in text and PERSON["id_number"] not in text
    assert not PetitionDataAccess.objects.exists()


def test_it_gives_the_unit_the_answer_but_not_the_other_notices(world, login):
    petition, _transfer, answer = answered(world)
    client = login(world.user(Role.UNIT_LIAISON))
    assert client.get(reverse("petition_notices:notice_pdf", args=[answer.pk])).status_code == 200
    acceptance = notice_of(petition, NoticeKind.ACCEPTANCE)
    assert client.get(reverse("petition_notices:notice_pdf", args=[acceptance.pk])).status_code == 403


@pytest.mark.parametrize("role", [Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, Role.DEPUTY])
def test_it_refuses_roles_that_see_the_case_but_do_not_send_its_notices(world, login, role):
    petition, notice = _issued(world, NoticeKind.ACCEPTANCE)
    status = login(world.user(role)).get(reverse("petition_notices:notice_pdf", args=[notice.pk])).status_code
    assert status in (403, 404)  # county roles see the case (403); the deputy did not raise it (404)


def test_it_hides_another_townships_notices_from_its_staff(world, login):
    _petition, notice = _issued(world, NoticeKind.ACCEPTANCE)
    client = login(world.other_staff)
    assert client.get(reverse("petition_notices:notice_pdf", args=[notice.pk])).status_code == 404
    assert client.get(reverse("petition_notices:notice_pdf", args=[2**62])).status_code == 404
    assert client.get(reverse("petition_notices:transfer_pdf", args=[2**62])).status_code == 404


def test_it_prints_stored_dates_in_chinese_without_spaces_around_numbers():
    from petitions.notices import printed_text

    assert printed_text("你于 2026-09-25 反映的“村道”事项，自受理之日起 60 日内办结。") == \
        "你于2026年9月25日反映的“村道”事项，自受理之日起60日内办结。"
    assert printed_text("Room 12 B") == "Room 12 B"


def test_it_fits_the_transfer_form_on_one_page(world, login):
    _petition, transfer = transferred(world)
    response = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("petition_notices:transfer_pdf", args=[transfer.pk]))
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1
