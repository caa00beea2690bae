"""Reception days (接待日) and the deputies' duty at them: every state change, one function each.

The rota (排班) is generated from a rule — every given weekday in a period, or dates typed in (market
days, 赶集日) — with deputy groups or named deputies on duty in turn. A deputy on duty signs in on the
day from their phone, or asks for leave before the day starts (大莫古: 每周一上午 8 点签到，不能参加
要提前请假); after the day the staff mark who did not come, or confirm the attendance of someone who
came but could not sign in. :data:`DUTY_TRANSITIONS` is the one table of the duty's lifecycle, and
:func:`duty_refusal` says, in words, why a step is not possible (the page shows it on the button).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from deputies.choices import DeputyStatus
from deputies.models import Deputy, DeputyGroup
from deputies.selectors import serving
from petitions.models import ReceptionDay, ReceptionDuty
from petitions.reception.access import is_own_duty, may_manage
from petitions.reception.choices import DayStatus, DutyAction, DutyStatus
from petitions.reception.reminders import cancel_day_reminder, schedule_day_reminder
from presidium.records import record

MAX_GENERATED_DAYS = 120  # a year of weekly days, or two of market days every six days: more is a typo
MAX_PERIOD_DAYS = 400


@dataclass(frozen=True)
class DutyTransition:
    to: DutyStatus
    who: str  # "deputy": the deputy on duty (or staff for them); "staff": the township's staff only
    when: str  # "before": before the day starts; "on": on the day; "after": after the day; "on_or_after"


# The one table of the duty's lifecycle (DESIGN rule 2). Leave is asked in advance and needs no
# approval (the rule is "提前请假"); a wrongly marked absence is put right by the staff's confirmation.
DUTY_TRANSITIONS: dict[tuple[DutyStatus, DutyAction], DutyTransition] = {
    (DutyStatus.ON_DUTY, DutyAction.SIGN_IN): DutyTransition(DutyStatus.SIGNED_IN, "own", "on"),
    (DutyStatus.ON_DUTY, DutyAction.REQUEST_LEAVE): DutyTransition(DutyStatus.LEAVE, "deputy", "before"),
    (DutyStatus.ON_DUTY, DutyAction.MARK_ABSENT): DutyTransition(DutyStatus.ABSENT, "staff", "after"),
    (DutyStatus.ON_DUTY, DutyAction.CONFIRM): DutyTransition(DutyStatus.SIGNED_IN, "staff", "on_or_after"),
    (DutyStatus.ABSENT, DutyAction.CONFIRM): DutyTransition(DutyStatus.SIGNED_IN, "staff", "on_or_after"),
}

WHEN_REFUSALS = {
    "before": _l("请假须在接待日当天之前提出（%(date)s 起已不能请假；未到的由人大办登记缺席）。"),
    "on": _l("只能在接待日当天（%(date)s）签到。"),
    "after": _l("接待日（%(date)s）结束后才能登记缺席。"),
    "on_or_after": _l("接待日（%(date)s）当天或之后才能确认出席。"),
}


def today() -> dt.date:
    return timezone.localdate()


def _when_ok(when: str, day: dt.date, on: dt.date) -> bool:
    return {"before": on < day, "on": on == day, "after": on > day, "on_or_after": on >= day}[when]


def _refusal(duty: ReceptionDuty, action: DutyAction, user, on: dt.date) -> tuple[str, str] | None:
    """("state" | "role" | "time", the sentence) when the step is not possible, else None."""
    day = duty.day
    if day.status == DayStatus.CANCELLED:
        return "state", _("该接待日已取消。")
    step = DUTY_TRANSITIONS.get((DutyStatus(duty.status), action))
    if step is None:
        return "state", _("当前状态为“%(status)s”，不能%(action)s。") % {"status": duty.get_status_display(),
                                                                  "action": action.label}
    staff = may_manage(user, day.township_id)
    own = is_own_duty(user, duty)
    if step.who == "staff" and not staff:
        return "role", _("只有人大办工作人员可以%(action)s。") % {"action": action.label}
    if step.who == "own" and not own:
        return "role", _("只能由值班代表本人签到。")
    if step.who == "deputy" and not (own or staff):
        return "role", _("只能由值班代表本人或人大办工作人员办理。")
    if not _when_ok(step.when, day.date, on):
        return "time", str(WHEN_REFUSALS[step.when]) % {"date": f"{day.date:%Y-%m-%d}"}
    return None


def duty_refusal(duty: ReceptionDuty, action: DutyAction | str, user, *, on: dt.date | None = None) -> str | None:
    """Why ``user`` may not take ``action`` on ``duty`` now (a sentence), or None when the step is allowed."""
    found = _refusal(duty, DutyAction(action), user, on or today())
    return found[1] if found else None


def _step(duty: ReceptionDuty, action: DutyAction, by, *, on: dt.date | None = None) -> DutyTransition:
    """Check the step as the table and the calendar say: 403 for a role that may not, a message otherwise."""
    action = DutyAction(action)
    found = _refusal(duty, action, by, on or today())
    if found is None:
        return DUTY_TRANSITIONS[(DutyStatus(duty.status), action)]
    kind, message = found
    if kind == "role":
        raise PermissionDenied(message)
    raise ValidationError(message)


def _lock_duty(duty: ReceptionDuty) -> ReceptionDuty:
    return ReceptionDuty.objects.select_for_update(of=("self",)).select_related("day", "deputy").get(pk=duty.pk)


def _save_duty(duty: ReceptionDuty, fields: list[str]) -> ReceptionDuty:
    duty.full_clean()
    duty.save(update_fields=fields)
    return duty


def reception_duty_sign_in(*, duty: ReceptionDuty, by, at: dt.datetime | None = None) -> ReceptionDuty:
    """签到: the deputy on duty, on the day, from their own account."""
    at = at or timezone.now()
    with transaction.atomic():
        duty = _lock_duty(duty)
        step = _step(duty, DutyAction.SIGN_IN, by, on=timezone.localdate(at))
        duty.status, duty.signed_in_at = step.to, at
        duty.recorded_by, duty.recorded_at = by, at
        _save_duty(duty, ["status", "signed_in_at", "recorded_by", "recorded_at"])
        _mark_held(duty.day)
    return duty


def reception_duty_request_leave(*, duty: ReceptionDuty, reason: str, by) -> ReceptionDuty:
    """请假: asked before the day starts, with a reason, by the deputy (or the staff for them)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明请假事由。")})
    with transaction.atomic():
        duty = _lock_duty(duty)
        step = _step(duty, DutyAction.REQUEST_LEAVE, by)
        now = timezone.now()
        duty.status, duty.leave_reason, duty.leave_requested_at = step.to, reason, now
        duty.recorded_by, duty.recorded_at = by, now
        _save_duty(duty, ["status", "leave_reason", "leave_requested_at", "recorded_by", "recorded_at"])
        _tell_staff(duty, record(_l("%(deputy)s 请假：%(date)s 接待日（%(reason)s）"),
                                 {"deputy": duty.deputy.name, "date": f"{duty.day.date:%Y-%m-%d}", "reason": reason}),
                    by=by)
    return duty


