"""Handling: answer on the spot, accept or not, transfer, the unit's reply, the written answer, extension,
return visit, closing (息访), key supervision, 领导包案 and the referred case's result reported upward."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from petitions import clocks, lifecycle
from petitions.access import UNIT_REPLY, is_staff_for
from petitions.choices import (
    Action,
    Channel,
    ClockKind,
    EventKind,
    FeedbackResult,
    Findings,
    NoticeKind,
    PetitionStatus,
    Resolution,
    ReturnVisitMethod,
)
from petitions.models import Petition, PetitionClock, PetitionTransfer, ReturnVisit
from petitions.services.common import (
    check_date,
    clean_text,
    label,
    lock,
    log,
    move,
    require_staff,
    save,
    tell,
)
from petitions.services.notices import notice_issue
from presidium.access import has_perm, scope_of
from presidium.records import label as choice_label
from presidium.records import record

S = PetitionStatus


def answer_on_spot(petition: Petition, *, by, answer: str, on: dt.date, with_clock: bool = True) -> Petition:
    """The move itself (also used by registration with an answer given at the desk)."""
    answer = clean_text(answer)
    if not answer:
        raise ValidationError({"answer": _("请填写当场答复的内容。")})
    move(petition, Action.ANSWER_ON_SPOT, by=by)
    petition.on_spot_answer = answer
    save(petition, by, ["status", "on_spot_answer"])
    if with_clock:
        clocks.clocks_stop(petition=petition, kinds=[ClockKind.ACCEPTANCE], stopped_on=on,
                           stop_event=Action.ANSWER_ON_SPOT.label)
    clocks.refresh_next_due(petition)
    return petition


@transaction.atomic
def petition_answer_on_spot(*, petition: Petition, by, answer: str, on: dt.date | None = None) -> Petition:
    """当场答复: the matter is answered at the desk; the acceptance clock stops (no notice needed)."""
    petition = lock(petition)
    require_staff(by, petition)
    on = check_date(on, "on", not_before=petition.received_on, not_before_label=_("收到日期"))
    return answer_on_spot(petition, by=by, answer=answer, on=on)


@transaction.atomic
def petition_accept(*, petition: Petition, by, on: dt.date | None = None, body: str = "", public_body: str = "",
                    category=None) -> Petition:
    """受理: issue the 受理告知书, which stops the acceptance clock and starts the 60-day completion clock."""
    petition = lock(petition)
    require_staff(by, petition)
    on = check_date(on, "on", not_before=petition.received_on, not_before_label=_("收到日期"))
    move(petition, Action.ACCEPT, by=by)
    petition.accepted_on = on
    fields = ["status", "accepted_on"]
    if category is not None:
        if category.township_id != petition.township_id:
            raise ValidationError({"category": _("请选择本乡镇的信访类别。")})
        petition.category = category
        fields.append("category")
    save(petition, by, fields)
    notice_issue(petition=petition, kind=NoticeKind.ACCEPTANCE, by=by, issued_on=on, body=body,
                 public_body=public_body)
    return petition


@transaction.atomic
def petition_reject(*, petition: Petition, by, reason: str, on: dt.date | None = None, body: str = "",
                    public_body: str = "") -> Petition:
    """不予受理 with the reason: issue the 不予受理告知书, which stops the acceptance clock."""
    petition = lock(petition)
    require_staff(by, petition)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("请写明不予受理的理由（将写入不予受理告知书）。")})
    on = check_date(on, "on", not_before=petition.received_on, not_before_label=_("收到日期"))
    move(petition, Action.REJECT, by=by, note=reason)
    petition.rejection_reason = reason
    save(petition, by, ["status", "rejection_reason"])
    notice_issue(petition=petition, kind=NoticeKind.NON_ACCEPTANCE, by=by, issued_on=on, body=body,
                 public_body=public_body, reason=reason)
    return petition


def handling_clock(petition: Petition) -> PetitionClock | None:
    """The running completion (or extension) clock: the limit a transfer's due date must keep within."""
    return clocks.running(petition, clocks.HANDLING_KINDS)


