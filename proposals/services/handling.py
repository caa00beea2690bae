"""Handling: assignment, consultation, co-unit opinions, replies, ratings, extensions, supervision, closing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from presidium.access import STAFF_ROLES, scope_of
from presidium.choices import Role
from presidium.models import HandlingUnit, User
from presidium.notifications.reminders import reminders_cancel
from presidium.notifications.services import notify
from presidium.records import label, record
from proposals import lifecycle
from proposals.choices import (
    OPEN_HANDLING,
    SATISFACTION_RANK,
    Action,
    ConsultationForm,
    ConsultationStage,
    DeadlineChoice,
    ExtensionStatus,
    ResultClass,
    Satisfaction,
    SuggestionStatus,
    SupervisionKind,
    SupervisionMode,
)
from proposals.models import Consultation, CoUnit, Extension, Rating, Reply, Suggestion, SupervisionAction
from proposals.selectors import consulted_this_round, deputy_user, settings_for, township_staff, unit_liaisons
from proposals.services import deadlines
from proposals.services.common import clean_text, lock, log, move, require_relation, save

S = SuggestionStatus


def _label(suggestion: Suggestion) -> str:
    return deadlines._label(suggestion)


# --- assignment (交办) ---------------------------------------------------------------------------------------


def unit_error(unit: HandlingUnit, suggestion: Suggestion) -> str | None:
    """Why ``unit`` cannot handle ``suggestion`` (another township's, or no longer active), or None."""
    if unit.township_id != suggestion.township_id or not unit.is_active:
        return _("“%(name)s”不是本乡镇在用的承办单位。") % {"name": unit.name}
    return None


def assignment_errors(suggestion: Suggestion, *, lead_unit: HandlingUnit, co_units: list[HandlingUnit],
                      is_key: bool, leading_leader: str, deadline_choice: str, working_days: int | None,
                      supervision_mode: str) -> dict[str, str]:
    """The field errors of an assignment (交办, and 改办 on top of its own checks); empty when it is valid."""
    errors = {}
    problem = unit_error(lead_unit, suggestion)
    if problem:
        errors["lead_unit"] = problem
    for unit in co_units:
        problem = unit_error(unit, suggestion)
        if problem:
            errors["co_units"] = problem
    if is_key and not clean_text(leading_leader):
        errors["leading_leader"] = _("重点建议请写明领办的领导。")
    if deadline_choice == DeadlineChoice.WORKING_DAYS and not (working_days and 1 <= working_days <= 250):
        errors["working_days"] = _("请填写 1 到 250 之间的工作日数。")
    SupervisionMode(supervision_mode)
    return errors


def apply_assignment(suggestion: Suggestion, *, by, lead_unit: HandlingUnit, responsible_leader: str,
                     responsible_leader_user: User | None, supervision_mode: str, is_key: bool, leading_leader: str,
                     note: str, start: dt.date | None, deadline_choice: str,
                     working_days: int | None) -> list[str]:
    """Set the lead unit, the people, the supervision mode and the deadline (from ``start``, default today).

    Returns the fields it set; the caller saves them with its own.
    """
    now = timezone.now()
    amount, unit = deadlines.deadline_rule(suggestion.township, deadline_choice, working_days)
    deadlines.apply_rule(suggestion, start=start or timezone.localdate(now), amount=amount, unit=unit,
                         choice=deadline_choice)
    suggestion.lead_unit = lead_unit
    suggestion.responsible_leader = clean_text(responsible_leader) or lead_unit.responsible_leader
    suggestion.responsible_leader_user = responsible_leader_user
    suggestion.supervision_mode = supervision_mode
    suggestion.is_key = is_key
    suggestion.leading_leader = clean_text(leading_leader) if is_key else ""
    suggestion.assignment_note = clean_text(note)
    suggestion.assigned_at = now
    suggestion.assigned_by = by
    return ["status", "lead_unit", "responsible_leader", "responsible_leader_user", "supervision_mode", "is_key",
            "leading_leader", "assignment_note", "assigned_at", "assigned_by", "deadline_choice", "deadline_start",
            "deadline_amount", "deadline_unit", "deadline", "deadline_provisional"]


@transaction.atomic
def suggestion_assign(*, suggestion: Suggestion, by, lead_unit: HandlingUnit, supervision_mode: str,
                      deadline_choice: str = DeadlineChoice.NORMAL, working_days: int | None = None,
                      co_units: Iterable[HandlingUnit] = (), responsible_leader: str = "",
                      responsible_leader_user: User | None = None, is_key: bool = False, leading_leader: str = "",
                      note: str = "", start: dt.date | None = None) -> Suggestion:
    """交办: one lead unit, optional co-units, the responsible leader, supervision mode and the deadline."""
    suggestion = lock(suggestion)
    co_units = [u for u in dict.fromkeys(co_units) if u.pk != lead_unit.pk]
    errors = assignment_errors(suggestion, lead_unit=lead_unit, co_units=co_units, is_key=is_key,
                               leading_leader=leading_leader, deadline_choice=deadline_choice,
                               working_days=working_days, supervision_mode=supervision_mode)
    if errors:
        raise ValidationError(errors)
    move(suggestion, Action.ASSIGN, by=by, title=record(_l("交办给 %(unit)s"), {"unit": lead_unit.name}),
         note=clean_text(note))
    fields = apply_assignment(suggestion, by=by, lead_unit=lead_unit, responsible_leader=responsible_leader,
                              responsible_leader_user=responsible_leader_user, supervision_mode=supervision_mode,
                              is_key=is_key, leading_leader=leading_leader, note=note, start=start,
                              deadline_choice=deadline_choice, working_days=working_days)
    if settings_for(suggestion.township_id).publish_by_default:
        suggestion.is_public = True
    save(suggestion, by, [*fields, "is_public"])
    for unit_obj in co_units:
        CoUnit.objects.create(suggestion=suggestion, unit=unit_obj)
    deadlines.schedule_reply_reminders(suggestion)
    url = suggestion.get_absolute_url()
    deadline_text = deadlines.deadline_for_record(suggestion)
    notify(recipients=[*unit_liaisons([lead_unit.pk]), responsible_leader_user],
           title=record(_l("交办（主办）：%(label)s，办理期限 %(deadline)s"), {"label": _label(suggestion),
                                                                   "deadline": deadline_text}),
           body=_l("请先与领衔代表面商，再书面答复。"), url=url, kind="proposals.assigned", target=suggestion, by=by)
    if co_units:
        notify(recipients=unit_liaisons([u.pk for u in co_units]),
               title=record(_l("交办（协办）：%(label)s，主办单位 %(unit)s"), {"label": _label(suggestion),
                                                                   "unit": lead_unit.name}),
               body=_l("协办意见请在系统中提交给主办单位。"), url=url, kind="proposals.assigned_co", target=suggestion,
               by=by)
    notify(recipients=[deputy_user(suggestion)], title=record(_l("您的%(kind)s已交办 %(unit)s 办理，期限 %(deadline)s"), {
        "kind": label(suggestion, "kind"), "unit": lead_unit.name, "deadline": deadline_text}),
        body=suggestion.title, url=url, kind="proposals.assigned_deputy", target=suggestion, by=by)
    return suggestion


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, by) -> Suggestion:
    """签收: the lead unit acknowledges the assignment and starts handling."""
    suggestion = lock(suggestion)
    move(suggestion, Action.ACCEPT, by=by)
    suggestion.accepted_at = timezone.now()
    save(suggestion, by, ["status", "accepted_at"])
    return suggestion


