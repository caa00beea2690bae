"""Timelines and notifications are records: written in Chinese even when the clerk who acted browses in English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from presidium.notifications.models import Notification
from proposals.models import SuggestionLog
from tests.factories import proposals_suggestion

pytestmark = pytest.mark.django_db
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def test_it_writes_every_timeline_line_and_notification_of_the_whole_loop_in_chinese(world, deputy, staff):
    with translation.override("en"):
        item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="closed", unit=world.unit)
    titles = list(SuggestionLog.objects.filter(suggestion=item).values_list("title", "note"))
    assert len(titles) >= 7
    english = [text for pair in titles for text in pair if LATIN_WORD.search(text)]
    assert not english, english
    notes = list(Notification.objects.values_list("title", "body"))
    assert notes
    english = [text for pair in notes for text in pair if LATIN_WORD.search(text)]
    assert not english, english
    assert any("交办给" in title for title, _note in titles)


def test_it_still_answers_an_english_speaking_clerk_in_english_when_the_input_is_wrong(world, staff):
    from django.core.exceptions import ValidationError

    from proposals import services

    item = proposals_suggestion(world.township, status_to="registered")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.suggestion_assign(suggestion=item, by=staff, lead_unit=world.foreign_unit, supervision_mode="routine")
    assert "is not an active handling unit of this township" in str(error.value)


def test_it_writes_hand_back_reassignment_and_extension_records_in_chinese(world, deputy, staff, liaison):
    from proposals import services
    from proposals.models import Extension
    from tests.factories import HandlingUnitFactory

    water = HandlingUnitFactory(township=world.township, name="水利站")
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    with translation.override("en"):
        item = services.suggestion_assign(suggestion=item, by=staff, lead_unit=world.unit, supervision_mode="routine",
                                          deadline_choice="working_days", working_days=20)
        request = services.suggestion_hand_back_request(suggestion=item, by=liaison, reason="属于水利站职责",
                                                        suggested_unit=water)
        services.suggestion_hand_back_decide(request=request, by=staff, approve=False, note="请先办理")
        extension = services.extension_request(suggestion=item, by=liaison,
                                               requested_deadline=item.deadline + dt.timedelta(days=30),
                                               reason="需协调", measures="先勘察")
        services.suggestion_reassign(suggestion=item, by=staff, lead_unit=water, note="交办错误")
    texts = [*SuggestionLog.objects.filter(suggestion=item).values_list("title", flat=True),
             *Notification.objects.values_list("title", flat=True),
             *Extension.objects.filter(pk=extension.pk).values_list("decision_note", flat=True)]
    english = [text for text in texts if LATIN_WORD.search(text)]
    assert not english, english
    assert any("申请退办（建议改交 水利站）" in text for text in texts)
    assert any("改交 水利站" in text for text in texts)