def open_transfer(petition: Petition) -> PetitionTransfer | None:
    return (PetitionTransfer.objects.select_for_update(of=("self",)).select_related("unit", "owner_user")
            .filter(petition=petition, replied_at__isnull=True, cancelled_at__isnull=True).first())


def _make_transfer(petition: Petition, *, by, unit, owner_name: str, owner_user, due_on: dt.date | None,
                   note: str, on: dt.date) -> PetitionTransfer:
    errors: dict[str, list] = {}
    if unit is None or unit.township_id != petition.township_id or not unit.is_active:
        errors["unit"] = [_("请选择本乡镇在用的承办单位。")]
    owner_name = clean_text(owner_name) or (owner_user.real_name if owner_user is not None else "")
    if not owner_name:
        errors["owner_name"] = [_("请写明承办单位的责任人。")]
    clock = handling_clock(petition)
    # Past the statutory limit already (an overdue case), the unit gets the day of the transfer, no later.
    limit = max(clock.due_on, on) if clock else None
    due_on = due_on or limit
    if due_on is None:
        errors["due_on"] = [_("请填写办结期限。")]
    elif due_on < on:
        errors["due_on"] = [_("办结期限不能早于转办日期。")]
    elif limit and due_on > limit:
        errors["due_on"] = [_("办结期限不能晚于法定办理期限（%(limit)s）。") % {"limit": limit}]
    if errors:
        raise ValidationError(errors)
    transfer = PetitionTransfer(petition=petition, unit=unit, owner_name=owner_name[:50], owner_user=owner_user,
                                due_on=due_on, note=clean_text(note), transferred_by=by)
    transfer._history_user = by
    transfer.full_clean()
    transfer.save()
    petition.current_unit = unit
    notice_issue(petition=petition, kind=NoticeKind.TRANSFER, by=by, issued_on=on, transfer=transfer,
                 body=transfer.note and f"{_transfer_intro(petition)}\n{transfer.note}" or "")
    from petitions.selectors import unit_liaisons

    told = [*unit_liaisons([unit.pk]), owner_user]
    tell(petition, recipients=told, by=by, kind="petitions.transferred",
         title=record(_l("转办信访件：%(label)s，请于 %(due)s 前办结并回复"), {"label": label(petition), "due": due_on}))
    return transfer


def _transfer_intro(petition: Petition) -> str:
    from petitions.services.notices import default_body
    from presidium.records import as_stored

    return as_stored(default_body(petition, NoticeKind.TRANSFER))


@transaction.atomic
def petition_transfer(*, petition: Petition, by, unit, owner_name: str = "", owner_user=None,
                      due_on: dt.date | None = None, note: str = "", on: dt.date | None = None) -> PetitionTransfer:
    """转办 to a unit with a named owner and a due date within the completion limit; issues the 转办单.

    On a case already transferred, this is 改办: the open transfer is withdrawn and the new unit takes over.
    """
    petition = lock(petition)
    require_staff(by, petition)
    on = check_date(on, "on", not_before=petition.accepted_on, not_before_label=_("受理日期"))
    previous = open_transfer(petition) if petition.status == S.TRANSFERRED else None
    move(petition, Action.TRANSFER, by=by, title=record(_l("转办%(unit)s"), {"unit": getattr(unit, "name", "")}),
         note=clean_text(note))
    if previous is not None:
        previous.cancelled_at = timezone.now()
        previous._history_user = by
        previous.save(update_fields=["cancelled_at"])
    transfer = _make_transfer(petition, by=by, unit=unit, owner_name=owner_name, owner_user=owner_user, due_on=due_on,
                              note=note, on=on)
    save(petition, by, ["status", "current_unit"])
    return transfer