# --- consultation and co-units ------------------------------------------------------------------------------------


@transaction.atomic
def consultation_record(*, suggestion: Suggestion, by, stage: str, form: str, held_on: dt.date, participants: str,
                        summary: str, deputy_opinion: str = "") -> Consultation:
    """面商: the lead unit records a meeting with the deputy (三见面). The first one starts the handling."""
    suggestion = lock(suggestion)
    require_relation(by, suggestion, {Role.UNIT_LIAISON}, _("只有主办单位的联络员可以登记面商。"))
    if suggestion.status not in OPEN_HANDLING:
        raise ValidationError(_("“%(status)s”状态不能登记面商。") % {"status": suggestion.get_status_display()})
    today = timezone.localdate()
    if held_on > today:
        raise ValidationError({"held_on": _("面商日期不能晚于今天。")})
    if suggestion.assigned_at and held_on < timezone.localdate(suggestion.assigned_at):
        raise ValidationError({"held_on": _("面商日期不能早于交办日期 %(d)s。") % {
            "d": timezone.localdate(suggestion.assigned_at)}})
    consultation = Consultation(
        suggestion=suggestion, unit=suggestion.lead_unit, round=suggestion.round, stage=ConsultationStage(stage),
        form=ConsultationForm(form), held_on=held_on, participants=clean_text(participants),
        summary=clean_text(summary), deputy_opinion=clean_text(deputy_opinion), recorded_by=by,
    )
    consultation.full_clean()
    consultation.save()
    now = timezone.now()
    fields = ["last_consulted_at"]
    if suggestion.status == S.ASSIGNED:
        move(suggestion, Action.ACCEPT, by=by, title=_l("面商后开始办理"))
        suggestion.accepted_at = suggestion.accepted_at or now
        fields += ["status", "accepted_at"]
    if suggestion.first_consulted_at is None:
        suggestion.first_consulted_at = now
        fields.append("first_consulted_at")
    suggestion.last_consulted_at = now
    save(suggestion, by, fields)
    log(suggestion, event="consult", by=by, title=record(_l("%(stage)s%(form)s面商"), {
        "stage": label(consultation, "stage"), "form": label(consultation, "form")}),
        note=consultation.summary)
    reminders_cancel(target=suggestion, kinds=[deadlines.STALE])
    return consultation


