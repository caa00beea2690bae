"""The votes demo step: a session with a paper project vote (5 of 7 adopted), progress over the year, a resolution."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from deputies.demo import seed_deputies
from presidium.demo import seed_organisation
from presidium.registry import demo_steps
from presidium.votes.choices import ProjectStatus, VoteState, VoteSubject
from presidium.votes.demo import seed_votes
from presidium.votes.models import LivelihoodProject, Vote, VoteTally


def test_it_runs_after_meetings_and_petitions():
    steps = {step.key: step.order for step in demo_steps()}
    assert steps["meetings"] < steps["votes"] and steps["petitions"] < steps["votes"]


@pytest.mark.parametrize("with_meetings", [True, False], ids=["on-the-meetings-demo-session", "own-session"])
def test_it_seeds_a_project_vote_and_a_resolution_once(db, with_meetings):
    """On the meetings demo's session when there is one (as seed_demo runs), else on a session of its own."""
    seed_organisation()
    seed_deputies()
    if with_meetings:
        from presidium.meetings.demo import seed_meetings

        seed_meetings()
    started = time.monotonic()
    seed_votes()
    elapsed = time.monotonic() - started
    assert elapsed < 20, elapsed

    projects = LivelihoodProject.objects.filter(parent__isnull=True)
    assert projects.count() == 7
    adopted = list(projects.filter(status=ProjectStatus.ADOPTED).order_by("vote_rank"))
    assert [p.vote_rank for p in adopted] == [1, 2, 3, 4, 5]
    assert projects.filter(status=ProjectStatus.NOT_ADOPTED).count() == 2
    first = adopted[0]
    assert first.parts.count() == 2 and first.progress > 0
    votes = Vote.objects.filter(state=VoteState.PUBLISHED)
    project_vote = votes.get(subject=VoteSubject.PROJECTS)
    # Progress reports are dated after the session and never after today: three months on, each of the first
    # three projects has one (early in a year, e.g. the clock-2027 run in March, the later ones are still ahead).
    if (timezone.localdate() - timezone.localdate(project_vote.meeting.starts_at)).days >= 90:
        assert all(p.timeline.exists() for p in adopted[:3])
    assert not any(e.on > timezone.localdate() for p in adopted for e in p.timeline.all())
    assert project_vote.kind == "paper_ballot" and project_vote.entitled_count > project_vote.present_count
    resolution = votes.get(subject=VoteSubject.RESOLUTION)
    assert VoteTally.objects.filter(vote=resolution).count() == 3  # the differing 监票人 entry kept
    assert resolution.adopted is True
    if timezone.localdate().month == 12:
        assert all(hasattr(p, "satisfaction") for p in adopted)

    assert project_vote.meeting.kind == "congress_session" and project_vote.meeting.status != "cancelled"
    seed_votes()
    assert LivelihoodProject.objects.count() == 9 and Vote.objects.count() == 2
