"""County scorecards at scale (``seed_demo --scale``): one year-end checklist per year, every built township's
response in its state, in bulk.

The checklists are the county's, not a township's: each year's (the fourth quarter, 年终考评, with the demo's
items) is made once, before the townships are filled, and found again by its title on a second run. Past years'
checklists are closed and every built township's response is finalised, each item answered and scored, the
total the sum of the scores as ``township_response_finalise`` fixes it. This year's checklist is published and
the responses are mixed: filling in (draft), submitted, or sent back with comments.

Evidence: the portal's records (``EvidenceKind.RECORD``), as a submission attaches them, one summary row per
indicator item, reviewed (认可) on finalised responses with the review kept in :class:`EvidenceReview`. No
uploaded files: ``evidence_remove`` deletes the stored file when a township takes a file back, so one shared
file could not stand behind many rows, and a file per row would make the seed write thousands of files.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _l

from evaluations.models import (
    Checklist,
    ChecklistItem,
    Evidence,
    EvidenceReview,
    ItemResponse,
    ItemScore,
    TownshipResponse,
)
from evaluations.scorecards.choices import (
    Answer,
    ChecklistState,
    EvidenceKind,
    PeriodKind,
    ResponseState,
    ReviewState,
)
from evaluations.scorecards.demo import ITEMS
from evaluations.scorecards.services import _stamp, _who
from presidium.records import as_stored, record
from presidium.scale import ScalePlan, ScaleTownship

STEP = "scorecards"
TITLE = "{year}年第4季度乡镇人大工作指导清单（年终考评）"
PLAN_TEXT = "本季度召开主席团会议1次，组织代表视察1次，每月开展接待日活动，按期督办代表建议。"
RETURN_COMMENT = "视察报告未附照片，代表接待日记录不全，请补充后重新提交。"


def build(plan: ScalePlan) -> None:
    reviewer = _reviewer(plan)
    checklists = ensure_checklists(plan, reviewer)
    wanted = {c.pk for c in checklists}

    def done(township) -> bool:
        have = set(TownshipResponse.objects.filter(township=township, checklist__in=wanted)
                   .values_list("checklist_id", flat=True))
        return have == wanted

    for built in plan.each_township(STEP, done):
        _township(plan, built, checklists, reviewer)


def _reviewer(plan: ScalePlan):
    from presidium.choices import Role
    from presidium.models import User

    return (User.objects.filter(role_assignments__role=Role.COUNTY_REVIEWER, is_active=True).order_by("pk").first()
            or plan.admin)


def _period(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 10, 1), dt.date(year, 12, 31)


def ensure_checklists(plan: ScalePlan, reviewer) -> list[Checklist]:
    """Each year's checklist of the county, made once (found by title afterwards), with its items."""
    from django.db import transaction

    from presidium.calendar.services import add_working_days

    titles = {year: TITLE.format(year=year) for year in plan.year_list}
    with transaction.atomic():
        have = {c.title: c for c in Checklist.objects.filter(county=plan.county, title__in=titles.values())}
        missing = []
        for year, title in titles.items():
            if title in have:
                continue
            start, end = _period(year)
            published_on = start
            plan_due = add_working_days(published_on, 3, county=plan.county.pk)
            current = year == plan.today.year
            missing.append(Checklist(
                county=plan.county, title=title, period_kind=PeriodKind.QUARTER, period_start=start, period_end=end,
                responses_due=end - dt.timedelta(days=10), plan_working_days=3, plan_due=plan_due.date,
                plan_due_provisional=plan_due.provisional, created_by=reviewer,
                created_at=plan.at(start - dt.timedelta(days=5)), published_by=reviewer,
                published_at=plan.at(published_on, 10),
                state=ChecklistState.PUBLISHED if current else ChecklistState.CLOSED,
                closed_at=None if current else plan.at(dt.date(year + 1, 1, 20), 16)))
        made = plan.bulk(Checklist, missing)
        plan.bulk(ChecklistItem, [
            ChecklistItem(checklist=c, section=section, position=position, title=title, guidance=guidance,
                          points=Decimal(points), evidence_expected=evidence, indicator_key=key, target=target)
            for c in made for position, (section, title, guidance, points, evidence, key, target)
            in enumerate(ITEMS, start=1)])
    checklists = list(Checklist.objects.filter(county=plan.county, title__in=titles.values())
                      .prefetch_related("items").order_by("period_start"))
    return checklists


def _entry(moment, by, text) -> dict:
    return {"at": _stamp(moment), "by": _who(by), "text": as_stored(text)}