@transaction.atomic
def co_unit_opinion_submit(*, suggestion: Suggestion, by, unit: HandlingUnit, opinion: str) -> CoUnit:
    """A co-unit sends its opinion to the lead unit (not to the deputy)."""
    opinion = clean_text(opinion)
    if not opinion:
        raise ValidationError({"opinion": _("请填写协办意见。")})
    suggestion = lock(suggestion)
    if unit.pk not in scope_of(by).unit_ids() and not scope_of(by).is_superuser:
        raise PermissionDenied(_("只有协办单位的联络员可以提交协办意见。"))
    link = CoUnit.objects.select_for_update().filter(suggestion=suggestion, unit=unit, released_at__isnull=True).first()
    if link is None:
        raise PermissionDenied(_("贵单位不是这件议案建议的协办单位。"))
    if suggestion.status not in OPEN_HANDLING:
        raise ValidationError(_("办理已结束，不能再提交协办意见。"))
    link.opinion = opinion
    link.opinion_at = timezone.now()
    link.opinion_by = by
    link._history_user = by
    link.full_clean()
    link.save(update_fields=["opinion", "opinion_at", "opinion_by"])
    log(suggestion, event="co_opinion", by=by, title=record(_l("协办单位 %(unit)s 提交协办意见"), {"unit": unit.name}))
    notify(recipients=unit_liaisons([suggestion.lead_unit_id]), title=record(_l("协办意见：%(unit)s 对%(label)s提交了协办意见"), {
        "unit": unit.name, "label": _label(suggestion)}), body=opinion, url=suggestion.get_absolute_url(),
        kind="proposals.co_opinion", target=suggestion, by=by)
    return link


# --- reply -------------------------------------------------------------------------------------------------------


