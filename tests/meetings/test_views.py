"""The meeting screens: lists and the calendar in a fixed number of queries, the detail, the forms, visibility."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from presidium.choices import Role
from presidium.meetings.models import Meeting
from tests.factories import (
    InvitationFactory,
    MeetingFactory,
    PresidiumMembershipFactory,
    deputy_with_account,
    meeting_with_members,
)

pytestmark = pytest.mark.django_db


def _meetings(township, n: int, *, start=None):
    start = start or timezone.make_aware(dt.datetime.combine(timezone.localdate().replace(day=1), dt.time(9)))
    for i in range(n):
        meeting = meeting_with_members(township, members=3, starts_at=start + dt.timedelta(days=i % 25, hours=i % 3),
                                       ends_at=start + dt.timedelta(days=i % 25, hours=(i % 3) + 2))
        InvitationFactory(meeting=meeting, role="attendee", counts_for_quorum=False)


@pytest.mark.parametrize("url_name", ["meetings:meeting_list", "meetings:calendar"])
def test_it_lists_in_a_fixed_number_of_queries_as_rows_grow(world, login, django_assert_max_num_queries, url_name):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    _meetings(world.township, 2)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse(url_name)).status_code == 200
    _meetings(world.township, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert Meeting.objects.count() == 27


def test_it_exports_the_filtered_list(world, login, django_assert_max_num_queries):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    _meetings(world.township, 3)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("meetings:meeting_list") + "?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_it_shows_a_deputy_only_the_meetings_they_are_invited_to_or_open_ones(world, login):
    deputy = deputy_with_account(world.township)
    invited = MeetingFactory(township=world.township, title="受邀的主席团会议")
    InvitationFactory(meeting=invited, deputy=deputy, user=deputy.user, name=deputy.name)
    MeetingFactory(township=world.township, title="公开的活动", kind="training", open_to_deputies=True)
    MeetingFactory(township=world.township, title="未受邀的会议")
    MeetingFactory(township=world.other_township, title="乙镇的公开活动", kind="training", open_to_deputies=True)
    page = login(deputy.user).get(reverse("meetings:meeting_list")).content.decode()
    assert "受邀的主席团会议" in page and "公开的活动" in page
    assert "未受邀的会议" not in page and "乙镇的公开活动" not in page


def test_whoever_is_invited_sees_the_meeting_through_their_deputy_or_their_own_account(world):
    """meetings_q finds the account's deputy with a scalar subquery (no join to every deputy): the same meetings."""
    from presidium.meetings.selectors import meetings_visible_to
    from tests.factories import UserFactory

    far, other = deputy_with_account(world.other_township), deputy_with_account(world.other_township)
    through_deputy = MeetingFactory(township=world.township)
    InvitationFactory(meeting=through_deputy, deputy=far, name=far.name)  # no account on the invitation
    InvitationFactory(meeting=through_deputy, name="无账号的列席人员")  # neither account nor deputy
    through_other = MeetingFactory(township=world.township)
    InvitationFactory(meeting=through_other, deputy=other, name=other.name)
    guest = UserFactory()  # a unit head without a deputy, invited through the account
    through_account = MeetingFactory(township=world.township)
    InvitationFactory(meeting=through_account, user=guest, name="单位负责人")
    stranger = UserFactory()
    assert set(meetings_visible_to(far.user)) == {through_deputy}
    assert set(meetings_visible_to(other.user)) == {through_other}
    assert set(meetings_visible_to(guest)) == {through_account}
    assert not meetings_visible_to(stranger).exists()


def test_it_shows_the_quorum_line_and_the_attendance_form_to_the_staff(world, login):
    meeting = meeting_with_members(world.township, members=3,
                                   starts_at=timezone.now() - dt.timedelta(minutes=30),
                                   ends_at=timezone.now() + dt.timedelta(hours=1))
    page = login(world.user(Role.PRESIDIUM_STAFF)).get(meeting.get_absolute_url()).content.decode()
    assert "应到 3 人，实到 0 人，请假 0 人，缺席 0 人" in page
    assert 'data-testid="attendance-form"' in page and "保存出席情况" in page


