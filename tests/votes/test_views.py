"""The vote and project screens: forms keep input and save nothing on bad figures; lists hold their query count."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from presidium.choices import Role
from presidium.votes import services
from presidium.votes.choices import VoteKind, VoteState, VoteSubject
from presidium.votes.counting import Line
from presidium.votes.models import Vote, VoteTally
from tests.factories import adopted_project, vote_at, votes_meeting


@pytest.fixture
def staff(world):
    return world.user(Role.PRESIDIUM_STAFF)


def _open_paper_vote(world, staff):
    meeting = votes_meeting(world.township, present=10, leave=1)
    vote = services.vote_create(meeting=meeting, title="关于人大主席团工作报告的决议", subject=VoteSubject.RESOLUTION,
                                kind=VoteKind.PAPER_BALLOT, by=staff)
    return services.vote_open(vote=vote, by=staff)


def _tally_post(vote, *, teller="张计票", ballots="10", invalid="0", yes="8", no="1", abstain="1"):
    item = vote.items.get()
    return {"teller_name": teller, "ballots": ballots, "invalid": invalid, f"item_{item.pk}_yes": yes,
            f"item_{item.pk}_no": no, f"item_{item.pk}_abstain": abstain}


def test_it_refuses_half_a_vote_and_keeps_what_was_typed(world, staff, login):
    vote = _open_paper_vote(world, staff)
    response = login(staff).post(reverse("votes:vote_tally", args=[vote.pk, 1]), _tally_post(vote, yes="5.5"))
    assert response.status_code == 200
    assert "张计票" in response.content.decode()  # the rest of the input is kept
    assert not VoteTally.objects.exists()


def test_it_shows_the_tellers_why_a_count_does_not_fit_the_room(world, staff, login):
    vote = _open_paper_vote(world, staff)
    response = login(staff).post(reverse("votes:vote_tally", args=[vote.pk, 1]), _tally_post(vote, yes="9"))
    assert response.status_code == 200
    assert "多于有效票 10" in response.content.decode()
    assert not VoteTally.objects.exists()


def test_it_names_the_difference_on_the_page_and_refuses_to_publish(world, staff, login):
    vote = _open_paper_vote(world, staff)
    client = login(staff)
    client.post(reverse("votes:vote_tally", args=[vote.pk, 1]), _tally_post(vote))
    client.post(reverse("votes:vote_tally", args=[vote.pk, 2]), _tally_post(vote, teller="李监票", yes="7", no="2"))
    client.post(reverse("votes:vote_step", args=[vote.pk, "count"]))
    page = client.post(reverse("votes:vote_step", args=[vote.pk, "publish"]), follow=True).content.decode()
    assert "赞成：计票人录入 8，监票人录入 7" in page
    assert Vote.objects.get(pk=vote.pk).state == VoteState.COUNTED
    client.post(reverse("votes:vote_tally", args=[vote.pk, 2]), _tally_post(vote, teller="李监票"))
    page = client.post(reverse("votes:vote_step", args=[vote.pk, "publish"]), follow=True).content.decode()
    assert "应到 11 人，实到 10 人，赞成 8 票，反对 1 票，弃权 1 票，通过" in page


def test_it_lets_a_deputy_read_a_published_result(world, login):
    vote = vote_at(world.township, "published", yes=7, no=2, abstain=1)
    page = login(world.user(Role.DEPUTY)).get(reverse("votes:vote_detail", args=[vote.pk])).content.decode()
    assert "应到 11 人，实到 10 人，赞成 7 票，反对 2 票，弃权 1 票，通过" in page
    assert "计票录入" not in page  # the tellers' work stays with the staff


def test_it_refuses_a_correction_without_a_reason(world, staff, login):
    vote = vote_at(world.township, "published")
    item = vote.items.get()
    response = login(staff).post(reverse("votes:vote_correct", args=[vote.pk]), {
        f"item_{item.pk}_yes": "5", f"item_{item.pk}_no": "4", f"item_{item.pk}_abstain": "1", "reason": ""})
    assert response.status_code == 200
    assert not vote.corrections.exists()


def _project_vote(world, staff, n_projects: int):
    for i in range(n_projects):
        services.project_create(township=world.township, year=2026, title=f"项目{i}", unit=world.unit,
                                budget=Decimal(10), by=staff)
    meeting = votes_meeting(world.township, present=11)
    vote = services.vote_open(vote=services.vote_create_for_projects(meeting=meeting, year=2026, by=staff), by=staff)
    lines = {item.pk: Line(6 + item.position % 3, 2, 1) for item in vote.items.all()}
    for entry in (1, 2):
        services.vote_tally_enter(vote=vote, entry=entry, teller_name="计", ballots=11, lines=lines, by=staff)
    services.vote_count(vote=vote, by=staff)
    return services.vote_publish(vote=vote, by=staff)


RESULTS_PAGE_QUERIES = 14


def test_it_shows_a_results_page_in_the_same_queries_however_many_items(world, staff, login,
                                                                       django_assert_max_num_queries):
    client = login(staff)
    small = _project_vote(world, staff, 2)
    client.get(reverse("votes:vote_detail", args=[small.pk]))  # warm the session and scope
    with django_assert_max_num_queries(RESULTS_PAGE_QUERIES):
        assert client.get(reverse("votes:vote_detail", args=[small.pk])).status_code == 200
    Vote.objects.all().delete()
    from presidium.votes.models import LivelihoodProject

    LivelihoodProject.objects.all().delete()
    big = _project_vote(world, staff, 12)
    with django_assert_max_num_queries(RESULTS_PAGE_QUERIES):
        assert client.get(reverse("votes:vote_detail", args=[big.pk])).status_code == 200


@pytest.mark.parametrize("url_name", ["votes:vote_list", "votes:project_list"])
def test_it_lists_in_the_same_queries_as_rows_grow(world, login, url_name, django_assert_max_num_queries):
    client = login(world.user(Role.PRESIDIUM_CHAIR))

    def grow(n):
        for _ in range(n):
            vote_at(world.township, "published")
            adopted_project(world.township)

    grow(2)
    client.get(reverse(url_name))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse(url_name))
    grow(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


@pytest.mark.parametrize("url_name", ["votes:vote_list", "votes:project_list"])
def test_it_exports_what_is_listed_in_the_same_queries_as_rows_grow(world, login, url_name,
                                                                     django_assert_max_num_queries):
    from openpyxl import load_workbook

    client = login(world.user(Role.COUNTY_REVIEWER))
    url = reverse(url_name) + "?export=xlsx"

    def grow(n):
        for _ in range(n):
            vote_at(world.township, "published")
            adopted_project(world.township)

    grow(2)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    grow(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else
                                     response.content)).active
    text = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)
    if url_name == "votes:vote_list":
        assert "应到 11 人，实到 10 人，赞成 8 票，反对 1 票，弃权 1 票，通过" in text


def test_it_shows_the_public_projects_in_the_same_queries_as_they_grow(world, client, django_assert_max_num_queries):
    url = reverse("votes_public:projects", args=[world.township.pk]) + "?year=2026"
    for _ in range(2):
        adopted_project(world.township, with_photo=True)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for _ in range(6):
        adopted_project(world.township, with_photo=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "主体完工" in page and "60%" in page


def test_it_hides_candidates_and_other_townships_from_the_public_page(world, client):
    from tests.factories import LivelihoodProjectFactory

    LivelihoodProjectFactory(township=world.township, title="尚未票决的项目", unit=world.unit)
    adopted_project(world.township, title="已通过的项目")
    adopted_project(world.other_township, title="乙镇的项目")
    page = client.get(reverse("votes_public:projects", args=[world.township.pk]) + "?year=2026").content.decode()
    assert "已通过的项目" in page and "尚未票决的项目" not in page and "乙镇的项目" not in page


def test_it_records_progress_with_a_photo_from_the_form(world, staff, login):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    project = adopted_project(world.township)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, format="PNG")
    response = login(staff).post(reverse("votes:project_progress", args=[project.pk]), {
        "kind": "inspection", "on": timezone.localdate().isoformat(), "text": "代表视察，进度正常", "progress": "35",
        "progress_status": "", "photos": SimpleUploadedFile("IMG_1.png", buffer.getvalue(), "image/png")})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.progress == 35 and project.progress_status == "in_progress"
    assert project.timeline.get().photos.count() == 1


def test_it_prints_the_votes_line_on_the_meetings_page_in_the_same_queries_as_votes_grow(
        world, staff, login, django_assert_max_num_queries):
    """The meeting's page shows its votes (meetings never imports votes: a section votes registers)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from presidium.votes.models import VoteItem

    vote = vote_at(world.township, "published", yes=7, no=2, abstain=1)
    url = reverse("meetings:meeting_detail", args=[vote.meeting_id])
    client = login(staff)
    page = client.get(url).content.decode()
    assert 'data-testid="meeting-section-votes"' in page
    assert "应到 11 人，实到 10 人，赞成 7 票，反对 2 票，弃权 1 票，通过" in page
    assert reverse("votes:vote_create", args=[vote.meeting_id]) in page
    lines_before = page.count("赞成")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        extra = Vote.objects.create(township=vote.township, meeting=vote.meeting, subject="decision",
                                    title=f"关于第{n}项事项的决定", kind=vote.kind, state="published",
                                    entitled_count=11, present_count=10, leave_count=1, absent_count=0,
                                    snapshot=vote.snapshot, adopted=True)
        VoteItem.objects.create(vote=extra, position=1, label=extra.title, yes=8, no=1, abstain=1, adopted=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("赞成") == lines_before + 4


def test_it_lists_ranked_projects_before_those_not_adopted_and_links_the_public_page(world, staff, login):
    from tests.factories import LivelihoodProjectFactory

    rejected = LivelihoodProjectFactory(township=world.township, title="未通过的项目", status="not_adopted", position=1)
    second = LivelihoodProjectFactory(township=world.township, title="第二位项目", status="adopted", vote_rank=2,
                                      position=2)
    first = LivelihoodProjectFactory(township=world.township, title="第一位项目", status="adopted", vote_rank=1,
                                     position=3)
    page = login(staff).get(reverse("votes:project_list")).content.decode()
    assert page.index(first.title) < page.index(second.title) < page.index(rejected.title)
    assert reverse("votes_public:projects", args=[world.township.pk]) in page
