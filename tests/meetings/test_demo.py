"""The meetings demo step: a year of meetings and activities per township, quickly, once."""

from __future__ import annotations

import time

from django.db.models import Count
from django.utils import timezone

from deputies.demo import seed_deputies
from presidium.demo import seed_organisation
from presidium.meetings.demo import seed_meetings
from presidium.meetings.models import Invitation, Meeting, Outcome
from presidium.meetings.rules import rule_gaps
from presidium.models import Township
from presidium.registry import demo_steps
from proposals.demo import seed_proposals
from proposals.models import Suggestion


def test_it_runs_after_petitions():
    steps = {step.key: step.order for step in demo_steps()}
    assert steps["deputies"] < steps["proposals"] < steps["petitions"] < steps["meetings"]


def test_it_seeds_a_year_of_meetings_once(db):
    seed_organisation()
    seed_deputies()
    seed_proposals()
    started = time.monotonic()
    seed_meetings()
    took = time.monotonic() - started
    now = timezone.now()
    per_township = dict(Meeting.objects.values_list("township__name").annotate(n=Count("pk")))
    assert set(per_township) == {"青石镇", "柳河乡", "白沙街道"}
    kinds = set(Meeting.objects.values_list("kind", flat=True))
    assert kinds >= {"congress_session", "presidium_meeting", "group_activity", "inspection", "survey"}
    assert Meeting.objects.filter(kind="congress_session").count() == 6
    assert not Invitation.objects.filter(meeting__ends_at__lt=now, status="invited").exists()
    assert Invitation.objects.filter(status="leave").exclude(leave_reason="").exists()
    upcoming = Meeting.objects.get(starts_at__gt=now, township__name="青石镇")
    assert upcoming.invitations.filter(deputy__user__username="deputy").exists()
    assert Outcome.objects.filter(kind="deliberation_opinion", answered_on__isnull=True, due_on__lt=now.date()).exists()
    assert Outcome.objects.filter(kind="finding", follow_up="suggestion").exists()
    assert Outcome.objects.filter(kind="finding", follow_up="rectification").exists()
    # The proposals demo typed "第十八届人民代表大会第五次会议": its suggestions now point at that session.
    linked = Suggestion.objects.filter(session__isnull=False).select_related("session")
    assert linked.exists() and all(s.session.session_number == 5 for s in linked)
    assert any(g.rule == "group" for g in rule_gaps(Township.objects.get(name="青石镇")))
    assert took < 20, took
    seed_meetings()
    assert dict(Meeting.objects.values_list("township__name").annotate(n=Count("pk"))) == per_township