def reception_duty_mark_absent(*, duty: ReceptionDuty, by, note: str = "") -> ReceptionDuty:
    """缺席: after the day, the staff record that a deputy on duty neither came nor asked for leave."""
    with transaction.atomic():
        duty = _lock_duty(duty)
        step = _step(duty, DutyAction.MARK_ABSENT, by)
        now = timezone.now()
        duty.status, duty.note = step.to, (note or "").strip()
        duty.recorded_by, duty.recorded_at = by, now
        _save_duty(duty, ["status", "note", "recorded_by", "recorded_at"])
    return duty


def reception_duty_confirm(*, duty: ReceptionDuty, by, note: str = "") -> ReceptionDuty:
    """确认出席: the staff confirm that a deputy came (did not sign in on the phone, or was marked absent wrongly)."""
    with transaction.atomic():
        duty = _lock_duty(duty)
        step = _step(duty, DutyAction.CONFIRM, by)
        now = timezone.now()
        duty.status, duty.note = step.to, (note or "").strip()
        duty.confirmed_by, duty.confirmed_at = by, now
        duty.recorded_by, duty.recorded_at = by, now
        _save_duty(duty, ["status", "note", "confirmed_by", "confirmed_at", "recorded_by", "recorded_at"])
        _mark_held(duty.day)
    return duty