@transaction.atomic
def petition_unit_reply(*, petition: Petition, by, reply: str, reply_public: str = "") -> PetitionTransfer:
    """The unit's reply on the open transfer (its liaison, or staff entering a reply on paper).

    The case stays ``transferred``: the written answer to the petitioner is the presidium's next step.
    """
    petition = lock(petition)
    transfer = open_transfer(petition)
    scope = scope_of(by)
    unit_id = transfer.unit_id if transfer is not None else petition.current_unit_id
    liaison = bool(unit_id) and unit_id in scope.unit_ids() and has_perm(by, UNIT_REPLY, petition.township_id)
    if not (liaison or is_staff_for(by, petition)):
        raise PermissionDenied(_("只有承办单位的联络员（或本乡镇人大办）可以回复这件信访件。"))
    if petition.status != S.TRANSFERRED or transfer is None:
        raise ValidationError(_("这件信访件当前没有等待回复的转办。"))
    reply = clean_text(reply)
    if not reply:
        raise ValidationError({"reply": _("请填写办理情况。")})
    transfer.reply, transfer.reply_public = reply, clean_text(reply_public)
    transfer.replied_at, transfer.replied_by = timezone.now(), by
    transfer._history_user = by
    transfer.full_clean()
    transfer.save(update_fields=["reply", "reply_public", "replied_at", "replied_by"])
    log(petition, event="unit_reply", by=by, title=record(_l("%(unit)s回复办理情况"), {"unit": transfer.unit.name}))
    from petitions.selectors import township_staff

    tell(petition, recipients=township_staff(petition.township_id), by=by, kind="petitions.unit_replied",
         title=record(_l("%(unit)s已回复信访件%(label)s的办理情况，请出具答复意见书"), {
             "unit": transfer.unit.name, "label": label(petition)}))
    return transfer


@transaction.atomic
def petition_reply(*, petition: Petition, by, findings: str, request_reasonable: bool | None, resolution: str,
                   text: str, public_text: str, outcome_note: str = "", on: dt.date | None = None):
    """书面答复: the outcome (findings, reasonable, resolution) and the 答复意见书 with its public version.

    A transferred case is answered after the unit has replied. The notice stops the completion (or
    extension) clock and opens the petitioner's 30-day window to ask for a review.
    """
    petition = lock(petition)
    require_staff(by, petition)
    lifecycle.transition(petition.status, Action.REPLY)
    errors: dict[str, list] = {}
    if petition.status == S.TRANSFERRED:
        transfer = open_transfer(petition)
        if transfer is not None:
            errors["__all__"] = [_("%(unit)s还没有回复办理情况。请等承办单位回复（或代为登记其书面回复）后再出具答复意见书。") % {
                "unit": transfer.unit.name}]
    if findings not in Findings.values:
        errors["findings"] = [_("请选择调查认定（属实、部分属实或不属实）。")]
    if resolution not in Resolution.values:
        errors["resolution"] = [_("请选择化解方式。")]
    text, public_text = clean_text(text), clean_text(public_text)
    if not text:
        errors["text"] = [_("请填写答复意见。")]
    if not public_text:
        errors["public_text"] = [_("请填写答复意见的公开版本（不含姓名、电话、身份证号码、住址等个人信息）。")]
    if errors:
        raise ValidationError(errors)
    on = check_date(on, "on", not_before=petition.accepted_on, not_before_label=_("受理日期"))
    move(petition, Action.REPLY, by=by)
    petition.findings, petition.request_reasonable, petition.resolution = findings, request_reasonable, resolution
    petition.outcome_note, petition.replied_on = clean_text(outcome_note), on
    petition.current_unit = None
    save(petition, by, ["status", "findings", "request_reasonable", "resolution", "outcome_note", "replied_on",
                        "current_unit"])
    from petitions.services.notices import default_body
    from presidium.records import as_stored

    intro = as_stored(default_body(petition, NoticeKind.ANSWER))
    return notice_issue(petition=petition, kind=NoticeKind.ANSWER, by=by, issued_on=on, body=f"{intro}\n{text}",
                        public_body=f"{intro}\n{public_text}")


