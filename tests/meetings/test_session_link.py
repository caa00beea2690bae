"""Suggestions raised during a session point at the session's meeting record; typed names are matched, never lost."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from presidium.choices import Role
from presidium.meetings import services
from proposals.models import Suggestion
from tests.factories import MeetingFactory, proposals_suggestion

pytestmark = pytest.mark.django_db

FIFTH = "第十八届人民代表大会第五次会议"


def session(world, number, **kwargs):
    return MeetingFactory(township=world.township, kind="congress_session", session_number=number,
                          title=f"甲镇第十八届人民代表大会第{'一二三四五六'[number - 1]}次会议", **kwargs)


def _typed(world, name):
    """A suggestion whose session name was typed before the link existed (as rows from before the migration)."""
    suggestion = proposals_suggestion(world.township, raised_during="session", session_name=name)
    Suggestion.objects.filter(pk=suggestion.pk).update(session=None, session_name=name)
    return suggestion


def test_the_data_migration_links_names_it_can_match_and_keeps_the_rest_as_text(world):
    fifth, fourth = session(world, 5), session(world, 4)
    by_title = _typed(world, FIFTH)
    by_numbers = _typed(world, "十八届人大四次会议（第4次）")
    by_numbers_plain = _typed(world, "第18届人代会第4次会议")
    unknown = _typed(world, "县人大常委会座谈会")
    other_township = proposals_suggestion(world.other_township, raised_during="session", session_name=FIFTH)
    migration = importlib.import_module("proposals.migrations.0005_suggestion_session_link")
    migration.link_sessions(apps, None)
    linked = dict(Suggestion.objects.values_list("pk", "session_id"))
    assert linked[by_title.pk] == fifth.pk
    assert linked[by_numbers.pk] == fourth.pk and linked[by_numbers_plain.pk] == fourth.pk
    assert linked[unknown.pk] is None and linked[other_township.pk] is None
    assert Suggestion.objects.get(pk=unknown.pk).session_name == "县人大常委会座谈会"
    assert Suggestion.objects.get(pk=by_numbers.pk).session_name == "十八届人大四次会议（第4次）"


def test_a_new_suggestion_finds_its_session_or_takes_its_title(world):
    fifth = session(world, 5)
    typed = proposals_suggestion(world.township, raised_during="session", session_name=FIFTH)
    assert typed.session == fifth and typed.session_name == FIFTH
    chosen = proposals_suggestion(world.township, raised_during="session", session=fifth)
    assert chosen.session_name == fifth.title
    in_recess = proposals_suggestion(world.township, raised_during="recess", session=fifth)
    assert in_recess.session is None and in_recess.session_name == ""


def test_scheduling_a_session_later_links_the_suggestions_that_named_it(world):
    early = proposals_suggestion(world.township, raised_during="session", session_name="第十八届人民代表大会第二次会议")
    assert early.session is None
    start = timezone.now() + dt.timedelta(days=3)
    meeting = services.meeting_schedule(township=world.township, kind="congress_session", session_number=2,
                                        starts_at=start, ends_at=start + dt.timedelta(hours=4), place="镇大礼堂",
                                        by=world.user(Role.PRESIDIUM_STAFF))
    early.refresh_from_db()
    assert early.session == meeting


def test_the_suggestion_page_links_to_the_session_and_the_form_offers_the_sessions(world, login):
    fifth = session(world, 5)
    suggestion = proposals_suggestion(world.township, raised_during="session", session=fifth, status_to="submitted")
    client = login(world.user(Role.PRESIDIUM_STAFF))
    page = client.get(suggestion.get_absolute_url()).content.decode()
    assert reverse("meetings:meeting_detail", args=[fifth.pk]) in page
    form = client.get(reverse("proposals:create")).content.decode()
    assert f'<option value="{fifth.pk}">{fifth.title}</option>' in form
