"""The per-user iCal feed: parsed back with icalendar — stable UIDs, SEQUENCE, CANCELLED, the time zone, the secret."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from presidium.choices import Role
from presidium.meetings import services
from presidium.meetings.models import CalendarFeed
from tests.factories import InvitationFactory, MeetingFactory, deputy_with_account

pytestmark = pytest.mark.django_db


def _feed_of(client, user) -> Calendar:
    token = services.calendar_feed_get_or_create(user=user, by=user).token
    response = client.get(reverse("meetings:ical", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_it_serves_the_invitees_meetings_with_stable_uids_and_the_shanghai_zone(world, client, settings):
    settings.PORTAL_BASE_URL = "https://renda.example.gov.cn"
    deputy = deputy_with_account(world.township)
    meeting = MeetingFactory(township=world.township, title="主席团第四季度会议")
    InvitationFactory(meeting=meeting, deputy=deputy, user=deputy.user, name=deputy.name)
    MeetingFactory(township=world.township, title="未受邀的会议")
    calendar = _feed_of(client, deputy.user)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["主席团第四季度会议"]
    event = events[0]
    assert str(event["UID"]) == f"meeting-{meeting.pk}@renda.example.gov.cn"
    assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    start = event.decoded("DTSTART")
    assert start == meeting.starts_at and start.tzinfo.key == "Asia/Shanghai"
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Asia/Shanghai"]
    assert zones[0].walk("STANDARD")[0].decoded("TZOFFSETTO") == dt.timedelta(hours=8)
    assert start.astimezone(zoneinfo.ZoneInfo("UTC")) == meeting.starts_at


def test_it_keeps_the_uid_raises_the_sequence_and_marks_a_cancelled_meeting(world, client):
    staff = world.user(Role.PRESIDIUM_STAFF)
    meeting = MeetingFactory(township=world.township)
    uid = str(_feed_of(client, staff).walk("VEVENT")[0]["UID"])
    services.meeting_update(meeting=meeting, by=staff, place="东风村村委会")
    services.meeting_cancel(meeting=meeting, reason="改期另行通知", by=staff)
    event = _feed_of(client, staff).walk("VEVENT")[0]
    assert str(event["UID"]) == uid
    assert int(event["SEQUENCE"]) == 2 and str(event["STATUS"]) == "CANCELLED"
    assert str(event["LOCATION"]) == "东风村村委会"


def test_it_answers_a_wrong_token_with_404_and_a_renewed_one_ends_the_old_address(world, client):
    staff = world.user(Role.PRESIDIUM_STAFF)
    assert client.get(reverse("meetings:ical", args=["not-a-token"])).status_code == 404
    old = services.calendar_feed_get_or_create(user=staff, by=staff).token
    client.force_login(staff)
    assert client.post(reverse("meetings:feed_renew")).status_code == 302
    new = CalendarFeed.objects.get(user=staff).token
    assert new != old
    client.logout()
    assert client.get(reverse("meetings:ical", args=[old])).status_code == 404
    assert client.get(reverse("meetings:ical", args=[new])).status_code == 200
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    assert client.get(reverse("meetings:ical", args=[new])).status_code == 404


def test_it_reads_the_feed_in_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    staff = world.user(Role.PRESIDIUM_STAFF)
    token = services.calendar_feed_get_or_create(user=staff, by=staff).token
    for _i in range(2):
        MeetingFactory(township=world.township)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("meetings:ical", args=[token]))
    for _i in range(20):
        MeetingFactory(township=world.township)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(Calendar.from_ical(client.get(reverse("meetings:ical", args=[token])).content)
                   .walk("VEVENT")) == 22
