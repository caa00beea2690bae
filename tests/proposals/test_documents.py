"""The 交办函 and the handling report as documents a township can send as they are (PDF and Word)."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from presidium.documents.chinese import chinese_date
from presidium.documents.choices import JobStatus
from presidium.documents.models import DocumentJob, DocumentNumber
from proposals import documents
from proposals.models import Suggestion
from tests.factories import HandlingUnitFactory, proposals_suggestion

TIMESTAMP = re.compile(r"\d{1,2}:\d{2}|生成时间")
SESSION = "第十八届人民代表大会第五次会议"


def _pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _assigned(world, deputy, **extra):
    return proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit, **extra)


def test_it_prints_the_letter_as_an_official_document(world, login, staff, deputy):
    item = _assigned(world, deputy)
    Suggestion.objects.filter(pk=item.pk).update(deadline_provisional=True)  # the deadline runs into next year
    response = login(staff).get(reverse("proposals:letter", args=[item.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(_pdf_pages(response.content))
    assigned_on = timezone.localdate(item.assigned_at)
    for expected in ("甲镇人民代表大会主席团", f"甲人大〔{assigned_on.year}〕1号", "关于交办代表建议的函", "财政所：",
                     chinese_date(assigned_on), "— 1 —", "如遇法定节假日调整，以通知为准", item.title, "冯国强代表"):
        assert expected in text, expected
    assert "暂定" not in text
    assert not TIMESTAMP.search(text)


def test_it_keeps_a_letters_number_and_numbers_the_next_one_after_it(world, login, staff, deputy):
    first, second = _assigned(world, deputy), _assigned(world, deputy, title="修缮水渠的建议")
    client = login(staff)
    year = timezone.localdate(first.assigned_at).year
    for _attempt in range(2):
        assert f"甲人大〔{year}〕1号" in _pdf_pages(client.get(reverse("proposals:letter", args=[first.pk])).content)[0]
    assert f"甲人大〔{year}〕2号" in _pdf_pages(client.get(reverse("proposals:letter", args=[second.pk])).content)[0]
    assert DocumentNumber.objects.count() == 2
    assert DocumentNumber.objects.get(number=1).issued_by == staff


def test_it_gives_a_reassigned_item_a_new_letter_with_a_new_number(world, login, staff, deputy):
    from proposals import services

    item = _assigned(world, deputy)
    client = login(staff)
    client.get(reverse("proposals:letter", args=[item.pk]))
    services.suggestion_reassign(suggestion=item, by=staff, lead_unit=HandlingUnitFactory(township=world.township,
                                                                                          name="水利站"),
                                 note="交办错误")
    text = _pdf_pages(client.get(reverse("proposals:letter", args=[item.pk])).content)[0]
    assert "水利站：" in text and "〕2号" in text


def test_it_offers_the_letter_as_an_editable_word_file(world, login, staff, deputy):
    item = _assigned(world, deputy)
    response = login(staff).get(reverse("proposals:letter_docx", args=[item.pk]))
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    year = timezone.localdate(item.assigned_at).year
    assert texts[:3] == ["甲镇人民代表大会主席团", f"甲人大〔{year}〕1号", "关于交办代表建议的函"]
    assert "财政所：" in texts and chinese_date(timezone.localdate(item.assigned_at)) in texts
    assert any(t.startswith("（一）先面商、再答复。") for t in texts)
    grid = document.tables[0]
    assert grid.rows[3].cells[1].text == "财政所"  # 主办单位
    # the PDF printed afterwards carries the same number
    pdf = login(staff).get(reverse("proposals:letter", args=[item.pk]))
    assert f"甲人大〔{year}〕1号" in _pdf_pages(pdf.content)[0]


def test_it_refuses_the_word_letter_to_those_who_may_not_print_it(world, login, deputy):
    item = _assigned(world, deputy)
    assert login(world.user("deputy")).get(reverse("proposals:letter_docx", args=[item.pk])).status_code == 403
    other = proposals_suggestion(world.foreign_township, status_to="assigned", unit=world.foreign_unit)
    assert login(world.user("presidium_staff")).get(
        reverse("proposals:letter_docx", args=[other.pk])).status_code == 404


# --- batch print -------------------------------------------------------------------------------------


def _session_items(world, deputy, count: int):
    return [_assigned(world, deputy, title=f"第{n}件建议", raised_during="session", session_name=SESSION)
            for n in range(1, count + 1)]


def test_it_prints_every_letter_of_a_session_as_one_pdf(world, login, staff, deputy):
    items = _session_items(world, deputy, 3)
    _assigned(world, deputy, title="闭会期间的建议")  # not of the session
    client = login(staff)
    page = client.get(reverse("proposals:letters"))
    assert page.status_code == 200 and SESSION in page.content.decode()
    response = client.post(reverse("proposals:letters"), {"township": world.township.pk, "session_name": SESSION,
                                                          "fmt": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    pages = _pdf_pages(response.content)
    letters = [text for text in pages if "关于交办代表建议的函" in text]
    assert len(letters) == 3
    assert [n for text in letters for n in re.findall(r"〕(\d+)号", text)] == ["1", "2", "3"]  # in serial order
    assert all("— 1 —" in text for text in letters)  # each letter numbered from its own first page
    assert "闭会期间的建议" not in "".join(pages)
    assert [s.title for s in items][0] in letters[0]


def test_it_prints_the_letters_of_an_assignment_day_as_one_word_file(world, login, staff, deputy):
    _session_items(world, deputy, 2)
    today = timezone.localdate()
    response = login(staff).post(reverse("proposals:letters"), {
        "township": world.township.pk, "assigned_on": today.isoformat(), "fmt": "docx"})
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(response.content))
    assert len(document.sections) == 2
    assert sum(1 for p in document.paragraphs if p.text == "关于交办代表建议的函") == 2


def test_it_says_so_when_a_batch_finds_no_letter_and_when_nothing_is_chosen(world, login, staff, deputy):
    _session_items(world, deputy, 1)
    client = login(staff)
    empty = client.post(reverse("proposals:letters"), {"township": world.township.pk,
                                                       "assigned_on": "2020-01-01", "fmt": "pdf"})
    assert empty.status_code == 200 and "没有符合条件的已交办议案建议" in empty.content.decode()
    nothing = client.post(reverse("proposals:letters"), {"township": world.township.pk, "fmt": "pdf"})
    assert nothing.status_code == 200 and "请选择会议或交办日期" in nothing.content.decode()
    assert DocumentNumber.objects.count() == 0


def test_it_runs_a_large_batch_as_a_document_job(world, login, staff, deputy, monkeypatch, django_capture_on_commit_callbacks):
    from proposals.views import letters

    monkeypatch.setattr(letters, "LETTER_BATCH_INLINE", 2)
    _session_items(world, deputy, 3)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(staff).post(reverse("proposals:letters"), {
            "township": world.township.pk, "session_name": SESSION, "fmt": "pdf"})
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("documents:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.file_name.endswith(".pdf") and job.requested_by == staff
    with job.result.open("rb") as handle:
        assert sum("关于交办代表建议的函" in text for text in _pdf_pages(handle.read())) == 3


def test_it_prints_a_batch_in_a_fixed_number_of_queries(world, login, staff, deputy, django_assert_max_num_queries):
    """The batch's queries do not grow with its letters (numbers are given per year, not per letter)."""
    _session_items(world, deputy, 6)
    client = login(staff)
    data = {"township": world.township.pk, "session_name": SESSION, "fmt": "docx"}
    with django_assert_max_num_queries(30):
        assert client.post(reverse("proposals:letters"), data).status_code == 200
    with django_assert_max_num_queries(30):  # reprint: the numbers are found, not given again
        assert client.post(reverse("proposals:letters"), data).status_code == 200
    assert DocumentNumber.objects.count() == 6


