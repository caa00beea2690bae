"""Reception days (接待日) of a scale township: every Monday over the plan's years and four weeks ahead.

Two serving deputies on duty in turn. Past duties are settled the way ``petitions.demo`` settles them
(signed in at about 08:00, leave asked two days before with a reason, or absent, recorded by the staff);
a past day is ``held`` when somebody signed in. About one day in thirty is cancelled with a reason.
Coming days stay ``planned`` with the eve reminder ``petitions.reception.reminders`` arms.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from deputies.models import Deputy
from deputies.selectors import serving
from petitions.choices import DutyStatus, ReceptionStatus
from petitions.demo import LEAVE_REASONS
from petitions.models import ReceptionDay, ReceptionDuty
from petitions.reception.reminders import EVE, eve_of
from presidium.notifications.models import Reminder

PLACE = "人大代表联络站"
NOTE = "人大主席团接待日"
CANCEL_REASONS = ["与乡镇人民代表大会会期冲突，顺延", "遇县人大常委会集中视察，本次接待日取消", "防汛值守，接待日顺延"]
PER_DAY = 2
AHEAD = dt.timedelta(days=27)


def township_deputies(township) -> list[Deputy]:
    return list(serving(Deputy.objects.filter(township=township)).order_by("pk"))


def build_reception(plan, built) -> list[ReceptionDay]:
    """Write the township's reception days, duties and eve reminders; return the held days by date."""
    township, today = built.township, plan.today
    rng = plan.rng("petitions.reception", township.name)
    staff = built.staff or plan.admin
    deputies = township_deputies(township)
    first = dt.date(plan.first_year, 1, 1)
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    dates = []
    while monday <= today + AHEAD:
        dates.append(monday)
        monday += dt.timedelta(days=7)
    days, duties = [], []
    for index, date in enumerate(dates):
        day = ReceptionDay(township=township, date=date, place=PLACE, note=NOTE, status=ReceptionStatus.PLANNED,
                           created_by=staff, created_at=plan.at(date - dt.timedelta(days=20), 10))
        days.append(day)
        if rng.random() < 0.03:
            day.status, day.cancel_reason = ReceptionStatus.CANCELLED, rng.choice(CANCEL_REASONS)
            day.cancelled_at, day.cancelled_by = plan.at(date - dt.timedelta(days=3), 15), staff
            continue
        if not deputies:
            continue
        for position in range(min(PER_DAY, len(deputies))):
            deputy = deputies[(index * PER_DAY + position) % len(deputies)]
            duty = ReceptionDuty(day=day, deputy=deputy, position=position, status=DutyStatus.ON_DUTY)
            if date < today:
                roll = rng.random()
                if roll < 0.82:
                    duty.status = DutyStatus.SIGNED_IN
                    duty.signed_in_at = plan.at(date, 7, 45) + dt.timedelta(minutes=rng.randint(0, 25))
                    day.status = ReceptionStatus.HELD
                elif roll < 0.93:
                    duty.status, duty.leave_reason = DutyStatus.LEAVE, rng.choice(LEAVE_REASONS)
                    duty.leave_requested_at = plan.at(date - dt.timedelta(days=2), 18)
                else:
                    duty.status, duty.recorded_by = DutyStatus.ABSENT, staff
                    duty.recorded_at = plan.at(date + dt.timedelta(days=1), 9)
            duties.append(duty)
    plan.bulk(ReceptionDay, days)
    plan.bulk(ReceptionDuty, duties)
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(ReceptionDay)
    plan.bulk(Reminder, [Reminder(content_type=content_type, object_id=day.pk, kind=EVE, due_at=eve_of(day.date),
                                  created_at=now)
                         for day in days if day.status == ReceptionStatus.PLANNED and eve_of(day.date) > now])
    return [day for day in days if day.status == ReceptionStatus.HELD]
