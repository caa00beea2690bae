"""Reminders about a meeting's outcomes, through the floor's queue (presidium/notifications/reminders.py).

A deliberation opinion (审议意见) sent to a unit reminds the township's staff on its answer date, then every
week while it is unanswered; a rectification item (整改事项) likewise until it is put right.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from presidium.meetings.choices import FindingFollowUp, OutcomeKind
from presidium.meetings.services.outcomes import ANSWER_DUE, RECTIFICATION_DUE
from presidium.notifications.reminders import ReminderMessage, ReminderProvider
from presidium.records import record

WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class OutcomeReminders(ReminderProvider):
    """A batch costs two queries: the outcomes (with meeting and unit), and the staff of their townships."""

    def targets(self, model):
        return model._base_manager.select_related("meeting", "unit")

    def prefetch(self, due, *, now):
        from presidium.choices import Role
        from presidium.models import RoleAssignment

        township_ids = {outcome.meeting.township_id for outcome, _reminder in due}
        staff: dict[int, list] = {}
        for grant in (RoleAssignment.objects.filter(township_id__in=township_ids, user__is_active=True,
                                                    role__in=[Role.PRESIDIUM_STAFF, Role.PRESIDIUM_CHAIR])
                      .select_related("user")):
            staff.setdefault(grant.township_id, []).append(grant.user)
        return staff

    def message(self, outcome, reminder, *, now, context):
        recipients = context.get(outcome.meeting.township_id, [])
        url = outcome.meeting.get_absolute_url()
        today = timezone.localdate(now)
        unit = outcome.unit.name if outcome.unit_id else ""
        if reminder.kind == ANSWER_DUE:
            if outcome.kind != OutcomeKind.DELIBERATION_OPINION or outcome.answered_on or not outcome.due_on:
                return None
            if outcome.due_on > today:
                return None  # the date moved later; the rescheduled reminder comes then
            return ReminderMessage(
                recipients=recipients, url=url, next_due_at=reminder.due_at + WEEK, kind="reminder.opinion_answer",
                title=record(_l("审议意见待答复：%(title)s（%(unit)s，答复期限 %(due)s）"), {
                    "title": outcome.title, "unit": unit, "due": outcome.due_on}),
                body=_l("请督促送交单位答复；收到答复后在会议页面登记，提醒即停止。"))
        if reminder.kind == RECTIFICATION_DUE:
            if outcome.follow_up != FindingFollowUp.RECTIFICATION or outcome.rectified_on:
                return None
            if not outcome.rectification_due_on or outcome.rectification_due_on > today:
                return None
            return ReminderMessage(
                recipients=recipients, url=url, next_due_at=reminder.due_at + WEEK, kind="reminder.rectification",
                title=record(_l("整改事项到期：%(title)s（%(unit)s，整改期限 %(due)s）"), {
                    "title": outcome.title, "unit": unit, "due": outcome.rectification_due_on}))
        return None