@transaction.atomic
def reply_submit(*, suggestion: Suggestion, by, text: str, result_class: str, promised_date: dt.date | None = None,
                 reason: str = "", signed_by: str = "", files: Iterable = ()) -> Reply:
    """答复. Refused until the unit has met the deputy in this round (seed 001: 不经面商的…不得回复)."""
    suggestion = lock(suggestion)
    require_relation(by, suggestion, {Role.UNIT_LIAISON}, _("只有主办单位的联络员可以答复。"))
    if not consulted_this_round(suggestion):
        raise ValidationError(lifecycle.reply_needs_consultation(), code="needs_consultation")
    result_class = ResultClass(result_class)
    text, reason = clean_text(text), clean_text(reason)
    errors = {}
    if not text:
        errors["text"] = _("请填写答复内容。")
    if result_class == ResultClass.B and not promised_date:
        errors["promised_date"] = _("B 类答复请写明承诺解决的日期。")
    if result_class == ResultClass.B and promised_date and promised_date <= timezone.localdate():
        errors["promised_date"] = _("承诺解决日期应晚于今天。")
    if result_class == ResultClass.C and not reason:
        errors["reason"] = _("C 类答复请说明暂不能解决的原因。")
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    move(suggestion, Action.REPLY, by=by, title=record(_l("第 %(n)s 轮答复（%(cls)s）"), {
        "n": suggestion.round, "cls": result_class.label}))
    reply = Reply(suggestion=suggestion, round=suggestion.round, unit=suggestion.lead_unit, text=text,
                  result_class=result_class, promised_date=promised_date if result_class == ResultClass.B else None,
                  reason=reason if result_class == ResultClass.C else reason, signed_by=clean_text(signed_by),
                  deadline_at_reply=suggestion.deadline, on_time=today <= suggestion.deadline, submitted_by=by)
    reply._history_user = by
    reply.full_clean()
    reply.save()
    from proposals.choices import AttachmentPurpose
    from proposals.services.config import attachments_add

    attachments_add(suggestion=suggestion, by=by, uploads=files, purpose=AttachmentPurpose.REPLY, reply=reply,
                    field="files")
    now = timezone.now()
    fields = ["status", "last_replied_at", "result_class"]
    if suggestion.first_replied_at is None:
        suggestion.first_replied_at = now
        suggestion.first_reply_on_time = reply.on_time
        fields += ["first_replied_at", "first_reply_on_time"]
    suggestion.last_replied_at = now
    suggestion.result_class = result_class
    save(suggestion, by, fields)
    deadlines.schedule_reply_reminders(suggestion)  # no longer being handled: cancels the deadline reminders
    deadlines.schedule_promise_reminder(reply)
    url = suggestion.get_absolute_url()
    notify(recipients=[deputy_user(suggestion)], title=record(_l("答复已送达：%(unit)s答复了您的%(kind)s「%(title)s」，请评价"), {
        "unit": suggestion.lead_unit.name, "kind": label(suggestion, "kind"), "title": suggestion.title}),
        body=text[:300], url=url, kind="proposals.replied", target=suggestion, by=by)
    notify(recipients=township_staff(suggestion.township_id), title=record(_l("已答复：%(label)s（%(cls)s）"), {
        "label": _label(suggestion), "cls": result_class.label}), url=url, kind="proposals.replied_staff",
        target=suggestion, by=by, channels=())
    return reply


@transaction.atomic
def reply_promise_kept(*, reply: Reply, by, kept_on: dt.date, note: str) -> Reply:
    """A class B promise is recorded as kept; its weekly follow-up stops."""
    reply = Reply.objects.select_for_update(of=("self",)).select_related("suggestion__township", "suggestion__lead_deputy").get(
        pk=reply.pk)
    suggestion = reply.suggestion
    held = require_relation(by, suggestion, STAFF_ROLES | {Role.UNIT_LIAISON})
    if Role.UNIT_LIAISON in held and not held & STAFF_ROLES and reply.unit_id not in scope_of(by).unit_ids():
        raise PermissionDenied
    if not reply.promise_open:
        raise ValidationError(_("这份答复没有待兑现的承诺。"))
    note = clean_text(note)
    if not note:
        raise ValidationError({"note": _("请写明兑现情况。")})
    if kept_on > timezone.localdate():
        raise ValidationError({"kept_on": _("兑现日期不能晚于今天。")})
    reply.promise_kept_on = kept_on
    reply.promise_note = note
    reply._history_user = by
    reply.full_clean()
    reply.save(update_fields=["promise_kept_on", "promise_note"])
    deadlines.schedule_promise_reminder(reply)
    log(suggestion, event="promise_kept", by=by, title=record(_l("承诺事项已兑现（%(d)s）"), {"d": kept_on}), note=note)
    notify(recipients=[deputy_user(suggestion)], title=record(_l("承诺已兑现：「%(title)s」"), {"title": suggestion.title}),
           body=note, url=suggestion.get_absolute_url(), kind="proposals.promise_kept", target=suggestion, by=by)
    return reply


