"""申请退办 (the lead unit asks to hand an item back) and 改办 (staff move an item to another lead unit).

A reassignment starts the handling afresh for the new unit: the item is ``assigned`` again with a
new deadline counted from the decision day, the old reminders are cancelled and new ones scheduled,
the co-units are chosen again (a co-unit left out is released, its opinion kept), a pending
extension of the old unit is closed, and the first-consultation facts are cleared so that the new
unit must meet the deputy itself before it may reply. The old unit's consultations stay on the item
as history. The figures then count the item for the new unit only (they group by ``lead_unit``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from presidium.access import STAFF_ROLES
from presidium.choices import Role
from presidium.models import HandlingUnit, User
from presidium.notifications.reminders import reminders_cancel
from presidium.notifications.services import notify
from presidium.records import as_stored, label, record
from proposals.choices import (
    Action,
    DeadlineChoice,
    ExtensionStatus,
    HandBackStatus,
    SuggestionStatus,
    SupervisionMode,
)
from proposals.models import CoUnit, Extension, HandBackRequest, Suggestion
from proposals.selectors import deputy_user, hand_back_window, township_staff, unit_liaisons
from proposals.services import deadlines
from proposals.services.common import clean_text, lock, log, move, require_relation, save
from proposals.services.handling import apply_assignment, assignment_errors, unit_error

S = SuggestionStatus
REASSIGNABLE = frozenset({S.ASSIGNED, S.IN_HANDLING})


def _label(suggestion: Suggestion) -> str:
    return deadlines._label(suggestion)


# --- 申请退办 ----------------------------------------------------------------------------------------------


@transaction.atomic
def suggestion_hand_back_request(*, suggestion: Suggestion, by: User, reason: str,
                                 suggested_unit: HandlingUnit | None = None) -> HandBackRequest:
    """申请退办: the lead unit's liaison says the item is not its duty, before signing for it, within N working days."""
    suggestion = lock(suggestion)
    require_relation(by, suggestion, {Role.UNIT_LIAISON}, _("只有主办单位的联络员可以申请退办。"))
    if suggestion.status != S.ASSIGNED:
        raise ValidationError(
            _("“%(status)s”的议案建议不能申请退办：签收或面商后即视为接受交办。确有需要的，请联系人大办改办。")
            % {"status": suggestion.get_status_display()}, code="hand_back_status")
    window = hand_back_window(suggestion)
    if not window.is_open:
        raise ValidationError(
            _("交办后 %(n)s 个工作日内才能申请退办（截至 %(d)s），现已超过。确有需要的，请联系人大办改办。")
            % {"n": window.limit_days, "d": window.last_day}, code="hand_back_late")
    if suggestion.hand_backs.filter(status=HandBackStatus.PENDING).exists():
        raise ValidationError(_("已有一份退办申请在等待人大办处理。"), code="hand_back_pending")
    reason = clean_text(reason)
    errors = {}
    if not reason:
        errors["reason"] = _("请写明退办理由：为什么这件不属于本单位的职责。")
    if suggested_unit is not None:
        problem = unit_error(suggested_unit, suggestion)
        if problem:
            errors["suggested_unit"] = problem
        elif suggested_unit.pk == suggestion.lead_unit_id:
            errors["suggested_unit"] = _("建议改交的单位不能是本单位。")
    if errors:
        raise ValidationError(errors)
    request = HandBackRequest(suggestion=suggestion, unit=suggestion.lead_unit, reason=reason,
                              suggested_unit=suggested_unit, requested_by=by)
    request._history_user = by
    request.full_clean()
    request.save()
    if suggested_unit is None:
        title = record(_l("%(unit)s申请退办"), {"unit": suggestion.lead_unit.name})
    else:
        title = record(_l("%(unit)s申请退办（建议改交 %(suggested)s）"), {
            "unit": suggestion.lead_unit.name, "suggested": suggested_unit.name})
    move(suggestion, Action.REQUEST_HAND_BACK, by=by, title=title, note=reason)
    save(suggestion, by, ["status"])
    notify(recipients=township_staff(suggestion.township_id),
           title=record(_l("退办申请：%(unit)s申请退办%(label)s"), {"unit": suggestion.lead_unit.name,
                                                        "label": _label(suggestion)}),
           body=reason, url=suggestion.get_absolute_url(), kind="proposals.hand_back_requested", target=suggestion,
           by=by)
    return request


