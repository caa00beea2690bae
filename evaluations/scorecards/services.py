"""County scorecards: every state change, one function each (DESIGN rules 1 and 2).

:data:`RESPONSE_TRANSITIONS` is the one table of a township response's lifecycle; :func:`response_refusal`
says in words why a step is not possible now, and :func:`edit_lock` why the township can no longer change
its answers and who may lift the lock (shown on the disabled buttons, as reception duties do).

Computed records: while the township is filling in, the response page shows each indicator's figure and
records live; when it submits, the figure and the records are attached to the answer as evidence, frozen
with what it submitted (a record added later does not change a submitted scorecard). A send-back and a new
submission refresh them, keeping the review state of records that are still there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
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
from evaluations.scorecards import indicators
from evaluations.scorecards.access import may_manage, may_reopen, may_respond
from evaluations.scorecards.choices import (
    Answer,
    ChecklistState,
    EvidenceKind,
    PeriodKind,
    ResponseAction,
    ResponseState,
    ReviewState,
)
from presidium.documents.storage import RemoveFilesOnError
from presidium.records import as_stored, record

MAX_RECORDS_PER_ITEM = 200  # a figure over more records still counts them all; the evidence lists the first 200
MAX_FILES_PER_ANSWER = 10


@dataclass(frozen=True)
class Transition:
    to: ResponseState
    who: str  # "township": its chair or staff; "reviewer": the county's reviewers and admins; "admin": county admin


RESPONSE_TRANSITIONS: dict[tuple[ResponseState, ResponseAction], Transition] = {
    (ResponseState.DRAFT, ResponseAction.SUBMIT): Transition(ResponseState.SUBMITTED, "township"),
    (ResponseState.RETURNED, ResponseAction.SUBMIT): Transition(ResponseState.SUBMITTED, "township"),
    (ResponseState.SUBMITTED, ResponseAction.RETURN): Transition(ResponseState.RETURNED, "reviewer"),
    (ResponseState.SUBMITTED, ResponseAction.FINALISE): Transition(ResponseState.FINALISED, "reviewer"),
    (ResponseState.FINALISED, ResponseAction.REOPEN): Transition(ResponseState.SUBMITTED, "admin"),
}


@dataclass(frozen=True)
class Lock:
    """Why the township's answers are locked, and who may lift the lock."""

    reason: str
    lifted_by: str

    def __str__(self) -> str:
        return f"{self.reason}{self.lifted_by}"


def today() -> dt.date:
    return timezone.localdate()


def _who(user) -> str:
    return (getattr(user, "real_name", "") or user.get_full_name() or user.username) if user else ""


def _stamp(moment=None) -> str:
    """When, as people read it: Asia/Shanghai, to the minute."""
    return timezone.localtime(moment or timezone.now()).strftime("%Y-%m-%d %H:%M")


def _log(response: TownshipResponse, text, by) -> None:
    response.timeline = [*response.timeline, {"at": _stamp(),
                                              "by": _who(by), "text": as_stored(text)}]


# --- locks and refusals ------------------------------------------------------------------------------


def edit_lock(response: TownshipResponse, *, on: dt.date | None = None) -> Lock | None:
    """Why the township can no longer change its plan, answers and files (None: it can)."""
    on = on or today()
    checklist = response.checklist
    if checklist.state == ChecklistState.CLOSED:
        return Lock(_("本期考评已结束。"), _("不能再修改。"))
    if response.state == ResponseState.FINALISED:
        return Lock(_("已定稿（%(date)s）。") % {"date": f"{timezone.localtime(response.finalised_at):%Y-%m-%d}"},
                    _("只有县人大常委会管理员可以撤销定稿。"))
    if response.state == ResponseState.SUBMITTED:
        return Lock(_("已于 %(date)s 提交，等待县人大审阅。") % {
            "date": f"{timezone.localtime(response.submitted_at):%Y-%m-%d}"},
            _("如需修改，请县人大审阅人退回重报。"))
    if on > response.due_date:
        return Lock(_("已过填报截止日期（%(date)s）。") % {"date": f"{response.due_date:%Y-%m-%d}"},
                    _("县人大审阅人可以退回并给出补报截止日期。"))
    return None


