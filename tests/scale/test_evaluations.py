"""The evaluation builders of ``seed_demo --scale``: unit evaluations (工作评议, step ``unit_evaluations``) and
the county scorecards (step ``scorecards``), built in bulk on a small plan."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Count, Q
from django.urls import reverse

from evaluations.models import (
    Ballot,
    BallotCast,
    BallotScore,
    Campaign,
    CampaignUnit,
    Checklist,
    ChecklistItem,
    Evidence,
    EvidenceReview,
    Indicator,
    ItemResponse,
    ItemScore,
    RectificationEvidence,
    RectificationItem,
    Round,
    TownshipResponse,
    UnitResult,
)
from evaluations.scorecards.scale import build as build_scorecards
from evaluations.units import services
from evaluations.units.rectification import AUTO_DUE_WORKING_DAYS
from evaluations.units.scale import build as build_units
from presidium.calendar.services import add_working_days
from presidium.registry import scale_steps
from tests.scale.helpers import assert_valid_sample, small_plan

pytestmark = pytest.mark.django_db

NUMERALS = "甲乙丙丁戊己庚辛壬癸"
MODELS = (Campaign, CampaignUnit, Indicator, Round, BallotCast, Ballot, BallotScore, UnitResult, RectificationItem,
          RectificationEvidence, Checklist, ChecklistItem, TownshipResponse, ItemResponse, ItemScore, Evidence,
          EvidenceReview)


def with_deputies(plan):
    """Serving deputies per built township through the deputies service (the roll of the built rounds)."""
    from deputies import services as deputies

    for built in plan.built:
        for n in range(1, plan.deputies + 1):
            deputies.deputy_create(township=built.township, by=plan.admin,
                                   name=f"{built.township.name[:2]}代表{NUMERALS[n - 1]}",
                                   gender="male" if n % 2 else "female", elected_on=built.term.start_date)
    return plan


@pytest.fixture
def plan():
    return with_deputies(small_plan(townships=2, years=3, deputies=8))


def build(plan):
    build_units(plan)
    build_scorecards(plan)


def counts():
    return [model.objects.count() for model in MODELS]


def test_the_steps_are_registered_in_order():
    order = {step.key: step.order for step in scale_steps()}
    assert order["unit_evaluations"] == 70 and order["scorecards"] == 80


def test_it_fills_every_state_and_builds_nothing_twice(plan):
    plan.today = dt.date(plan.today.year, 12, 3)
    build(plan)
    first = counts()
    assert all(first), dict(zip([m.__name__ for m in MODELS], first, strict=True))
    assert Campaign.objects.count() == len(plan.built) * plan.years
    states = Counter(Round.objects.values_list("state", flat=True))
    assert set(states) == {"published", "open"} and states["open"] == len(plan.built)
    assert set(RectificationItem.objects.values_list("status", flat=True)) == {"open", "done", "checked"}
    assert RectificationItem.objects.filter(status="open", due_on__lt=plan.today).exists(), "some are overdue"
    assert set(TownshipResponse.objects.filter(checklist__period_start__year=plan.today.year)
               .values_list("state", flat=True)) <= {"draft", "submitted", "returned"}
    assert set(TownshipResponse.objects.filter(checklist__period_start__year__lt=plan.today.year)
               .values_list("state", flat=True)) == {"finalised"}
    assert Checklist.objects.count() == plan.years, "the county's checklists are made once, not per township"

    build(plan)
    assert counts() == first


def test_early_in_a_quarter_a_round_waits_for_publication_and_the_next_is_not_started(plan):
    plan.today = dt.date(plan.today.year, 10, 3)
    build_units(plan)
    this_year = Counter(Round.objects.filter(campaign__year=plan.today.year).values_list("state", flat=True))
    assert this_year == {"published": 2 * len(plan.built), "closed": len(plan.built), "draft": len(plan.built)}
    assert not BallotCast.objects.filter(round__state="draft").exists()


def test_dates_and_secrecy_invariants_hold(plan):
    build(plan)
    for round_ in Round.objects.select_related("campaign"):
        assert round_.period_start <= round_.opens_on <= round_.closes_on <= round_.period_end
        if round_.state == "published":
            assert round_.published_at.date() > round_.closes_on
    late = BallotCast.objects.filter(cast_on__isnull=False).exclude(
        cast_on__range=(models_f("round__opens_on"), models_f("round__closes_on")))
    assert not late.exists()
    # one ballot per cast of the roll, per round and unit; the roll lists every serving deputy for every unit
    cast = Counter(BallotCast.objects.filter(cast_on__isnull=False).values_list("round_id", "unit_id"))
    stored = Counter(Ballot.objects.values_list("round_id", "unit_id"))
    assert cast == stored
    per_ballot = set(Ballot.objects.annotate(n=Count("scores")).values_list("n", flat=True))
    assert per_ballot == {4}, "every leaf indicator scored on every ballot"
    for item in RectificationItem.objects.select_related("round"):
        published = item.round.published_at.date()
        assert item.created_at == item.round.published_at
        assert item.due_on == add_working_days(published, AUTO_DUE_WORKING_DAYS,
                                               county=item.campaign.township.county_id).date
        if item.done_on:
            assert published <= item.done_on <= plan.today and item.evidence.count() == 1
        if item.checked_on:
            assert item.done_on <= item.checked_on <= plan.today
    for response in TownshipResponse.objects.filter(state="finalised"):
        assert response.total == sum(s.score for s in response.scores.all())
        assert response.scores.count() == response.checklist.items.count()
        assert response.submitted_at < response.finalised_at
    assert not TownshipResponse.objects.filter(state="draft", submitted_at__isnull=False).exists()
    assert not TownshipResponse.objects.filter(state="returned").filter(Q(return_comment="") | Q(
        returned_at__isnull=True)).exists()


def models_f(name):
    from django.db.models import F

    return F(name)


def test_built_rows_pass_model_validation(plan):
    build(plan)
    for model in MODELS:
        assert_valid_sample(model.objects.all(), size=30)


def test_the_results_page_of_a_built_round_equals_the_apps_scoring(plan, client):
    build(plan)
    built = plan.built[0]
    client.force_login(built.staff)
    round_ = Round.objects.filter(campaign__township=built.township, state="published").order_by("pk").first()
    response = client.get(reverse("evaluations:units:round_results", args=[round_.pk]))
    assert response.status_code == 200
    live = {(s.unit.pk, s.total, s.rank, s.tier) for s in response.context["scores"]}
    stored = set(UnitResult.objects.filter(round=round_).values_list("unit_id", "total", "rank", "tier"))
    assert live == stored and len(stored) == CampaignUnit.objects.filter(campaign=round_.campaign).count()
    assert any(total is not None for _, total, _, _ in stored)


def test_staff_see_the_built_campaigns_and_a_service_vote_continues_the_open_round(plan, client):
    plan.today = dt.date.today()
    build_units(plan)
    built = plan.built[0]
    client.force_login(built.staff)
    page = client.get(reverse("evaluations:units:campaign_list"))
    assert page.status_code == 200
    for campaign in Campaign.objects.filter(township=built.township):
        assert campaign.title in page.content.decode()
    open_round = Round.objects.filter(campaign__township=built.township, state="open").first()
    if open_round is None:  # the quarter's first two months: nothing is open to vote in
        return
    from deputies.models import Deputy
    from presidium.models import User

    waiting = BallotCast.objects.filter(round=open_round, cast_on__isnull=True).values("deputy")
    deputy = Deputy.objects.filter(pk__in=waiting).order_by("pk").first()
    user = User.objects.create_user("t01_voter", password=None, real_name=deputy.name)
    Deputy.objects.filter(pk=deputy.pk).update(user=user)
    deputy.refresh_from_db()
    services.round_update_window(round_=open_round, by=built.staff, opens_on=open_round.opens_on,
                                 closes_on=max(open_round.closes_on, dt.date.today()))
    units = [cu.unit for cu in CampaignUnit.objects.filter(campaign=open_round.campaign).select_related("unit")]
    leaves = [i for i in Indicator.objects.filter(campaign=open_round.campaign) if not i.children.exists()]
    before = Ballot.objects.filter(round=open_round).count()
    stored = services.ballot_cast(round_=open_round, deputy=deputy, by=user, votes={
        unit: {i: (Decimal("0") if i.method == "deduction" else i.max_points) for i in leaves} for unit in units})
    assert stored == len(units) == Ballot.objects.filter(round=open_round).count() - before
    services.round_close(round_=open_round, by=built.staff)
    services.round_publish(round_=open_round, by=built.staff)
    assert UnitResult.objects.filter(round=open_round).count() == len(units)


def test_the_comparison_view_and_a_response_page_render_with_the_built_townships(plan, client):
    build(plan)
    client.force_login(plan.admin)
    checklist = Checklist.objects.order_by("-period_start").first()
    page = client.get(reverse("scorecards:comparison", args=[checklist.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for built in plan.built:
        assert built.township.name in html
    past = Checklist.objects.order_by("period_start").first()
    assert client.get(reverse("scorecards:comparison", args=[past.pk])).status_code == 200
    built = plan.built[0]
    client.force_login(built.staff)
    for response in TownshipResponse.objects.filter(township=built.township):
        assert client.get(reverse("scorecards:response_detail", args=[response.pk])).status_code == 200
    assert client.get(reverse("scorecards:checklist_list")).status_code == 200


def test_deductions_come_from_the_townships_records_and_count_in_the_results(plan):
    """A petition found true and transferred to an evaluated unit takes points from it in the round of its quarter."""
    from evaluations.models import Deduction
    from petitions.choices import Findings
    from tests.factories import PetitionFactory, PetitionTransferFactory

    built = plan.built[0]
    year = plan.year_list[0]
    stations = [u for u in built.units if u.kind == "station"]
    for unit in stations:
        petition = PetitionFactory(township=built.township, year=year, received_on=dt.date(year, 5, 10),
                                   findings=Findings.TRUE)
        PetitionTransferFactory(petition=petition, unit=unit, due_on=dt.date(year, 6, 10))
    build_units(plan)
    rows = Deduction.objects.filter(round__campaign__township=built.township)
    assert rows.exists() and set(rows.values_list("source", "round__number")) == {("complaint", 2)}
    assert not Deduction.objects.filter(round__campaign__township=plan.built[1].township).exists()
    for row in rows:
        assert CampaignUnit.objects.filter(campaign=row.round.campaign, unit=row.unit).exists()
        result = UnitResult.objects.get(round=row.round, unit=row.unit)
        assert result.deducted == row.points == Decimal("2")
    assert_valid_sample(rows)