# --- rating ------------------------------------------------------------------------------------------------------


def overall_of(work_grade: str, result_grade: str) -> Satisfaction:
    """The worse of the two grades: one 不满意 is enough to reopen the item."""
    return min((Satisfaction(work_grade), Satisfaction(result_grade)), key=lambda g: SATISFACTION_RANK[g])


@transaction.atomic
def suggestion_rate(*, suggestion: Suggestion, by, work_grade: str, result_grade: str, comment: str = "") -> Rating:
    """代表评价. 不满意 (either grade) reopens the item for re-handling with a new deadline."""
    suggestion = lock(suggestion)
    overall = overall_of(work_grade, result_grade)
    comment = clean_text(comment)
    if overall == Satisfaction.UNSATISFIED and not comment:
        raise ValidationError({"comment": _("评价不满意的，请写明不满意的地方，承办单位据此重新办理。")})
    reply = suggestion.replies.filter(round=suggestion.round).first()
    if reply is None:
        raise ValidationError(_("还没有可以评价的答复。"))
    unsatisfied = overall == Satisfaction.UNSATISFIED
    action = Action.RATE_UNSATISFIED if unsatisfied else Action.RATE
    held = require_relation(by, suggestion, {Role.DEPUTY, *STAFF_ROLES})
    move(suggestion, action, by=by, title=record(_l("代表评价：%(o)s"), {"o": overall.label}), note=comment)
    rating = Rating(suggestion=suggestion, reply=reply, round=suggestion.round, unit=reply.unit,
                    work_grade=work_grade, result_grade=result_grade, overall=overall, comment=comment,
                    deputy=suggestion.lead_deputy, rated_by=by)
    rating._history_user = by
    rating.full_clean()
    rating.save()
    suggestion.satisfaction = overall
    fields = ["status", "satisfaction"]
    if Role.DEPUTY not in held:
        log(suggestion, event="rate_on_behalf", by=by, title=_l("人大办代为登记代表评价"))
    url = suggestion.get_absolute_url()
    if unsatisfied:
        suggestion.round += 1
        months = settings_for(suggestion.township_id).rehandling_deadline_months
        deadlines.apply_rule(suggestion, start=timezone.localdate(), amount=months, unit="months")
        fields += ["round", "deadline_start", "deadline_amount", "deadline_unit", "deadline", "deadline_provisional"]
        save(suggestion, by, fields)
        deadlines.schedule_reply_reminders(suggestion)
        notify(recipients=[*deadlines.handlers_of(suggestion)],
               title=record(_l("重新办理：代表对%(label)s的答复不满意，请在 %(deadline)s 前重新办理并答复"), {
                   "label": _label(suggestion), "deadline": suggestion.deadline}),
               body=comment, url=url, kind="proposals.rehandling", target=suggestion, by=by)
    else:
        save(suggestion, by, fields)
        notify(recipients=[*unit_liaisons([reply.unit_id]), *township_staff(suggestion.township_id)],
               title=record(_l("代表评价：%(label)s —— %(o)s"), {"label": _label(suggestion), "o": overall.label}),
               body=comment, url=url, kind="proposals.rated", target=suggestion, by=by, channels=())
    return rating