def test_it_records_attendance_from_the_form(world, login):
    meeting = meeting_with_members(world.township, members=3,
                                   starts_at=timezone.now() - dt.timedelta(minutes=30),
                                   ends_at=timezone.now() + dt.timedelta(hours=1))
    a, b, c = meeting.invitations.order_by("pk")
    client = login(world.user(Role.PRESIDIUM_STAFF))
    response = client.post(reverse("meetings:attendance", args=[meeting.pk]), {
        f"status-{a.pk}": "present", f"status-{b.pk}": "present", f"status-{c.pk}": "leave",
        f"reason-{c.pk}": "在外地出差"})
    assert response.status_code == 302
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "应到 3 人，实到 2 人，请假 1 人，缺席 0 人" in page and "符合法定人数" in page
    # A leave without its reason saves nothing and says why.
    response = client.post(reverse("meetings:attendance", args=[meeting.pk]), {
        f"status-{a.pk}": "absent", f"status-{b.pk}": "leave", f"reason-{b.pk}": ""}, follow=True)
    assert "请假请写明事由" in response.content.decode()
    a.refresh_from_db()
    assert a.status == "present"


def test_it_schedules_a_presidium_meeting_from_the_form(world, login):
    term = world.township.current_term()
    deputy = deputy_with_account(world.township)
    PresidiumMembershipFactory(term=term, name="冯国强", user=deputy.user)
    client = login(world.user(Role.PRESIDIUM_STAFF))
    assert client.get(reverse("meetings:meeting_schedule")).status_code == 200
    day = timezone.localdate() + dt.timedelta(days=5)
    response = client.post(reverse("meetings:meeting_schedule"), {
        "township": world.township.pk, "kind": "presidium_meeting", "date": day.isoformat(), "start_time": "09:00",
        "end_time": "11:00", "place": "镇政府三楼会议室", "agenda": "研究第四季度工作", "invite_body": "on"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.invitations.get().user == deputy.user
    # Bad input: the form comes back with the message, nothing saved.
    response = client.post(reverse("meetings:meeting_schedule"), {
        "township": world.township.pk, "kind": "group_activity", "date": day.isoformat(), "start_time": "09:00",
        "end_time": "08:00", "place": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "结束时间不能早于开始时间" in page and "请选择代表小组" in page
    assert Meeting.objects.count() == 1


def test_it_lets_the_invited_deputy_ask_for_leave_from_the_phone(world, login):
    deputy = deputy_with_account(world.township)
    meeting = MeetingFactory(township=world.township)
    invitation = InvitationFactory(meeting=meeting, deputy=deputy, user=deputy.user, name=deputy.name)
    client = login(deputy.user)
    mine = client.get(reverse("meetings:mine")).content.decode()
    assert meeting.title in mine and reverse("meetings:leave", args=[invitation.pk]) in mine
    response = client.post(reverse("meetings:leave", args=[invitation.pk]), {"reason": ""})
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == "invited"
    response = client.post(reverse("meetings:leave", args=[invitation.pk]), {"reason": "家中有事"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "leave" and invitation.leave_reason == "家中有事"


def test_the_meeting_page_shows_the_viewer_their_own_invitation_through_their_deputy_or_account(world, login):
    """The page's list reads only the deputy's account of each invitation (deputy_user_id), not whole deputies."""
    from tests.factories import UserFactory

    meeting = MeetingFactory(township=world.township)
    deputy, other = deputy_with_account(world.township), deputy_with_account(world.township)
    through_deputy = InvitationFactory(meeting=meeting, deputy=deputy, name=deputy.name)  # no account on it
    InvitationFactory(meeting=meeting, deputy=other, name=other.name)
    guest = UserFactory()
    through_account = InvitationFactory(meeting=meeting, user=guest, name="单位负责人", role="attendee",
                                        counts_for_quorum=False)
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    for user, own in ((deputy.user, through_deputy), (guest, through_account)):
        response = login(user).get(url)
        assert [i.pk for i in response.context["mine"]] == [own.pk]
        assert response.content.decode().count('data-testid="my-invitation"') == 1
    assert login(world.user(Role.PRESIDIUM_STAFF)).get(url).context["mine"] == []


def test_it_shows_the_rule_gaps_on_the_staff_home(world, login):
    page = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("home")).content.decode()
    assert 'data-testid="meeting-gaps"' in page and "尚未召开人代会" in page


def test_the_rule_gaps_on_the_home_read_the_meetings_of_the_moment_through_kept_sql(world, login):
    """The block's two queries (the year's meetings, the active groups) are compiled once a day for the user's
    roles (presidium.home_cards.kept_today); a session recorded after the first page clears its gap on the next."""
    from presidium.home_cards import _BUILT_EACH_TIME, _KEPT

    staff = world.user(Role.PRESIDIUM_STAFF)
    client = login(staff)
    assert "尚未召开人代会" in client.get(reverse("home")).content.decode()
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(9)))
    MeetingFactory(township=world.township, kind="congress_session", session_number=1, title="第一次会议", starts_at=start,
                   ends_at=start + dt.timedelta(hours=3))
    assert "尚未召开人代会" not in client.get(reverse("home")).content.decode()
    kept = {entry[1]: value for entry, value in _KEPT.items() if entry[0] == "rows" and entry[2].user_id == staff.pk}
    held, groups = f"meetings_gaps_held_{world.township.pk}", f"meetings_gaps_groups_{world.township.pk}"
    assert kept[held] is not _BUILT_EACH_TIME and kept[groups] is not _BUILT_EACH_TIME


def test_it_puts_the_coming_meetings_and_owed_opinions_on_the_chairs_desk(world, login):
    from presidium.meetings.models import Outcome

    coming = MeetingFactory(township=world.township, title="第四季度主席团会议")
    MeetingFactory(township=world.other_township, title="乙镇主席团会议")
    Outcome.objects.create(meeting=coming, kind="deliberation_opinion", title="关于集镇污水治理的审议意见",
                           unit=world.unit, sent_on=timezone.localdate() - dt.timedelta(days=40),
                           due_on=timezone.localdate() - dt.timedelta(days=10))
    page = login(world.user(Role.PRESIDIUM_CHAIR)).get(reverse("home")).content.decode()
    assert 'data-testid="chair-section-meetings_coming"' in page and "第四季度主席团会议" in page
    assert "乙镇主席团会议" not in page
    assert "关于集镇污水治理的审议意见" in page


def test_a_meeting_not_yet_held_shows_who_should_come_not_zero_present(world, login):
    """Before a meeting is held nobody is 实到: the list says 应到 N 人 (and who asked for leave), not 实到 0 人."""
    client = login(world.user(Role.PRESIDIUM_STAFF))
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=7), dt.time(9)))
    meeting = meeting_with_members(world.township, members=3, starts_at=start, ends_at=start + dt.timedelta(hours=2),
                                   kind="presidium_meeting")
    meeting.invitations.filter(pk=meeting.invitations.order_by("pk").first().pk).update(
        status="leave", leave_reason="外出务工", leave_requested_at=timezone.now())
    body = client.get(reverse("meetings:meeting_list")).content.decode()
    assert "实到 0 人" not in body
    assert "应到 3 人，已请假 1 人" in body


