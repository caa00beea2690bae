"""The votes step of ``seed_demo --scale``: votes at the built congress sessions and the yearly livelihood projects.

Runs after the meetings step (order 50 > 20) and reads what it built. Per township:

* every held congress session: a resolution by show of hands (pointing at the session's 决议 outcome) and,
  at about half of them, a decision on paper ballots entered twice (计票人, 监票人, the same figures), both
  published with the attendance frozen (应到 / 实到 / 请假 / 缺席 with the names) as ``vote_count`` stores it;
  the latest held session keeps one vote open (counting not ended), the next session ahead one prepared;
* per year seven candidate projects (民生实事候选项目), voted at the year's first session on paper, five or so
  adopted and ranked with the votes app's own rules (:func:`counting.rank`), the first with two parts whose
  budget-weighted progress makes its own; progress reports through the year (older years done, a few
  delayed; this year under way) and, for past years, the deputies' year-end satisfaction vote. A year whose
  first session has not been held keeps its candidates.

Figures come from the same arithmetic as the services (``is_adopted``, ``rank``, ``parent_progress``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from presidium.meetings.choices import AttendanceStatus, MeetingKind, MeetingStatus, OutcomeKind
from presidium.scale import ScalePlan, ScaleTownship
from presidium.votes.choices import (
    MajorityBase,
    ProgressEntryKind,
    ProgressStatus,
    ProjectStatus,
    VoteKind,
    VoteMethod,
    VoteState,
    VoteSubject,
)
from presidium.votes.counting import Contender, is_adopted, rank
from presidium.votes.demo import CANDIDATES, PARTS, _figures
from presidium.votes.models import (
    LivelihoodProject,
    ProgressEntry,
    ProjectSatisfaction,
    Vote,
    VoteItem,
    VoteTally,
    VoteTallyLine,
)
from presidium.votes.tracking import parent_progress

TELLERS = ("李文华", "陈志明")
DECISIONS = ["关于调整部分民生实事项目实施计划的决定", "关于接受代表辞去镇人大代表职务的决定",
             "关于召开下次人民代表大会的决定"]


def build_votes(plan: ScalePlan) -> None:
    """The ``votes`` scale step (order 50): every built township without votes or projects gets them."""
    def done(township) -> bool:
        return (Vote.objects.filter(township=township).exists()
                or LivelihoodProject.objects.filter(township=township).exists())

    for built in plan.each_township("votes", done):
        _build_township(plan, built)


def _snapshots(sessions) -> dict[int, dict]:
    """The attendance snapshot per held session, as ``services.attendance_snapshot`` takes it."""
    from deputies.choices import DeputyStatus
    from presidium.meetings.models import Invitation

    snapshots = {s.pk: {"entitled": [], "present": [], "leave": [], "absent": []} for s in sessions}
    rows = (Invitation.objects.filter(meeting__in=sessions, counts_for_quorum=True)
            .exclude(deputy__status__in=[s for s in DeputyStatus.values if s != DeputyStatus.SERVING])
            .order_by("meeting_id", "position", "pk").values_list("meeting_id", "name", "status", "leave_reason"))
    for meeting_id, name, status, reason in rows:
        snapshot = snapshots[meeting_id]
        snapshot["entitled"].append(name)
        if status == AttendanceStatus.PRESENT:
            snapshot["present"].append(name)
        elif status == AttendanceStatus.LEAVE:
            snapshot["leave"].append({"name": name, "reason": reason})
        elif status == AttendanceStatus.ABSENT:
            snapshot["absent"].append(name)
    return snapshots


class _Writer:
    """Collects the rows of one township, then writes them model by model."""

    def __init__(self, plan: ScalePlan, built: ScaleTownship):
        self.plan, self.built, self.staff = plan, built, built.staff
        self.votes: list[tuple[Vote, list[tuple[VoteItem, tuple[int, int, int]]], int]] = []

    def vote(self, session, *, subject, title, kind, state, snapshot, lines, outcome=None, year=None,
             projects=None, rng=None):
        """One vote; ``lines`` the agreed (yes, no, abstain) per item, ``projects`` the items' projects."""
        base = session.ends_at - dt.timedelta(hours=2)
        created = min(session.starts_at - dt.timedelta(days=3), self.plan.at(self.plan.today, 8))
        vote = Vote(township_id=session.township_id, meeting=session, outcome=outcome, subject=subject, title=title,
                    method=VoteMethod.YES_NO_ABSTAIN, kind=kind, majority_base=MajorityBase.ALL_ENTITLED,
                    project_year=year, state=state, created_by=self.staff, created_at=created)
        labels = [p.title for p in projects] if projects else [title]
        items = [VoteItem(position=(p.position if projects else n), label=label[:200],
                          project=projects[n - 1] if projects else None)
                 for n, (label, p) in enumerate(zip(labels, projects or [None] * len(labels), strict=True), start=1)]
        if state != VoteState.CREATED:
            vote.opened_by, vote.opened_at = self.staff, base
        if state in (VoteState.COUNTED, VoteState.PUBLISHED):
            vote.snapshot = snapshot
            vote.entitled_count, vote.present_count = len(snapshot["entitled"]), len(snapshot["present"])
            vote.leave_count, vote.absent_count = len(snapshot["leave"]), len(snapshot["absent"])
            vote.counted_by, vote.counted_at = self.staff, base + dt.timedelta(minutes=30)
        invalid = 0
        if state == VoteState.PUBLISHED:
            present, entitled = vote.present_count, vote.entitled_count
            room = all(sum(line) < present for line in lines)
            invalid = 1 if kind == VoteKind.PAPER_BALLOT and room and rng.random() < 0.3 else 0
            for item, line in zip(items, lines, strict=True):
                item.yes, item.no, item.abstain = line
                item.adopted = is_adopted(item.yes, entitled)
            for ranked in rank(Contender(i, item.position, item.yes, item.no)
                               for i, item in enumerate(items) if item.adopted):
                items[ranked.key].rank, items[ranked.key].tie_broken = ranked.rank, ranked.tie_broken
            if kind == VoteKind.PAPER_BALLOT:
                vote.ballots, vote.invalid = present, invalid
            vote.adopted = items[0].adopted if len(items) == 1 else None
            vote.published_by, vote.published_at = self.staff, base + dt.timedelta(minutes=45)
        self.votes.append((vote, list(zip(items, lines, strict=True)) if lines else [(i, None) for i in items],
                           invalid))
        return vote

    def write(self) -> None:
        plan = self.plan
        votes = plan.bulk(Vote, [v for v, _, _ in self.votes])
        items, tallies = [], []
        for vote, (_v, pairs, invalid) in zip(votes, self.votes, strict=True):
            for item, _line in pairs:
                item.vote = vote
                items.append(item)
            if vote.state in (VoteState.COUNTED, VoteState.PUBLISHED) and pairs[0][1] is not None:
                entries = (1, 2) if vote.kind == VoteKind.PAPER_BALLOT else (1,)
                for entry in entries:
                    tallies.append(VoteTally(vote=vote, entry=entry, teller_name=TELLERS[entry - 1],
                                             ballots=vote.present_count if vote.kind == VoteKind.PAPER_BALLOT else None,
                                             invalid=invalid, entered_by=self.staff,
                                             entered_at=vote.opened_at + dt.timedelta(minutes=10 + 5 * entry)))
        plan.bulk(VoteItem, items)
        tallies = plan.bulk(VoteTally, tallies)
        by_vote = {}
        for vote, (_v, pairs, _i) in zip(votes, self.votes, strict=True):
            by_vote[vote.pk] = pairs
        plan.bulk(VoteTallyLine, [VoteTallyLine(tally=tally, item=item, yes=line[0], no=line[1], abstain=line[2])
                                  for tally in tallies for item, line in by_vote[tally.vote_id]])