@pytest.mark.parametrize("role", ["deputy", "unit_liaison", "county_admin"])
def test_it_keeps_batch_print_to_the_presidium_staff(world, login, role):
    assert login(world.user(role)).get(reverse("proposals:letters")).status_code == 403


# --- the handling report -----------------------------------------------------------------------------


def test_it_opens_the_report_with_a_written_summary_of_the_figures_page(world, login, staff, deputy):
    from proposals import selectors

    _assigned(world, deputy)
    proposals_suggestion(world.township, lead_deputy=deputy, status_to="closed", unit=world.unit)
    late = _assigned(world, deputy, title="逾期的建议")
    Suggestion.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    figures = selectors.rates(selectors.in_period(Suggestion.objects.filter(township=world.township), start, today))
    response = login(staff).get(reverse("proposals:report"), {"start": start.isoformat(), "end": today.isoformat()})
    text = "\n".join(_pdf_pages(response.content)).replace("\n", "")
    summary = text.index("共收到代表议案建议")
    assert summary < text.index("二、各承办单位办理情况")
    assert f"共收到代表议案建议{figures.total}件" in text and f"已交办{figures.assigned}件" in text
    assert f"办复率{figures.reply_rate:.1f}%" in text and f"满意率{figures.satisfaction_rate:.1f}%" in text
    assert "见面率" in text and "解决率" in text
    assert f"目前逾期未答复{figures.overdue}件（财政所1件）" in text
    assert not TIMESTAMP.search(text) and "— 1 —" in text


