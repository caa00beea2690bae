"""The duty archive's meetings section and the 三不 signals, per deputy per year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from deputies.archive import DutySignal, build_archive, duty_signals
from presidium.choices import Role
from tests.factories import DeputyFactory, InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def at(y, m, d):
    return timezone.make_aware(dt.datetime(y, m, d, 9))


def invite(deputy, kind, when, status, **kwargs):
    meeting = MeetingFactory(township=deputy.township, kind=kind, starts_at=when, ends_at=when + dt.timedelta(hours=2),
                             status=kwargs.pop("meeting_status", "held"), term=deputy.term,
                             cancel_reason=kwargs.pop("cancel_reason", ""), **kwargs)
    return InvitationFactory(meeting=meeting, deputy=deputy, name=deputy.name, status=status,
                             leave_reason="出差" if status == "leave" else "")


def test_it_counts_attendance_and_activities_per_year_and_feeds_the_signals(world):
    deputy = DeputyFactory(township=world.township)
    invite(deputy, "presidium_meeting", at(2026, 3, 2), "present")
    invite(deputy, "presidium_meeting", at(2026, 6, 2), "leave")
    invite(deputy, "inspection", at(2026, 5, 9), "present")
    invite(deputy, "survey", at(2026, 8, 9), "absent")
    invite(deputy, "training", at(2025, 8, 9), "present")  # another year
    invite(deputy, "training", at(2026, 9, 9), "invited", meeting_status="cancelled", cancel_reason="改期")
    section = next(s for s in build_archive(deputy, 2026, viewer=world.user(Role.PRESIDIUM_STAFF))
                   if s.key == "meetings")
    assert section.available and len(section.rows) == 4
    counts = {str(k): v for k, v in section.counts.items()}
    assert (counts["出席会议"], counts["会议请假"], counts["参加活动"], counts["活动缺席"]) == (1, 1, 1, 1)
    assert all(row.url for row in section.rows)
    signals = duty_signals([deputy.pk], dt.date(2026, 1, 1), dt.date(2026, 12, 31))[deputy.pk]
    assert signals[DutySignal.MEETING] == 1 and signals[DutySignal.ACTIVITY] == 1
    idle = DeputyFactory(township=world.township)
    assert duty_signals([idle.pk], dt.date(2026, 1, 1), dt.date(2026, 12, 31))[idle.pk][DutySignal.MEETING] == 0
