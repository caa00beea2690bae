"""The petitions demo step: a year of reception days and duties, and a year of petitions in every state."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from deputies.demo import seed_deputies
from petitions.demo import seed_petitions
from petitions.models import Petition, PetitionClock, ReceptionDay, ReceptionDuty
from petitions.reception import selectors
from presidium.demo import seed_organisation
from presidium.registry import demo_steps


def test_it_runs_after_deputies_and_proposals():
    steps = {step.key: step.order for step in demo_steps()}
    assert steps["deputies"] < steps["proposals"] < steps["petitions"]


def test_it_seeds_a_valid_year_once(db):
    seed_organisation()
    seed_deputies()
    seed_petitions()
    today = timezone.localdate()

    days = ReceptionDay.objects.all()
    per_township = dict(days.values_list("township__name").annotate(n=Count("pk")))
    assert set(per_township) == {"青石镇", "柳河乡", "白沙街道"}
    assert all(n >= 50 for n in per_township.values()), per_township
    assert days.filter(date__lt=today - dt.timedelta(days=300)).exists() and days.filter(date__gt=today).exists()
    assert days.filter(status="cancelled").exclude(cancel_reason="").count() >= 3
    # 柳河乡 receives on market days (逢三逢八), the others on Mondays.
    assert {d.day % 10 for d in days.filter(township__name="柳河乡").values_list("date", flat=True)} <= {3, 8}
    assert {d.weekday() for d in days.filter(township__name="白沙街道").values_list("date", flat=True)} == {0}
    # Every past duty is settled; the demo deputy is on duty today.
    assert not ReceptionDuty.objects.filter(day__date__lt=today, status="on_duty").exclude(
        day__status="cancelled").exists()
    assert ReceptionDuty.objects.filter(day__date=today, deputy__user__username="deputy").exists()
    assert ReceptionDuty.objects.filter(status="leave").exclude(leave_reason="").exists()
    assert ReceptionDuty.objects.filter(status="absent").exists()

    petitions = Petition.objects.all()
    assert petitions.count() >= 150
    assert set(petitions.values_list("channel", flat=True)) >= {"visit", "letter", "phone", "online", "mailbox",
                                                                 "referred", "deputy"}
    statuses = set(petitions.values_list("status", flat=True))
    assert statuses >= {"registered", "answered_on_spot", "not_accepted", "accepted", "transferred", "replied",
                        "closed", "review_requested"}
    assert petitions.filter(is_collective=True, people_count__gte=5).exists()
    assert petitions.filter(channel="referred", result_reported_on__isnull=False).exists()
    assert petitions.filter(repeat_of__isnull=False).exists()
    # Every township shows a repeat; the demo deputy has a case raised through him; timelines move with the steps.
    assert set(petitions.filter(repeat_of__isnull=False).values_list("township__name", flat=True)) == {
        "青石镇", "柳河乡", "白沙街道"}
    assert petitions.filter(raised_by_deputy__user__username="deputy").exists()
    closed = petitions.filter(status="closed").first()
    dates = sorted({timezone.localtime(e.at).date() for e in closed.events.all()})
    assert dates[0] == closed.received_on and len(dates) >= 3
    assert petitions.filter(reception_day__isnull=False).count() > 20
    assert PetitionClock.objects.filter(state="running", due_on__lt=today).filter(
        Q(kind="acceptance") | Q(kind="completion")).exists()  # some overdue cases
    assert petitions.filter(received_on__lt=today - dt.timedelta(days=250)).exists()
    summary = selectors.month_summary(ReceptionDay.objects.all(), today.year, today.month)
    assert summary.total.scheduled > 0

    counts = (ReceptionDay.objects.count(), ReceptionDuty.objects.count(), Petition.objects.count())
    seed_petitions()
    assert counts == (ReceptionDay.objects.count(), ReceptionDuty.objects.count(), Petition.objects.count())
