"""Deductions computed from the portal's own records, each with its source; staff's own with a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from evaluations.models import Deduction
from evaluations.units import services
from presidium.choices import Role
from proposals import services as proposal_services
from proposals.models import Reply
from tests.factories import (
    PetitionFactory,
    PetitionTransferFactory,
    proposals_suggestion,
    unit_campaign,
)

pytestmark = pytest.mark.django_db


def _current_round(campaign):
    today = timezone.localdate()
    return campaign.rounds.get(period_start__lte=today, period_end__gte=today)


def test_it_deducts_for_upheld_complaints_late_replies_and_unsatisfied_ratings(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    other_unit = type(world.unit).objects.create(township=world.township, name="城建办")
    campaign = unit_campaign(world.township, by=staff, units=[world.unit, other_unit], complaint_points=D("2"),
                             late_reply_points=D("1"), unsatisfied_reply_points=D("3"))
    round_ = _current_round(campaign)
    today = timezone.localdate()
    upheld = PetitionFactory(township=world.township, received_on=today, findings="true", subject="占道经营")
    PetitionTransferFactory(petition=upheld, unit=world.unit)
    partly = PetitionFactory(township=world.township, received_on=today, findings="partly")
    PetitionTransferFactory(petition=partly, unit=world.unit)
    not_upheld = PetitionFactory(township=world.township, received_on=today, findings="false")
    PetitionTransferFactory(petition=not_upheld, unit=world.unit)
    earlier = PetitionFactory(township=world.township, received_on=round_.period_start - dt.timedelta(days=1),
                              findings="true")
    PetitionTransferFactory(petition=earlier, unit=world.unit)

    late = proposals_suggestion(world.township, status_to="replied", unit=other_unit, title="路灯维修")
    Reply.objects.filter(suggestion=late).update(on_time=False)  # the record as it stands after a late reply
    unsatisfied = proposals_suggestion(world.township, status_to="replied", unit=other_unit, title="垃圾清运")
    admin = type(staff).objects.filter(is_superuser=True).first()
    proposal_services.suggestion_rate(suggestion=unsatisfied, by=admin, work_grade="unsatisfied",
                                      result_grade="basic", comment="清运不及时")

    assert services.deductions_refresh(round_=round_, by=staff) == 4
    rows = {(d.unit.name, d.source): d for d in Deduction.objects.filter(round=round_).select_related("unit")}
    complaints = Deduction.objects.filter(round=round_, source="complaint").order_by("petition_id")
    assert [d.petition_id for d in complaints] == [upheld.pk, partly.pk]
    assert "占道经营" in complaints[0].reason and "属实" in complaints[0].reason
    assert rows[("城建办", "late_reply")].suggestion_id == late.pk and rows[("城建办", "late_reply")].points == 1
    assert rows[("城建办", "unsatisfied_reply")].points == 3 and "不满意" in rows[("城建办", "unsatisfied_reply")].reason
    # Refreshing again recomputes, never doubles; staff's own deduction stays.
    services.deduction_add(round_=round_, unit=world.unit, points=D("1.5"), reason="暗访时窗口无人", by=staff)
    assert services.deductions_refresh(round_=round_, by=staff) == 4
    manual = Deduction.objects.get(source="manual")
    assert (manual.created_by, manual.points) == (staff, D("1.50"))


def test_it_refuses_a_deduction_without_reason_or_from_another_township(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    campaign = unit_campaign(world.township, by=staff, units=[world.unit])
    round_ = campaign.rounds.first()
    with pytest.raises(services.ValidationError, match="扣分理由"):
        services.deduction_add(round_=round_, unit=world.unit, points=D("1"), reason="  ", by=staff)
    with pytest.raises(PermissionDenied):
        services.deduction_add(round_=round_, unit=world.unit, points=D("1"), reason="脱岗", by=world.other_staff)
    with pytest.raises(services.ValidationError, match="不在本次评议之列"):
        services.deduction_add(round_=round_, unit=world.other_unit, points=D("1"), reason="脱岗", by=staff)
    assert not Deduction.objects.exists()


def test_it_keeps_a_withdrawn_deduction_with_who_withdrew_it_and_stops_counting_it(world):
    from evaluations.units.scoring import round_scores

    staff = world.user(Role.PRESIDIUM_STAFF)
    campaign = unit_campaign(world.township, by=staff, units=[world.unit])
    round_ = campaign.rounds.first()
    deduction = services.deduction_add(round_=round_, unit=world.unit, points=D("2"), reason="脱岗", by=staff)
    assert round_scores(round_)[0].deducted == D("2.00")
    services.deduction_withdraw(deduction=deduction, by=staff)
    deduction.refresh_from_db()
    assert deduction.withdrawn_by == staff and deduction.withdrawn_at is not None
    assert round_scores(round_)[0].deducted == D("0.00")
    with pytest.raises(services.ValidationError, match="已经撤销"):
        services.deduction_withdraw(deduction=deduction, by=staff)
