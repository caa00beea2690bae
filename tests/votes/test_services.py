"""Votes through their services: the snapshot, the two entries, publication, corrections, project votes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from presidium.choices import Role
from presidium.votes import services
from presidium.votes.choices import (
    MajorityBase,
    ProgressStatus,
    ProjectStatus,
    VoteKind,
    VoteMethod,
    VoteState,
    VoteSubject,
)
from presidium.votes.counting import Line
from presidium.votes.models import VoteCorrection, VoteTally
from tests.factories import DeputyFactory, LivelihoodProjectFactory, votes_meeting


@pytest.fixture
def staff(world):
    return world.user(Role.PRESIDIUM_STAFF)


def _resolution(world, staff, *, kind=VoteKind.PAPER_BALLOT, present=10, leave=1, absent=0, **kwargs):
    meeting = votes_meeting(world.township, present=present, leave=leave, absent=absent, attendees=2)
    vote = services.vote_create(meeting=meeting, title="关于2027年财政预算的决议", subject=VoteSubject.RESOLUTION,
                                kind=kind, by=staff, **kwargs)
    return services.vote_open(vote=vote, by=staff)


def _line(vote, **figures):
    return {vote.items.get().pk: Line(**figures)}


def test_it_freezes_who_was_entitled_and_present_when_counting_ends(world, staff):
    """应到 / 实到 / 请假 / 缺席 with names; 列席 not counted; later roster changes leave the snapshot alone."""
    vote = _resolution(world, staff, present=9, leave=1, absent=1)
    vote = services.vote_count(vote=vote, by=staff)
    assert (vote.entitled_count, vote.present_count, vote.leave_count, vote.absent_count) == (11, 9, 1, 1)
    assert vote.snapshot["leave"] == [{"name": "代表10", "reason": "外出务工"}]
    assert vote.snapshot["absent"] == ["代表11"]
    assert "列席1" not in vote.snapshot["entitled"]
    vote.meeting.invitations.filter(name="代表11").update(status="present", name="改名")
    vote.refresh_from_db()
    assert vote.present_count == 9 and vote.snapshot["absent"] == ["代表11"]


def test_it_leaves_vacant_seats_out_of_the_base(world, staff):
    """A deputy who resigned after being invited is a vacancy: not 应到, not 缺席."""
    meeting = votes_meeting(world.township, present=2)
    serving, resigned = DeputyFactory(township=world.township), DeputyFactory(township=world.township)
    from deputies.models import Deputy

    Deputy.objects.filter(pk=resigned.pk).update(status="resigned", status_since=timezone.localdate())
    meeting.invitations.create(deputy=serving, name=serving.name, status="absent", position=3)
    meeting.invitations.create(deputy=resigned, name=resigned.name, status="absent", position=4)
    vote = services.vote_open(vote=services.vote_create(meeting=meeting, title="决定", subject=VoteSubject.DECISION,
                                                        by=staff), by=staff)
    vote = services.vote_count(vote=vote, by=staff)
    assert vote.entitled_count == 3 and vote.absent_count == 1
    assert resigned.name not in vote.snapshot["entitled"]


def test_it_refuses_to_end_counting_while_attendance_is_unrecorded(world, staff):
    meeting = votes_meeting(world.township, present=5, unrecorded=2)
    vote = services.vote_open(vote=services.vote_create(meeting=meeting, title="决议", subject=VoteSubject.RESOLUTION,
                                                        by=staff), by=staff)
    with pytest.raises(ValidationError, match="2 人未登记"):
        services.vote_count(vote=vote, by=staff)
    vote.refresh_from_db()
    assert vote.state == VoteState.OPEN and vote.entitled_count is None


def test_it_refuses_more_votes_than_people_present(world, staff):
    vote = _resolution(world, staff, kind=VoteKind.SHOW_OF_HANDS, present=10)
    with pytest.raises(ValidationError, match="多于实到人数 10"):
        services.vote_tally_enter(vote=vote, entry=1, teller_name="张计票", lines=_line(vote, yes=9, no=1, abstain=1),
                                  by=staff)
    assert not VoteTally.objects.exists()


def test_it_blocks_publication_while_the_two_paper_entries_differ(world, staff):
    """The 监票人's entry differs: publication names the difference; a new entry that agrees lets it through."""
    vote = _resolution(world, staff)
    services.vote_tally_enter(vote=vote, entry=1, teller_name="张计票", ballots=10, invalid=0,
                              lines=_line(vote, yes=8, no=1, abstain=1), by=staff)
    services.vote_tally_enter(vote=vote, entry=2, teller_name="李监票", ballots=10, invalid=0,
                              lines=_line(vote, yes=7, no=2, abstain=1), by=staff)
    vote = services.vote_count(vote=vote, by=staff)
    with pytest.raises(ValidationError) as refused:
        services.vote_publish(vote=vote, by=staff)
    message = " ".join(refused.value.messages)
    assert "赞成：计票人录入 8，监票人录入 7" in message and "反对：计票人录入 1，监票人录入 2" in message
    vote.refresh_from_db()
    assert vote.state == VoteState.COUNTED
    services.vote_tally_enter(vote=vote, entry=2, teller_name="李监票", ballots=10, invalid=0,
                              lines=_line(vote, yes=8, no=1, abstain=1), by=staff)
    vote = services.vote_publish(vote=vote, by=staff)
    assert vote.state == VoteState.PUBLISHED and vote.adopted is True
    assert services.result_text(vote) == "应到 11 人，实到 10 人，赞成 8 票，反对 1 票，弃权 1 票，通过"
    assert VoteTally.objects.filter(vote=vote).count() == 3  # the differing entry is kept, superseded


