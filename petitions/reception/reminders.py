"""The eve-of-duty reminder: the afternoon before a reception day, its deputies on duty are told.

One reminder row per reception day on the floor's database-as-queue (``presidium.notifications.reminders``),
so a day's duties added, swapped or excused after the rota was made are read when the reminder goes out:
whoever is on duty then (not on leave) and has an account is told where and when, and how to ask for leave
(leave is asked before the day starts). A cancelled day, or one already past, says nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from petitions.models import ReceptionDay, ReceptionDuty
from petitions.reception.choices import DayStatus, DutyStatus
from presidium.notifications.reminders import (
    ReminderMessage,
    ReminderProvider,
    reminder_schedule,
    reminders_cancel,
)
from presidium.notifications.selectors import RECIPIENT_FIELDS
from presidium.records import record

EVE = "duty_eve"
EVE_TIME = dt.time(16, 0)  # the afternoon before: time to ask for leave, which closes when the day starts
SHANGHAI = ZoneInfo("Asia/Shanghai")


def eve_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day - dt.timedelta(days=1), EVE_TIME, tzinfo=SHANGHAI)


def schedule_day_reminder(day: ReceptionDay, *, now: dt.datetime | None = None) -> None:
    """Arm the eve reminder of a day still ahead (a rota made for the past arms nothing)."""
    if day.status != DayStatus.CANCELLED and eve_of(day.date) > (now or timezone.now()):
        reminder_schedule(target=day, kind=EVE, due_at=eve_of(day.date))


def cancel_day_reminder(day: ReceptionDay) -> int:
    return reminders_cancel(target=day)


@dataclass(frozen=True)
class DutyEveReminders(ReminderProvider):
    """Registered for ``petitions.ReceptionDay``: a batch costs one query for the days and one for their duties."""

    def targets(self, model):
        return ReceptionDay.objects.select_related("township")

    def prefetch(self, due, *, now):
        duties: dict[int, list[ReceptionDuty]] = {}
        for duty in (ReceptionDuty.objects.filter(day_id__in=[day.pk for day, _ in due], status=DutyStatus.ON_DUTY,
                                                  deputy__user__is_active=True)
                     # The account told, not the deputy's record: its encrypted id number cost a decryption
                     # per duty, and no message reads it (the county's batch of 124 duties: 15.8 → 7.8 ms).
                     .select_related("deputy__user")
                     .only("day_id", "position", "deputy__user_id", *(f"deputy__user__{f}" for f in RECIPIENT_FIELDS))
                     .order_by("position", "pk")):
            duties.setdefault(duty.day_id, []).append(duty)
        return duties

    def message(self, day, reminder, *, now, context) -> ReminderMessage | None:
        if day.status == DayStatus.CANCELLED or day.date < timezone.localdate(now):
            return None
        on_duty = context.get(day.pk, [])
        if not on_duty:
            return None
        return ReminderMessage(
            recipients=[duty.deputy.user for duty in on_duty], url=day.get_absolute_url(),
            kind="reminder.reception.duty_eve",
            title=record(_l("接待日提醒：%(date)s 请到%(place)s值班接待群众"), {
                "date": f"{day.date:%Y-%m-%d}", "place": day.place}),
            body=record(_l("%(township)s人大主席团接待日，当天请在平台上签到；不能到岗的，请在接待日之前请假。"), {
                "township": day.township.name}),
        )
