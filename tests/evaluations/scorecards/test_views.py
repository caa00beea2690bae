"""Scorecard screens: the township answers with evidence and submits, the reviewer scores and finalises; a
township sees its own scores and rank only; the comparison view and its exports hold their query count."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.models import Evidence, TownshipResponse
from evaluations.scorecards import services
from presidium.choices import Role
from tests.documents.hostile import pdf_bytes
from tests.factories import (
    DeputyFactory,
    TownshipFactory,
    VisitFactory,
    scorecard_checklist,
    user_with_role,
)


@pytest.fixture
def checklist(world, reviewer):
    return scorecard_checklist(world.county, by=reviewer, items=((10, ""), (5, "visits_per_deputy")), publish=True)


def _response(checklist, township):
    return TownshipResponse.objects.get(checklist=checklist, township=township)


def _walk(checklist, township, scores, reviewer, *, finalise=True):
    staff = user_with_role(Role.PRESIDIUM_STAFF, township)
    response = _response(checklist, township)
    for item in checklist.items.all():
        services.item_answer_save(response=response, item=item, answer="done", by=staff)
    services.township_response_submit(response=response, by=staff)
    for item, score in zip(checklist.items.all(), scores, strict=True):
        services.item_score_set(response=response, item=item, score=score, by=reviewer)
    if finalise:
        services.township_response_finalise(response=response, by=reviewer)
    return response


def test_it_takes_an_answer_with_evidence_then_freezes_it_after_submission(world, checklist, staff, login):
    deputy = DeputyFactory(township=world.township)
    VisitFactory(deputy=deputy)
    response = _response(checklist, world.township)
    client = login(staff)
    first, second = checklist.items.all()
    page = client.get(response.get_absolute_url())
    assert page.status_code == 200 and "（实时计算，提交时固定）" in page.content.decode()
    url = reverse("scorecards:answer_save", args=[response.pk, first.pk])
    upload = SimpleUploadedFile("会议记录.pdf", pdf_bytes(), content_type="application/pdf")
    assert client.post(url, {f"i{first.pk}-answer": "done", f"i{first.pk}-note": "召开主席团会议1次",
                             f"i{first.pk}-files": upload}).status_code == 302
    missing = client.post(reverse("scorecards:answer_save", args=[response.pk, second.pk]),
                          {f"i{second.pk}-note": "走访了"})
    assert missing.status_code == 200 and "走访了" in missing.content.decode()  # what was typed is kept
    submit = reverse("scorecards:response_submit", args=[response.pk])
    page = client.get(response.get_absolute_url()).content.decode()
    assert "还有 1 个事项没有填写完成情况" in page  # the reason is on the disabled button
    client.post(reverse("scorecards:answer_save", args=[response.pk, second.pk]), {f"i{second.pk}-answer": "partly"})
    assert client.post(submit).status_code == 302
    response.refresh_from_db()
    assert response.state == "submitted"
    assert Evidence.objects.filter(answer__response=response, kind="record").count() == 1  # the visit, attached
    assert response.answers.get(item=second).figure == Decimal("1.00")
    page = client.get(response.get_absolute_url()).content.decode()
    assert "等待县人大审阅" in page and "退回重报" in page and 'data-testid="answer-form"' not in page
    again = client.post(url, {f"i{first.pk}-answer": "not"})
    assert again.status_code == 200 and response.answers.get(item=first).answer == "done"


def test_it_shows_the_reviewer_a_clear_error_for_a_score_above_the_points(world, checklist, reviewer, login):
    response = _walk(checklist, world.township, [1, 1], reviewer, finalise=False)
    item = checklist.items.first()
    client = login(reviewer)
    answer = client.post(reverse("scorecards:score_save", args=[response.pk, item.pk]),
                         {f"s{item.pk}-score": "12", f"s{item.pk}-comment": "很好"})
    body = answer.content.decode()
    assert answer.status_code == 200 and "得分须在 0 到 10.0 分之间" in body and "很好" in body
    assert response.scores.get(item=item).score == 1


def test_it_shows_a_township_its_own_score_and_rank_but_not_the_others(world, checklist, reviewer, login):
    own = _walk(checklist, world.township, [9, 4], reviewer)
    other = _walk(checklist, world.other_township, [10, 5], reviewer)
    staff = world.user(Role.PRESIDIUM_STAFF)
    client = login(staff)
    page = client.get(own.get_absolute_url()).content.decode()
    assert "本期第 2 名（共 2 个乡镇）" in page and "13.0" in page
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("scorecards:scorecard_document", args=[other.pk])).status_code == 404
    detail = client.get(checklist.get_absolute_url()).content.decode()
    assert "乙镇" not in detail and 'data-testid="ranking"' not in detail
    assert client.get(reverse("scorecards:comparison", args=[checklist.pk])).status_code == 403


def test_it_hides_everything_of_another_county_from_its_reviewer(world, checklist, reviewer, login):
    response = _walk(checklist, world.township, [9, 4], reviewer)
    foreign = user_with_role(Role.COUNTY_REVIEWER, world.foreign_county)
    client = login(foreign)
    assert client.get(checklist.get_absolute_url()).status_code == 404
    assert client.get(response.get_absolute_url()).status_code == 404
    assert client.get(reverse("scorecards:comparison", args=[checklist.pk])).status_code == 404
    listing = client.get(reverse("scorecards:checklist_list")).content.decode()
    assert checklist.title not in listing


def _county_with(n, reviewer_county, reviewer):
    for i in range(n - 2):
        TownshipFactory(county=reviewer_county, name=f"第{i}乡")


@pytest.mark.parametrize("count", [3, 12])
def test_it_draws_the_comparison_in_a_fixed_number_of_queries(world, reviewer, login, count,
                                                             django_assert_max_num_queries):
    _county_with(count, world.county, reviewer)
    checklist = scorecard_checklist(world.county, by=reviewer, items=((10, ""), (5, "visits_per_deputy"),
                                                                      (5, "reply_rate")), publish=True)
    _walk(checklist, world.township, [9, 4, 5], reviewer)
    _walk(checklist, world.other_township, [8, 5, 5], reviewer, finalise=False)
    client = login(reviewer)
    url = reverse("scorecards:comparison", args=[checklist.pk])
    with django_assert_max_num_queries(24):
        page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count('data-testid="indicator-row"') == 2
    with django_assert_max_num_queries(20):
        export = client.get(url, {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("scorecards:checklist_list")).status_code == 200


def test_it_prints_a_scorecard_and_the_county_summary(world, checklist, reviewer, login):
    import io

    import pdfplumber

    response = _walk(checklist, world.township, [9, 4], reviewer)
    client = login(reviewer)
    pdf = client.get(reverse("scorecards:scorecard_document", args=[response.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages)
    assert "甲镇" in text and "第1名" in text
    start, end = checklist.period_start, checklist.period_end
    assert f"考评期：{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日" in text
    summary = client.get(reverse("scorecards:summary_document", args=[checklist.pk]), {"format": "docx"})
    assert summary["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")


def test_it_names_the_computed_indicator_on_the_checklist_not_its_key(world, checklist, reviewer, login):
    page = login(reviewer).get(reverse("scorecards:checklist_detail", args=[checklist.pk])).content.decode()
    assert "人均走访选民次数" in page and "visits_per_deputy" not in page


def test_it_says_why_a_submitted_response_cannot_be_submitted_once(world, checklist):
    """The page prints "不能提交：" before the reason: the reason gives the state, not "不能提交" again."""
    staff_user = user_with_role(Role.PRESIDIUM_STAFF, world.township)
    response = _response(checklist, world.township)
    for item in checklist.items.all():
        services.item_answer_save(response=response, item=item, answer="done", by=staff_user)
    services.township_response_submit(response=response, by=staff_user)
    response.refresh_from_db()
    reason = services.response_refusal(response, "submit", staff_user)
    assert reason == "当前状态为“已提交”。"