def _resolution_line(snapshot, rng) -> tuple[int, int, int]:
    present = len(snapshot["present"])
    no, abstain = min(present, rng.randint(0, 2)), 0
    abstain = min(present - no, rng.randint(0, 2))
    return present - no - abstain, no, abstain


def _build_township(plan: ScalePlan, built: ScaleTownship) -> None:
    from presidium.meetings.models import Meeting, Outcome

    rng = plan.rng("votes", built.prefix)
    sessions = list(Meeting.objects.filter(township=built.township, kind=MeetingKind.CONGRESS_SESSION)
                    .exclude(status=MeetingStatus.CANCELLED).order_by("starts_at"))
    held = [s for s in sessions if s.status == MeetingStatus.HELD]
    snapshots = _snapshots(held)
    resolutions = {}
    for meeting_id, pk, title in Outcome.objects.filter(meeting__in=held, kind=OutcomeKind.RESOLUTION).order_by(
            "pk").values_list("meeting_id", "pk", "title"):
        resolutions.setdefault(meeting_id, (pk, title))
    writer = _Writer(plan, built)
    for index, session in enumerate(held):
        snapshot = snapshots[session.pk]
        if not snapshot["present"]:
            continue
        last = index == len(held) - 1
        outcome_pk, title = resolutions.get(session.pk, (None, "关于政府工作报告的决议"))
        writer.vote(session, subject=VoteSubject.RESOLUTION, title=title, kind=VoteKind.SHOW_OF_HANDS,
                    state=VoteState.PUBLISHED, snapshot=snapshot, lines=[_resolution_line(snapshot, rng)],
                    outcome=_outcome(outcome_pk), rng=rng)
        if last:
            writer.vote(session, subject=VoteSubject.DECISION, title=DECISIONS[index % len(DECISIONS)],
                        kind=VoteKind.PAPER_BALLOT, state=VoteState.OPEN, snapshot=snapshot, lines=[], rng=rng)
        elif rng.random() < 0.5:
            writer.vote(session, subject=VoteSubject.DECISION, title=DECISIONS[index % len(DECISIONS)],
                        kind=VoteKind.PAPER_BALLOT, state=VoteState.PUBLISHED, snapshot=snapshot,
                        lines=[_resolution_line(snapshot, rng)], rng=rng)
    ahead = [s for s in sessions if s.status == MeetingStatus.SCHEDULED and s.starts_at > plan.at(plan.today, 8)]
    if ahead:
        writer.vote(ahead[0], subject=VoteSubject.RESOLUTION, title="关于镇人大主席团工作报告的决议",
                    kind=VoteKind.SHOW_OF_HANDS, state=VoteState.CREATED, snapshot={}, lines=[], rng=rng)
    _projects(plan, built, writer, sessions, snapshots, rng)
    writer.write()
    _track(plan, built, rng)