def _unanswered(response: TownshipResponse) -> int:
    answered = set(response.answers.exclude(answer="").values_list("item_id", flat=True))
    return sum(1 for pk in response.checklist.items.values_list("pk", flat=True) if pk not in answered)


def _unscored(response: TownshipResponse) -> int:
    scored = set(response.scores.values_list("item_id", flat=True))
    return sum(1 for pk in response.checklist.items.values_list("pk", flat=True) if pk not in scored)


def _refusal(response: TownshipResponse, action: ResponseAction, user, on: dt.date) -> tuple[str, str] | None:
    """("role" | "state", the sentence) when ``user`` may not take ``action`` now, else None."""
    step = RESPONSE_TRANSITIONS.get((ResponseState(response.state), action))
    if step is None:
        # Shown after "不能<action>：" on the page: the sentence gives the state, not the action again.
        return "state", _("当前状态为“%(state)s”。") % {"state": response.get_state_display()}
    county_id = response.checklist.county_id
    if step.who == "township" and not may_respond(user, response.township):
        return "role", _("只有本乡镇人大主席、人大办工作人员可以%(action)s。") % {"action": action.label}
    if step.who == "reviewer" and not may_manage(user, county_id):
        return "role", _("只有县人大审阅人可以%(action)s。") % {"action": action.label}
    if step.who == "admin" and not may_reopen(user, county_id):
        return "role", _("只有县人大常委会管理员可以撤销定稿。")
    if response.checklist.state == ChecklistState.CLOSED:
        return "state", _("本期考评已结束。")
    if action == ResponseAction.SUBMIT:
        lock = edit_lock(response, on=on)
        if lock is not None:
            return "state", str(lock)
        missing = _unanswered(response)
        if missing:
            return "state", _("还有 %(n)s 个事项没有填写完成情况。") % {"n": missing}
    if action == ResponseAction.FINALISE:
        missing = _unscored(response)
        if missing:
            return "state", _("还有 %(n)s 个事项没有评分。") % {"n": missing}
    return None


def response_refusal(response: TownshipResponse, action: ResponseAction | str, user, *,
                     on: dt.date | None = None) -> str | None:
    """Why ``user`` may not take ``action`` on ``response`` now (a sentence), or None when the step is allowed."""
    found = _refusal(response, ResponseAction(action), user, on or today())
    return found[1] if found else None


def _step(response: TownshipResponse, action: ResponseAction, by, on: dt.date | None = None) -> Transition:
    found = _refusal(response, action, by, on or today())
    if found is None:
        return RESPONSE_TRANSITIONS[(ResponseState(response.state), action)]
    kind, message = found
    if kind == "role":
        raise PermissionDenied(message)
    raise ValidationError(message)


def _lock_response(response: TownshipResponse) -> TownshipResponse:
    return TownshipResponse.objects.select_for_update(of=("self",)).select_related("checklist", "township").get(pk=response.pk)


def _require_editable(response: TownshipResponse, by, on: dt.date | None = None) -> None:
    if not may_respond(by, response.township):
        raise PermissionDenied(_("只有本乡镇人大主席、人大办工作人员可以填报。"))
    lock = edit_lock(response, on=on)
    if lock is not None:
        raise ValidationError(str(lock))


def _require_reviewer(checklist: Checklist, by) -> None:
    if not may_manage(by, checklist.county_id):
        raise PermissionDenied(_("只有县人大审阅人可以办理。"))


# --- checklists -----------------------------------------------------------------------------------------


def _require_draft(checklist: Checklist) -> None:
    if checklist.state != ChecklistState.DRAFT:
        raise ValidationError(_("清单已发布，事项不能再改；如需调整，请复制为新一期清单。"))


def checklist_create(*, county, title: str, period_kind: str, period_start: dt.date, period_end: dt.date,
                     responses_due: dt.date, plan_working_days: int = 3, by) -> Checklist:
    """起草一期考评清单 (draft)."""
    if not may_manage(by, county.pk):
        raise PermissionDenied
    with transaction.atomic():
        checklist = Checklist(county=county, title=title.strip(), period_kind=period_kind, period_start=period_start,
                              period_end=period_end, responses_due=responses_due,
                              plan_working_days=plan_working_days, created_by=by)
        checklist.full_clean()
        checklist.save()
    return checklist