def duty_mark_absent_all(*, day: ReceptionDay, by) -> int:
    """After the day, every duty still "on duty" becomes absent (one click for the clerk); returns how many."""
    duties = list(day.duties.filter(status=DutyStatus.ON_DUTY).select_related("day", "deputy"))
    for duty in duties:
        reception_duty_mark_absent(duty=duty, by=by)
    return len(duties)


def _mark_held(day: ReceptionDay) -> None:
    if day.status == DayStatus.PLANNED:
        ReceptionDay.objects.filter(pk=day.pk, status=DayStatus.PLANNED).update(status=DayStatus.HELD)
        day.status = DayStatus.HELD


def _tell_staff(duty: ReceptionDuty, title, *, by) -> None:
    from presidium.choices import Role
    from presidium.models import User
    from presidium.notifications.services import notify

    staff = User.objects.filter(role_assignments__role=Role.PRESIDIUM_STAFF,
                                role_assignments__township_id=duty.day.township_id, is_active=True).distinct()
    notify(recipients=list(staff.exclude(pk=getattr(by, "pk", None))), title=title,
           url=duty.day.get_absolute_url(), kind="reception", target=duty.day, by=by, channels=())


# --- the days ---------------------------------------------------------------------------------------


def _require_manage(by, township) -> None:
    if not may_manage(by, township.pk if hasattr(township, "pk") else township):
        raise PermissionDenied(_("只有本乡镇人大办工作人员可以安排接待日。"))


def _clean_text(value: str, limit: int) -> str:
    return (value or "").strip()[:limit]


def reception_day_create(*, township, date: dt.date, place: str, by, note: str = "",
                         deputies: list[Deputy] | None = None, group: DeputyGroup | None = None) -> ReceptionDay:
    """One reception day with its deputies on duty (a group's serving members, or the named deputies)."""
    _require_manage(by, township)
    place = _clean_text(place, 100)
    if not place:
        raise ValidationError({"place": _("请填写接待地点。")})
    with transaction.atomic():
        if ReceptionDay.objects.filter(township=township, date=date).exists():
            raise ValidationError({"date": _("%(date)s 已安排接待日。") % {"date": f"{date:%Y-%m-%d}"}})
        day = ReceptionDay(township=township, date=date, place=place, note=_clean_text(note, 200),
                           status=DayStatus.PLANNED, created_by=by)
        day.full_clean()
        day.save()
        on_duty = _duty_deputies(township, group=group, deputies=deputies)
        ReceptionDuty.objects.bulk_create([
            ReceptionDuty(day=day, deputy=d, group=group or d.group, status=DutyStatus.ON_DUTY, position=i)
            for i, d in enumerate(on_duty)
        ])
        schedule_day_reminder(day)
    return day


def _duty_deputies(township, *, group=None, deputies=None) -> list[Deputy]:
    if group is not None:
        if group.township_id != township.pk:
            raise ValidationError({"groups": _("代表小组不属于本乡镇。")})
        return list(serving(group.members.all()).order_by("name_pinyin", "pk"))
    chosen = list(deputies or [])
    wrong = [d.name for d in chosen if d.township_id != township.pk]
    if wrong:
        raise ValidationError({"deputies": _("%(names)s 不是本乡镇的代表。") % {"names": "、".join(wrong)}})
    not_serving = [d.name for d in chosen if d.status != DeputyStatus.SERVING]
    if not_serving:
        raise ValidationError({"deputies": _("%(names)s 不在任，不能排班。") % {"names": "、".join(not_serving)}})
    return chosen