def _township(plan: ScalePlan, built: ScaleTownship, checklists: list[Checklist], reviewer) -> None:
    township, staff = built.township, built.staff or plan.admin
    have = set(TownshipResponse.objects.filter(township=township).values_list("checklist_id", flat=True))
    responses, answers_of = [], {}
    for checklist in checklists:
        if checklist.pk in have:
            continue
        rng = plan.rng(STEP, township.name, checklist.period_start.year)
        response, answers = _response(plan, checklist, township, staff, reviewer, rng)
        responses.append(response)
        answers_of[id(response)] = answers
    responses = plan.bulk(TownshipResponse, responses)
    answers, scores = [], []
    for response in responses:
        rows, item_scores = answers_of[id(response)]
        for row in rows:
            row.response = response
        for score in item_scores:
            score.response = response
        answers.extend(rows)
        scores.extend(item_scores)
    answers = plan.bulk(ItemResponse, answers)
    plan.bulk(ItemScore, scores)
    evidence = []
    for row in answers:
        if row.item.indicator_key and row.figure is not None:
            response = row.response
            reviewed = response.state == ResponseState.FINALISED
            questioned = response.state == ResponseState.RETURNED and row.item.position == 3
            state = ReviewState.ACCEPTED if reviewed else (ReviewState.QUESTIONED if questioned
                                                            else ReviewState.PENDING)
            evidence.append(Evidence(
                answer=row, kind=EvidenceKind.RECORD, indicator_key=row.item.indicator_key,
                record_label=f"{row.item.indicator_label}：{row.figure}（平台统计，{response.checklist.period_start:%Y}"
                             f"年第4季度）", review_state=state,
                review_note="走访记录与选民反映不一致，请核实。" if questioned else "",
                reviewed_by=reviewer if state != ReviewState.PENDING else None,
                reviewed_at=(response.finalised_at or response.returned_at) if state != ReviewState.PENDING else None,
                added_by=staff, added_at=response.submitted_at))
    evidence = plan.bulk(Evidence, evidence)
    plan.bulk(EvidenceReview, [
        EvidenceReview(evidence=e, state=e.review_state, note=e.review_note, by=reviewer, at=e.reviewed_at)
        for e in evidence if e.review_state != ReviewState.PENDING])


def _figure(item, rng) -> Decimal:
    target = item.target or Decimal("1")
    return (target * Decimal(str(round(rng.uniform(0.7, 1.3), 2)))).quantize(Decimal("0.01"))


def _response(plan: ScalePlan, checklist: Checklist, township, staff, reviewer, rng):
    """An unsaved response in its state, with its unsaved answers and scores (to be pointed at it)."""
    items = list(checklist.items.all())
    start, due = checklist.period_start, checklist.responses_due
    published = checklist.published_at
    current = checklist.state != ChecklistState.CLOSED
    if current:
        draw = rng.random()
        state = (ResponseState.DRAFT if draw < 0.4 else ResponseState.SUBMITTED if draw < 0.75
                 else ResponseState.RETURNED)
    else:
        state = ResponseState.FINALISED
    latest = min(due, plan.today - dt.timedelta(days=1)) if current else due
    response = TownshipResponse(checklist=checklist, township=township, state=state,
                                timeline=[_entry(published, reviewer, record(_l("县人大发布考评清单")))])
    saved = plan.random_day(rng, start + dt.timedelta(days=1), min(latest, start + dt.timedelta(days=8)))
    if state != ResponseState.DRAFT or rng.random() < 0.6:
        response.plan, response.plan_saved_at = PLAN_TEXT, plan.at(saved, 16)
    answered = items if state != ResponseState.DRAFT else items[: rng.randint(0, len(items))]
    submitted_on = plan.random_day(rng, max(saved, latest - dt.timedelta(days=12)), latest)
    if state != ResponseState.DRAFT:
        response.submitted_by, response.submitted_at = staff, plan.at(submitted_on, 17)
        response.timeline.append(_entry(response.submitted_at, staff, record(_l("乡镇提交填报"))))
    if state == ResponseState.RETURNED:
        returned_on = min(plan.today, submitted_on + dt.timedelta(days=rng.randint(1, 5)))
        response.returned_by, response.returned_at = reviewer, plan.at(returned_on, 11)
        response.return_comment = RETURN_COMMENT
        response.timeline.append(_entry(response.returned_at, reviewer,
                                        record(_l("县人大退回重报：%(comment)s"), {"comment": RETURN_COMMENT})))
    answers, scores = [], []
    answer_time = plan.at(min(submitted_on, latest), 15)
    finalised_at = plan.at(dt.date(start.year + 1, 1, 5 + rng.randint(0, 10)), 10)
    for n, item in enumerate(answered):
        answer = rng.choices([Answer.DONE, Answer.PARTLY, Answer.NOT_DONE], weights=[75, 20, 5])[0]
        figure = _figure(item, rng) if item.indicator_key and state != ResponseState.DRAFT else None
        row = ItemResponse(item=item, answer=answer, note="已按要求完成，材料见附件。" if answer == Answer.DONE
                           else "部分完成，原因见说明。", figure=figure, updated_by=staff, updated_at=answer_time)
        answers.append(row)
        if state == ResponseState.FINALISED:
            lost = {Answer.DONE: Decimal(rng.choice([0, 0, 0, 1])), Answer.PARTLY: Decimal(rng.randint(2, 5)),
                    Answer.NOT_DONE: item.points}[answer]
            lost = min(lost, item.points)
            scores.append(ItemScore(item=item, score=item.points - lost, comment="材料不够完整" if lost else "",
                                    scored_by=reviewer, scored_at=finalised_at - dt.timedelta(hours=2 + n)))
    if state == ResponseState.FINALISED:
        total = sum((s.score for s in scores), Decimal("0"))
        response.finalised_by, response.finalised_at, response.total = reviewer, finalised_at, total
        response.timeline.append(_entry(finalised_at, reviewer,
                                        record(_l("县人大定稿，总分 %(total)s"), {"total": total})))
    return response, (answers, scores)
