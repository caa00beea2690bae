"""信访查询: number + query code open the case (step, deadlines, public notices, answer), never personal data;
wrong answers are rate-limited and never say whether the number exists; 申请复查 within its window."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from petitions.choices import NoticeKind, PetitionStatus
from petitions.models import Petition, PetitionReview
from petitions.public import throttle
from tests.petitions.public_flow import PERSON, answered, notice_of, registered, transferred

LOOKUP = reverse("petitions_public:lookup")
CASE = reverse("petitions_public:case")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _open(client, petition, code=None, **extra):
    return client.post(LOOKUP, {"number": petition.registration_number, "code": code or petition.query_code}, **extra)


def _personal(petition) -> list[str]:
    return [PERSON["name"], PERSON["mobile"], PERSON["id_number"], PERSON["address"], "李站长"]


def test_it_opens_the_case_with_the_number_and_code_and_shows_no_personal_data(world, client):
    petition, _transfer, answer = answered(world)
    response = _open(client, petition)
    assert response.status_code == 302 and response["Location"] == CASE
    html = client.get(CASE).content.decode()
    assert petition.registration_number in html and "已书面答复" in html
    assert "村道已于本月修缮完毕" in html  # the answer's public version
    assert answer.reference in html and "信访事项受理告知书" in html and "信访事项答复意见书" in html
    assert "信访事项转办单" not in html  # the unit's form is not the petitioner's
    for value in _personal(petition):
        assert value not in html, value
    assert "王建国本人确认" not in html  # the unit's internal reply


def test_it_accepts_the_number_as_people_type_it(world, client):
    petition = registered(world.township)
    for typed in (f"{petition.year}-{petition.number}", f"{petition.year}年第{petition.number}号",
                  f"（{petition.year}）{petition.number}"):
        client.post(reverse("petitions_public:leave"))
        response = client.post(LOOKUP, {"number": typed, "code": petition.query_code.lower()})
        assert response["Location"] == CASE, typed


def test_it_shows_each_running_clock_with_its_due_date(world, client):
    petition, _transfer = transferred(world)
    _open(client, petition)
    html = client.get(CASE).content.decode()
    completion = petition.clocks.get(kind="completion")
    assert "办理期限" in html and f"{completion.due_on:%Y-%m-%d}" in html


def test_it_answers_a_wrong_code_and_an_unknown_number_alike(world, client):
    petition = registered(world.township)
    wrong_code = _open(client, petition, code="ZZZZZZZZZZ").content.decode()
    unknown = client.post(LOOKUP, {"number": f"{petition.year}-9999", "code": petition.query_code}).content.decode()
    message = "登记号或查询码不正确"
    assert message in wrong_code and message in unknown
    strip = lambda html: html.split('data-testid="lookup-refusal">')[1].split("<")[0]  # noqa: E731
    assert strip(wrong_code) == strip(unknown)
    assert client.get(CASE).status_code == 302


def test_it_stops_guessing_codes_for_one_number(world, client):
    petition = registered(world.township)
    for n in range(throttle.LOOKUP_PER_NUMBER.max_hits):
        _open(client, petition, code=f"WRONG{n:05d}", REMOTE_ADDR=f"10.1.0.{n + 1}")
    response = _open(client, petition, REMOTE_ADDR="10.1.1.1")  # even the right code waits now
    assert response.status_code == 429 and "查询次数太多" in response.content.decode()


def test_it_stops_one_address_guessing_across_numbers(world, client):
    petition = registered(world.township)
    for n in range(throttle.LOOKUP_PER_ADDRESS.max_hits):
        client.post(LOOKUP, {"number": f"2026-{100 + n}", "code": "ABCDEFGHJK"})
    assert _open(client, petition).status_code == 429
    assert _open(client, petition, REMOTE_ADDR="10.2.2.2").status_code == 302


def test_it_does_not_count_successful_look_ups(world, client):
    petition = registered(world.township)
    for _ in range(throttle.LOOKUP_PER_NUMBER.max_hits + 2):
        assert _open(client, petition).status_code == 302


def test_it_sends_a_visitor_without_a_look_up_to_the_form(world, client):
    assert client.get(CASE)["Location"] == LOOKUP


def test_it_forgets_the_case_when_the_petitioner_leaves(world, client):
    petition = registered(world.township)
    _open(client, petition)
    client.post(reverse("petitions_public:leave"))
    assert client.get(CASE).status_code == 302


def test_it_reads_the_case_page_in_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    petition, _transfer, _answer = answered(world)
    _open(client, petition)
    with django_assert_max_num_queries(8):
        assert client.get(CASE).status_code == 200


# --- 申请复查 ---------------------------------------------------------------------------------------------


def test_it_takes_a_review_request_within_the_window(world, client):
    petition, _transfer, _answer = answered(world)
    _open(client, petition)
    html = client.get(CASE).content.decode()
    assert 'data-testid="review-form"' in html
    response = client.post(reverse("petitions_public:review_request"),
                           {"reason": "修缮质量差，一个月又坏了。", "code": petition.query_code.lower()})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.REVIEW_REQUESTED
    review = PetitionReview.objects.get(petition=petition)
    assert review.requested_by is None and review.reason == "修缮质量差，一个月又坏了。"
    assert "已申请复查" in client.get(CASE).content.decode()


def test_it_explains_why_a_review_cannot_be_asked_before_the_answer(world, client):
    petition, _transfer = transferred(world)
    _open(client, petition)
    html = client.get(CASE).content.decode()
    assert 'data-testid="review-form"' not in html and "还没有作出书面答复" in html
    client.post(reverse("petitions_public:review_request"), {"reason": "不服", "code": petition.query_code})
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.TRANSFERRED


def test_it_explains_that_the_window_has_passed(world, client, time_machine):
    petition, _transfer, answer = answered(world)
    clock = petition.clocks.get(kind="review_request")
    time_machine.move_to(dt.datetime.combine(clock.due_on + dt.timedelta(days=2), dt.time(10), tzinfo=SHANGHAI), tick=False)
    _open(client, petition)
    html = client.get(CASE).content.decode()
    assert "届满" in html and f"{clock.due_on:%Y-%m-%d}" in html and 'data-testid="review-form"' not in html
    client.post(reverse("petitions_public:review_request"), {"reason": "不服", "code": petition.query_code})
    assert not PetitionReview.objects.exists()
    assert notice_of(petition, NoticeKind.ANSWER) == answer


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_asks_for_a_reason_and_keeps_the_case_as_it_was(world, client, reason):
    petition, _transfer, _answer = answered(world)
    _open(client, petition)
    response = client.post(reverse("petitions_public:review_request"), {"reason": reason, "code": petition.query_code})
    assert response.status_code == 200 and Petition.objects.get().status == PetitionStatus.REPLIED


def test_it_asks_for_the_query_code_again_before_a_review_request(world, client):
    petition, _transfer, _answer = answered(world)
    _open(client, petition)
    html = client.post(reverse("petitions_public:review_request"),
                       {"reason": "不服", "code": "WRONGCODE1"}).content.decode()
    assert "查询码不正确" in html and "不服" in html
    assert Petition.objects.get().status == PetitionStatus.REPLIED


def test_it_offers_a_re_review_after_the_review_and_shows_the_review_opinion(world, client):
    from petitions import services
    from presidium.choices import Role

    staff = world.user(Role.PRESIDIUM_STAFF)
    petition, _transfer, _answer = answered(world)
    services.petition_review_request(petition=petition, by=staff, reason="修缮质量差。")
    services.petition_review_decide(petition=petition, by=staff, decision="upheld", text="经复查，王建国所述不实。",
                                    public_text="经复查，维持原答复意见。")
    _open(client, petition)
    html = client.get(CASE).content.decode()
    assert "信访事项复查意见书" in html and "维持原答复意见" in html and "王建国所述不实" not in html
    assert "申请复核" in html and 'data-testid="review-form"' in html
    client.post(reverse("petitions_public:review_request"), {"reason": "仍不服。", "code": petition.query_code})
    assert Petition.objects.get().status == PetitionStatus.RE_REVIEW_REQUESTED