@transaction.atomic
def petition_extend(*, petition: Petition, by, days: int, reason: str, approved_by: str,
                    on: dt.date | None = None):
    """延期 once, by at most ``PETITION_EXTENSION_MAX_DAYS``, with the reason and who approved it; issues the
    延期告知书 to the petitioner. Not a state change: the extension clock runs on from the completion due date."""
    petition = lock(petition)
    require_staff(by, petition)
    already = petition.notices.filter(kind=NoticeKind.EXTENSION).exists()
    refusal = lifecycle.extension_refusal(petition.status, already_extended=already)
    if refusal:
        raise ValidationError(refusal)
    maximum = clocks.clock_days(ClockKind.EXTENSION)
    errors: dict[str, list] = {}
    if not isinstance(days, int) or not 1 <= days <= maximum:
        errors["days"] = [_("延长天数应在 1 到 %(n)s 日之间。") % {"n": maximum}]
    if not clean_text(reason):
        errors["reason"] = [_("请写明延期理由（将写入延期告知书）。")]
    if not clean_text(approved_by):
        errors["approved_by"] = [_("请写明批准延期的负责人。")]
    if errors:
        raise ValidationError(errors)
    clock = clocks.running(petition, [ClockKind.COMPLETION])
    if clock is None:
        raise ValidationError(_("没有正在计时的办理期限，不能延期。"))
    on = check_date(on, "on", not_before=clock.started_on, not_before_label=_("受理日期"))
    if on > clock.due_on:
        raise ValidationError({"on": _("办理期限已于 %(due)s 届满，不能再延期。") % {"due": clock.due_on}})
    log(petition, event="extend", by=by, title=record(_l("延长办理期限 %(days)s 日（批准人：%(who)s）"), {
        "days": days, "who": clean_text(approved_by)}), note=clean_text(reason))
    return notice_issue(petition=petition, kind=NoticeKind.EXTENSION, by=by, issued_on=on, extension_days=days,
                        reason=reason, approved_by=approved_by)


RETURN_VISIT_STATUSES = frozenset({S.ANSWERED_ON_SPOT, S.REPLIED, S.CLOSED, S.REVIEWED, S.RE_REVIEWED})


@transaction.atomic
def petition_return_visit(*, petition: Petition, by, result: str, method: str = ReturnVisitMethod.PHONE,
                          visited_on: dt.date | None = None, note: str = "", reopen: bool = False, unit=None,
                          owner_name: str = "", owner_user=None, due_on: dt.date | None = None) -> ReturnVisit:
    """回访: ask the petitioner about the answer. A dissatisfied answer on a closed case may reopen it: it goes
    to a unit again (``unit``, ``owner_name``) with a new completion clock, and the old review window is void."""
    petition = lock(petition)
    require_staff(by, petition)
    if petition.status not in RETURN_VISIT_STATUSES:
        raise ValidationError(_("答复之后才能回访；“%(status)s”状态还没有答复。") % {"status": S(petition.status).label})
    if result not in FeedbackResult.values:
        raise ValidationError({"result": _("请选择回访结果。")})
    visited_on = check_date(visited_on, "visited_on")
    if reopen:
        if result != FeedbackResult.UNSATISFIED:
            raise ValidationError({"reopen": _("只有信访人不满意时才能重新转办。")})
        if not petition.accepted_on:
            raise ValidationError({"reopen": _("这件信访件没有受理过，不能重新转办；请重新登记。")})
        lifecycle.transition(petition.status, Action.REOPEN)
    visit = ReturnVisit(petition=petition, visited_on=visited_on, method=method, result=result, note=clean_text(note),
                        reopened=reopen, by=by)
    visit.full_clean()
    visit.save()
    petition.feedback = result
    fields = ["feedback"]
    log(petition, event="return_visit", by=by, kind=EventKind.RETURN_VISIT, note=visit.note,
        title=record(_l("回访（%(method)s）：%(result)s"), {"method": choice_label(visit, "method"),
                                                        "result": choice_label(visit, "result")}))
    if reopen:
        move(petition, Action.REOPEN, by=by, title=_l("回访不满意，重新转办"), note=visit.note)
        petition.closed_at = None
        fields += ["status", "closed_at"]
        clocks.clocks_void(petition=petition, kinds=clocks.WINDOW_KINDS, on=visited_on, event=_l("回访不满意重新转办"))
        clocks.clock_start(petition=petition, kind=ClockKind.COMPLETION, started_on=visited_on,
                           start_event=_l("回访不满意重新转办"))
        _make_transfer(petition, by=by, unit=unit, owner_name=owner_name, owner_user=owner_user, due_on=due_on,
                       note=note, on=visited_on)
        fields.append("current_unit")
    save(petition, by, fields)
    clocks.refresh_next_due(petition)
    return visit