def test_it_names_the_units_that_lose_their_eligibility_in_the_summary(world):
    figures = documents.rates(Suggestion.objects.none())
    paragraphs = documents.report_summary(figures, flagged=["财政所"], overdue_units=[], start=dt.date(2026, 1, 1),
                                          end=dt.date(2026, 6, 30))
    text = "".join(p.text for p in paragraphs)
    assert "2026年1月1日至2026年6月30日，共收到代表议案建议0件" in text
    assert "办复率—" in text and "目前没有逾期未答复的事项" in text
    assert "财政所本年度代表不满意的办理结果超过两件，按规定取消其年度评先资格" in text


def test_it_offers_the_report_as_a_word_file(world, login, staff, deputy):
    _assigned(world, deputy)
    today = timezone.localdate()
    response = login(staff).get(reverse("proposals:report"), {"start": f"{today.year}-01-01", "end": today.isoformat(),
                                                              "format": "docx"})
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "甲镇代表议案建议办理情况报告"
    assert any(t.startswith(f"{today.year}年1月1日至") for t in texts)
    assert [c.text for c in document.tables[1].rows[0].cells][:2] == ["承办单位", "交办"]
    assert chinese_date(today) in texts


# --- the ledger ---------------------------------------------------------------------------------------


def test_it_exports_the_ledger_with_real_dates_the_provisional_flag_and_the_co_units(world, login, staff, deputy):
    from openpyxl import load_workbook

    from proposals import services

    item = _assigned(world, deputy)
    farm = HandlingUnitFactory(township=world.township, name="农业服务中心")
    services.suggestion_reassign(suggestion=item, by=staff, note="交办错误", co_units=[world.unit, farm],
                                 lead_unit=HandlingUnitFactory(township=world.township, name="水利站"))
    Suggestion.objects.filter(pk=item.pk).update(deadline_provisional=True)
    response = login(staff).get(reverse("proposals:list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "议案建议" and sheet.freeze_panes == "A3" and sheet.auto_filter.ref.startswith("A2:")
    header = [c.value for c in sheet[2]]
    row = dict(zip(header, sheet[3], strict=True))
    item.refresh_from_db()
    assert row["协办单位"].value == "财政所、农业服务中心"
    assert row["办理期限"].is_date and row["办理期限"].value.date() == item.deadline
    assert row["期限暂定"].value == "是"
    assert row["交办日期"].is_date
    assert not any("暂定" in str(c.value) for c in sheet[3] if c.value)