def checklist_update(*, checklist: Checklist, by, **fields) -> Checklist:
    """Change a draft checklist's title, period or dates."""
    allowed = {"title", "period_kind", "period_start", "period_end", "responses_due", "plan_working_days"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    _require_reviewer(checklist, by)
    with transaction.atomic():
        checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
        _require_draft(checklist)
        for name, value in fields.items():
            setattr(checklist, name, value)
        checklist.full_clean()
        checklist.save(update_fields=list(fields))
    return checklist


def _clean_indicator(key: str) -> str:
    if key and indicators.get_indicator(key) is None:
        raise ValidationError({"indicator_key": _("没有这个平台指标。")})
    return key


def checklist_item_save(*, checklist: Checklist, by, item: ChecklistItem | None = None, title: str,
                        points: Decimal, section: str = "", position: int | None = None, guidance: str = "",
                        evidence_expected: str = "", indicator_key: str = "",
                        target: Decimal | None = None) -> ChecklistItem:
    """Add an item to a draft checklist, or change one."""
    _require_reviewer(checklist, by)
    with transaction.atomic():
        checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
        _require_draft(checklist)
        if item is None:
            item = ChecklistItem(checklist=checklist)
            if position is None:
                position = (checklist.items.aggregate(m=Max("position"))["m"] or 0) + 1
        elif item.checklist_id != checklist.pk:
            raise ValidationError(_("事项不属于这份清单。"))
        item.title, item.points, item.section = title.strip(), points, section.strip()
        item.position = position if position is not None else item.position
        item.guidance, item.evidence_expected = guidance, evidence_expected
        item.indicator_key, item.target = _clean_indicator(indicator_key), target
        item.full_clean()
        item.save()
    return item


def checklist_item_delete(*, item: ChecklistItem, by) -> None:
    _require_reviewer(item.checklist, by)
    with transaction.atomic():
        checklist = Checklist.objects.select_for_update().get(pk=item.checklist_id)
        _require_draft(checklist)
        item.delete()


def _staff_of(township_ids) -> list:
    from presidium.access import STAFF_ROLES
    from presidium.models import User

    return list(User.objects.filter(is_active=True, role_assignments__role__in=sorted(STAFF_ROLES),
                                    role_assignments__township_id__in=list(township_ids)).distinct())


def _notify(recipients, title, url: str, target, by) -> None:
    from presidium.notifications.services import notify

    notify(recipients=recipients, title=as_stored(title)[:200], url=url, kind="scorecards", target=target, by=by,
           channels=())


def checklist_publish(*, checklist: Checklist, by, on: dt.date | None = None) -> Checklist:
    """发布: every township of the county gets its response to fill in; the plan is due in N working days."""
    from presidium.calendar.services import add_working_days
    from presidium.models import Township

    _require_reviewer(checklist, by)
    now = timezone.now()
    on = on or timezone.localdate(now)
    with transaction.atomic():
        checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
        if checklist.state != ChecklistState.DRAFT:
            raise ValidationError(_("清单已经发布过了。"))
        if not checklist.items.exists():
            raise ValidationError(_("清单还没有事项，请先添加事项再发布。"))
        if checklist.responses_due < on:
            raise ValidationError({"responses_due": _("填报截止日期已过，请先修改截止日期。")})
        townships = list(Township.objects.filter(county_id=checklist.county_id).order_by("pk"))
        if not townships:
            raise ValidationError(_("本县还没有乡镇。"))
        if checklist.plan_working_days:
            deadline = add_working_days(on, checklist.plan_working_days, county=checklist.county_id)
            checklist.plan_due, checklist.plan_due_provisional = deadline.date, deadline.provisional
        checklist.state, checklist.published_by, checklist.published_at = ChecklistState.PUBLISHED, by, now
        checklist.full_clean()
        checklist.save(update_fields=["state", "published_by", "published_at", "plan_due", "plan_due_provisional"])
        responses = [TownshipResponse(checklist=checklist, township=t, timeline=[{
            "at": _stamp(now), "by": _who(by),
            "text": as_stored(record(_l("县人大发布考评清单")))}]) for t in townships]
        TownshipResponse.objects.bulk_create(responses)
        _notify(_staff_of([t.pk for t in townships]),
                record(_l("县人大发布了考评清单：%(title)s，请于 %(due)s 前填报"),
                       {"title": checklist.title, "due": f"{checklist.responses_due:%Y-%m-%d}"}),
                checklist.get_absolute_url(), checklist, by)
    return checklist


def checklist_close(*, checklist: Checklist, by) -> Checklist:
    """结束本期考评: nothing can be changed any more."""
    _require_reviewer(checklist, by)
    with transaction.atomic():
        checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
        if checklist.state != ChecklistState.PUBLISHED:
            raise ValidationError(_("只有已发布的清单可以结束。"))
        checklist.state, checklist.closed_at = ChecklistState.CLOSED, timezone.now()
        checklist.save(update_fields=["state", "closed_at"])
    return checklist


def next_period(kind: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """The period after the one starting at ``start`` (a quarter or a month), as (first day, last day)."""
    months = 3 if kind == PeriodKind.QUARTER else 1
    month = start.month - 1 + months
    first = dt.date(start.year + month // 12, month % 12 + 1, 1)
    month = first.month - 1 + months
    after = dt.date(first.year + month // 12, month % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


def checklist_copy(*, source: Checklist, by) -> Checklist:
    """复制为下一期: a draft for the following quarter or month with the same items, dates moved along."""
    _require_reviewer(source, by)
    start, end = next_period(source.period_kind, source.period_start)
    # As many days before the period's end as before (the 20th of the quarter's last month stays the 20th).
    due = max(start, end - (source.period_end - source.responses_due))
    title = source.title
    label = (f"{start.year}年第{(start.month - 1) // 3 + 1}季度" if source.period_kind == PeriodKind.QUARTER
             else f"{start.year}年{start.month}月")
    title = f"{label}{_strip_period(title)}"
    with transaction.atomic():
        copy = Checklist(county=source.county, title=title[:120], period_kind=source.period_kind,
                         period_start=start, period_end=end, responses_due=due,
                         plan_working_days=source.plan_working_days, copied_from=source, created_by=by)
        copy.full_clean()
        copy.save()
        ChecklistItem.objects.bulk_create([
            ChecklistItem(checklist=copy, section=i.section, position=i.position, title=i.title, guidance=i.guidance,
                          points=i.points, evidence_expected=i.evidence_expected, indicator_key=i.indicator_key,
                          target=i.target) for i in source.items.all()])
    return copy


def _strip_period(title: str) -> str:
    """"2026年第3季度乡镇人大工作指导清单" → "乡镇人大工作指导清单" (the copy gets its own period)."""
    import re

    return re.sub(r"^\d{4}年(第[一二三四1-4]季度|\d{1,2}月)", "", title).strip() or title


# --- the township's answers -----------------------------------------------------------------------------


def township_response_plan_save(*, response: TownshipResponse, plan: str, by) -> TownshipResponse:
    """报送工作计划 (耒阳: within 3 working days of the prompt)."""
    with transaction.atomic():
        response = _lock_response(response)
        _require_editable(response, by)
        response.plan, response.plan_saved_at = plan.strip(), timezone.now()
        response.full_clean()
        response.save(update_fields=["plan", "plan_saved_at"])
    return response


def item_answer_save(*, response: TownshipResponse, item: ChecklistItem, answer: str, note: str = "",
                     files=(), by, on: dt.date | None = None) -> ItemResponse:
    """Answer one item (已完成 / 部分完成 / 未完成) with a note and evidence files; every file is checked first."""
    from presidium.documents.uploads import check_upload

    if item.checklist_id != response.checklist_id:
        raise ValidationError(_("事项不属于这份清单。"))
    if answer not in Answer.values:
        raise ValidationError({"answer": _("请选择完成情况。")})
    files = list(files)
    checked = [check_upload(f) for f in files]  # raises in Chinese before anything is written
    with RemoveFilesOnError() as written, transaction.atomic():
        response = _lock_response(response)
        _require_editable(response, by, on)
        row, _created = ItemResponse.objects.get_or_create(response=response, item=item)
        if row.evidence.filter(kind=EvidenceKind.FILE).count() + len(checked) > MAX_FILES_PER_ANSWER:
            raise ValidationError({"files": _("每个事项最多上传 %(n)s 个文件。") % {"n": MAX_FILES_PER_ANSWER}})
        row.answer, row.note, row.updated_by = answer, note.strip(), by
        row.full_clean()
        row.save()
        for upload in checked:
            evidence = Evidence(answer=row, kind=EvidenceKind.FILE, file_name=upload.original_name[:200],
                                content_type=upload.content_type, inline=upload.inline, added_by=by)
            evidence.file.save(f"evidence{upload.suffix}", upload.content, save=False)
            written.append((evidence.file.storage, evidence.file.name))
            evidence.full_clean()
            evidence.save()
    return row


def evidence_remove(*, evidence: Evidence, by) -> None:
    """Take back an uploaded file while the response can still be changed."""
    if evidence.kind != EvidenceKind.FILE:
        raise ValidationError(_("平台记录由系统附上，不能删除。"))
    with transaction.atomic():
        response = _lock_response(evidence.answer.response)
        _require_editable(response, by)
        name, storage = evidence.file.name, evidence.file.storage
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def _attach_records(response: TownshipResponse, by) -> None:
    """Freeze each indicator's figure and its records onto the answers (see the module docstring)."""
    checklist = response.checklist
    items = [i for i in checklist.items.all() if i.indicator_key and indicators.get_indicator(i.indicator_key)]
    for item in items:
        found = indicators.measure(item.indicator_key, response.township, checklist.period_start,
                                   checklist.period_end)
        row, _created = ItemResponse.objects.get_or_create(response=response, item=item)
        row.figure = found.figure
        row.save(update_fields=["figure", "updated_at"])
        wanted = {}
        for obj in found.records[:MAX_RECORDS_PER_ITEM]:
            url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
            wanted[url or f"{obj._meta.label}:{obj.pk}"] = (found.indicator.record_label(obj), url)
        existing = {(e.record_url or e.record_label): e for e in row.evidence.filter(kind=EvidenceKind.RECORD)}
        stale = [e.pk for key, e in existing.items() if key not in wanted]
        Evidence.objects.filter(pk__in=stale).delete()
        Evidence.objects.bulk_create([
            Evidence(answer=row, kind=EvidenceKind.RECORD, indicator_key=item.indicator_key, record_label=label,
                     record_url=url, added_by=by)
            for key, (label, url) in wanted.items() if key not in existing])


def township_response_submit(*, response: TownshipResponse, by, on: dt.date | None = None) -> TownshipResponse:
    """提交: the answers are frozen; the portal's records are attached as evidence."""
    with transaction.atomic():
        response = _lock_response(response)
        step = _step(response, ResponseAction.SUBMIT, by, on)
        _attach_records(response, by)
        response.state, response.submitted_by, response.submitted_at = step.to, by, timezone.now()
        _log(response, record(_l("乡镇提交填报")), by)
        response.full_clean()
        response.save(update_fields=["state", "submitted_by", "submitted_at", "timeline"])
    return response


def township_response_return(*, response: TownshipResponse, comment: str, by,
                             reopened_until: dt.date | None = None, on: dt.date | None = None) -> TownshipResponse:
    """退回重报: the reviewer sends the response back with comments (and, past the due date, a new one)."""
    on = on or today()
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("请写明退回意见，乡镇据此修改。")})
    with transaction.atomic():
        response = _lock_response(response)
        step = _step(response, ResponseAction.RETURN, by, on)
        if reopened_until is not None and reopened_until < on:
            raise ValidationError({"reopened_until": _("补报截止日期不能早于今天。")})
        if reopened_until is None and response.due_date < on:
            raise ValidationError({"reopened_until": _("填报截止日期已过，请给出补报截止日期，否则乡镇无法修改。")})
        response.state, response.returned_by, response.returned_at = step.to, by, timezone.now()
        response.return_comment, response.reopened_until = comment, reopened_until or response.reopened_until
        _log(response, record(_l("县人大退回重报：%(comment)s"), {"comment": comment}), by)
        response.full_clean()
        response.save(update_fields=["state", "returned_by", "returned_at", "return_comment", "reopened_until",
                                     "timeline"])
        _notify(_staff_of([response.township_id]),
                record(_l("考评填报被退回：%(title)s"), {"title": response.checklist.title}),
                response.get_absolute_url(), response, by)
    return response


# --- the reviewer's part ----------------------------------------------------------------------------------


def _parse_score(value) -> Decimal:
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"score": _("请输入数字得分。")}) from None
    if not score.is_finite():
        raise ValidationError({"score": _("请输入数字得分。")})
    return score


