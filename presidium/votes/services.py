"""Every state change of votes and livelihood projects: one keyword-only function each (DESIGN rule 1).

A vote moves created → open → counted → published through :mod:`presidium.votes.lifecycle`. The tellers'
figures are entered while it is open or counted; ending the count freezes the attendance (应到 / 实到 /
请假 / 缺席 with names, vacancies excluded); publication needs the entries complete and, on paper, the
计票人's and 监票人's entries equal figure by figure. A published count is corrected only with a reason,
keeping the old figures (:class:`VoteCorrection`). Publishing a project vote adopts and ranks the projects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.access import require_perm
from presidium.documents.storage import RemoveFilesOnError
from presidium.documents.uploads import clean_image
from presidium.votes import lifecycle
from presidium.votes.access import MANAGE_VOTES
from presidium.votes.choices import (
    MajorityBase,
    ProgressEntryKind,
    ProgressStatus,
    ProjectStatus,
    VoteAction,
    VoteKind,
    VoteMethod,
    VoteState,
    VoteSubject,
)
from presidium.votes.counting import (
    Contender,
    Figures,
    Line,
    candidates_line,
    check_figures,
    differences,
    elect,
    is_adopted,
    rank,
    result_line,
)
from presidium.votes.models import (
    LivelihoodProject,
    ProgressEntry,
    ProgressPhoto,
    ProjectSatisfaction,
    Vote,
    VoteCorrection,
    VoteItem,
    VoteTally,
    VoteTallyLine,
)
from presidium.votes.tracking import parent_progress

MAX_PHOTOS_PER_ENTRY = 9


def _save(obj, **kwargs):
    obj.full_clean()
    obj.save(**kwargs)
    return obj


def _locked(vote: Vote) -> Vote:
    return Vote.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=vote.pk)


# --- creating a vote ------------------------------------------------------------------------------------------

def default_majority_base(meeting) -> MajorityBase:
    """全体代表过半数 at a congress session, 主席团全体成员过半数 at a presidium meeting."""
    from presidium.meetings.choices import MeetingKind

    if meeting.kind == MeetingKind.PRESIDIUM_MEETING:
        return MajorityBase.PRESIDIUM_MEMBERS
    return MajorityBase.ALL_ENTITLED


def _check_meeting(meeting, majority_base: str) -> None:
    from presidium.meetings.choices import QUORUM_KINDS, MeetingKind, MeetingStatus

    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("会议已取消，不能在其上表决。"))
    if meeting.kind not in QUORUM_KINDS:
        raise ValidationError(_("表决只在人代会和主席团会议上进行。"))
    if majority_base == MajorityBase.PRESIDIUM_MEMBERS and meeting.kind != MeetingKind.PRESIDIUM_MEETING:
        raise ValidationError({"majority_base": _("“主席团全体成员过半数”只用于主席团会议。")})


def vote_create(*, meeting, title: str, subject: str, by, items: Sequence[str] = (),
                method: str = VoteMethod.YES_NO_ABSTAIN, kind: str = VoteKind.SHOW_OF_HANDS,
                majority_base: str | None = None, seats: int = 1, outcome=None) -> Vote:
    """A vote on a resolution, decision or election at ``meeting``: one item (the matter) or the candidates."""
    require_perm(by, MANAGE_VOTES, meeting.township)
    if subject == VoteSubject.PROJECTS:
        raise ValidationError(_("民生实事项目票决请从项目页面发起。"))
    majority_base = majority_base or default_majority_base(meeting)
    _check_meeting(meeting, majority_base)
    labels = [label.strip() for label in items if label and label.strip()]
    if method == VoteMethod.CHOOSE_CANDIDATES:
        if not labels:
            raise ValidationError({"items": _("请逐行填写候选人。")})
        if seats > len(labels):
            raise ValidationError({"seats": _("应选名额不能多于候选人数。")})
        if len(set(labels)) != len(labels):
            raise ValidationError({"items": _("候选人名单有重复。")})
    else:
        labels, seats = [title.strip()], 1
    if outcome is not None and outcome.meeting_id != meeting.pk:
        raise ValidationError({"outcome": _("所选会议成果不属于本次会议。")})
    with transaction.atomic():
        vote = _save(Vote(township_id=meeting.township_id, meeting=meeting, outcome=outcome, subject=subject,
                          title=title.strip(), method=method, kind=kind, majority_base=majority_base, seats=seats,
                          created_by=by))
        VoteItem.objects.bulk_create([VoteItem(vote=vote, position=n, label=label)
                                      for n, label in enumerate(labels, start=1)])
    return vote


def vote_create_for_projects(*, meeting, year: int, by, kind: str = VoteKind.PAPER_BALLOT,
                             title: str = "") -> Vote:
    """民生实事项目票决 at a congress session: one item per candidate project of ``year``, by all deputies."""
    from presidium.meetings.choices import MeetingKind

    require_perm(by, MANAGE_VOTES, meeting.township)
    _check_meeting(meeting, MajorityBase.ALL_ENTITLED)
    if meeting.kind != MeetingKind.CONGRESS_SESSION:
        raise ValidationError(_("民生实事项目由人代会票决。"))
    with transaction.atomic():
        candidates = list(LivelihoodProject.objects.select_for_update().filter(
            township_id=meeting.township_id, year=year, parent__isnull=True, status=ProjectStatus.CANDIDATE,
        ).order_by("position", "pk"))
        if not candidates:
            raise ValidationError(_("%(year)s 年没有待票决的候选项目。") % {"year": year})
        taken = VoteItem.objects.filter(project__in=candidates).select_related("project").first()
        if taken is not None:
            raise ValidationError(_("候选项目“%(title)s”已列入另一次票决。") % {"title": taken.project.title})
        vote = _save(Vote(township_id=meeting.township_id, meeting=meeting, subject=VoteSubject.PROJECTS,
                          title=title.strip() or _("%(year)s年民生实事项目票决") % {"year": year},
                          method=VoteMethod.YES_NO_ABSTAIN, kind=kind, majority_base=MajorityBase.ALL_ENTITLED,
                          project_year=year, created_by=by))
        VoteItem.objects.bulk_create([VoteItem(vote=vote, position=p.position, label=p.title, project=p)
                                      for p in candidates])
    return vote


# --- the steps of a vote ----------------------------------------------------------------------------------------

def vote_open(*, vote: Vote, by) -> Vote:
    """开始表决: the items are fixed from now on."""
    require_perm(by, MANAGE_VOTES, vote.township_id)
    with transaction.atomic():
        vote = _locked(vote)
        vote.state = lifecycle.transition(vote.state, VoteAction.OPEN)
        vote.opened_by, vote.opened_at = by, timezone.now()
        vote.save(update_fields=["state", "opened_by", "opened_at"])
    return vote


def attendance_snapshot(meeting) -> dict:
    """Who is entitled (应到) and present (实到), on leave (请假), absent (缺席) — names as they are now.

    The invitations that count for the quorum, without vacancies: a deputy whose mandate has ended
    (resigned, recalled, moved away, deceased) is a vacant seat, not an absentee. Those whose attendance is
    still unrecorded are listed apart, so counting cannot end until they are.
    """
    from deputies.choices import DeputyStatus
    from presidium.meetings.choices import AttendanceStatus

    snapshot = {"entitled": [], "present": [], "leave": [], "absent": [], "unrecorded": []}
    invitations = meeting.invitations.filter(counts_for_quorum=True).select_related("deputy").order_by(
        "position", "pk")
    for invitation in invitations:
        if invitation.deputy_id and invitation.deputy.status != DeputyStatus.SERVING:
            continue
        snapshot["entitled"].append(invitation.name)
        if invitation.status == AttendanceStatus.PRESENT:
            snapshot["present"].append(invitation.name)
        elif invitation.status == AttendanceStatus.LEAVE:
            snapshot["leave"].append({"name": invitation.name, "reason": invitation.leave_reason})
        elif invitation.status == AttendanceStatus.ABSENT:
            snapshot["absent"].append(invitation.name)
        else:
            snapshot["unrecorded"].append(invitation.name)
    return snapshot


def _present_now(vote: Vote) -> int:
    if vote.present_count is not None:
        return vote.present_count
    return len(attendance_snapshot(vote.meeting)["present"])


def _labels(vote: Vote) -> dict[int, str]:
    return {item.pk: item.label for item in vote.items.all()}


def _problems(vote: Vote, figures: Figures, present: int) -> list[str]:
    return [p.message for p in check_figures(figures, present=present, paper=vote.is_paper,
                                             candidates=vote.is_candidates, seats=vote.seats, labels=_labels(vote))]


def vote_tally_enter(*, vote: Vote, entry: int, teller_name: str, lines: Mapping[int, Line], by,
                     ballots: int | None = None, invalid: int = 0) -> VoteTally:
    """One entry of the count (计票人 = 1, 监票人 = 2); entering it again keeps the earlier one, superseded."""
    require_perm(by, MANAGE_VOTES, vote.township_id)
    with transaction.atomic():
        vote = _locked(vote)
        if VoteState(vote.state) not in lifecycle.TALLY_STATES:
            raise ValidationError(_("表决当前为“%(state)s”，不能录入计票。") % {"state": VoteState(vote.state).label})
        if entry not in vote.entries_needed:
            raise ValidationError(_("举手表决只录入一次。"))
        item_ids = set(vote.items.values_list("pk", flat=True))
        if set(lines) != item_ids:
            raise ValidationError(_("请为每一个表决事项填写票数。"))
        if not (teller_name or "").strip():
            raise ValidationError({"teller_name": _("请填写计票人或监票人的姓名。")})
        figures = Figures(dict(lines), ballots=ballots if vote.is_paper else None,
                          invalid=invalid if vote.is_paper else 0)
        problems = _problems(vote, figures, _present_now(vote))
        if problems:
            raise ValidationError(problems)
        now = timezone.now()
        VoteTally.objects.filter(vote=vote, entry=entry, superseded_at__isnull=True).update(superseded_at=now)
        tally = _save(VoteTally(vote=vote, entry=entry, teller_name=teller_name.strip(), ballots=figures.ballots,
                                invalid=figures.invalid, entered_by=by, entered_at=now))
        VoteTallyLine.objects.bulk_create([VoteTallyLine(tally=tally, item_id=item_id, yes=line.yes, no=line.no,
                                                         abstain=line.abstain) for item_id, line in lines.items()])
    return tally


def _current(vote: Vote) -> dict[int, VoteTally]:
    return {t.entry: t for t in vote.tallies.filter(superseded_at__isnull=True).prefetch_related("lines")}


def vote_count(*, vote: Vote, by) -> Vote:
    """结束计票: freeze who was entitled and present. Refused while anyone's attendance is unrecorded."""
    require_perm(by, MANAGE_VOTES, vote.township_id)
    with transaction.atomic():
        vote = _locked(vote)
        state = lifecycle.transition(vote.state, VoteAction.COUNT)
        snapshot = attendance_snapshot(vote.meeting)
        if snapshot["unrecorded"]:
            raise ValidationError(_("还有 %(n)s 人未登记出席情况（%(names)s），请先在会议页面登记考勤。") % {
                "n": len(snapshot["unrecorded"]), "names": "、".join(snapshot["unrecorded"][:5])})
        if not snapshot["entitled"]:
            raise ValidationError(_("会议没有计入法定人数的参会人员，无法计票。"))
        del snapshot["unrecorded"]
        present = len(snapshot["present"])
        for tally in _current(vote).values():
            problems = _problems(vote, tally.figures(), present)
            if problems:
                raise ValidationError([_("%(entry)s与出席情况不符：") % {"entry": tally.get_entry_display()},
                                       *problems])
        vote.state, vote.snapshot = state, snapshot
        vote.entitled_count, vote.present_count = len(snapshot["entitled"]), present
        vote.leave_count, vote.absent_count = len(snapshot["leave"]), len(snapshot["absent"])
        vote.counted_by, vote.counted_at = by, timezone.now()
        _save(vote)
    return vote


