"""Rectification items (整改): opened by staff or when a unit's 不满意 share passes the campaign's threshold,
ticked off by the unit with evidence, re-checked at year end (回头看), reminded on the floor's queue.

Status moves only through :data:`TRANSITIONS`: open → done (by the unit's liaison or staff, with a note and
files); done → checked (回头看 confirmed) or back to open (回头看 found it not done).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from evaluations.models import RectificationEvidence, RectificationItem
from evaluations.units.access import MANAGE
from evaluations.units.choices import RectificationStage, RectificationStatus
from presidium.access import has_perm, scope_of
from presidium.documents.storage import RemoveFilesOnError
from presidium.documents.uploads import CheckedFile
from presidium.notifications.reminders import (
    ReminderMessage,
    ReminderProvider,
    reminder_schedule,
    reminders_cancel,
)
from presidium.records import record

R = RectificationStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    R.OPEN: frozenset({R.DONE}),
    R.DONE: frozenset({R.CHECKED, R.OPEN}),
    R.CHECKED: frozenset(),
}
AUTO_DUE_WORKING_DAYS = 20
MAX_EVIDENCE = 10
SHANGHAI = ZoneInfo("Asia/Shanghai")
DUE_SOON, OVERDUE = "rectification_due", "rectification_overdue"


def _at_nine(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=SHANGHAI)


def _schedule(item: RectificationItem) -> None:
    reminders_cancel(target=item)
    if item.status == R.OPEN:
        reminder_schedule(target=item, kind=DUE_SOON, due_at=_at_nine(item.due_on - dt.timedelta(days=3)))
        reminder_schedule(target=item, kind=OVERDUE, due_at=_at_nine(item.due_on + dt.timedelta(days=1)))


def may_tick_off(user, item: RectificationItem) -> bool:
    """The unit's own liaison, or staff of the township."""
    return has_perm(user, MANAGE, item.campaign.township_id) or item.unit_id in scope_of(user).unit_ids()


def _move(item: RectificationItem, new: str) -> None:
    if new not in TRANSITIONS[item.status]:
        raise ValidationError(_("整改事项当前为“%(state)s”，不能进行这一步。") % {"state": item.get_status_display()})
    item.status = new


@transaction.atomic
def rectification_open(*, campaign, unit, title: str, owner: str, due_on: dt.date, by,
                       stage: str = RectificationStage.NEAR, measures: str = "", round_=None,
                       automatic: bool = False) -> RectificationItem:
    """Open an item for a unit of the campaign, and arm its reminders."""
    if not has_perm(by, MANAGE, campaign.township):
        raise PermissionDenied
    if not campaign.units.filter(unit=unit).exists():
        raise ValidationError({"unit": _("该单位不在本次评议之列。")})
    item = RectificationItem(campaign=campaign, unit=unit, round=round_, stage=stage, title=title, owner=owner,
                             due_on=due_on, measures=measures, opened_automatically=automatic, created_by=by)
    item.full_clean()
    item.save()
    _schedule(item)
    return item


def open_for_unsatisfied(*, round_, scores, by) -> list[RectificationItem]:
    """An item for each unit whose 不满意 share passed the threshold (called by ``round_publish``)."""
    from presidium.calendar.services import add_working_days

    if not scores:
        return []
    campaign = round_.campaign
    due = add_working_days(timezone.localdate(), AUTO_DUE_WORKING_DAYS, county=campaign.township.county_id).date
    return [rectification_open(
        campaign=campaign, unit=s.unit, round_=round_, automatic=True, by=by, stage=RectificationStage.NEAR,
        due_on=due, owner=s.unit.responsible_leader or s.unit.contact_person or s.unit.name,
        title=f"{round_.label}满意度测评不满意率 {s.unsatisfied_share}%，超过 {campaign.unsatisfied_threshold}%，限期整改",
        measures="对照代表意见逐项查找问题，制定整改措施，按期报送整改情况。") for s in scores]


