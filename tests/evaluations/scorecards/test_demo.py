"""The scorecards demo step: a scored, finalised last quarter; the current one with a submitted and a returned response."""

from __future__ import annotations

import time

from evaluations.models import Checklist, Evidence, TownshipResponse
from evaluations.scorecards import selectors
from evaluations.scorecards.demo import seed_scorecards
from presidium.demo import seed_organisation
from presidium.registry import demo_steps


def test_it_runs_after_petitions():
    steps = {step.key: step.order for step in demo_steps()}
    assert steps["petitions"] < steps["scorecards"]


def test_it_seeds_a_scored_quarter_and_a_current_one_once_and_fast(db):
    seed_organisation()
    began = time.monotonic()
    seed_scorecards()
    assert time.monotonic() - began < 15
    last, current = Checklist.objects.order_by("period_start")
    assert set(last.responses.values_list("state", flat=True)) == {"finalised"}
    ranking = selectors.period_ranking(last)
    assert [r.rank for r in ranking][0] == 1 and all(r.total is not None for r in ranking)
    states = dict(current.responses.values_list("township__name", "state"))
    assert states == {"青石镇": "submitted", "柳河乡": "returned", "白沙街道": "draft"}
    assert current.copied_from == last and current.items.count() == last.items.count()
    assert Evidence.objects.filter(kind="file").exists()
    seed_scorecards()
    assert Checklist.objects.count() == 2 and TownshipResponse.objects.count() == 6