def vote_reopen(*, vote: Vote, by) -> Vote:
    """Take back an end of counting declared too early: the snapshot goes and is taken again later."""
    require_perm(by, MANAGE_VOTES, vote.township_id)
    with transaction.atomic():
        vote = _locked(vote)
        vote.state = lifecycle.transition(vote.state, VoteAction.REOPEN)
        vote.snapshot = {}
        vote.entitled_count = vote.present_count = vote.leave_count = vote.absent_count = None
        vote.counted_by = vote.counted_at = None
        _save(vote)
    return vote


def publication_blockers(vote: Vote, current: Mapping[int, VoteTally]) -> list[str]:
    """Why the result cannot be published yet (empty: it can), naming each difference of the two entries."""
    blockers = []
    missing = [n for n in vote.entries_needed if n not in current]
    for number in missing:
        blockers.append(_("还没有%(entry)s。") % {"entry": VoteTally(entry=number).get_entry_display()})
    if missing or not vote.is_paper:
        return blockers
    found = differences(current[1].figures(), current[2].figures(), labels=_labels(vote))
    if found:
        blockers.append(_("计票人与监票人的录入不一致，不能公布：%(diff)s。请核对选票后重新录入。") % {
            "diff": "；".join(found)})
    return blockers


def _apply(vote: Vote, figures: Figures) -> None:
    """Write the agreed figures onto the items, decide adoption and ranking, and carry it to the projects."""
    items = list(vote.items.select_related("project").order_by("position"))
    base = vote.base or 0
    for item in items:
        line = figures.lines[item.pk]
        item.yes, item.no, item.abstain = line.yes, line.no, line.abstain
        item.rank, item.tie_broken, item.undecided = None, False, False
    contenders = [Contender(item.pk, item.position, item.yes, item.no) for item in items]
    by_pk = {item.pk: item for item in items}
    if vote.is_candidates:
        election = elect(contenders, seats=vote.seats, base=base)
        for item in items:
            item.adopted = item.pk in election.elected
            item.undecided = item.pk in election.undecided
        for ranked in rank(contenders):
            by_pk[ranked.key].rank, by_pk[ranked.key].tie_broken = ranked.rank, ranked.tie_broken
    else:
        for item in items:
            item.adopted = is_adopted(item.yes, base)
        for ranked in rank(c for c in contenders if by_pk[c.key].adopted):
            by_pk[ranked.key].rank, by_pk[ranked.key].tie_broken = ranked.rank, ranked.tie_broken
    VoteItem.objects.bulk_update(items, ["yes", "no", "abstain", "adopted", "undecided", "rank", "tie_broken"])
    vote.ballots, vote.invalid = figures.ballots, figures.invalid if vote.is_paper else None
    vote.adopted = items[0].adopted if len(items) == 1 and not vote.is_candidates else None
    if vote.subject == VoteSubject.PROJECTS:
        projects = []
        for item in items:
            item.project.status = ProjectStatus.ADOPTED if item.adopted else ProjectStatus.NOT_ADOPTED
            item.project.vote_rank = item.rank
            projects.append(item.project)
        LivelihoodProject.objects.bulk_update(projects, ["status", "vote_rank", "updated_at"])


