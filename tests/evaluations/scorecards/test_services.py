"""County scorecards: the response lifecycle, locks that say why, scoring within points, evidence review."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from evaluations.models import Evidence, EvidenceReview, ItemScore, TownshipResponse
from evaluations.scorecards import services
from evaluations.scorecards.choices import ChecklistState, ResponseAction, ResponseState
from presidium.choices import Role
from tests.documents.hostile import pdf_bytes
from tests.factories import scorecard_checklist, user_with_role


def _pdf(name="会议记录.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def _response(checklist, township):
    return TownshipResponse.objects.get(checklist=checklist, township=township)


def _answer_all(response, by, answer="done"):
    for item in response.checklist.items.all():
        services.item_answer_save(response=response, item=item, answer=answer, note="已落实", by=by)


@pytest.fixture
def published(world, reviewer):
    return scorecard_checklist(world.county, by=reviewer, publish=True)


def test_it_gives_every_township_of_the_county_a_response_when_published(world, published):
    townships = set(TownshipResponse.objects.filter(checklist=published).values_list("township_id", flat=True))
    assert townships == {world.township.pk, world.other_township.pk}
    assert published.state == ChecklistState.PUBLISHED


def test_it_counts_the_plan_due_in_working_days(world, reviewer):
    checklist = scorecard_checklist(world.county, by=reviewer, start=dt.date(2026, 9, 1),
                                    due=dt.date(2026, 11, 30))
    services.checklist_publish(checklist=checklist, by=reviewer, on=dt.date(2026, 9, 30))
    checklist.refresh_from_db()
    assert checklist.plan_due == dt.date(2026, 10, 10)  # the holiday week skipped; 10-10 is a make-up Saturday


def test_it_refuses_to_publish_an_empty_checklist(world, reviewer):
    checklist = scorecard_checklist(world.county, by=reviewer, items=())
    with pytest.raises(ValidationError, match="还没有事项"):
        services.checklist_publish(checklist=checklist, by=reviewer)


def test_it_freezes_the_answers_after_submission_and_says_why(world, published, staff):
    response = _response(published, world.township)
    _answer_all(response, staff)
    services.township_response_submit(response=response, by=staff)
    response.refresh_from_db()
    lock = services.edit_lock(response)
    assert "已于" in lock.reason and "提交" in lock.reason
    assert "退回" in lock.lifted_by
    item = published.items.first()
    with pytest.raises(ValidationError, match="提交"):
        services.item_answer_save(response=response, item=item, answer="partly", by=staff)
    assert response.answers.get(item=item).answer == "done"


def test_it_reopens_the_answers_when_the_reviewer_sends_them_back(world, published, staff, reviewer):
    response = _response(published, world.township)
    _answer_all(response, staff)
    services.township_response_submit(response=response, by=staff)
    with pytest.raises(ValidationError):
        services.township_response_return(response=response, comment="  ", by=reviewer)
    services.township_response_return(response=response, comment="请补充会议记录照片", by=reviewer)
    response.refresh_from_db()
    assert response.state == ResponseState.RETURNED and services.edit_lock(response) is None
    services.item_answer_save(response=response, item=published.items.first(), answer="partly", files=[_pdf()],
                              by=staff)
    services.township_response_submit(response=response, by=staff)
    response.refresh_from_db()
    assert response.state == ResponseState.SUBMITTED
    assert [e["text"] for e in response.timeline][-2:] == ["县人大退回重报：请补充会议记录照片", "乡镇提交填报"]


def test_it_locks_a_response_past_its_due_date_until_a_send_back_gives_a_new_one(world, reviewer, staff):
    today = timezone.localdate()
    start = dt.date(today.year, today.month, 1) - dt.timedelta(days=100)
    checklist = scorecard_checklist(world.county, by=reviewer, start=start, due=start + dt.timedelta(days=20))
    services.checklist_publish(checklist=checklist, by=reviewer, on=start)
    response = _response(checklist, world.township)
    lock = services.edit_lock(response)
    assert "已过填报截止日期" in lock.reason and "补报截止日期" in lock.lifted_by
    with pytest.raises(ValidationError, match="截止日期"):
        services.item_answer_save(response=response, item=checklist.items.first(), answer="done", by=staff)
    assert "截止日期" in services.response_refusal(response, ResponseAction.SUBMIT, staff)


def test_it_scores_only_within_the_items_points(world, published, staff, reviewer):
    response = _response(published, world.township)
    _answer_all(response, staff)
    item = published.items.first()
    with pytest.raises(ValidationError, match="已提交"):
        services.item_score_set(response=response, item=item, score=5, by=reviewer)
    services.township_response_submit(response=response, by=staff)
    for bad in ("10.5", "-1", "abc", "NaN", "3.25"):
        with pytest.raises(ValidationError):
            services.item_score_set(response=response, item=item, score=bad, by=reviewer)
    assert not ItemScore.objects.exists()
    services.item_score_set(response=response, item=item, score="9.5", comment="记录齐全", by=reviewer)
    assert ItemScore.objects.get().score == Decimal("9.5")


def test_it_finalises_only_when_every_item_is_scored(world, published, staff, reviewer):
    response = _response(published, world.township)
    _answer_all(response, staff)
    services.township_response_submit(response=response, by=staff)
    first, second = published.items.all()
    services.item_score_set(response=response, item=first, score=8, by=reviewer)
    with pytest.raises(ValidationError, match="1 个事项没有评分"):
        services.township_response_finalise(response=response, by=reviewer)
    services.item_score_set(response=response, item=second, score="7.5", by=reviewer)
    services.township_response_finalise(response=response, by=reviewer)
    response.refresh_from_db()
    assert response.total == Decimal("15.5")
    lock = services.edit_lock(response)
    assert "已定稿" in lock.reason and "管理员" in lock.lifted_by
    with pytest.raises(ValidationError):
        services.item_score_set(response=response, item=first, score=10, by=reviewer)


def test_it_lets_only_the_county_admin_lift_a_finalised_lock(world, published, staff, reviewer):
    response = _response(published, world.township)
    _answer_all(response, staff)
    services.township_response_submit(response=response, by=staff)
    for item in published.items.all():
        services.item_score_set(response=response, item=item, score=5, by=reviewer)
    services.township_response_finalise(response=response, by=reviewer)
    with pytest.raises(PermissionDenied):
        services.township_response_reopen(response=response, reason="分数录错", by=reviewer)
    services.township_response_reopen(response=response, reason="分数录错", by=world.user(Role.COUNTY_ADMIN))
    response.refresh_from_db()
    assert response.state == ResponseState.SUBMITTED and response.total is None


ALLOWED = {(s, a) for (s, a) in services.RESPONSE_TRANSITIONS}


@pytest.mark.parametrize("state", list(ResponseState))
@pytest.mark.parametrize("action", list(ResponseAction))
def test_it_walks_every_allowed_and_forbidden_transition(world, published, staff, reviewer, state, action):
    """Each (state, action) pair is refused exactly when the table has no row for it."""
    response = _response(published, world.township)
    _answer_all(response, staff)
    for item in published.items.all():
        ItemScore.objects.create(response=response, item=item, score=1, scored_by=reviewer)
    TownshipResponse.objects.filter(pk=response.pk).update(
        state=state, submitted_at=timezone.now(), finalised_at=timezone.now(),
        total=Decimal(2) if state == ResponseState.FINALISED else None)
    response.refresh_from_db()
    actor = {"township": staff, "reviewer": reviewer, "admin": world.user(Role.COUNTY_ADMIN)}
    step = services.RESPONSE_TRANSITIONS.get((state, action))
    who = actor[step.who] if step else reviewer
    refusal = services.response_refusal(response, action, who)
    assert (refusal is None) == ((state, action) in ALLOWED), refusal


def test_it_refuses_a_township_acting_on_another_townships_response(world, published):
    response = _response(published, world.township)
    assert "只有本乡镇" in services.response_refusal(response, ResponseAction.SUBMIT, world.other_staff)
    with pytest.raises(PermissionDenied):
        services.item_answer_save(response=response, item=published.items.first(), answer="done",
                                  by=world.other_staff)


def test_it_refuses_a_reviewer_of_another_county(world, published, staff):
    foreign = user_with_role(Role.COUNTY_REVIEWER, world.foreign_county)
    response = _response(published, world.township)
    _answer_all(response, staff)
    services.township_response_submit(response=response, by=staff)
    with pytest.raises(PermissionDenied):
        services.item_score_set(response=response, item=published.items.first(), score=1, by=foreign)


def test_it_keeps_nothing_of_an_answer_whose_file_is_refused(world, published, staff):
    response = _response(published, world.township)
    bad = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.item_answer_save(response=response, item=published.items.first(), answer="done",
                                  files=[_pdf(), bad], by=staff)
    assert not response.answers.exists() and not Evidence.objects.exists()


def test_it_keeps_each_change_of_an_evidence_review_with_its_note(world, published, staff, reviewer):
    response = _response(published, world.township)
    _answer_all(response, staff)
    services.item_answer_save(response=response, item=published.items.first(), answer="done", files=[_pdf()],
                              by=staff)
    evidence = Evidence.objects.get()
    with pytest.raises(ValidationError, match="还没有提交"):
        services.evidence_review_set(evidence=evidence, state="accepted", by=reviewer)
    services.township_response_submit(response=response, by=staff)
    with pytest.raises(ValidationError, match="理由"):
        services.evidence_review_set(evidence=evidence, state="questioned", by=reviewer)
    services.evidence_review_set(evidence=evidence, state="questioned", note="照片看不清", by=reviewer)
    services.evidence_review_set(evidence=evidence, state="accepted", by=reviewer)
    evidence.refresh_from_db()
    assert evidence.review_state == "accepted"
    assert list(EvidenceReview.objects.values_list("state", "note")) == [("questioned", "照片看不清"),
                                                                          ("accepted", "")]


def test_it_copies_a_checklist_into_the_next_period(world, reviewer):
    source = scorecard_checklist(world.county, by=reviewer, start=dt.date(2026, 10, 1),
                                 due=dt.date(2026, 12, 20), title="2026年第4季度乡镇人大工作指导清单")
    copy = services.checklist_copy(source=source, by=reviewer)
    assert (copy.period_start, copy.period_end, copy.responses_due) == (
        dt.date(2027, 1, 1), dt.date(2027, 3, 31), dt.date(2027, 3, 20))
    assert copy.title == "2027年第1季度乡镇人大工作指导清单"
    assert copy.state == ChecklistState.DRAFT and copy.copied_from == source
    assert list(copy.items.values_list("title", "points")) == list(source.items.values_list("title", "points"))


def test_it_edits_items_only_while_the_checklist_is_a_draft(world, published, reviewer):
    with pytest.raises(ValidationError, match="已发布"):
        services.checklist_item_save(checklist=published, by=reviewer, title="新事项", points=Decimal(5))


def test_it_marks_a_plan_sent_after_its_working_day_limit(world, published, staff):
    from evaluations.models import Checklist

    Checklist.objects.filter(pk=published.pk).update(plan_due=timezone.localdate())
    response = _response(published, world.township)
    services.township_response_plan_save(response=response, plan="本季度召开主席团会议1次。", by=staff)
    response = _response(published, world.township)
    assert response.plan and not response.plan_late
    Checklist.objects.filter(pk=published.pk).update(plan_due=timezone.localdate() - dt.timedelta(days=1))
    response = _response(published, world.township)
    services.township_response_plan_save(response=response, plan="补报计划。", by=staff)
    response = _response(published, world.township)
    assert response.plan_late