@transaction.atomic
def suggestion_hand_back_decide(*, request: HandBackRequest, by: User, approve: bool, note: str = "",
                                lead_unit: HandlingUnit | None = None, co_units: Iterable[HandlingUnit] = (),
                                responsible_leader: str = "", responsible_leader_user: User | None = None,
                                supervision_mode: str | None = None,
                                deadline_choice: str = DeadlineChoice.NORMAL, working_days: int | None = None,
                                is_key: bool | None = None, leading_leader: str | None = None) -> HandBackRequest:
    """Staff decide a 退办申请: approve and reassign the item (改办) in the same step, or refuse with a reason."""
    request = HandBackRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    suggestion = lock(request.suggestion)
    require_relation(by, suggestion, STAFF_ROLES, _("只有人大办可以处理退办申请。"))
    if request.status != HandBackStatus.PENDING:
        raise ValidationError(_("这份退办申请已经处理过了。"), code="hand_back_decided")
    note = clean_text(note)
    if not approve:
        if not note:
            raise ValidationError({"note": _("不同意退办的，请写明理由，承办单位据此继续办理。")})
        request.status = HandBackStatus.REFUSED
        request.decided_by = by
        request.decided_at = timezone.now()
        request.decision_note = note
        request._history_user = by
        request.full_clean()
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        title = record(_l("不同意%(unit)s退办，仍由其办理"), {"unit": request.unit.name})
        log(suggestion, event="hand_back_refused", by=by, title=title, note=note)
        save(suggestion, by, [])
        notify(recipients=unit_liaisons([request.unit_id]),
               title=record(_l("退办申请未同意：%(label)s仍由贵单位办理，期限 %(d)s"), {
                   "label": _label(suggestion), "d": suggestion.deadline}),
               body=note, url=suggestion.get_absolute_url(), kind="proposals.hand_back_refused", target=suggestion,
               by=by)
        return request
    if lead_unit is None:
        raise ValidationError({"lead_unit": _("同意退办的，请选择改交的主办单位。")})
    _reassign(suggestion, by=by, lead_unit=lead_unit, co_units=co_units, responsible_leader=responsible_leader,
              responsible_leader_user=responsible_leader_user, supervision_mode=supervision_mode,
              deadline_choice=deadline_choice, working_days=working_days, is_key=is_key,
              leading_leader=leading_leader, note=note, hand_back=request,
              title=record(_l("同意%(old)s退办，改交 %(new)s 办理"), {"old": request.unit.name, "new": lead_unit.name}))
    request.refresh_from_db()
    return request


# --- 改办 --------------------------------------------------------------------------------------------------


@transaction.atomic
def suggestion_reassign(*, suggestion: Suggestion, by: User, lead_unit: HandlingUnit, note: str,
                        co_units: Iterable[HandlingUnit] = (), responsible_leader: str = "",
                        responsible_leader_user: User | None = None, supervision_mode: str | None = None,
                        deadline_choice: str = DeadlineChoice.NORMAL, working_days: int | None = None,
                        is_key: bool | None = None, leading_leader: str | None = None) -> Suggestion:
    """改办 without a request (交办错误): staff move an assigned or in-handling item to another lead unit."""
    suggestion = lock(suggestion)
    require_relation(by, suggestion, STAFF_ROLES, _("只有人大办可以改办。"))
    note = clean_text(note)
    if not note:
        raise ValidationError({"note": _("请写明改办的原因，例如“交办错误”。")})
    pending = suggestion.hand_backs.select_for_update().filter(status=HandBackStatus.PENDING).first()
    return _reassign(suggestion, by=by, lead_unit=lead_unit, co_units=co_units, responsible_leader=responsible_leader,
                     responsible_leader_user=responsible_leader_user, supervision_mode=supervision_mode,
                     deadline_choice=deadline_choice, working_days=working_days, is_key=is_key,
                     leading_leader=leading_leader, note=note, hand_back=pending,
                     title=record(_l("改办：由 %(old)s 改交 %(new)s 办理"), {"old": suggestion.lead_unit.name,
                                                               "new": lead_unit.name}))


def _reassign(suggestion: Suggestion, *, by, lead_unit: HandlingUnit, co_units, responsible_leader: str,
              responsible_leader_user, supervision_mode, deadline_choice, working_days, is_key, leading_leader,
              note: str, hand_back: HandBackRequest | None, title: str) -> Suggestion:
    """The one reassignment, for both entry points. ``suggestion`` is locked; the caller checked who may."""
    if suggestion.status not in REASSIGNABLE:
        raise ValidationError(_("只有已交办、办理中的议案建议可以改办，这件现在是“%(status)s”。") % {
            "status": suggestion.get_status_display()}, code="reassign_status")
    old_unit = suggestion.lead_unit
    co_units = [u for u in dict.fromkeys(co_units) if u.pk != lead_unit.pk]
    supervision_mode = supervision_mode or suggestion.supervision_mode or SupervisionMode.ROUTINE
    is_key = suggestion.is_key if is_key is None else is_key
    leading_leader = suggestion.leading_leader if leading_leader is None else clean_text(leading_leader)
    errors = assignment_errors(suggestion, lead_unit=lead_unit, co_units=co_units, is_key=is_key,
                               leading_leader=leading_leader, deadline_choice=deadline_choice,
                               working_days=working_days, supervision_mode=supervision_mode)
    if "lead_unit" not in errors and lead_unit.pk == old_unit.pk:
        errors["lead_unit"] = _("改办须交给另一个单位，“%(name)s”就是现在的主办单位。") % {"name": old_unit.name}
    if errors:
        raise ValidationError(errors)

    move(suggestion, Action.REASSIGN, by=by, title=title, note=note or (hand_back.reason if hand_back else ""))
    # A new deadline from today: the new unit starts the handling afresh.
    fields = apply_assignment(suggestion, by=by, lead_unit=lead_unit, responsible_leader=responsible_leader,
                              responsible_leader_user=responsible_leader_user, supervision_mode=supervision_mode,
                              is_key=is_key, leading_leader=leading_leader, note=note, start=None,
                              deadline_choice=deadline_choice, working_days=working_days)
    now = suggestion.assigned_at
    # The new unit has neither signed for the item nor met the deputy: its 见面率 and the
    # "reply only after a consultation" rule must not be satisfied by the old unit's meetings.
    suggestion.accepted_at = None
    suggestion.first_consulted_at = None
    suggestion.last_consulted_at = None
    save(suggestion, by, [*fields, "accepted_at", "first_consulted_at", "last_consulted_at"])
    added = _set_co_units(suggestion, co_units, by=by, now=now)
    _close_pending_extension(suggestion, by=by, now=now, new_unit=lead_unit)
    if hand_back is not None:
        hand_back.status = HandBackStatus.APPROVED
        hand_back.decided_by = by
        hand_back.decided_at = now
        hand_back.decision_note = note
        hand_back.new_unit = lead_unit
        hand_back._history_user = by
        hand_back.full_clean()
        hand_back.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "new_unit"])

    # Old reminders go (their due dates follow the old deadline); new ones follow the new deadline.
    # The handler reads the lead unit at send time, so the old unit is never reminded again.
    reminders_cancel(target=suggestion, kinds=deadlines._reply_kinds(suggestion) + [deadlines.STALE])
    deadlines.schedule_reply_reminders(suggestion)
    _tell_everyone(suggestion, by=by, old_unit=old_unit, co_units=co_units, added=added, note=note)
    return suggestion


