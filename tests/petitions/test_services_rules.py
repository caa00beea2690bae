"""The rules the petitions services hold: bad input refused in Chinese with nothing written, who may act,
limits on transfers, answers, reviews, reopening, and who is told."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from petitions import services
from petitions.choices import ClockKind, ClockState, PetitionStatus
from petitions.models import Petition, PetitionClock, PetitionDataAccess, PetitionSequence, PetitionTransfer
from petitions.services import Representative
from presidium.notifications.models import Notification
from tests.factories import (
    HandlingUnitFactory,
    UserFactory,
    deputy_with_account,
    petition_at,
    petition_registered,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    return world.user("presidium_staff")


def nothing_written():
    return not Petition.objects.exists() and not PetitionSequence.objects.filter(last_number__gt=0).exists()


@pytest.mark.parametrize(("kwargs", "field", "words"), [
    ({"id_number": "330102198101100003"}, "id_number", "校验位"),
    ({"id_number": "12345"}, "id_number", "18 位"),
    ({"people_count": 3, "is_collective": True}, "people_count", "5 人以上"),
    ({"people_count": 8, "representatives": [Representative(f"代表{i}") for i in range(6)]}, "representatives",
     "不超过 5 人"),
    ({"people_count": 2, "representatives": [Representative("王五")]}, "representatives", "集体访"),
    ({"name": ""}, "name", "匿名"),
    ({"subject": "  "}, "subject", "信访事项"),
    ({"mobile": "12"}, "mobile", "联系电话"),
    ({"channel": "referred"}, "referral_body", "转办机关"),
    ({"channel": "deputy"}, "raised_by_deputy", "代言"),
    ({"received_on": dt.date(2099, 1, 1)}, "received_on", "晚于今天"),
    ({"channel": "fax"}, "channel", "渠道"),
    ({"urgency": "asap"}, "urgency", "紧急程度"),
])
def test_it_refuses_bad_registrations_in_chinese_and_writes_nothing(world, staff, kwargs, field, words):
    with pytest.raises(ValidationError) as raised:
        petition_registered(world.township, by=staff, **kwargs)
    assert words in " ".join(raised.value.message_dict[field])
    assert nothing_written()


def test_it_registers_a_collective_visit_with_its_representatives(world, staff):
    petition = petition_registered(world.township, by=staff, people_count=12,
                                   representatives=[Representative("王五", "139 0000 1111"), Representative("赵六")])
    assert petition.is_collective and petition.person_visits == 12
    assert [(r.position, r.name, r.mobile) for r in petition.representatives.all()] == [
        (1, "王五", "13900001111"), (2, "赵六", "")]


def test_it_keeps_no_name_for_an_anonymous_petition(world, staff):
    petition = petition_registered(world.township, by=staff, anonymous=True, name="张三")
    assert petition.anonymous and petition.name == ""


def test_it_numbers_registrations_per_township_and_year_and_gives_each_a_query_code(world, staff):
    first = petition_registered(world.township, by=staff)
    second = petition_registered(world.township, by=staff)
    other = petition_registered(world.other_township, by=world.other_staff)
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert first.registration_number == f"〔{first.year}〕第1号"
    assert len(first.query_code) == 10 and first.query_code != second.query_code
    from petitions.access import query_code_digest

    assert Petition.objects.get(query_code_digest=query_code_digest(first.query_code.lower())).pk == first.pk


@pytest.mark.parametrize("role", ["county_admin", "county_reviewer", "deputy", "unit_liaison"])
def test_it_lets_only_township_staff_register(world, role):
    with pytest.raises(PermissionDenied):
        petition_registered(world.township, by=world.user(role))
    with pytest.raises(PermissionDenied):
        petition_registered(world.township, by=world.other_staff)
    assert nothing_written()


def test_it_takes_an_online_petition_without_an_account_and_tells_the_staff(world, staff):
    with pytest.raises(PermissionDenied):
        petition_registered(world.township, by=None, channel="visit")
    petition = petition_registered(world.township, by=None, channel="online", received_on=None)
    assert petition.created_by is None and petition.channel == "online"
    told = Notification.objects.get(recipient=staff, kind="petitions.online")
    assert petition.registration_number in told.title and "张" not in told.title


def test_it_answers_on_the_spot_at_registration_without_a_clock(world, staff):
    petition = petition_registered(world.township, by=staff, on_spot_answer="当场解释了土地政策。")
    assert petition.status == PetitionStatus.ANSWERED_ON_SPOT
    assert not petition.clocks.exists()


def test_it_refuses_a_step_the_status_does_not_allow_with_the_reason_not_a_403(world, staff):
    petition = petition_at("registered", world.township, by=staff)
    with pytest.raises(ValidationError, match="须先"):
        services.petition_close(petition=petition, by=staff)
    with pytest.raises(ValidationError, match="受理"):
        services.petition_transfer(petition=petition, by=staff, unit=world.unit, owner_name="李站长")


def test_it_refuses_other_townships_and_other_roles_to_handle(world, staff):
    petition = petition_at("registered", world.township, by=staff)
    for user in (world.other_staff, world.user("deputy"), world.user("unit_liaison"), world.user("county_admin")):
        with pytest.raises(PermissionDenied):
            services.petition_accept(petition=petition, by=user)
    services.petition_accept(petition=petition, by=world.user("presidium_chair"))


def test_it_keeps_a_transfer_within_the_completion_limit_and_the_township(world, staff):
    petition = petition_at("accepted", world.township, by=staff)
    limit = PetitionClock.objects.get(petition=petition, kind=ClockKind.COMPLETION).due_on
    with pytest.raises(ValidationError) as raised:
        services.petition_transfer(petition=petition, by=staff, unit=world.unit, owner_name="李站长",
                                   due_on=limit + dt.timedelta(days=1), on=dt.date(2026, 10, 1))
    assert "法定办理期限" in raised.value.message_dict["due_on"][0]
    with pytest.raises(ValidationError) as raised:
        services.petition_transfer(petition=petition, by=staff, unit=world.other_unit, owner_name="李站长")
    assert "unit" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        services.petition_transfer(petition=petition, by=staff, unit=world.unit, owner_name="")
    assert "owner_name" in raised.value.message_dict
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.ACCEPTED
    transfer = services.petition_transfer(petition=petition, by=staff, unit=world.unit, owner_name="李站长",
                                          on=dt.date(2026, 10, 1))
    assert transfer.due_on == limit


def test_it_gives_the_unit_the_day_of_transfer_when_the_limit_has_passed(world, staff):
    petition = petition_at("accepted", world.township, by=staff)  # completion due 2026-11-29
    transfer = services.petition_transfer(petition=petition, by=staff, unit=world.unit, owner_name="李站长",
                                          on=dt.date(2026, 12, 1))
    assert transfer.due_on == dt.date(2026, 12, 1)


def test_it_tells_the_unit_and_lets_only_its_liaison_reply(world, staff):
    liaison = world.user("unit_liaison")
    other_liaison = user_with_role("unit_liaison", world.other_unit)
    petition = petition_at("transferred", world.township, by=staff, unit=world.unit)
    assert Notification.objects.filter(recipient=liaison, kind="petitions.transferred").exists()
    with pytest.raises(PermissionDenied):
        services.petition_unit_reply(petition=petition, by=other_liaison, reply="已办。")
    with pytest.raises(ValidationError) as raised:
        services.petition_unit_reply(petition=petition, by=liaison, reply=" ")
    assert "reply" in raised.value.message_dict
    transfer = services.petition_unit_reply(petition=petition, by=liaison, reply="已调处。", reply_public="已调处。")
    assert transfer.replied_by == liaison and not transfer.is_open
    assert Notification.objects.filter(recipient=staff, kind="petitions.unit_replied").exists()
    with pytest.raises(ValidationError, match="没有等待回复"):
        services.petition_unit_reply(petition=petition, by=liaison, reply="再次回复。")


def test_it_answers_a_transferred_case_only_after_the_unit_replied(world, staff):
    petition = petition_at("transferred", world.township, by=staff, unit=world.unit)
    with pytest.raises(ValidationError, match="还没有回复"):
        services.petition_reply(petition=petition, by=staff, findings="true", request_reasonable=True,
                                resolution="solved", text="答复。", public_text="答复。")
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.TRANSFERRED


def test_it_requires_the_outcome_and_a_public_version_of_the_answer(world, staff):
    petition = petition_at("accepted", world.township, by=staff)
    with pytest.raises(ValidationError) as raised:
        services.petition_reply(petition=petition, by=staff, findings="", request_reasonable=None, resolution="",
                                text="答复。", public_text="")
    assert {"findings", "resolution", "public_text"} <= set(raised.value.message_dict)


def test_it_records_the_outcome_apart_from_the_status(world, staff):
    petition = Petition.objects.get(pk=petition_at("closed", world.township, by=staff).pk)
    assert petition.status == PetitionStatus.CLOSED and petition.closed_at
    assert (petition.findings, petition.request_reasonable, petition.resolution) == ("true", True, "solved")
    answer = petition.notices.get(kind="answer")
    assert answer.public_body.endswith("经调查属实，已调处。") and "30 日内" in answer.public_body
    assert petition.current_unit is None


def test_it_withdraws_the_open_transfer_when_the_case_goes_to_another_unit(world, staff):
    petition = petition_at("transferred", world.township, by=staff, unit=world.unit)
    other = HandlingUnitFactory(township=world.township, name="国土所")
    services.petition_transfer(petition=petition, by=staff, unit=other, owner_name="赵所长", on=dt.date(2026, 10, 8))
    transfers = list(PetitionTransfer.objects.filter(petition=petition).order_by("pk"))
    assert transfers[0].cancelled_at and transfers[1].is_open and transfers[1].unit == other
    assert Petition.objects.get(pk=petition.pk).current_unit == other


def test_it_lets_the_petitioner_ask_for_a_review_with_the_query_code(world, staff):
    petition = petition_at("replied", world.township, by=staff)
    code = Petition.objects.get(pk=petition.pk).query_code
    with pytest.raises(PermissionDenied):
        services.petition_review_request(petition=petition, by=None, query_code="WRONGCODE1", reason="不服。",
                                         requested_on=dt.date(2026, 11, 1))
    review = services.petition_review_request(petition=petition, by=None, query_code=code.lower(), reason="不服。",
                                              requested_on=dt.date(2026, 11, 1))
    assert review.request_channel == "online" and review.requested_by is None
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.REVIEW_REQUESTED
    review_clock = PetitionClock.objects.get(petition=petition, kind=ClockKind.REVIEW)
    assert (review_clock.started_on, review_clock.due_on) == (dt.date(2026, 11, 1), dt.date(2026, 12, 1))


def test_it_refuses_a_review_outside_its_window_and_says_when_it_ended(world, staff):
    petition = petition_at("replied", world.township, by=staff)  # answered 2026-10-25: window ends 11-24
    with pytest.raises(ValidationError, match="2026-11-24"):
        services.petition_review_request(petition=petition, by=staff, reason="不服。", requested_on=dt.date(2026, 11, 30))
    on_spot = petition_at("answered_on_spot", world.township, by=staff)
    assert "不适用复查" in services.review_request_refusal(on_spot)


def test_it_reopens_a_closed_case_after_a_dissatisfied_return_visit(world, staff):
    petition = petition_at("closed", world.township, by=staff, unit=world.unit)
    with pytest.raises(ValidationError):
        services.petition_return_visit(petition=petition, by=staff, result="satisfied", reopen=True,
                                       unit=world.unit, owner_name="李站长")
    visit = services.petition_return_visit(petition=petition, by=staff, result="unsatisfied", reopen=True,
                                           unit=world.unit, owner_name="李站长", visited_on=dt.date(2026, 11, 2),
                                           note="认为调处不公。")
    petition = Petition.objects.get(pk=petition.pk)
    assert visit.reopened and petition.status == PetitionStatus.TRANSFERRED and petition.feedback == "unsatisfied"
    assert petition.closed_at is None and petition.current_unit == world.unit
    assert PetitionClock.objects.get(petition=petition, kind=ClockKind.COMPLETION, round=2).due_on == dt.date(2027, 1, 1)
    assert PetitionClock.objects.get(petition=petition, kind=ClockKind.REVIEW_REQUEST).state == ClockState.VOID
    assert petition.events.filter(title__contains="回访不满意").exists()


def test_it_records_a_satisfied_return_visit_without_reopening(world, staff):
    petition = petition_at("replied", world.township, by=staff)
    services.petition_return_visit(petition=petition, by=staff, result="satisfied")
    assert Petition.objects.get(pk=petition.pk).feedback == "satisfied"
    with pytest.raises(ValidationError, match="答复之后"):
        services.petition_return_visit(petition=petition_at("accepted", world.township, by=staff), by=staff,
                                       result="satisfied")


def test_it_tells_the_lead_leader_of_every_step(world, staff):
    leader = UserFactory(real_name="包案领导")
    petition = petition_at("registered", world.township, by=staff)
    services.petition_lead_leader_set(petition=petition, by=staff, leader=leader)
    assert Notification.objects.filter(recipient=leader, kind="petitions.lead_leader").count() == 1
    services.petition_accept(petition=petition, by=staff, on=dt.date(2026, 9, 30))
    services.petition_transfer(petition=petition, by=staff, unit=world.unit, owner_name="李站长",
                               on=dt.date(2026, 10, 1))
    steps = list(Notification.objects.filter(recipient=leader, kind="petitions.step").values_list("title", flat=True))
    assert any("受理" in t for t in steps) and any("转办" in t for t in steps)
    assert all("张建国" not in t for t in steps)


def test_it_needs_a_named_leader_for_key_supervision(world, staff):
    petition = petition_at("accepted", world.township, by=staff)
    with pytest.raises(ValidationError):
        services.petition_key_supervision_set(petition=petition, by=staff, on=True)
    services.petition_key_supervision_set(petition=petition, by=staff, on=True, leader="李书记")
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.key_supervision and petition.supervising_leader == "李书记"


def test_it_records_the_result_reported_upward_for_referred_cases_only(world, staff):
    referred = petition_at("replied", world.township, by=staff, channel="referred", referral_body="县信访局",
                           referral_number="县信转〔2026〕8号")
    services.petition_referral_result_report(petition=referred, by=staff, report="已调处并答复信访人。")
    assert Petition.objects.get(pk=referred.pk).result_reported_on
    with pytest.raises(ValidationError, match="上级转办"):
        services.petition_referral_result_report(petition=petition_at("replied", world.township, by=staff), by=staff,
                                                 report="结果。")


def test_it_registers_a_petition_raised_by_a_deputy(world, staff):
    deputy = deputy_with_account(world.township)
    petition = petition_registered(world.township, by=staff, channel="deputy", raised_by_deputy=deputy)
    assert petition.raised_by_deputy == deputy


def test_it_corrects_a_registration_only_before_acceptance(world, staff):
    petition = petition_at("registered", world.township, by=staff)
    services.petition_update(petition=petition, by=staff, mobile="13900002222", subject="宅基地纠纷（更正）")
    petition = Petition.objects.get(pk=petition.pk)
    from petitions.access import mobile_digest

    assert petition.mobile_digest == mobile_digest("139-0000-2222") and petition.subject.endswith("（更正）")
    services.petition_accept(petition=petition, by=staff, on=dt.date(2026, 9, 30))
    with pytest.raises(ValidationError, match="已登记"):
        services.petition_update(petition=petition, by=staff, subject="再改")


def test_it_links_a_repeat_within_the_township(world, staff):
    first = petition_at("closed", world.township, by=staff)
    second = petition_at("registered", world.township, by=staff)
    services.petition_link_repeat(petition=second, other=first, by=staff)
    second = Petition.objects.get(pk=second.pk)
    assert second.repeat_of == first and first in second.related.all() and second in first.related.all()
    with pytest.raises(ValidationError):
        services.petition_link_repeat(petition=second, other=second, by=staff)
    other_township = petition_at("registered", world.other_township, by=world.other_staff)
    with pytest.raises(ValidationError):
        services.petition_link_repeat(petition=second, other=other_township, by=staff)


def test_it_logs_unmasked_views_per_township_in_one_insert(world, staff, django_assert_num_queries):
    with django_assert_num_queries(1):
        entries = services.petition_data_access_record_many(
            user=staff, purpose="export", fields="mobile,id_number,address",
            rows_per_township={world.township.pk: 12, world.other_township.pk: 0})
    assert len(entries) == 1 and PetitionDataAccess.objects.get().row_count == 12