def test_it_reads_the_chairs_meeting_lines_in_one_query_each_without_the_meetings_texts(world):
    """The desk's coming meetings and owed opinions select what their lines show (title, place, time, unit, the
    meeting's title): one query a section at any number of lines, and no deferred field loaded while reading."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from presidium.meetings.models import Outcome
    from presidium.meetings.views.chair import coming_up, opinions_owed

    chair = world.user(Role.PRESIDIUM_CHAIR)

    def add(n):
        for i in range(n):
            meeting = MeetingFactory(township=world.township, title=f"主席团会议{n}-{i}", place=f"二楼会议室{i}")
            Outcome.objects.create(meeting=meeting, kind="deliberation_opinion", title=f"审议意见{n}-{i}",
                                   unit=world.unit, sent_on=timezone.localdate(),
                                   due_on=timezone.localdate() + dt.timedelta(days=i))

    def read():
        with CaptureQueriesContext(connection) as captured:
            lines = coming_up(chair) + opinions_owed(chair)
            text = " ".join(f"{row.title} {row.detail} {row.url} {row.when} {row.tone}" for row in lines)
        assert all('"note"' not in q["sql"] and '"text"' not in q["sql"] for q in captured.captured_queries)
        return len(captured), lines, text

    coming_up(chair)  # the roles
    add(1)
    few, _lines, _text = read()
    add(3)
    many, lines, text = read()
    assert few == many == 2
    for outcome in Outcome.objects.select_related("meeting", "unit"):
        assert outcome.title in text and outcome.meeting.get_absolute_url() in text
    assert f"{world.unit.name} · 主席团会议3-1" in text and f"{world.unit.name} · 主席团会议3-0" in text
    assert "二楼会议室2 · " in text
