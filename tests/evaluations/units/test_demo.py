"""The demo step of the evaluation of units: a quarterly campaign in progress and a published ballot, quickly.

(Seeded over organisation and deputies only: the proposals' and petitions' steps take minutes here, and the
deductions they would feed are tested in test_deductions.py.)"""

from __future__ import annotations

import time

from deputies.demo import seed_deputies
from evaluations.models import Campaign, RectificationItem, UnitResult
from evaluations.units.demo import seed_unit_evaluations
from presidium.demo import seed_organisation
from presidium.registry import demo_steps


def test_it_runs_after_petitions_and_proposals():
    steps = {step.key: step.order for step in demo_steps()}
    assert steps["proposals"] < steps["petitions"] < steps["evaluations_units"]


def test_it_seeds_a_campaign_in_progress_and_a_ballot_once(db):
    seed_organisation()
    seed_deputies()
    started = time.monotonic()
    seed_unit_evaluations()
    assert time.monotonic() - started < 15
    quarterly = Campaign.objects.get(scheme_kind="indicators")
    assert list(quarterly.rounds.order_by("number").values_list("state", flat=True)) == [
        "published", "published", "open", "draft"]
    assert UnitResult.objects.filter(round__campaign=quarterly, shown=True, rank=1).exists()
    ballot = Campaign.objects.get(scheme_kind="grades")
    finance = RectificationItem.objects.get(campaign=ballot, unit__name="财政所")
    assert finance.opened_automatically and finance.status == "open"
    assert RectificationItem.objects.filter(campaign=ballot, status="done").count() == 1
    seed_unit_evaluations()
    assert Campaign.objects.count() == 2
