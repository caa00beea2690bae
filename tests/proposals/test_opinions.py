"""督办意见: the county sends one about an item or a unit, the township answers, the county acknowledges.

Rules: only the township's county sends and acknowledges; only the township's chair or staff answer;
every step tells the other side; bad input saves nothing; the lists are county-wide for the county and
the township's own for its presidium, in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from presidium.choices import Role
from presidium.notifications.models import Notification
from proposals import services
from proposals.choices import OpinionAction, OpinionStatus
from proposals.lifecycle import OPINION_TRANSITIONS, opinion_transition
from proposals.models import SuggestionLog, SupervisionOpinion
from tests.factories import HandlingUnitFactory, proposals_suggestion


@pytest.fixture
def reviewer(world):
    return world.user(Role.COUNTY_REVIEWER)


def _send(reviewer, *, unit=None, suggestion=None, title="关于财政所办理情况的督办意见"):
    return services.supervision_opinion_send(by=reviewer, unit=unit, suggestion=suggestion, title=title,
                                             content="三件建议逾期未答复，请督促办理并书面说明。",
                                             answer_by=timezone.localdate() + dt.timedelta(days=10))


@pytest.mark.parametrize("status", OpinionStatus.values)
@pytest.mark.parametrize("action", OpinionAction.values)
def test_it_allows_exactly_the_moves_of_the_table(status, action):
    allowed = OPINION_TRANSITIONS.get((status, action))
    if allowed is None:
        with pytest.raises(ValidationError):
            opinion_transition(status, action)
    else:
        assert opinion_transition(status, action).to == allowed.to


def test_it_walks_an_opinion_about_an_item_from_sent_to_closed(world, reviewer, staff, deputy):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit)
    opinion = _send(reviewer, suggestion=item, title="关于村道建议的督办意见")
    assert opinion.status == OpinionStatus.SENT and opinion.township == world.township
    told = set(Notification.objects.filter(kind="proposals.opinion_sent").values_list("recipient__username", flat=True))
    assert told == {"chair_a", "staff_a"}
    assert SuggestionLog.objects.filter(suggestion=item, event="county_opinion").exists()

    answered = services.supervision_opinion_answer(opinion=opinion, by=world.user(Role.PRESIDIUM_CHAIR),
                                                   answer="已召集财政所当面督办，本月底前答复代表。")
    assert answered.status == OpinionStatus.ANSWERED and answered.answered_by == world.user(Role.PRESIDIUM_CHAIR)
    assert Notification.objects.get(kind="proposals.opinion_answered").recipient == reviewer

    closed = services.supervision_opinion_close(opinion=answered, by=reviewer, note="答复可行，按期落实。")
    assert closed.status == OpinionStatus.CLOSED and closed.closed_at is not None
    assert set(Notification.objects.filter(kind="proposals.opinion_closed")
               .values_list("recipient__username", flat=True)) == {"chair_a", "staff_a"}
    with pytest.raises(ValidationError):
        services.supervision_opinion_answer(opinion=closed, by=staff, answer="再答复一次")


def test_it_lets_only_the_county_send_and_acknowledge_and_only_the_township_answer(world, reviewer, staff):
    with pytest.raises(PermissionDenied):
        _send(staff, unit=world.unit)
    with pytest.raises(PermissionDenied):  # another township's staff
        _send(world.other_staff, unit=world.unit)
    opinion = _send(reviewer, unit=world.unit)
    for outsider in (reviewer, world.other_staff, world.user(Role.DEPUTY)):
        with pytest.raises(PermissionDenied):
            services.supervision_opinion_answer(opinion=opinion, by=outsider, answer="……")
    services.supervision_opinion_answer(opinion=opinion, by=staff, answer="已督促。")
    with pytest.raises(PermissionDenied):
        services.supervision_opinion_close(opinion=opinion, by=staff)


def test_it_refuses_a_reviewer_of_another_county(world, reviewer):
    from tests.factories import user_with_role

    foreign_reviewer = user_with_role(Role.COUNTY_REVIEWER, world.foreign_county, username="foreign_reviewer")
    with pytest.raises(PermissionDenied):
        _send(foreign_reviewer, unit=world.unit)


def test_it_keeps_the_form_and_saves_nothing_on_bad_input(world, reviewer, login):
    client = login(reviewer)
    url = reverse("proposals:opinion_send_unit", args=[world.unit.pk])
    response = client.post(url, {"title": "督办意见", "content": "  ",
                                 "answer_by": (timezone.localdate() - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 200 and not SupervisionOpinion.objects.exists()
    page = response.content.decode()
    assert "请写明督办意见" in page or "这个字段是必填项" in page or "此字段为必填项" in page
    response = client.post(url, {"title": "督办意见", "content": "请督促",
                                 "answer_by": (timezone.localdate() - dt.timedelta(days=1)).isoformat()})
    assert "答复期限不能早于今天" in response.content.decode() and not SupervisionOpinion.objects.exists()


def test_it_sends_answers_and_closes_through_the_screens(world, reviewer, staff, login, client):
    response = login(reviewer).post(reverse("proposals:opinion_send_unit", args=[world.unit.pk]), {
        "title": "关于财政所的督办意见", "content": "请说明逾期原因。", "answer_by": ""})
    opinion = SupervisionOpinion.objects.get()
    assert response.status_code == 302 and response["Location"] == opinion.get_absolute_url()
    assert opinion.unit == world.unit and opinion.sent_by == reviewer

    client.force_login(staff)
    detail = client.get(opinion.get_absolute_url()).content.decode()
    assert 'data-testid="opinion-answer"' in detail
    response = client.post(reverse("proposals:opinion_answer", args=[opinion.pk]), {"answer": "已约谈所长。"})
    assert response.status_code == 302
    client.force_login(reviewer)
    response = client.post(reverse("proposals:opinion_close", args=[opinion.pk]), {"note": ""})
    opinion.refresh_from_db()
    assert response.status_code == 302 and opinion.status == OpinionStatus.CLOSED


def test_it_lists_the_county_wide_and_the_township_own(world, reviewer, staff, login):
    own = _send(reviewer, unit=world.unit, title="甲镇的督办意见")
    other = _send(reviewer, unit=world.other_unit, title="乙镇的督办意见")
    county = login(reviewer).get(reverse("proposals:opinion_list"))
    assert {o.pk for o in county.context["object_list"]} == {own.pk, other.pk}
    township = login(staff).get(reverse("proposals:opinion_list"))
    assert [o.pk for o in township.context["object_list"]] == [own.pk]
    assert login(world.other_staff).get(own.get_absolute_url()).status_code == 404


def test_it_lists_opinions_in_a_constant_number_of_queries(world, reviewer, deputy, login,
                                                           django_assert_max_num_queries):
    client = login(reviewer)

    def add(n):
        for i in range(n):
            if i % 2:
                _send(reviewer, unit=HandlingUnitFactory(township=world.other_township))
            else:
                item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit)
                _send(reviewer, suggestion=item)

    add(2)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("proposals:opinion_list"))
    add(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("proposals:opinion_list"))
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        response = client.get(reverse("proposals:opinion_list"), {"export": "xlsx"})
    assert response.status_code == 200
