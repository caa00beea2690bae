"""Reads that encode a rule, starting from who may see what (``votes_visible_to``, ``projects_visible_to``)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from presidium.access import action_roles, has_perm, township_q
from presidium.votes.access import MANAGE_VOTES, VIEW_VOTES
from presidium.votes.choices import ProjectStatus, VoteState
from presidium.votes.models import LivelihoodProject, ProgressEntry, Vote, VoteItem, VoteTally


def votes_visible_to(user) -> QuerySet:
    """Votes of the user's townships: every state for the township's staff, published results for the rest."""
    managing = township_q(user, roles=action_roles(MANAGE_VOTES))
    reading = township_q(user, roles=action_roles(VIEW_VOTES))
    return Vote.objects.filter(managing | (reading & Q(state=VoteState.PUBLISHED))).select_related(
        "meeting", "township")


def may_manage(user, vote_or_project) -> bool:
    return has_perm(user, MANAGE_VOTES, vote_or_project.township_id)


def vote_for_page(user, pk: int) -> Vote:
    """One vote with what its page shows, in a fixed number of queries whatever the number of items."""
    from django.shortcuts import get_object_or_404

    qs = votes_visible_to(user).select_related("outcome", "created_by", "counted_by", "published_by").prefetch_related(
        Prefetch("items", queryset=VoteItem.objects.select_related("project").order_by("position")),
        Prefetch("tallies", queryset=VoteTally.objects.select_related("entered_by").prefetch_related("lines")
                 .order_by("entry", "-entered_at", "-pk")),
        "corrections__corrected_by",
    )
    return get_object_or_404(qs, pk=pk)


def current_tallies(vote: Vote) -> dict[int, VoteTally]:
    """The current entry of each number (1: 计票人, 2: 监票人), from the prefetched tallies when there are."""
    current = {}
    for tally in vote.tallies.all():
        if tally.superseded_at is None:
            current[tally.entry] = tally
    return current


def projects_visible_to(user) -> QuerySet:
    return LivelihoodProject.objects.filter(township_q(user, roles=action_roles(VIEW_VOTES))).select_related(
        "township", "unit", "parent")


def project_for_page(user, pk: int) -> LivelihoodProject:
    from django.shortcuts import get_object_or_404

    qs = projects_visible_to(user).select_related("satisfaction").prefetch_related(
        Prefetch("timeline", queryset=ProgressEntry.objects.select_related("recorded_by").prefetch_related("photos")),
        Prefetch("parts", queryset=LivelihoodProject.objects.select_related("unit").order_by("position", "pk")),
    )
    return get_object_or_404(qs, pk=pk)


def public_projects(township_id: int, year: int) -> QuerySet:
    """The year's adopted projects as the public page shows them (no personal data): rank order, with parts."""
    return (LivelihoodProject.objects.filter(township_id=township_id, year=year, status=ProjectStatus.ADOPTED,
                                             parent__isnull=True)
            .select_related("unit", "satisfaction")
            .prefetch_related(Prefetch("parts", queryset=LivelihoodProject.objects.order_by("position", "pk")),
                              Prefetch("timeline", queryset=ProgressEntry.objects.order_by("-on", "-pk")))
            .order_by("vote_rank", "position", "pk"))


def result_lines_for_meeting(meeting) -> list[tuple[Vote, str]]:
    """The published votes of ``meeting`` and their printed lines, for the minutes and bulletins to call."""
    from presidium.votes.services import result_text

    votes = meeting.votes.filter(state=VoteState.PUBLISHED).prefetch_related("items").order_by("pk")
    return [(vote, result_text(vote)) for vote in votes]