def item_score_set(*, response: TownshipResponse, item: ChecklistItem, score, comment: str = "",
                   by) -> ItemScore:
    """评分: within 0 … the item's points, on a submitted response."""
    if item.checklist_id != response.checklist_id:
        raise ValidationError(_("事项不属于这份清单。"))
    score = _parse_score(score)
    with transaction.atomic():
        response = _lock_response(response)
        _require_reviewer(response.checklist, by)
        if response.state != ResponseState.SUBMITTED:
            raise ValidationError(_("只能给已提交、未定稿的填报评分（当前：%(state)s）。") % {
                "state": response.get_state_display()})
        if score < 0 or score > item.points:
            raise ValidationError({"score": _("得分须在 0 到 %(points)s 分之间。") % {"points": item.points}})
        if score != score.quantize(Decimal("0.1")):
            raise ValidationError({"score": _("得分最多保留一位小数。")})
        row, _created = ItemScore.objects.get_or_create(response=response, item=item,
                                                        defaults={"score": score, "scored_by": by})
        row.score, row.comment, row.scored_by = score, comment.strip(), by
        row.full_clean()
        row.save()
    return row


def township_response_finalise(*, response: TownshipResponse, by, on: dt.date | None = None) -> TownshipResponse:
    """定稿: every item scored; the total is fixed and counts in the ranking."""
    with transaction.atomic():
        response = _lock_response(response)
        step = _step(response, ResponseAction.FINALISE, by, on)
        total = sum((s.score for s in response.scores.all()), Decimal("0"))
        response.state, response.finalised_by, response.finalised_at = step.to, by, timezone.now()
        response.total = total
        _log(response, record(_l("县人大定稿，总分 %(total)s"), {"total": total}), by)
        response.full_clean()
        response.save(update_fields=["state", "finalised_by", "finalised_at", "total", "timeline"])
        _notify(_staff_of([response.township_id]),
                record(_l("考评已定稿：%(title)s，得分 %(total)s"), {"title": response.checklist.title, "total": total}),
                response.get_absolute_url(), response, by)
    return response