def vote_publish(*, vote: Vote, by) -> Vote:
    """公布结果: the entries complete and (on paper) equal; the items' figures, adoption and ranks are set."""
    require_perm(by, MANAGE_VOTES, vote.township_id)
    with transaction.atomic():
        vote = _locked(vote)
        state = lifecycle.transition(vote.state, VoteAction.PUBLISH)
        current = _current(vote)
        blockers = publication_blockers(vote, current)
        if blockers:
            raise ValidationError(blockers)
        figures = current[1].figures()
        problems = _problems(vote, figures, vote.present_count)
        if problems:
            raise ValidationError(problems)
        _apply(vote, figures)
        vote.state, vote.published_by, vote.published_at = state, by, timezone.now()
        _save(vote)
    return vote


def _figures_json(vote: Vote) -> dict:
    return {"ballots": vote.ballots, "invalid": vote.invalid,
            "items": {str(item.pk): {"label": item.label, "yes": item.yes, "no": item.no, "abstain": item.abstain,
                                     "adopted": item.adopted} for item in vote.items.order_by("position")}}


def vote_correct(*, vote: Vote, lines: Mapping[int, Line], reason: str, by, ballots: int | None = None,
                 invalid: int = 0) -> VoteCorrection:
    """更正计票结果 of a published vote, with a reason; the old figures and line stay in the audit trail."""
    require_perm(by, MANAGE_VOTES, vote.township_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请说明更正的理由。")})
    with transaction.atomic():
        vote = _locked(vote)
        if vote.state != VoteState.PUBLISHED:
            raise ValidationError(_("只有已公布的结果需要更正；公布前请重新录入计票。"))
        if set(lines) != set(vote.items.values_list("pk", flat=True)):
            raise ValidationError(_("请为每一个表决事项填写票数。"))
        figures = Figures(dict(lines), ballots=ballots if vote.is_paper else None,
                          invalid=invalid if vote.is_paper else 0)
        problems = _problems(vote, figures, vote.present_count)
        if problems:
            raise ValidationError(problems)
        before, line_before = _figures_json(vote), result_text(vote)
        _apply(vote, figures)
        now = timezone.now()
        correction = _save(VoteCorrection(vote=vote, reason=reason.strip(), before=before, after=_figures_json(vote),
                                          line_before=line_before[:2000], corrected_by=by, corrected_at=now))
        vote.corrected_at = now
        _save(vote)
    return correction


# --- the printed line -------------------------------------------------------------------------------------------

class ItemFigures(NamedTuple):
    """What a result line reads of an item (``result_lines``), for a page that reads items as plain rows."""

    position: int
    label: str
    yes: int | None
    no: int | None
    abstain: int | None
    adopted: bool | None


def result_lines(vote: Vote, items=None) -> list[tuple[str, str]]:
    """(label, line) per item of a counted vote — "应到 N 人，实到 M 人，赞成 X 票…，通过" — in Chinese.

    Uses the agreed figures of a published vote; before publication there is no line (empty list).
    A corrected result carries the note "（计票结果经更正）". ``items``: the vote's items if already read (anything
    with their ``position``, ``label``, ``yes``, ``no``, ``abstain`` and ``adopted``, e.g. ``ItemFigures``);
    otherwise ``vote.items``.
    """
    if vote.state != VoteState.PUBLISHED:
        return []
    corrected = vote.corrected_at is not None
    items = list(vote.items.all()) if items is None else items
    if vote.is_candidates:
        results = [(item.label, item.yes or 0, bool(item.adopted)) for item in sorted(items, key=lambda i: i.position)]
        valid = None if vote.ballots is None else vote.ballots - (vote.invalid or 0)
        return [(vote.title, candidates_line(entitled=vote.entitled_count, present=vote.present_count,
                                             ballots=vote.ballots, valid=valid, results=results, corrected=corrected))]
    return [(item.label, result_line(entitled=vote.entitled_count, present=vote.present_count, yes=item.yes or 0,
                                     no=item.no or 0, abstain=item.abstain or 0, adopted=bool(item.adopted),
                                     corrected=corrected))
            for item in sorted(items, key=lambda i: i.position)]


def result_text(vote: Vote) -> str:
    """The whole printed result of a vote: its line, or one line per project ("项目：应到…") for a project vote."""
    lines = result_lines(vote)
    if len(lines) == 1:
        return lines[0][1]
    return "\n".join(f"{label}：{line}" for label, line in lines)


# --- livelihood projects ----------------------------------------------------------------------------------------

def project_create(*, township, year: int, title: str, unit, by, description: str = "",
                   budget: Decimal | None = None, parent: LivelihoodProject | None = None) -> LivelihoodProject:
    """A candidate project (or a part of a project): numbered in the year's ballot order."""
    require_perm(by, MANAGE_VOTES, township)
    if unit.township_id != township.pk:
        raise ValidationError({"unit": _("责任单位须是本乡镇的单位。")})
    if parent is not None and (parent.township_id != township.pk or parent.parent_id is not None):
        raise ValidationError({"parent": _("子项目须属于本乡镇的一个项目（不能再分层）。")})
    with transaction.atomic():
        if parent is None:
            last = (LivelihoodProject.objects.select_for_update()
                    .filter(township=township, year=year, parent__isnull=True).order_by("-position")
                    .values_list("position", flat=True).first()) or 0
            position, status = last + 1, ProjectStatus.CANDIDATE
        else:
            position = parent.parts.count() + 1
            status, year = parent.status, parent.year
        project = _save(LivelihoodProject(township=township, year=year, parent=parent, position=position,
                                          title=title.strip(), description=(description or "").strip(),
                                          budget=budget, unit=unit, status=status, created_by=by))
        if parent is not None:
            _recompute_parent(parent)
    return project


def _recompute_parent(parent: LivelihoodProject) -> None:
    parts = list(parent.parts.values_list("budget", "progress"))
    progress = parent_progress(parts)
    if progress is None:
        return
    statuses = set(parent.parts.values_list("progress_status", flat=True))
    if statuses == {ProgressStatus.DONE}:
        status = ProgressStatus.DONE
    elif ProgressStatus.DELAYED in statuses:
        status = ProgressStatus.DELAYED
    elif statuses == {ProgressStatus.NOT_STARTED}:
        status = ProgressStatus.NOT_STARTED
    else:
        status = ProgressStatus.IN_PROGRESS
    parent.progress, parent.progress_status = progress, status
    parent.save(update_fields=["progress", "progress_status", "updated_at"])


def _clean_photos(files) -> list:
    files = [f for f in (files or []) if f]
    if len(files) > MAX_PHOTOS_PER_ENTRY:
        raise ValidationError({"photos": _("每次最多上传 %(n)d 张照片。") % {"n": MAX_PHOTOS_PER_ENTRY}})
    cleaned = []
    for position, upload in enumerate(files, start=1):
        try:
            cleaned.append((clean_image(upload), getattr(upload, "name", "") or "photo.jpg"))
        except ValidationError as error:
            raise ValidationError({"photos": [_("第 %(n)d 张照片：%(error)s") % {"n": position, "error": message}
                                              for message in error.messages]}) from None
    return cleaned


def project_report_progress(*, project: LivelihoodProject, on: dt.date, text: str, by,
                            kind: str = ProgressEntryKind.REPORT, progress: int | None = None,
                            progress_status: str = "", photos=()) -> ProgressEntry:
    """A dated progress report or inspection of an adopted project; it moves the project's progress and status.

    A project with parts takes its progress from them (budget-weighted), so a report on it records text only.
    """
    require_perm(by, MANAGE_VOTES, project.township_id)
    tracked = project.parent if project.parent_id else project
    if tracked.status != ProjectStatus.ADOPTED:
        raise ValidationError(_("只有票决通过的项目才跟踪进度。"))
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天。")})
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写进度情况。")})
    has_parts = project.parts.exists()
    if has_parts and (progress is not None or progress_status):
        raise ValidationError({"progress": _("该项目的进度由子项目按预算加权计算，请在子项目上报告进度。")})
    if progress_status == ProgressStatus.DONE and progress not in (None, 100):
        raise ValidationError({"progress": _("已完成的项目，进度应为 100%。")})
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError({"progress": _("进度应在 0 到 100 之间。")})
    images = _clean_photos(photos)
    with RemoveFilesOnError() as written, transaction.atomic():
        project = LivelihoodProject.objects.select_for_update().get(pk=project.pk)
        entry = _save(ProgressEntry(project=project, kind=kind, on=on, text=text.strip(), progress=progress,
                                    progress_status=progress_status or "", recorded_by=by))
        for image, name in images:
            photo = ProgressPhoto(entry=entry, original_name=name[:200], size_bytes=image.size)
            photo.file.save("photo.jpg", image.content, save=False)
            written.append((photo.file.storage, photo.file.name))
            _save(photo)
        if not has_parts:
            if progress_status == ProgressStatus.DONE:
                progress = 100
            if progress is not None:
                project.progress = progress
            if progress_status:
                project.progress_status = progress_status
            elif progress is not None:
                project.progress_status = ProgressStatus.DONE if progress == 100 else (
                    ProgressStatus.IN_PROGRESS if progress > 0 else project.progress_status)
            _save(project, update_fields=["progress", "progress_status", "updated_at"])
            if project.parent_id:
                _recompute_parent(LivelihoodProject.objects.select_for_update().get(pk=project.parent_id))
    return entry


def project_satisfaction_record(*, project: LivelihoodProject, satisfied: int, basically: int, unsatisfied: int,
                                by) -> ProjectSatisfaction:
    """年终满意度测评: the deputies' counts for one adopted project (recorded again to correct)."""
    from presidium.meetings.selectors import session_deputies

    require_perm(by, MANAGE_VOTES, project.township_id)
    if project.status != ProjectStatus.ADOPTED or project.parent_id:
        raise ValidationError(_("只对票决通过的项目进行满意度测评。"))
    # The deputies who sit in the township congress (vacancies excluded) are the ones who vote.
    deputies = session_deputies(project.township, project.township.current_term()).count()
    total = satisfied + basically + unsatisfied
    if total > deputies:
        raise ValidationError(_("测评票合计 %(total)s 张，多于本乡镇在任代表 %(n)s 人。") % {"total": total, "n": deputies})
    with transaction.atomic():
        record, _created = ProjectSatisfaction.objects.select_for_update().get_or_create(
            project=project, defaults={"recorded_at": timezone.now(), "recorded_by": by})
        record.satisfied, record.basically, record.unsatisfied = satisfied, basically, unsatisfied
        record.recorded_by, record.recorded_at = by, timezone.now()
        _save(record)
    return record
