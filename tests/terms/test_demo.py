"""The demo's change of term: 柳河乡 has its 19th term opened with the steps half done, once."""

from __future__ import annotations

from django.utils import timezone

from deputies.demo import seed_deputies
from deputies.models import Deputy, DeputyGroup
from presidium.demo import seed_organisation
from presidium.models import Term
from presidium.registry import demo_steps
from presidium.terms.demo import seed_change_of_term
from presidium.terms.selectors import change_of_term


def test_it_runs_after_the_deputies_step():
    steps = {step.key: step.order for step in demo_steps()}
    assert steps["deputies"] < steps["terms"]


def test_it_leaves_liuhe_half_way_through_the_change_of_term_and_runs_once(db):
    seed_organisation()
    seed_deputies()
    seed_change_of_term()
    seed_deputies()  # a second seed_demo: the deputies step fills the current (18th) term, not the copies
    seed_change_of_term()
    liuhe = Term.objects.get(township__name="柳河乡", ordinal=19)
    assert not liuhe.is_current
    state = change_of_term(liuhe.township)
    done = {step.key: step.done for step in state.steps}
    # Half done: some marked, some carried over, others still undecided — neither step reads 已完成.
    assert done == {"open": True, "not_reelected": False, "carry_over": False, "import": False, "switch": False}
    assert {step.key for step in state.steps if step.started} == {"not_reelected", "carry_over"}
    assert state.counts["undecided"] > 0 and state.steps[-1].blocked
    assert "未转入" in state.steps[-1].blocked
    # Before the new term's start date, the switch names that blocker too (both at once, not only the first).
    assert ("起始" in state.steps[-1].blocked) == (timezone.localdate() < liuhe.start_date)
    assert Deputy.objects.filter(term=liuhe).count() == state.counts["carried"]
    assert DeputyGroup.objects.filter(term=liuhe).count() == DeputyGroup.objects.filter(
        township=liuhe.township, term__ordinal=18).count()
    assert not Term.objects.filter(ordinal=19).exclude(township__name="柳河乡").exists()