def _outcome(pk):
    from presidium.meetings.models import Outcome

    return Outcome(pk=pk) if pk else None


def _projects(plan: ScalePlan, built: ScaleTownship, writer: _Writer, sessions, snapshots, rng) -> None:
    units = built.units
    projects, parts = [], []
    voted: list[tuple] = []  # (session, year, candidates)
    for year in plan.year_list:
        first = next((s for s in sessions if s.starts_at.year == year), None)
        created = min(plan.at(dt.date(year, 1, 5)), plan.at(plan.today, 8))
        candidates = [LivelihoodProject(township=built.township, year=year, position=n, title=title,
                                        description=text, budget=Decimal(budget) + rng.randint(-10, 10),
                                        unit=units[(n + year) % len(units)], status=ProjectStatus.CANDIDATE,
                                        created_by=built.staff, created_at=created, updated_at=created)
                      for n, (title, text, budget) in enumerate(CANDIDATES, start=1)]
        projects += candidates
        if first is not None and first.pk in snapshots and snapshots[first.pk]["present"]:
            voted.append((first, year, candidates))
    plan.bulk(LivelihoodProject, projects)
    for session, year, candidates in voted:
        snapshot = snapshots[session.pk]
        lines = _figures(len(snapshot["entitled"]), len(snapshot["present"]), len(candidates))
        vote = writer.vote(session, subject=VoteSubject.PROJECTS, title=f"{year}年民生实事项目票决",
                           kind=VoteKind.PAPER_BALLOT, state=VoteState.PUBLISHED, snapshot=snapshot, lines=lines,
                           year=year, projects=candidates, rng=rng)
        items = writer.votes[-1][1]
        for project, (item, _line) in zip(candidates, items, strict=True):
            project.status = ProjectStatus.ADOPTED if item.adopted else ProjectStatus.NOT_ADOPTED
            project.vote_rank = item.rank
            project.updated_at = vote.published_at
        adopted = sorted((p for p in candidates if p.status == ProjectStatus.ADOPTED), key=lambda p: p.vote_rank)
        if adopted:
            first = adopted[0]
            parts += [LivelihoodProject(township=built.township, year=year, parent=first, position=n, title=title,
                                        budget=Decimal(budget), unit=first.unit, status=ProjectStatus.ADOPTED,
                                        created_by=built.staff, created_at=vote.published_at,
                                        updated_at=vote.published_at)
                      for n, (title, budget) in enumerate(PARTS, start=1)]
    LivelihoodProject.objects.bulk_update([p for _s, _y, c in voted for p in c], ["status", "vote_rank", "updated_at"])
    plan.bulk(LivelihoodProject, parts)