@dataclass
class RotaRule:
    """排班规则: the period, which dates (weekdays in it, or typed dates), and who rotates."""

    start: dt.date
    end: dt.date
    weekdays: list[int] = field(default_factory=list)  # 0 = Monday
    dates: list[dt.date] = field(default_factory=list)  # market days typed in (used instead of weekdays)
    groups: list[DeputyGroup] = field(default_factory=list)  # rotate groups in this order ...
    deputies: list[Deputy] = field(default_factory=list)  # ... or named deputies, ``per_day`` at a time
    per_day: int = 1

    def days(self) -> list[dt.date]:
        if self.dates:
            return sorted({d for d in self.dates if self.start <= d <= self.end})
        wanted = set(self.weekdays)
        span = (self.end - self.start).days
        return [self.start + dt.timedelta(days=i) for i in range(span + 1)
                if (self.start + dt.timedelta(days=i)).weekday() in wanted]


def rota_check(rule: RotaRule) -> None:
    """The rule's mistakes, all at once, as field errors in Chinese."""
    errors: dict[str, list[str]] = {}
    if rule.end < rule.start:
        errors.setdefault("end", []).append(_("结束日期不能早于开始日期。"))
    elif (rule.end - rule.start).days > MAX_PERIOD_DAYS:
        errors.setdefault("end", []).append(_("一次最多安排 %(n)s 天内的接待日。") % {"n": MAX_PERIOD_DAYS})
    if not rule.dates and not rule.weekdays:
        errors.setdefault("weekdays", []).append(_("请选择每周的接待日，或填写具体日期（如赶集日）。"))
    outside = [d for d in rule.dates if not rule.start <= d <= rule.end]
    if outside and rule.end >= rule.start:
        errors.setdefault("dates", []).append(_("%(dates)s 不在所选期间内。") % {
            "dates": "、".join(f"{d:%Y-%m-%d}" for d in outside[:5])})
    if not rule.groups and not rule.deputies:
        errors.setdefault("groups", []).append(_("请选择轮流值班的代表小组或代表。"))
    if rule.groups and rule.deputies:
        errors.setdefault("groups", []).append(_("代表小组和代表只能选一种轮值方式。"))
    if rule.deputies and not 1 <= rule.per_day <= max(1, len(rule.deputies)):
        errors.setdefault("per_day", []).append(_("每天值班人数须在 1 到所选代表人数之间。"))
    if not errors and not rule.days():
        errors.setdefault("weekdays", []).append(_("所选期间内没有符合规则的日期。"))
    if not errors and len(rule.days()) > MAX_GENERATED_DAYS:
        errors.setdefault("end", []).append(_("一次最多生成 %(n)s 个接待日，请缩短期间。") % {"n": MAX_GENERATED_DAYS})
    if errors:
        raise ValidationError(errors)


@dataclass
class RotaResult:
    created: list[ReceptionDay]
    skipped: list[dt.date]  # dates that already had a reception day (left as they were)


def reception_days_generate(*, township, rule: RotaRule, place: str, by, note: str = "") -> RotaResult:
    """排班: one reception day per date of the rule, the groups (or deputies) on duty in turn.

    Dates that already have a reception day are skipped and reported, so running the same rule twice
    changes nothing; the turn goes on over the skipped dates (a group keeps its place in the order).
    """
    _require_manage(by, township)
    rota_check(rule)
    if not (place or "").strip():
        raise ValidationError({"place": _("请填写接待地点。")})
    for group in rule.groups:
        if group.township_id != township.pk:
            raise ValidationError({"groups": _("代表小组不属于本乡镇。")})
    _duty_deputies(township, deputies=rule.deputies)
    dates = rule.days()
    existing = set(ReceptionDay.objects.filter(township=township, date__in=dates).values_list("date", flat=True))
    created, skipped = [], []
    with transaction.atomic():
        for index, date in enumerate(dates):
            if date in existing:
                skipped.append(date)
                continue
            if rule.groups:
                group, named = rule.groups[index % len(rule.groups)], None
            else:
                n = len(rule.deputies)
                named = [rule.deputies[(index * rule.per_day + k) % n] for k in range(rule.per_day)]
                group = None
            created.append(reception_day_create(township=township, date=date, place=place, note=note, by=by,
                                                group=group, deputies=named))
    return RotaResult(created=created, skipped=skipped)