@transaction.atomic
def petition_close(*, petition: Petition, by, note: str = "") -> Petition:
    """息访 (办结). Closing is not resolving: the outcome fields stay as they are. The petitioner's review
    window, if open, keeps running (a closed case may still be reviewed within it)."""
    petition = lock(petition)
    require_staff(by, petition)
    move(petition, Action.CLOSE, by=by, note=clean_text(note))
    petition.closed_at, petition.close_note = timezone.now(), clean_text(note)
    save(petition, by, ["status", "closed_at", "close_note"])
    clocks.refresh_next_due(petition)
    return petition


@transaction.atomic
def petition_key_supervision_set(*, petition: Petition, by, on: bool, leader: str = "", note: str = "") -> Petition:
    """重点督办 by a named leader (or lifted)."""
    petition = lock(petition)
    require_staff(by, petition)
    leader = clean_text(leader)
    if on and not leader:
        raise ValidationError({"leader": _("重点督办须写明督办领导。")})
    petition.key_supervision, petition.supervising_leader = on, leader if on else ""
    save(petition, by, ["key_supervision", "supervising_leader"])
    title = record(_l("列为重点督办（督办领导：%(leader)s）"), {"leader": leader}) if on else _l("取消重点督办")
    log(petition, event="key_supervision", by=by, kind=EventKind.SUPERVISION, title=title, note=clean_text(note))
    return petition


@transaction.atomic
def petition_lead_leader_set(*, petition: Petition, by, leader) -> Petition:
    """领导包案: a named leader with an account takes the case on and is told of every step (None: lifted)."""
    petition = lock(petition)
    require_staff(by, petition)
    if leader is not None and not leader.is_active:
        raise ValidationError({"leader": _("包案领导的账号已停用。")})
    previous = petition.lead_leader
    petition.lead_leader = leader
    save(petition, by, ["lead_leader"])
    if leader is not None:
        log(petition, event="lead_leader", by=by, kind=EventKind.SUPERVISION, tell_leader=False,
            title=record(_l("领导包案：%(name)s"), {"name": leader.real_name or leader.username}))
        tell(petition, recipients=[leader], by=by, kind="petitions.lead_leader",
             title=record(_l("请您包案信访件%(label)s，此后每一步办理都会通知您"), {"label": label(petition)}))
    elif previous is not None:
        log(petition, event="lead_leader", by=by, kind=EventKind.SUPERVISION, tell_leader=False,
            title=record(_l("取消领导包案（原包案领导：%(name)s）"), {"name": previous.real_name or previous.username}))
    return petition


REPORTABLE = frozenset({S.ANSWERED_ON_SPOT, S.NOT_ACCEPTED, S.REPLIED, S.CLOSED, S.REVIEW_REQUESTED, S.REVIEWED,
                        S.RE_REVIEW_REQUESTED, S.RE_REVIEWED})


@transaction.atomic
def petition_referral_result_report(*, petition: Petition, by, report: str,
                                    reported_on: dt.date | None = None) -> Petition:
    """A case referred from above (上级转办): record the result reported back to the referring body."""
    petition = lock(petition)
    require_staff(by, petition)
    if petition.channel != Channel.REFERRED:
        raise ValidationError(_("只有上级转办的信访件需要向上报送办理结果。"))
    if petition.status not in REPORTABLE:
        raise ValidationError(_("答复信访人之后才能报送办理结果。"))
    report = clean_text(report)
    if not report:
        raise ValidationError({"report": _("请填写报送的办理结果。")})
    reported_on = check_date(reported_on, "reported_on")
    petition.result_report, petition.result_reported_on = report, reported_on
    save(petition, by, ["result_report", "result_reported_on"])
    log(petition, event="referral_result", by=by, kind=EventKind.REFERRAL,
        title=record(_l("向%(body)s报送办理结果"), {"body": petition.referral_body}))
    return petition