def _track(plan: ScalePlan, built: ScaleTownship, rng) -> None:
    """Progress reports of the adopted projects (parts for a parent), and past years' satisfaction."""
    today = plan.today
    adopted = list(LivelihoodProject.objects.filter(township=built.township, status=ProjectStatus.ADOPTED)
                   .order_by("year", "parent_id", "vote_rank", "position", "pk"))
    vote_days = dict(Vote.objects.filter(township=built.township, subject=VoteSubject.PROJECTS)
                     .values_list("project_year", "published_at"))
    voters = dict(Vote.objects.filter(township=built.township, subject=VoteSubject.PROJECTS)
                  .values_list("project_year", "present_count"))
    has_parts = {p.parent_id for p in adopted if p.parent_id}
    entries, satisfactions, changed = [], [], []
    for project in adopted:
        if project.pk in has_parts:
            continue
        start = vote_days[project.year].date()
        end = min(dt.date(project.year, 12, 20), today)
        past = project.year < today.year
        roll = rng.random()
        if past:
            final = (100, ProgressStatus.DONE) if roll < 0.9 else (rng.randint(60, 90), ProgressStatus.DELAYED)
        elif roll < 0.08:
            final = (0, ProgressStatus.NOT_STARTED)
        elif roll < 0.2:
            final = (rng.randint(10, 40), ProgressStatus.DELAYED)
        else:  # this year: under way, the further the later in the year
            share = (today - dt.date(today.year, 1, 1)).days / 365
            final = (min(100, int(share * 100) - rng.randint(0, 30) + rng.randint(0, 20)), None)
        progress, status = final
        progress = max(progress, 0)
        if status is None:
            status = (ProgressStatus.DONE if progress == 100 else
                      ProgressStatus.IN_PROGRESS if progress else ProgressStatus.NOT_STARTED)
        steps = 0 if progress == 0 else rng.randint(2, 4)
        span = max(1, (end - start).days)
        for n in range(1, steps + 1):
            on = start + dt.timedelta(days=span * n // (steps + 1))
            value = progress if n == steps else progress * n // (steps + 1)
            entry_status = status if n == steps and status in (ProgressStatus.DONE, ProgressStatus.DELAYED) else ""
            text = ("全部完工并投入使用。" if entry_status == ProgressStatus.DONE else
                    "受天气和用地手续影响进度滞后，已督促责任单位倒排工期。" if entry_status == ProgressStatus.DELAYED
                    else f"累计完成计划工程量的{value}%。")
            entries.append(ProgressEntry(project=project, on=on, text=text, progress=value,
                                         progress_status=entry_status, recorded_by=built.staff,
                                         recorded_at=plan.at(on, 16)))
            project.updated_at = plan.at(on, 16)
        project.progress, project.progress_status = progress, status
        changed.append(project)
    # A parent's progress from its parts, as the service recomputes it.
    parts_of: dict[int, list] = {}
    for project in changed:
        if project.parent_id:
            parts_of.setdefault(project.parent_id, []).append(project)
    for parent in (p for p in adopted if p.pk in has_parts):
        parts = parts_of.get(parent.pk, [])
        parent.progress = parent_progress([(p.budget, p.progress) for p in parts]) or 0
        statuses = {p.progress_status for p in parts}
        parent.progress_status = (ProgressStatus.DONE if statuses == {ProgressStatus.DONE} else
                                  ProgressStatus.DELAYED if ProgressStatus.DELAYED in statuses else
                                  ProgressStatus.NOT_STARTED if statuses == {ProgressStatus.NOT_STARTED} else
                                  ProgressStatus.IN_PROGRESS)
        parent.updated_at = max(p.updated_at for p in parts)
        on = min(vote_days[parent.year].date() + dt.timedelta(days=180), today)
        entries.append(ProgressEntry(project=parent, kind=ProgressEntryKind.INSPECTION, on=on,
                                     text="镇人大主席团组织代表视察：工程质量较好，部分子项目需加快进度。",
                                     recorded_by=built.staff, recorded_at=plan.at(on, 16)))
        changed.append(parent)
    for project in adopted:
        if project.parent_id or project.year >= today.year:
            continue
        count = voters.get(project.year) or 0
        unsatisfied = min(count, rng.randint(0, max(1, count // 10)))
        basically = min(count - unsatisfied, rng.randint(0, max(1, count // 4)))
        satisfactions.append(ProjectSatisfaction(
            project=project, satisfied=count - unsatisfied - basically, basically=basically, unsatisfied=unsatisfied,
            recorded_by=built.staff, recorded_at=plan.at(dt.date(project.year, 12, 22), 10)))
    LivelihoodProject.objects.bulk_update(changed, ["progress", "progress_status", "updated_at"], batch_size=500)
    plan.bulk(ProgressEntry, entries)
    plan.bulk(ProjectSatisfaction, satisfactions)