@transaction.atomic
def rating_accept_reason(*, rating: Rating, by, note: str) -> Rating:
    """The presidium accepts the unit's reason for an unsatisfied result: it no longer counts against the unit."""
    rating = Rating.objects.select_for_update(of=("self",)).select_related("suggestion__township").get(pk=rating.pk)
    require_relation(by, rating.suggestion, STAFF_ROLES)
    note = clean_text(note)
    if rating.overall != Satisfaction.UNSATISFIED:
        raise ValidationError(_("只有不满意的评价需要认定理由。"))
    if not note:
        raise ValidationError({"note": _("请写明认定的正当理由。")})
    rating.reason_accepted = True
    rating.reason_note = note
    rating.reason_accepted_by = by
    rating._history_user = by
    rating.full_clean()
    rating.save(update_fields=["reason_accepted", "reason_note", "reason_accepted_by"])
    log(rating.suggestion, event="reason_accepted", by=by, title=record(_l("认定第 %(n)s 轮不满意有正当理由"), {
        "n": rating.round}), note=note)
    return rating


# --- extension ---------------------------------------------------------------------------------------------------


@transaction.atomic
def extension_request(*, suggestion: Suggestion, by, reason: str, measures: str,
                      requested_deadline: dt.date) -> Extension:
    """延办反馈书: the lead unit asks for a later deadline, with the reason and the measures it will take."""
    suggestion = lock(suggestion)
    require_relation(by, suggestion, {Role.UNIT_LIAISON}, _("只有主办单位的联络员可以申请延期。"))
    if suggestion.status not in OPEN_HANDLING:
        raise ValidationError(_("只有办理中的议案建议可以申请延期。"))
    reason, measures = clean_text(reason), clean_text(measures)
    errors = {}
    if not reason:
        errors["reason"] = _("请写明延期理由。")
    if not measures:
        errors["measures"] = _("请写明下一步的办理措施。")
    if requested_deadline <= suggestion.deadline:
        errors["requested_deadline"] = _("最迟办理时间应晚于现在的期限 %(d)s。") % {"d": suggestion.deadline}
    if suggestion.extensions.filter(status=ExtensionStatus.PENDING).exists():
        errors["requested_deadline"] = _("已有一份延期申请在等待审批。")
    if errors:
        raise ValidationError(errors)
    extension = Extension(suggestion=suggestion, unit=suggestion.lead_unit, reason=reason, measures=measures,
                          requested_deadline=requested_deadline, previous_deadline=suggestion.deadline,
                          requested_by=by)
    extension._history_user = by
    extension.full_clean()
    extension.save()
    log(suggestion, event="extension_request", by=by, title=record(_l("申请延期至 %(d)s"), {"d": requested_deadline}),
        note=reason)
    notify(recipients=township_staff(suggestion.township_id), title=record(_l("延期申请：%(label)s申请延期至 %(d)s"), {
        "label": _label(suggestion), "d": requested_deadline}), body=reason, url=suggestion.get_absolute_url(),
        kind="proposals.extension_requested", target=suggestion, by=by)
    return extension


@transaction.atomic
def extension_decide(*, extension: Extension, by, approve: bool, note: str = "") -> Extension:
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    suggestion = lock(extension.suggestion)
    require_relation(by, suggestion, STAFF_ROLES, _("只有人大办可以审批延期申请。"))
    if extension.status != ExtensionStatus.PENDING:
        raise ValidationError(_("这份延期申请已经审批过了。"))
    note = clean_text(note)
    if not approve and not note:
        raise ValidationError({"note": _("不同意延期的，请写明理由。")})
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by = by
    extension.decided_at = timezone.now()
    extension.decision_note = note
    extension._history_user = by
    extension.full_clean()
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve and suggestion.status in OPEN_HANDLING:
        deadlines.apply_fixed_date(suggestion, extension.requested_deadline)
        save(suggestion, by, ["deadline", "deadline_amount", "deadline_unit", "deadline_provisional"])
        deadlines.schedule_reply_reminders(suggestion)
    title = record(_l("同意延期至 %(d)s") if approve else _l("不同意延期（仍按 %(old)s）"), {
        "d": extension.requested_deadline, "old": extension.previous_deadline})
    log(suggestion, event="extension_decided", by=by, title=title, note=note)
    notify(recipients=[*unit_liaisons([extension.unit_id]), deputy_user(suggestion) if approve else None],
           title=record(_l("延期申请：%(label)s —— %(t)s"), {"label": _label(suggestion), "t": title}), body=note,
           url=suggestion.get_absolute_url(), kind="proposals.extension_decided", target=suggestion, by=by)
    return extension