def test_it_publishes_a_show_of_hands_from_one_entry(world, staff):
    vote = _resolution(world, staff, kind=VoteKind.SHOW_OF_HANDS, present=10)
    with pytest.raises(ValidationError, match="只录入一次"):
        services.vote_tally_enter(vote=vote, entry=2, teller_name="x", lines=_line(vote, yes=1), by=staff)
    services.vote_tally_enter(vote=vote, entry=1, teller_name="王主持", lines=_line(vote, yes=5, no=4, abstain=1),
                              by=staff)
    services.vote_count(vote=vote, by=staff)
    vote = services.vote_publish(vote=vote, by=staff)
    # 应到 11: 赞成 5 is not more than half.
    assert vote.adopted is False
    assert services.result_text(vote).endswith("赞成 5 票，反对 4 票，弃权 1 票，未通过")


def test_it_counts_the_present_as_base_when_asked(world, staff):
    vote = _resolution(world, staff, kind=VoteKind.SHOW_OF_HANDS, present=9, leave=2,
                       majority_base=MajorityBase.PRESENT)
    services.vote_tally_enter(vote=vote, entry=1, teller_name="王", lines=_line(vote, yes=5, no=4), by=staff)
    services.vote_count(vote=vote, by=staff)
    assert services.vote_publish(vote=vote, by=staff).adopted is True  # 5 of 9 present


def test_it_decides_presidium_matters_by_the_members(world, staff):
    """主席团: 7 members, 4 present all in favour passes (more than half of 7); 3 does not."""
    meeting = votes_meeting(world.township, kind="presidium_meeting", present=4, absent=3)
    vote = services.vote_create(meeting=meeting, title="关于召开人代会的决定", subject=VoteSubject.DECISION, by=staff)
    assert vote.majority_base == MajorityBase.PRESIDIUM_MEMBERS
    services.vote_open(vote=vote, by=staff)
    services.vote_tally_enter(vote=vote, entry=1, teller_name="主席", lines=_line(vote, yes=3, no=1), by=staff)
    services.vote_count(vote=vote, by=staff)
    assert services.vote_publish(vote=vote, by=staff).adopted is False


def test_it_keeps_the_old_count_when_a_published_result_is_corrected(world, staff):
    vote = _resolution(world, staff, kind=VoteKind.SHOW_OF_HANDS)
    services.vote_tally_enter(vote=vote, entry=1, teller_name="王", lines=_line(vote, yes=5, no=5), by=staff)
    services.vote_count(vote=vote, by=staff)
    vote = services.vote_publish(vote=vote, by=staff)
    with pytest.raises(ValidationError):
        services.vote_correct(vote=vote, lines=_line(vote, yes=6, no=4), reason=" ", by=staff)
    correction = services.vote_correct(vote=vote, lines=_line(vote, yes=6, no=4), reason="计票单抄录错误", by=staff)
    vote.refresh_from_db()
    assert vote.adopted is True
    assert correction.line_before == "应到 11 人，实到 10 人，赞成 5 票，反对 5 票，弃权 0 票，未通过"
    assert correction.before["items"][str(vote.items.get().pk)]["yes"] == 5
    assert correction.corrected_by == staff
    assert services.result_text(vote) == "应到 11 人，实到 10 人，赞成 6 票，反对 4 票，弃权 0 票，通过（计票结果经更正）"
    assert VoteCorrection.objects.filter(vote=vote).count() == 1


def test_it_elects_candidates_from_a_paper_count(world, staff):
    meeting = votes_meeting(world.township, present=10, absent=1)
    vote = services.vote_create(meeting=meeting, title="补选主席团成员", subject=VoteSubject.ELECTION,
                                method=VoteMethod.CHOOSE_CANDIDATES, kind=VoteKind.PAPER_BALLOT,
                                items=["张三", "李四", "王五"], seats=1, by=staff)
    services.vote_open(vote=vote, by=staff)
    ids = {item.label: item.pk for item in vote.items.all()}
    lines = {ids["张三"]: Line(yes=7), ids["李四"]: Line(yes=2), ids["王五"]: Line(yes=0)}
    for entry, name in ((1, "计票甲"), (2, "监票乙")):
        services.vote_tally_enter(vote=vote, entry=entry, teller_name=name, ballots=10, invalid=1, lines=lines,
                                  by=staff)
    services.vote_count(vote=vote, by=staff)
    vote = services.vote_publish(vote=vote, by=staff)
    assert services.result_text(vote) == ("应到 11 人，实到 10 人，收回选票 10 张，有效票 9 张；张三 得 7 票，当选；"
                                           "李四 得 2 票，未当选；王五 得 0 票，未当选")