def reception_day_update(*, day: ReceptionDay, by, place: str, note: str = "") -> ReceptionDay:
    """Change the place or the note of a day not cancelled."""
    _require_manage(by, day.township)
    place = _clean_text(place, 100)
    if not place:
        raise ValidationError({"place": _("请填写接待地点。")})
    with transaction.atomic():
        day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
        if day.status == DayStatus.CANCELLED:
            raise ValidationError(_("该接待日已取消，不能修改。"))
        day.place, day.note = place, _clean_text(note, 200)
        day.full_clean()
        day.save(update_fields=["place", "note"])
    return day


def reception_duty_add(*, day: ReceptionDay, deputy: Deputy, by) -> ReceptionDuty:
    """添加值班代表 (替班): one more serving deputy of the township on duty at a day not cancelled."""
    _require_manage(by, day.township)
    with transaction.atomic():
        day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
        if day.status == DayStatus.CANCELLED:
            raise ValidationError(_("该接待日已取消，不能修改。"))
        _duty_deputies(day.township, deputies=[deputy])
        if day.duties.filter(deputy=deputy).exists():
            raise ValidationError({"deputy": _("%(name)s 已在当天值班。") % {"name": deputy.name}})
        last = day.duties.order_by("-position").values_list("position", flat=True).first()
        duty = ReceptionDuty(day=day, deputy=deputy, group=deputy.group, status=DutyStatus.ON_DUTY,
                             position=(last or 0) + 1, recorded_by=by, recorded_at=timezone.now())
        duty.full_clean()
        duty.save()
        if deputy.user_id:
            from presidium.notifications.services import notify

            notify(recipients=[deputy.user], title=record(_l("请您在 %(date)s 接待日值班（%(place)s）"), {
                "date": f"{day.date:%Y-%m-%d}", "place": day.place}), url=day.get_absolute_url(), kind="reception",
                target=day, by=by)
    return duty


def day_cancel_refusal(day: ReceptionDay) -> str | None:
    if day.status == DayStatus.CANCELLED:
        return _("该接待日已取消。")
    if day.duties.filter(status=DutyStatus.SIGNED_IN).exists():
        return _("已有代表签到，接待日已举行，不能取消。")
    return None


def reception_day_cancel(*, day: ReceptionDay, reason: str, by) -> ReceptionDay:
    """取消 with a reason; the deputies on duty are told. A day someone signed in at was held: not cancelled."""
    _require_manage(by, day.township)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明取消原因。")})
    with transaction.atomic():
        day = ReceptionDay.objects.select_for_update(of=("self",)).select_related("township").get(pk=day.pk)
        refusal = day_cancel_refusal(day)
        if refusal:
            raise ValidationError(refusal)
        day.status, day.cancel_reason = DayStatus.CANCELLED, reason[:200]
        day.cancelled_at, day.cancelled_by = timezone.now(), by
        day.full_clean()
        day.save(update_fields=["status", "cancel_reason", "cancelled_at", "cancelled_by"])
        cancel_day_reminder(day)
        users = [d.deputy.user for d in day.duties.select_related("deputy__user") if d.deputy.user_id]
        if users:
            from presidium.notifications.services import notify

            notify(recipients=users, title=record(_l("%(date)s 的接待日已取消：%(reason)s"), {
                "date": f"{day.date:%Y-%m-%d}", "reason": reason}), url=day.get_absolute_url(), kind="reception",
                target=day, by=by)
    return day