def township_response_reopen(*, response: TownshipResponse, reason: str, by,
                             on: dt.date | None = None) -> TownshipResponse:
    """撤销定稿 (county admin): back to submitted, so scores can be corrected; the reason is kept."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请写明撤销定稿的原因。")})
    with transaction.atomic():
        response = _lock_response(response)
        step = _step(response, ResponseAction.REOPEN, by, on)
        response.state, response.total, response.finalised_at, response.finalised_by = step.to, None, None, None
        _log(response, record(_l("撤销定稿：%(reason)s"), {"reason": reason}), by)
        response.full_clean()
        response.save(update_fields=["state", "total", "finalised_at", "finalised_by", "timeline"])
    return response


def evidence_review_set(*, evidence: Evidence, state: str, note: str = "", by) -> Evidence:
    """审核佐证材料: 认可 / 存疑 / 不认可 with a note (required unless accepted); each change is kept."""
    if state not in ReviewState.values or state == ReviewState.PENDING:
        raise ValidationError({"state": _("请选择审核结果。")})
    note = note.strip()
    if state != ReviewState.ACCEPTED and not note:
        raise ValidationError({"note": _("存疑或不认可时请写明理由。")})
    with transaction.atomic():
        evidence = Evidence.objects.select_for_update(of=("self",)).select_related("answer__response__checklist").get(
            pk=evidence.pk)
        response = evidence.answer.response
        _require_reviewer(response.checklist, by)
        if response.state == ResponseState.FINALISED:
            raise ValidationError(_("已定稿，不能再改审核结果；如需修改，请县人大常委会管理员撤销定稿。"))
        if response.state not in (ResponseState.SUBMITTED, ResponseState.RETURNED):
            raise ValidationError(_("乡镇还没有提交，暂不能审核。"))
        evidence.review_state, evidence.review_note = state, note
        evidence.reviewed_by, evidence.reviewed_at = by, timezone.now()
        evidence.full_clean()
        evidence.save(update_fields=["review_state", "review_note", "reviewed_by", "reviewed_at"])
        EvidenceReview.objects.create(evidence=evidence, state=state, note=note, by=by)
    return evidence
