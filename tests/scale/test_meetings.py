"""The meetings step of ``seed_demo --scale``: five years of meetings in bulk, shaped by the meetings app's rules."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.models import DeputyGroup
from presidium.meetings.choices import AttendanceStatus, MeetingKind, MeetingStatus, OutcomeKind
from presidium.meetings.models import AgendaItem, Invitation, Meeting, Outcome
from presidium.meetings.scale import build_meetings
from presidium.notifications.models import Reminder
from tests.scale.helpers import assert_valid_sample, small_plan

pytestmark = pytest.mark.django_db


SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "明华国建文平志红军英兰秀芳霞强伟"


def _name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[n // len(SURNAMES) % len(GIVEN)] + GIVEN[n % len(GIVEN)]


def with_deputy_accounts(plan):
    """``helpers.with_deputies`` as the deputies service stands on this branch: create, then link the account."""
    from deputies import services
    from presidium.choices import Role
    from presidium.models import RoleAssignment, User

    for built in plan.built:
        for n in range(1, plan.deputies + 1):
            user = User.objects.create_user(f"{built.prefix}_d{n:04d}", password=None, real_name=f"代表{n}")
            RoleAssignment.objects.create(user=user, role=Role.DEPUTY, township=built.township)
            deputy = services.deputy_create(township=built.township, by=plan.admin,
                                            name=_name(built.index * 100 + n),
                                            gender="male" if n % 2 else "female", elected_on=built.term.start_date)
            services.deputy_link_user(deputy=deputy, by=plan.admin, user=user)
    return plan


def _grouped(plan):
    """Two small groups in the first township (the deputies builder makes groups; the helper does not)."""
    from deputies.models import Deputy

    built = plan.built[0]
    deputies = list(Deputy.objects.filter(township=built.township).order_by("pk"))
    for n in range(2):
        group = DeputyGroup.objects.create(township=built.township, term=built.term, name=f"第{n + 1}代表小组",
                                           kind="small", sort_order=n)
        Deputy.objects.filter(pk__in=[d.pk for d in deputies[n::2]]).update(group=group)
    return plan


@pytest.fixture
def plan():
    plan = _grouped(with_deputy_accounts(small_plan(townships=2, years=3, deputies=8)))
    build_meetings(plan)
    return plan


def test_it_fills_every_kind_and_state_with_numbered_sessions(plan):
    for built in plan.built:
        meetings = Meeting.objects.filter(township=built.township)
        kinds = set(meetings.values_list("kind", flat=True))
        assert {MeetingKind.CONGRESS_SESSION, MeetingKind.PRESIDIUM_MEETING} <= kinds
        sessions = list(meetings.filter(kind=MeetingKind.CONGRESS_SESSION).order_by("starts_at"))
        assert len(sessions) == 2 * plan.years
        assert [s.session_number for s in sessions] == list(range(1, len(sessions) + 1))
        assert sessions[1].title.endswith("第十八届人民代表大会第二次会议")
        assert meetings.filter(kind=MeetingKind.PRESIDIUM_MEETING).count() == 4 * plan.years
        assert meetings.filter(status=MeetingStatus.HELD).exists()
    grouped = Meeting.objects.filter(township=plan.built[0].township, kind=MeetingKind.GROUP_ACTIVITY)
    assert grouped.count() == 2 * 4 * plan.years
    assert not Meeting.objects.filter(township=plan.built[1].township, kind=MeetingKind.GROUP_ACTIVITY).exists()
    statuses = set(Meeting.objects.values_list("status", flat=True))
    assert statuses >= {MeetingStatus.HELD, MeetingStatus.SCHEDULED}
    attendance = set(Invitation.objects.values_list("status", flat=True))
    assert attendance == {s.value for s in AttendanceStatus}
    assert set(Outcome.objects.values_list("kind", flat=True)) >= {
        OutcomeKind.MINUTES, OutcomeKind.RESOLUTION, OutcomeKind.DELIBERATION_OPINION, OutcomeKind.FINDING}


def test_it_keeps_the_dates_and_invitations_consistent(plan):
    now = timezone.now()
    for meeting in Meeting.objects.all():
        assert meeting.created_at <= now
        if meeting.status == MeetingStatus.HELD:
            assert meeting.starts_at <= meeting.held_at <= now
        if meeting.starts_at > now:
            assert meeting.status == MeetingStatus.SCHEDULED
            assert not meeting.invitations.exclude(status=AttendanceStatus.INVITED).exists()
    for built in plan.built:
        sessions = Meeting.objects.filter(township=built.township, kind=MeetingKind.CONGRESS_SESSION)
        for session in sessions:
            assert session.invitations.filter(counts_for_quorum=True).count() == plan.deputies
    for leave in Invitation.objects.filter(status=AttendanceStatus.LEAVE).select_related("meeting"):
        assert leave.leave_reason and leave.leave_requested_at < leave.meeting.starts_at
    today = timezone.localdate()
    for opinion in Outcome.objects.filter(kind=OutcomeKind.DELIBERATION_OPINION).select_related("meeting", "unit"):
        if opinion.sent_on:
            assert opinion.meeting.ends_at.date() < opinion.sent_on <= today
            assert opinion.unit.township_id == opinion.meeting.township_id
        if opinion.answered_on:
            assert opinion.sent_on <= opinion.answered_on <= today
    # Something is overdue, and every open item has its reminder.
    assert Outcome.objects.filter(sent_on__isnull=False, answered_on__isnull=True, due_on__lt=today).exists() or \
        Outcome.objects.filter(follow_up="rectification", rectified_on__isnull=True,
                               rectification_due_on__lt=today).exists()
    open_items = (Outcome.objects.filter(sent_on__isnull=False, answered_on__isnull=True).count()
                  + Outcome.objects.filter(follow_up="rectification", rectified_on__isnull=True).count())
    assert Reminder.objects.count() == open_items


def test_it_is_idempotent(plan):
    counts = [m.objects.count() for m in (Meeting, Invitation, AgendaItem, Outcome, Reminder)]
    build_meetings(plan)
    assert [m.objects.count() for m in (Meeting, Invitation, AgendaItem, Outcome, Reminder)] == counts


def test_a_session_scheduled_through_the_service_takes_the_next_number(plan):
    from presidium.meetings import services

    built = plan.built[0]
    last = Meeting.objects.filter(term=built.term, session_number__isnull=False).order_by("-session_number")[0].session_number
    starts = timezone.now() + dt.timedelta(days=30)
    session = services.meeting_schedule(township=built.township, kind=MeetingKind.CONGRESS_SESSION, by=built.staff,
                                        starts_at=starts, ends_at=starts + dt.timedelta(hours=4), place="大礼堂")
    assert session.session_number == last + 1


def test_the_rows_pass_model_validation(plan):
    for model in (Meeting, Invitation, AgendaItem, Outcome):
        assert_valid_sample(model.objects.all())
    assert_valid_sample(Reminder.objects.all(), exclude=("content_type",))


def test_the_staff_pages_render_with_the_built_rows(plan, login):
    built = plan.built[0]
    client = login(built.staff)
    assert client.get(reverse("meetings:meeting_list")).status_code == 200
    today = timezone.localdate()
    assert client.get(reverse("meetings:calendar_month", args=[today.year, today.month])).status_code == 200
    session = Meeting.objects.filter(township=built.township, kind=MeetingKind.CONGRESS_SESSION,
                                     status=MeetingStatus.HELD).first()
    response = client.get(reverse("meetings:meeting_detail", args=[session.pk]))
    assert response.status_code == 200
    assert session.title in response.content.decode()
    assert client.get(reverse("home")).status_code == 200  # the meeting rules' gaps block reads five years


# --- votes (step "votes", after the meetings) ---------------------------------------------------------------


@pytest.fixture
def voted(plan):
    from presidium.votes.scale import build_votes

    build_votes(plan)
    return plan


def test_votes_fill_every_state_with_snapshots_and_agreeing_tallies(voted):
    from presidium.votes.choices import ProjectStatus, VoteKind, VoteState
    from presidium.votes.models import LivelihoodProject, Vote

    assert set(Vote.objects.values_list("state", flat=True)) >= {VoteState.PUBLISHED, VoteState.OPEN, VoteState.CREATED}
    for vote in Vote.objects.filter(state=VoteState.PUBLISHED).prefetch_related("items", "tallies__lines"):
        assert vote.entitled_count == len(vote.snapshot["entitled"]) == voted.deputies
        assert vote.present_count == len(vote.snapshot["present"]) > 0
        assert vote.published_at > vote.counted_at > vote.opened_at >= vote.meeting.starts_at
        tallies = list(vote.tallies.all())
        assert len(tallies) == (2 if vote.kind == VoteKind.PAPER_BALLOT else 1)
        agreed = {(i.pk, i.yes, i.no, i.abstain) for i in vote.items.all()}
        for tally in tallies:
            assert {(line.item_id, line.yes, line.no, line.abstain) for line in tally.lines.all()} == agreed
        for item in vote.items.all():
            assert item.adopted == (item.yes * 2 > vote.entitled_count)
    statuses = set(LivelihoodProject.objects.filter(parent=None).values_list("status", flat=True))
    assert statuses >= {ProjectStatus.ADOPTED, ProjectStatus.NOT_ADOPTED}
    assert LivelihoodProject.objects.filter(parent__isnull=False).exists()
    ranks = list(LivelihoodProject.objects.filter(status=ProjectStatus.ADOPTED, parent=None, year=voted.first_year,
                                                  township=voted.built[0].township).order_by("vote_rank")
                 .values_list("vote_rank", flat=True))
    assert ranks == list(range(1, len(ranks) + 1))


def test_votes_keep_progress_and_satisfaction_consistent(voted):
    from presidium.votes.models import LivelihoodProject, ProgressEntry, ProjectSatisfaction
    from presidium.votes.tracking import parent_progress

    today = timezone.localdate()
    for entry in ProgressEntry.objects.select_related("project"):
        assert entry.on <= today and entry.on.year == entry.project.year
    for parent in LivelihoodProject.objects.filter(parts__isnull=False).distinct():
        assert parent.progress == parent_progress(parent.parts.values_list("budget", "progress"))
    assert ProjectSatisfaction.objects.exists()
    assert not ProjectSatisfaction.objects.filter(project__year=today.year).exists()
    for record in ProjectSatisfaction.objects.all():
        assert record.satisfied + record.basically + record.unsatisfied <= voted.deputies


def test_votes_are_idempotent_valid_and_projects_continue_numbering(voted):
    from presidium.votes import services
    from presidium.votes.models import (
        LivelihoodProject,
        ProgressEntry,
        ProjectSatisfaction,
        Vote,
        VoteItem,
        VoteTally,
        VoteTallyLine,
    )
    from presidium.votes.scale import build_votes

    models = (Vote, VoteItem, VoteTally, VoteTallyLine, LivelihoodProject, ProgressEntry)
    counts = [m.objects.count() for m in models]
    build_votes(voted)
    assert [m.objects.count() for m in models] == counts
    for model in models:
        assert_valid_sample(model.objects.all())
    assert_valid_sample(ProjectSatisfaction.objects.all())
    built = voted.built[0]
    year = timezone.localdate().year
    project = services.project_create(township=built.township, year=year, title="新增候选项目", unit=built.units[0],
                                      by=built.staff)
    assert project.position == 8


def test_votes_pages_render_with_the_built_rows(voted, login, client):
    from presidium.votes.choices import VoteState
    from presidium.votes.models import Vote

    built = voted.built[0]
    staff = login(built.staff)
    vote = Vote.objects.filter(township=built.township, state=VoteState.PUBLISHED, subject="projects").first()
    assert staff.get(reverse("votes:vote_detail", args=[vote.pk])).status_code == 200
    assert staff.get(reverse("votes:vote_list")).status_code == 200
    assert staff.get(reverse("votes:project_list")).status_code == 200
    client.logout()
    assert client.get(reverse("votes_public:projects", args=[built.township.pk])).status_code == 200


# --- bulletins (step "bulletins") ---------------------------------------------------------------------------


@pytest.fixture
def bulletined(plan):
    from presidium.bulletins.scale import build_bulletins

    build_bulletins(plan)
    return plan


def test_bulletins_are_numbered_in_the_year_and_overall(bulletined):
    from presidium.bulletins.choices import IssueState
    from presidium.bulletins.models import BulletinIssue, BulletinNumber, BulletinSeries, BulletinYearCounter

    for series in BulletinSeries.objects.filter(township__in=[b.township for b in bulletined.built]):
        numbered = list(series.issues.filter(number__isnull=False).order_by("issue_date", "pk"))
        records = list(BulletinNumber.objects.filter(series=series))
        overall = sorted([i.overall_number for i in numbered] + [r.overall_number for r in records
                                                                   if r.kind == "skipped"])
        assert overall == list(range(series.first_overall_number, series.first_overall_number + len(overall)))
        assert series.last_overall_number == overall[-1]
        for year in bulletined.year_list:
            numbers = sorted([i.number for i in numbered if i.year == year]
                             + [r.number for r in records if r.year == year and r.kind == "skipped"])
            assert numbers == list(range(1, len(numbers) + 1))
            assert BulletinYearCounter.objects.get(series=series, year=year).last_number == len(numbers)
    states = set(BulletinIssue.objects.values_list("state", flat=True))
    assert states >= {IssueState.PUBLISHED, IssueState.DRAFT} and states & {IssueState.SIGNED_OFF}
    published = BulletinIssue.objects.filter(state=IssueState.PUBLISHED)
    assert not published.exclude(pdf_deferred=True).exists()
    issue = published.first()
    assert issue.recipients.filter(position__gte=10_000).count() == bulletined.deputies


def test_bulletins_numbering_continues_through_the_service(bulletined):
    from presidium.bulletins import services
    from presidium.bulletins.models import BulletinSeries

    built = bulletined.built[0]
    series = BulletinSeries.objects.get(township=built.township, masthead="人大信息")
    last = series.last_overall_number
    counter = series.counters.get(year=timezone.localdate().year).last_number
    issue = services.issue_create(series=series, by=built.staff, issue_date=timezone.localdate())
    services.article_create(issue=issue, by=built.staff, title="新文章", body="正文")
    issue = services.issue_sign_off(issue=issue, by=built.staff)
    assert (issue.number, issue.overall_number) == (counter + 1, last + 1)


def test_bulletins_are_idempotent_and_valid(bulletined):
    from presidium.bulletins.models import (
        Article,
        BulletinIssue,
        BulletinNumber,
        BulletinRecipient,
        BulletinSeries,
        BulletinYearCounter,
    )
    from presidium.bulletins.scale import build_bulletins

    models = (BulletinSeries, BulletinIssue, Article, BulletinRecipient)
    counts = [m.objects.count() for m in models]
    build_bulletins(bulletined)
    assert [m.objects.count() for m in models] == counts
    for model in models:
        assert_valid_sample(model.objects.all())
    assert_valid_sample(BulletinNumber.objects.all())
    assert_valid_sample(BulletinYearCounter.objects.all())


def test_a_built_issue_page_renders_and_its_pdf_is_made_on_the_first_download(bulletined, login):
    from presidium.bulletins.models import BulletinIssue

    built = bulletined.built[0]
    staff = login(built.staff)
    issue = BulletinIssue.objects.filter(series__township=built.township, state="published").first()
    assert staff.get(reverse("bulletins:issue_list", args=[issue.series_id])).status_code == 200
    assert staff.get(reverse("bulletins:issue_detail", args=[issue.pk])).status_code == 200
    response = staff.get(reverse("bulletins:issue_pdf", args=[issue.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")
    issue.refresh_from_db()
    assert not issue.pdf_deferred and issue.pdf and len(issue.pdf_sha256) == 64
