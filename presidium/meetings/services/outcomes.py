"""Outcomes of a meeting: minutes, resolutions and decisions, deliberation opinions followed up until
answered (reminders through the floor's queue), and findings that become suggestions or rectification items."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.meetings.choices import FINDING_KINDS, FindingFollowUp, MeetingStatus, OutcomeKind
from presidium.meetings.models import Meeting, Outcome
from presidium.meetings.services.common import clean, require_manage

ANSWER_DUE = "opinion_answer_due"
RECTIFICATION_DUE = "rectification_due"
REMIND_AT = dt.time(9, 0)


def _due_at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, REMIND_AT))


def _lock(outcome: Outcome) -> Outcome:
    return Outcome.objects.select_for_update(of=("self",)).select_related("meeting__township").get(pk=outcome.pk)


def outcome_add(*, meeting: Meeting, kind: str, title: str, by, text: str = "") -> Outcome:
    """登记会议成果: minutes, a resolution or decision, a deliberation opinion, a finding."""
    require_manage(by, meeting.township)
    kind = OutcomeKind(kind)
    title = clean(title, 200)
    if not title:
        raise ValidationError({"title": _("请填写标题。")})
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("会议活动已取消，不能登记成果。"))
    if kind == OutcomeKind.FINDING and meeting.kind not in FINDING_KINDS:
        raise ValidationError({"kind": _("视察调研意见只能登记在视察、调研、执法检查活动下。")})
    with transaction.atomic():
        outcome = Outcome(meeting=meeting, kind=kind, title=title, text=clean(text), created_by=by)
        outcome.full_clean()
        outcome.save()
    return outcome


def outcome_update(*, outcome: Outcome, by, title: str, text: str) -> Outcome:
    """修改成果的标题和内容."""
    require_manage(by, outcome.meeting.township)
    title = clean(title, 200)
    if not title:
        raise ValidationError({"title": _("请填写标题。")})
    with transaction.atomic():
        outcome = _lock(outcome)
        outcome.title, outcome.text = title, clean(text)
        outcome.full_clean()
        outcome.save(update_fields=["title", "text", "updated_at"])
    return outcome


def outcome_send(*, outcome: Outcome, unit, sent_on: dt.date, due_on: dt.date, by) -> Outcome:
    """送交审议意见: to a government unit, with the date it must answer by; the staff are reminded until it does."""
    from presidium.notifications.reminders import reminder_schedule

    require_manage(by, outcome.meeting.township)
    errors = {}
    if outcome.kind != OutcomeKind.DELIBERATION_OPINION:
        raise ValidationError(_("只有审议意见需要送交并跟踪答复。"))
    if unit is None or unit.township_id != outcome.meeting.township_id:
        errors["unit"] = _("请选择本乡镇的单位。")
    if sent_on is None:
        errors["sent_on"] = _("请填写送交日期。")
    if due_on is None:
        errors["due_on"] = _("请填写答复期限。")
    elif sent_on is not None and due_on < sent_on:
        errors["due_on"] = _("答复期限不能早于送交日期。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        outcome = _lock(outcome)
        if outcome.answered_on:
            raise ValidationError(_("该审议意见已答复。"))
        outcome.unit, outcome.sent_on, outcome.due_on = unit, sent_on, due_on
        outcome.full_clean()
        outcome.save(update_fields=["unit", "sent_on", "due_on", "updated_at"])
        reminder_schedule(target=outcome, kind=ANSWER_DUE, due_at=_due_at(due_on))
    return outcome


def outcome_record_answer(*, outcome: Outcome, answered_on: dt.date, answer: str, by) -> Outcome:
    """登记答复: the government's answer to a deliberation opinion; its reminders stop."""
    from presidium.notifications.reminders import reminders_cancel

    require_manage(by, outcome.meeting.township)
    answer = clean(answer)
    errors = {}
    if not answer:
        errors["answer"] = _("请填写答复内容。")
    if answered_on is None:
        errors["answered_on"] = _("请填写答复日期。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        outcome = _lock(outcome)
        if outcome.kind != OutcomeKind.DELIBERATION_OPINION or not outcome.sent_on:
            raise ValidationError(_("审议意见送交之后才能登记答复。"))
        if answered_on < outcome.sent_on:
            raise ValidationError({"answered_on": _("答复日期不能早于送交日期。")})
        outcome.answered_on, outcome.answer = answered_on, answer
        outcome.full_clean()
        outcome.save(update_fields=["answered_on", "answer", "updated_at"])
        reminders_cancel(target=outcome, kinds=[ANSWER_DUE])
    return outcome


def outcome_mark_rectification(*, outcome: Outcome, unit, due_on: dt.date, by) -> Outcome:
    """列为整改事项: a finding is given to a unit to put right by a date; the staff are reminded."""
    from presidium.notifications.reminders import reminder_schedule

    require_manage(by, outcome.meeting.township)
    errors = {}
    if unit is None or unit.township_id != outcome.meeting.township_id:
        errors["unit"] = _("请选择本乡镇的整改单位。")
    if due_on is None:
        errors["due_on"] = _("请填写整改期限。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        outcome = _lock(outcome)
        _check_unhandled_finding(outcome)
        outcome.follow_up, outcome.unit, outcome.rectification_due_on = FindingFollowUp.RECTIFICATION, unit, due_on
        outcome.full_clean()
        outcome.save(update_fields=["follow_up", "unit", "rectification_due_on", "updated_at"])
        reminder_schedule(target=outcome, kind=RECTIFICATION_DUE, due_at=_due_at(due_on))
    return outcome


def outcome_mark_rectified(*, outcome: Outcome, rectified_on: dt.date, by) -> Outcome:
    """整改完成."""
    from presidium.notifications.reminders import reminders_cancel

    require_manage(by, outcome.meeting.township)
    if rectified_on is None:
        raise ValidationError({"rectified_on": _("请填写整改完成日期。")})
    with transaction.atomic():
        outcome = _lock(outcome)
        if outcome.follow_up != FindingFollowUp.RECTIFICATION:
            raise ValidationError(_("只有整改事项可以登记整改完成。"))
        outcome.rectified_on = rectified_on
        outcome.save(update_fields=["rectified_on", "updated_at"])
        reminders_cancel(target=outcome, kinds=[RECTIFICATION_DUE])
    return outcome


def _check_unhandled_finding(outcome: Outcome) -> None:
    if outcome.kind != OutcomeKind.FINDING:
        raise ValidationError(_("只有视察调研意见可以转为建议或列为整改事项。"))
    if outcome.follow_up:
        raise ValidationError(_("该意见已经%(done)s。") % {"done": outcome.get_follow_up_display()})


def outcome_convert(*, outcome: Outcome, key: str, by) -> Outcome:
    """转为代表建议 (or whatever a sibling app registered): the created object is linked to the finding."""
    from presidium.meetings.conversions import get_conversion

    require_manage(by, outcome.meeting.township)
    conversion = get_conversion(key)
    if conversion is None:
        raise ValidationError(_("没有这种处理方式。"))
    if not conversion.allowed(by, outcome):
        raise PermissionDenied
    with transaction.atomic():
        outcome = _lock(outcome)
        _check_unhandled_finding(outcome)
        created = conversion.convert(outcome=outcome, by=by)
        outcome.follow_up = key
        outcome.converted_content_type = ContentType.objects.get_for_model(created)
        outcome.converted_object_id = created.pk
        outcome.full_clean(exclude=["converted_content_type"])
        outcome.save(update_fields=["follow_up", "converted_content_type", "converted_object_id", "updated_at"])
    return outcome
