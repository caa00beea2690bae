"""The meeting page reads its meeting once (visible and with what the page shows, in one query) and keeps its
number of queries as the invitations grow; a meeting the user may not see is still a 404."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from presidium.choices import Role
from tests.factories import InvitationFactory, meeting_with_members

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.PRESIDIUM_STAFF, Role.COUNTY_ADMIN])
def test_the_meeting_page_reads_its_meeting_once_whatever_the_invitations(world, login, role):
    meeting = meeting_with_members(world.township, members=2)
    client = login(world.user(role))
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    assert len([q for q in few if q["sql"].startswith('SELECT "meetings_meeting"."id"')]) == 1
    assert len(few) <= 20
    for _i in range(12):
        InvitationFactory(meeting=meeting)
    InvitationFactory(meeting=meeting, role="attendee", counts_for_quorum=False)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["invitations"]) == 15
    assert len(many) == len(few)


def test_a_meeting_outside_the_users_townships_is_still_not_found(world, login):
    meeting = meeting_with_members(world.other_township, members=1)
    client = login(world.user(Role.PRESIDIUM_STAFF))
    assert client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 404
    county = login(world.user(Role.COUNTY_ADMIN))
    assert county.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 200
