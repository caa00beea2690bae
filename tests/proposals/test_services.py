"""The whole loop through the services, with the real roles: deputy, staff, liaison."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from presidium.notifications.models import Notification
from proposals import services
from proposals.choices import ResultClass, SuggestionKind, SuggestionStatus
from proposals.models import Rating, SuggestionLog
from tests.factories import DeputyFactory, proposals_deputy, proposals_suggestion

S = SuggestionStatus


def _draft(world, deputy, by, **extra):
    category = services.categories_ensure(township=world.township)[1]
    return services.suggestion_create(township=world.township, by=by, title="东风村饮水安全问题",
                                      content="夏季供水不足。", category=category, lead_deputy=deputy, **extra)


def test_it_runs_the_loop_from_idea_to_a_closed_item(world, deputy, staff, liaison):
    draft = _draft(world, None, world.user("deputy"))
    assert draft.lead_deputy == deputy and draft.entered_by == world.user("deputy")
    submitted = services.suggestion_submit(suggestion=draft, by=world.user("deputy"))
    assert submitted.status == S.SUBMITTED and submitted.submitted_at
    registered = services.suggestion_register(suggestion=submitted, by=staff)
    assert registered.serial == f"{timezone.localdate().year}-001"
    assigned = services.suggestion_assign(suggestion=registered, by=staff, lead_unit=world.unit,
                                          supervision_mode="follow_up")
    assert assigned.status == S.ASSIGNED and assigned.deadline > timezone.localdate()
    assert assigned.deadline_unit == "months" and assigned.deadline_amount == 3
    with pytest.raises(ValidationError, match="面商"):
        services.reply_submit(suggestion=assigned, by=liaison, text="答复", result_class="A")
    services.consultation_record(suggestion=assigned, by=liaison, stage="after_assignment", form="phone",
                                 held_on=timezone.localdate(), participants="代表、所长", summary="电话沟通")
    assigned.refresh_from_db()
    assert assigned.status == S.IN_HANDLING and assigned.first_consulted_at
    reply = services.reply_submit(suggestion=assigned, by=liaison, text="已安排维修。", result_class="A")
    assert reply.on_time and reply.round == 1
    assert Notification.objects.filter(recipient=world.user("deputy"), kind="proposals.replied").exists()
    rating = services.suggestion_rate(suggestion=reply.suggestion, by=world.user("deputy"), work_grade="basic",
                                      result_grade="unsatisfied", comment="水压仍然不够")
    item = rating.suggestion
    item.refresh_from_db()
    assert item.status == S.REHANDLING and item.round == 2 and item.satisfaction == "unsatisfied"
    with pytest.raises(ValidationError, match="面商"):
        services.reply_submit(suggestion=item, by=liaison, text="再答复", result_class="A")
    services.consultation_record(suggestion=item, by=liaison, stage="before_reply", form="on_site",
                                 held_on=timezone.localdate(), participants="代表", summary="现场查看")
    second = services.reply_submit(suggestion=item, by=liaison, text="已加装增压泵。", result_class="A")
    assert second.round == 2
    services.suggestion_rate(suggestion=second.suggestion, by=world.user("deputy"), work_grade="satisfied",
                             result_grade="satisfied")
    closed = services.suggestion_close(suggestion=second.suggestion, by=staff)
    assert closed.status == S.CLOSED and closed.closed_at
    events = list(SuggestionLog.objects.filter(suggestion=closed).values_list("event", flat=True))
    assert events[:3] == ["create", "submit", "register"] and events[-1] == "close"


def test_it_numbers_per_township_year_and_kind(world, staff, other_deputies):
    year = timezone.localdate().year
    first = proposals_suggestion(world.township, status_to="registered")
    second = proposals_suggestion(world.township, status_to="registered")
    other = proposals_suggestion(world.other_township, status_to="registered")
    motion = _draft(world, other_deputies[0], staff, kind=SuggestionKind.MOTION,
                    cosigners=other_deputies[1:5])
    services.suggestion_submit(suggestion=motion, by=staff)
    for cosignature in motion.cosignatures.all():
        services.cosignature_confirm(cosignature=cosignature, by=staff)
    motion = services.suggestion_register(suggestion=motion, by=staff)
    assert [first.serial, second.serial, other.serial] == [f"{year}-001", f"{year}-002", f"{year}-001"]
    assert motion.serial == f"议 {year}-001"


def test_it_says_clearly_when_fewer_than_five_deputies_sign_a_motion(world, staff, other_deputies):
    motion = _draft(world, other_deputies[0], staff, kind=SuggestionKind.MOTION, cosigners=other_deputies[1:3])
    with pytest.raises(ValidationError, match="五人以上联名，还差 2 名乡镇人大代表"):
        services.suggestion_submit(suggestion=motion, by=staff)
    services.suggestion_update(suggestion=motion, by=staff, cosigners=other_deputies[1:5])
    services.suggestion_submit(suggestion=motion, by=staff)
    with pytest.raises(ValidationError, match="乡镇人大代表只有 1 名（含领衔代表），还差 4 名"):
        services.suggestion_register(suggestion=motion, by=staff)


def _township_and_county_deputies(world, township_level: list[str]):
    """Deputies of township A at the given levels (township / county / both)."""
    return [DeputyFactory(township=world.township, level=level) for level in township_level]


def test_it_does_not_count_a_county_only_deputy_among_the_five_signers_of_a_motion(world, staff):
    """组织法: 乡镇人大代表五人以上联名 — 4 township deputies and 1 county-only deputy are not enough."""
    lead, *cosigners = _township_and_county_deputies(world, ["township"] * 4 + ["county"])
    motion = _draft(world, lead, staff, kind=SuggestionKind.MOTION, cosigners=cosigners)
    with pytest.raises(ValidationError) as refused:
        services.suggestion_submit(suggestion=motion, by=staff)
    assert refused.value.messages[0].startswith(
        "议案须由本镇人大代表五人以上联名，还差 1 名乡镇人大代表（县人大代表不计入）")
    motion.refresh_from_db()
    assert motion.status == S.DRAFT


def test_it_says_how_many_township_deputies_a_motion_still_needs(world, staff):
    lead, *cosigners = _township_and_county_deputies(world, ["township"] * 3 + ["county"] * 2)
    motion = _draft(world, lead, staff, kind=SuggestionKind.MOTION, cosigners=cosigners)
    with pytest.raises(ValidationError, match=r"还差 2 名乡镇人大代表（县人大代表不计入）"):
        services.suggestion_submit(suggestion=motion, by=staff)


def test_it_counts_a_deputy_of_both_levels_and_accepts_the_motion(world, staff):
    lead, *cosigners = _township_and_county_deputies(world, ["township"] * 4 + ["both"])
    motion = _draft(world, lead, staff, kind=SuggestionKind.MOTION, cosigners=cosigners)
    motion = services.suggestion_submit(suggestion=motion, by=staff)
    assert motion.status == S.SUBMITTED
    for cosignature in motion.cosignatures.all():
        services.cosignature_confirm(cosignature=cosignature, by=staff)
    assert services.suggestion_register(suggestion=motion, by=staff).status == S.REGISTERED


def test_it_registers_a_motion_only_when_five_township_deputies_have_confirmed(world, staff):
    lead, *cosigners = _township_and_county_deputies(world, ["township"] * 5 + ["county"])
    motion = services.suggestion_submit(suggestion=_draft(world, lead, staff, kind=SuggestionKind.MOTION,
                                                          cosigners=cosigners), by=staff)
    county_only = motion.cosignatures.get(deputy__level="county")
    services.cosignature_confirm(cosignature=county_only, by=staff)
    for cosignature in motion.cosignatures.exclude(pk=county_only.pk)[:3]:
        services.cosignature_confirm(cosignature=cosignature, by=staff)
    with pytest.raises(ValidationError, match="只有 4 名（含领衔代表），还差 1 名（县人大代表不计入）"):
        services.suggestion_register(suggestion=motion, by=staff)


def test_it_lets_the_presidium_put_a_motion_without_deputies(world, staff):
    motion = services.suggestion_create(township=world.township, by=staff, title="关于设立镇级民生实事项目的议案",
                                        content="……", kind=SuggestionKind.MOTION, submitter_kind="presidium",
                                        category=services.categories_ensure(township=world.township)[0])
    services.suggestion_submit(suggestion=motion, by=staff)
    motion = services.suggestion_register(suggestion=motion, by=staff)
    motion = services.suggestion_decide_agenda(suggestion=motion, by=staff, decision="placed")
    assert motion.status == S.ON_AGENDA
    assigned = services.suggestion_assign(suggestion=motion, by=staff, lead_unit=world.unit,
                                          supervision_mode="on_site", deadline_choice="hard")
    assert assigned.deadline_amount == 6


def test_it_turns_a_registered_motion_into_a_suggestion_keeping_the_old_number(world, staff, other_deputies):
    motion = _draft(world, other_deputies[0], staff, kind=SuggestionKind.MOTION, cosigners=other_deputies[1:5])
    services.suggestion_submit(suggestion=motion, by=staff)
    for cosignature in motion.cosignatures.all():
        services.cosignature_confirm(cosignature=cosignature, by=staff)
    motion = services.suggestion_register(suggestion=motion, by=staff)
    with pytest.raises(ValidationError, match="理由"):
        services.suggestion_decide_agenda(suggestion=motion, by=staff, decision="not_placed")
    converted = services.suggestion_decide_agenda(suggestion=motion, by=staff, decision="converted",
                                                  reason="不属于本级人大职权范围")
    assert converted.kind == SuggestionKind.SUGGESTION and converted.status == S.REGISTERED
    assert converted.former_serial.startswith("议 ") and not converted.serial.startswith("议")


def test_it_returns_with_a_reason_and_the_deputy_sees_it(world, deputy, staff):
    item = services.suggestion_submit(suggestion=_draft(world, deputy, staff), by=staff)
    with pytest.raises(ValidationError):
        services.suggestion_return(suggestion=item, by=staff, reason="  ")
    returned = services.suggestion_return(suggestion=item, by=staff, reason="请补充具体地点")
    assert returned.status == S.DRAFT and returned.returned_reason == "请补充具体地点"
    assert Notification.objects.filter(recipient=world.user("deputy"), kind="proposals.returned").exists()


def test_it_records_who_entered_an_item_on_a_deputys_behalf(world, deputy, staff):
    item = _draft(world, deputy, staff)
    assert item.entered_by == staff and item.lead_deputy == deputy
    assert item.log.first().title == "代领衔代表录入草稿"


def test_it_refuses_a_deputy_drafting_for_someone_else(world, deputy):
    someone = proposals_deputy(world.township)
    with pytest.raises(PermissionDenied):
        _draft(world, someone, world.user("deputy"))


def test_it_refuses_a_liaison_of_another_unit_and_staff_replying(world, deputy, staff, liaison):
    from tests.factories import HandlingUnitFactory

    elsewhere = HandlingUnitFactory(township=world.township, name="水利站")
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="in_handling", unit=elsewhere)
    with pytest.raises(PermissionDenied):
        services.reply_submit(suggestion=item, by=liaison, text="x", result_class="A")
    with pytest.raises(PermissionDenied):
        services.reply_submit(suggestion=item, by=staff, text="x", result_class="A")


def test_it_requires_a_promised_date_for_class_b_and_a_reason_for_class_c(world, deputy, liaison):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="in_handling", unit=world.unit)
    with pytest.raises(ValidationError) as error:
        services.reply_submit(suggestion=item, by=liaison, text="列入计划", result_class="B")
    assert "promised_date" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.reply_submit(suggestion=item, by=liaison, text="暂不能解决", result_class="C")
    assert "reason" in error.value.error_dict
    item.refresh_from_db()
    assert item.status == S.IN_HANDLING and not item.replies.exists()


def test_it_follows_a_class_b_promise_until_it_is_kept(world, deputy, liaison, staff):
    from presidium.notifications.reminders import reminders_for

    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="in_handling", unit=world.unit)
    promised = timezone.localdate() + dt.timedelta(days=40)
    reply = services.reply_submit(suggestion=item, by=liaison, text="列入明年计划", result_class=ResultClass.B,
                                  promised_date=promised)
    reminder = reminders_for(item).get(kind=f"promise_{reply.pk}")
    assert timezone.localdate(reminder.due_at) == promised and reminder.status == "scheduled"
    services.reply_promise_kept(reply=reply, by=liaison, kept_on=timezone.localdate(), note="已完成")
    reminder.refresh_from_db()
    assert reminder.status == "cancelled"


def test_it_approves_an_extension_and_moves_the_deadline(world, deputy, liaison, staff):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit)
    later = item.deadline + dt.timedelta(days=30)
    with pytest.raises(ValidationError):
        services.extension_request(suggestion=item, by=liaison, reason="", measures="", requested_deadline=later)
    extension = services.extension_request(suggestion=item, by=liaison, reason="资金下月到位", measures="先行设计",
                                           requested_deadline=later)
    with pytest.raises(ValidationError):
        services.extension_request(suggestion=item, by=liaison, reason="再延", measures="…",
                                   requested_deadline=later + dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.extension_decide(extension=extension, by=liaison, approve=True)
    services.extension_decide(extension=extension, by=staff, approve=True)
    item.refresh_from_db()
    assert item.deadline == later and item.deadline_amount is None and not item.deadline_provisional


def test_it_flags_a_unit_with_more_than_two_unaccepted_unsatisfied_results(world, liaison, staff):
    from proposals.selectors import flagged_units

    year = timezone.localdate().year
    ratings = []
    for _ in range(3):
        item = proposals_suggestion(world.township, status_to="replied", unit=world.unit)
        ratings.append(services.suggestion_rate(suggestion=item, by=staff, work_grade="unsatisfied",
                                                result_grade="unsatisfied", comment="没有解决"))
    assert flagged_units(township_ids=[world.township.pk], year=year) == {world.unit.pk: 3}
    services.rating_accept_reason(rating=ratings[0], by=staff, note="涉及上级政策，单位已尽力")
    assert flagged_units(township_ids=[world.township.pk], year=year) == {}
    assert Rating.objects.filter(reason_accepted=True).count() == 1


def test_it_sends_a_co_units_opinion_to_the_lead_unit_only(world, deputy, staff):
    from presidium.choices import Role
    from tests.factories import HandlingUnitFactory, user_with_role

    co = HandlingUnitFactory(township=world.township, name="村建站")
    co_liaison = user_with_role(Role.UNIT_LIAISON, co, username="co_liaison")
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    item = services.suggestion_assign(suggestion=item, by=staff, lead_unit=world.unit, co_units=[co],
                                      supervision_mode="routine")
    services.co_unit_opinion_submit(suggestion=item, by=co_liaison, unit=co, opinion="建议结合村道改造")
    to_lead = Notification.objects.filter(kind="proposals.co_opinion")
    assert list(to_lead.values_list("recipient", flat=True)) == [world.user("unit_liaison").pk]
    with pytest.raises(PermissionDenied):
        services.reply_submit(suggestion=item, by=co_liaison, text="x", result_class="A")


def test_it_keeps_a_re_elected_deputys_earlier_suggestions_theirs_after_the_change_of_term(world):
    """The account moves to the new term's row at the switch; the suggestions led in the old term stay the
    deputy's own: listed, and the reply still theirs to rate."""
    import datetime as dt

    import time_machine

    from deputies.models import Deputy
    from presidium.choices import Role
    from presidium.terms.services import term_carry_over, term_open_next, term_switch_current
    from proposals.access import relations
    from proposals.home import deputy_items
    from proposals.selectors import suggestions_visible_to
    staff, account = world.user(Role.PRESIDIUM_STAFF), world.user(Role.DEPUTY)
    Deputy.objects.filter(user=account).update(user=None)
    old_row = DeputyFactory(township=world.township, term=world.township.current_term(), user=account)
    item = proposals_suggestion(world.township, lead_deputy=old_row, status_to="replied", unit=world.unit)
    start = timezone.localdate() + dt.timedelta(days=1)
    new_term = term_open_next(township=world.township, by=staff, start_date=start)
    serving = Deputy.objects.filter(township=world.township, term=world.township.current_term(), status="serving")
    term_carry_over(term=new_term, by=staff, deputies=list(serving))
    with time_machine.travel(dt.datetime.combine(start, dt.time(10)), tick=False):
        term_switch_current(term=new_term, by=staff)
    old_row.refresh_from_db()
    assert old_row.user_id is None and Deputy.objects.get(previous=old_row).user_id == account.pk
    assert item in suggestions_visible_to(account) and item in deputy_items(account)
    assert Role.DEPUTY in relations(account, item)