# --- supervision and closing ---------------------------------------------------------------------------------------


@transaction.atomic
def supervision_record(*, suggestion: Suggestion, by, kind: str, held_on: dt.date, note: str,
                       notify_unit: bool = True) -> SupervisionAction:
    """督办: staff record a supervision step; a 催办 also tells the lead unit."""
    suggestion = lock(suggestion)
    require_relation(by, suggestion, STAFF_ROLES, _("只有人大办可以登记督办。"))
    if suggestion.assigned_at is None:
        raise ValidationError(_("交办后才能督办。"))
    note = clean_text(note)
    if not note:
        raise ValidationError({"note": _("请写明督办情况。")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("督办日期不能晚于今天。")})
    action = SupervisionAction(suggestion=suggestion, kind=SupervisionKind(kind), held_on=held_on, note=note, by=by)
    action.full_clean()
    action.save()
    save(suggestion, by, [])
    log(suggestion, event="supervise", by=by, title=record(_l("督办：%(k)s"), {"k": label(action, "kind")}), note=note)
    if notify_unit and suggestion.status in OPEN_HANDLING:
        notify(recipients=[*unit_liaisons([suggestion.lead_unit_id]), suggestion.responsible_leader_user],
               title=record(_l("督办：%(label)s —— %(k)s"), {"label": _label(suggestion), "k": label(action, "kind")}),
               body=note, url=suggestion.get_absolute_url(), kind="proposals.supervised", target=suggestion, by=by)
    return action


@transaction.atomic
def suggestion_close(*, suggestion: Suggestion, by, note: str = "") -> Suggestion:
    """办结 after the deputy's satisfied (or basically satisfied) rating."""
    suggestion = lock(suggestion)
    move(suggestion, Action.CLOSE, by=by, note=clean_text(note))
    suggestion.closed_at = timezone.now()
    suggestion.closed_reason = clean_text(note)
    save(suggestion, by, ["status", "closed_at", "closed_reason"])
    reminders_cancel(target=suggestion, kinds=[deadlines.STALE, deadlines.DUE_TODAY, deadlines.OVERDUE])
    notify(recipients=[deputy_user(suggestion)], title=record(_l("已办结：「%(title)s」"), {"title": suggestion.title}),
           url=suggestion.get_absolute_url(), kind="proposals.closed", target=suggestion, by=by, channels=())
    return suggestion


@transaction.atomic
def suggestion_close_with_reason(*, suggestion: Suggestion, by, reason: str) -> Suggestion:
    """The presidium closes an item the deputy is not satisfied with (or did not rate), recording why."""
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("请写明主席团决定办结的理由。")})
    suggestion = lock(suggestion)
    move(suggestion, Action.CLOSE_WITH_REASON, by=by, note=reason)
    suggestion.closed_at = timezone.now()
    suggestion.closed_reason = reason
    save(suggestion, by, ["status", "closed_at", "closed_reason"])
    deadlines.schedule_reply_reminders(suggestion)
    notify(recipients=[deputy_user(suggestion), *unit_liaisons([suggestion.lead_unit_id])],
           title=record(_l("主席团决定办结：「%(title)s」"), {"title": suggestion.title}), body=reason,
           url=suggestion.get_absolute_url(), kind="proposals.closed", target=suggestion, by=by)
    return suggestion