@transaction.atomic
def rectification_done(*, item: RectificationItem, by, note: str, files: list[CheckedFile] = ()) -> RectificationItem:
    """The unit reports the item put right, with a note and evidence files (already checked by the floor)."""
    if not may_tick_off(by, item):
        raise PermissionDenied
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if not (note or "").strip():
        raise ValidationError({"note": _("请写明整改情况。")})
    if len(files) > MAX_EVIDENCE:
        raise ValidationError({"files": _("每次最多上传 %(n)s 个文件。") % {"n": MAX_EVIDENCE}})
    _move(item, R.DONE)
    item.done_on, item.done_note = timezone.localdate(), note.strip()
    item.save(update_fields=["status", "done_on", "done_note"])
    with RemoveFilesOnError() as written:
        for checked in files:
            evidence = RectificationEvidence(item=item, original_name=checked.original_name[:200],
                                             content_type=checked.content_type, size_bytes=checked.size,
                                             uploaded_by=by)
            evidence.file.save(f"evidence{checked.suffix}", checked.content, save=False)
            written.append((evidence.file.storage, evidence.file.name))
            evidence.save()
    reminders_cancel(target=item)
    return item


@transaction.atomic
def rectification_check(*, item: RectificationItem, by, confirmed: bool, note: str = "") -> RectificationItem:
    """回头看: staff confirm the item stays put right, or send it back to the unit (open again, reminded)."""
    if not has_perm(by, MANAGE, item.campaign.township_id):
        raise PermissionDenied
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if not confirmed and not (note or "").strip():
        raise ValidationError({"note": _("退回重新整改时请写明原因。")})
    _move(item, R.CHECKED if confirmed else R.OPEN)
    item.check_note = note.strip()
    if confirmed:
        item.checked_on = timezone.localdate()
        item.save(update_fields=["status", "checked_on", "check_note"])
    else:
        item.done_on = None
        item.save(update_fields=["status", "done_on", "check_note"])
        _schedule(item)
    return item


@dataclass(frozen=True)
class RectificationReminders(ReminderProvider):
    """Registered for ``evaluations.RectificationItem``: the unit's liaisons and the township's staff are told
    three days before the due date and the day after it (then weekly while it stays open)."""

    def targets(self, model):
        return RectificationItem.objects.select_related("unit", "campaign__township")

    def prefetch(self, due, *, now):
        from presidium.access import STAFF_ROLES
        from presidium.choices import Role
        from presidium.models import RoleAssignment

        unit_ids = {item.unit_id for item, _ in due}
        township_ids = {item.campaign.township_id for item, _ in due}
        people: dict[tuple, list] = {}
        for ra in (RoleAssignment.objects.filter(role=Role.UNIT_LIAISON, handling_unit_id__in=unit_ids)
                   | RoleAssignment.objects.filter(role__in=STAFF_ROLES, township_id__in=township_ids)
                   ).select_related("user"):
            key = ("u", ra.handling_unit_id) if ra.role == Role.UNIT_LIAISON else ("t", ra.township_id)
            people.setdefault(key, []).append(ra.user)
        return people

    def message(self, item, reminder, *, now, context):
        if item.status != R.OPEN:
            return None
        recipients = context.get(("u", item.unit_id), []) + context.get(("t", item.campaign.township_id), [])
        if not recipients:
            return None
        values = {"unit": item.unit.name, "title": item.title, "due": f"{item.due_on:%Y-%m-%d}"}
        if reminder.kind == OVERDUE:
            return ReminderMessage(
                recipients=recipients, url=item.get_absolute_url(), kind="reminder.evaluations.rectification_overdue",
                title=record(_l("整改逾期：%(unit)s“%(title)s”已过完成时限 %(due)s"), values),
                body=record(_l("请尽快完成整改并上传佐证材料。"), None),
                next_due_at=reminder.due_at + dt.timedelta(days=7))
        if item.due_on < timezone.localdate(now):
            return None  # the pass ran late, past the due date: "将于…到期" is no longer true; the overdue one speaks
        return ReminderMessage(
            recipients=recipients, url=item.get_absolute_url(), kind="reminder.evaluations.rectification_due",
            title=record(_l("整改提醒：%(unit)s“%(title)s”将于 %(due)s 到期"), values),
            body=record(_l("完成后请在平台上填写整改情况并上传佐证材料。"), None))