def _set_co_units(suggestion: Suggestion, wanted: list[HandlingUnit], *, by, now) -> list[HandlingUnit]:
    """Keep the co-units chosen again, release the others (their opinions stay), add the new ones."""
    wanted_ids = {u.pk for u in wanted}
    links = {link.unit_id: link for link in CoUnit.objects.select_for_update().filter(suggestion=suggestion)}
    added = []
    for unit_id, link in links.items():
        keep = unit_id in wanted_ids
        if keep == (link.released_at is None):
            continue
        link.released_at = None if keep else now
        link._history_user = by
        link.save(update_fields=["released_at"])
        if keep:
            added.append(link.unit)
    for unit in wanted:
        if unit.pk not in links:
            CoUnit.objects.create(suggestion=suggestion, unit=unit)
            added.append(unit)
    return added


def _close_pending_extension(suggestion: Suggestion, *, by, now, new_unit: HandlingUnit) -> None:
    """The old unit's pending extension no longer means anything: the new unit has a new deadline."""
    for extension in Extension.objects.select_for_update().filter(suggestion=suggestion,
                                                                   status=ExtensionStatus.PENDING):
        extension.status = ExtensionStatus.CANCELLED
        extension.decided_by = by
        extension.decided_at = now
        extension.decision_note = as_stored(record(_l("已改交 %(unit)s 办理，原延期申请不再审批。"), {"unit": new_unit.name}))
        extension._history_user = by
        extension.full_clean()
        extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def _tell_everyone(suggestion: Suggestion, *, by, old_unit: HandlingUnit, co_units: list[HandlingUnit],
                   added: list[HandlingUnit], note: str) -> None:
    url = suggestion.get_absolute_url()
    deadline_text = deadlines.deadline_for_record(suggestion)
    still_sees = old_unit.pk in {u.pk for u in co_units}
    notify(recipients=unit_liaisons([old_unit.pk]),
           title=record(_l("改办：%(label)s已改交 %(unit)s 办理，贵单位不再主办"), {"label": _label(suggestion),
                                                                   "unit": suggestion.lead_unit.name}),
           body=note, url=url if still_sees else "", kind="proposals.reassigned_away", target=suggestion, by=by)
    notify(recipients=[*unit_liaisons([suggestion.lead_unit_id]), suggestion.responsible_leader_user],
           title=record(_l("交办（主办，改办）：%(label)s，办理期限 %(deadline)s"), {"label": _label(suggestion),
                                                                     "deadline": deadline_text}),
           body=record(_l("此件由 %(old)s 改交贵单位办理。请先与领衔代表面商，再书面答复。"), {"old": old_unit.name}),
           url=url, kind="proposals.assigned", target=suggestion, by=by)
    if added:
        notify(recipients=unit_liaisons([u.pk for u in added]),
               title=record(_l("交办（协办）：%(label)s，主办单位 %(unit)s"), {"label": _label(suggestion),
                                                                   "unit": suggestion.lead_unit.name}),
               body=_l("协办意见请在系统中提交给主办单位。"), url=url, kind="proposals.assigned_co", target=suggestion,
               by=by)
    notify(recipients=[deputy_user(suggestion)],
           title=record(_l("您的%(kind)s改由 %(unit)s 办理，期限 %(deadline)s"), {
               "kind": label(suggestion, "kind"), "unit": suggestion.lead_unit.name, "deadline": deadline_text}),
           body=suggestion.title, url=url, kind="proposals.reassigned_deputy", target=suggestion, by=by)