def test_it_refuses_votes_to_those_who_may_not_manage_them(world, staff):
    meeting = votes_meeting(world.township, present=3)
    for role in (Role.DEPUTY, Role.COUNTY_ADMIN, Role.UNIT_LIAISON):
        with pytest.raises(PermissionDenied):
            services.vote_create(meeting=meeting, title="x", subject=VoteSubject.RESOLUTION, by=world.user(role))
    with pytest.raises(PermissionDenied):
        services.vote_create(meeting=meeting, title="x", subject=VoteSubject.RESOLUTION, by=world.other_staff)


def _project_vote(world, staff, *, candidates=6, present=11, absent=0):
    for _ in range(candidates):
        services.project_create(township=world.township, year=2026, title=f"项目{_ + 1}", unit=world.unit,
                                budget=Decimal(50), by=staff)
    meeting = votes_meeting(world.township, present=present, absent=absent)
    vote = services.vote_create_for_projects(meeting=meeting, year=2026, by=staff)
    return services.vote_open(vote=vote, by=staff)


def test_it_adopts_projects_with_more_than_half_of_all_deputies_and_ranks_them(world, staff):
    """应到 13, 实到 11: 7 in favour passes, 6 (a minority of all, though most of those present) fails;
    equal votes in favour are ordered by fewer against, then ballot number."""
    vote = _project_vote(world, staff, present=11, absent=2)
    items = list(vote.items.order_by("position"))
    figures = [(10, 1, 0), (7, 3, 1), (6, 5, 0), (9, 1, 1), (9, 0, 2), (7, 3, 1)]
    lines = {item.pk: Line(*f) for item, f in zip(items, figures, strict=True)}
    for entry in (1, 2):
        services.vote_tally_enter(vote=vote, entry=entry, teller_name="计票", ballots=11, invalid=0, lines=lines,
                                  by=staff)
    services.vote_count(vote=vote, by=staff)
    services.vote_publish(vote=vote, by=staff)
    ranked = {item.project.title: (item.project.status, item.project.vote_rank) for item in
              vote.items.select_related("project")}
    assert ranked == {
        "项目1": (ProjectStatus.ADOPTED, 1), "项目5": (ProjectStatus.ADOPTED, 2), "项目4": (ProjectStatus.ADOPTED, 3),
        "项目2": (ProjectStatus.ADOPTED, 4), "项目6": (ProjectStatus.ADOPTED, 5), "项目3": (ProjectStatus.NOT_ADOPTED, None),
    }


def test_it_computes_a_parents_progress_from_its_parts_by_budget(world, staff):
    vote = _project_vote(world, staff, candidates=1)
    services.vote_tally_enter(vote=vote, entry=1, teller_name="计", ballots=11, lines={vote.items.get().pk: Line(11)},
                              by=staff)
    services.vote_tally_enter(vote=vote, entry=2, teller_name="监", ballots=11, lines={vote.items.get().pk: Line(11)},
                              by=staff)
    services.vote_count(vote=vote, by=staff)
    services.vote_publish(vote=vote, by=staff)
    parent = vote.items.get().project
    big = services.project_create(township=world.township, year=2026, title="主管网", unit=world.unit,
                                  budget=Decimal(80), parent=parent, by=staff)
    small = services.project_create(township=world.township, year=2026, title="入户", unit=world.unit,
                                    budget=Decimal(20), parent=parent, by=staff)
    today = timezone.localdate()
    services.project_report_progress(project=big, on=today, text="开挖过半", progress=50, by=staff)
    services.project_report_progress(project=small, on=today, text="完工", progress_status=ProgressStatus.DONE,
                                     by=staff)
    parent.refresh_from_db()
    assert parent.progress == 60 and parent.progress_status == ProgressStatus.IN_PROGRESS
    with pytest.raises(ValidationError, match="子项目"):
        services.project_report_progress(project=parent, on=today, text="x", progress=90, by=staff)
    with pytest.raises(ValidationError):
        services.project_report_progress(project=big, on=today + dt.timedelta(days=1), text="明天", by=staff)


def test_it_tracks_only_adopted_projects(world, staff):
    project = LivelihoodProjectFactory(township=world.township, unit=world.unit)
    with pytest.raises(ValidationError, match="票决通过"):
        services.project_report_progress(project=project, on=timezone.localdate(), text="x", progress=10, by=staff)


def test_it_caps_the_satisfaction_vote_at_the_serving_deputies(world, staff):
    project = LivelihoodProjectFactory(township=world.township, unit=world.unit, status=ProjectStatus.ADOPTED)
    for _ in range(3):
        DeputyFactory(township=world.township)
    record = services.project_satisfaction_record(project=project, satisfied=2, basically=1, unsatisfied=0, by=staff)
    assert record.rate == 100
    with pytest.raises(ValidationError, match="多于本乡镇在任代表 3 人"):
        services.project_satisfaction_record(project=project, satisfied=3, basically=1, unsatisfied=0, by=staff)
