"""The arithmetic of votes on its own: thresholds (ties, abstentions), checks of a count, the two entries, ranking."""

from __future__ import annotations

from decimal import Decimal

import pytest

from presidium.votes.counting import (
    Contender,
    Figures,
    Line,
    candidates_line,
    check_figures,
    differences,
    elect,
    is_adopted,
    majority_needed,
    rank,
    result_line,
)
from presidium.votes.tracking import parent_progress, satisfaction_rate, weighting_of


@pytest.mark.parametrize(("yes", "base", "adopted"), [
    (6, 11, True),  # 应到 11, 赞成 6: more than 5.5
    (5, 11, False),  # 赞成 5 (with 1 abstention or not): not more than half
    (5, 10, False),  # a tie: exactly half is not more than half
    (6, 10, True),
    (1, 1, True),
    (0, 0, False),  # nobody entitled: nothing passes
    (51, 101, True),
    (50, 101, False),
])
def test_it_adopts_with_more_than_half_of_the_base(yes, base, adopted):
    assert is_adopted(yes, base) is adopted


def test_it_needs_the_smallest_whole_majority():
    assert [majority_needed(n) for n in (1, 2, 10, 11, 76)] == [1, 2, 6, 6, 39]


def test_it_refuses_half_votes_and_negative_counts():
    """赞成 5.5 票 is impossible: a count is a whole number."""
    with pytest.raises(ValueError):
        is_adopted(5.5, 11)
    with pytest.raises(ValueError):
        is_adopted(-1, 11)
    with pytest.raises(ValueError):
        Line(yes=True)


def test_it_does_not_count_abstentions_in_favour():
    """应到 11, 实到 11: 赞成 5, 反对 5, 弃权 1 fails; against the present base 赞成 5 of 9 present passes."""
    line = Line(yes=5, no=5, abstain=1)
    assert not is_adopted(line.yes, 11)
    assert is_adopted(5, 9)
    assert not is_adopted(5, 10)


def test_it_accepts_a_show_of_hands_that_fits_the_room():
    figures = Figures({"r": Line(yes=8, no=1, abstain=1)})
    assert check_figures(figures, present=10, paper=False) == []


def test_it_refuses_more_hands_than_people_present():
    problems = check_figures(Figures({"r": Line(yes=8, no=2, abstain=1)}), present=10, paper=False,
                             labels={"r": "决议"})
    assert len(problems) == 1
    assert "决议" in problems[0].message and "11" in problems[0].message


def test_it_checks_paper_ballots_against_the_room_and_the_invalid_ones():
    ok = Figures({"r": Line(yes=7, no=1, abstain=1)}, ballots=10, invalid=1)
    assert check_figures(ok, present=10, paper=True) == []
    too_many = Figures({"r": Line(yes=8, no=1, abstain=1)}, ballots=10, invalid=1)
    assert len(check_figures(too_many, present=10, paper=True)) == 1
    more_ballots = Figures({"r": Line(yes=1)}, ballots=11, invalid=0)
    assert "11" in check_figures(more_ballots, present=10, paper=True)[0].message
    assert check_figures(Figures({"r": Line()}), present=10, paper=True)  # ballots missing


def test_it_limits_candidates_votes_by_valid_ballots_and_seats():
    ok = Figures({"a": Line(yes=9), "b": Line(yes=8)}, ballots=10, invalid=1)
    assert check_figures(ok, present=10, paper=True, candidates=True, seats=2) == []
    one_seat = check_figures(ok, present=10, paper=True, candidates=True, seats=1)
    assert len(one_seat) == 1  # 17 votes > 9 valid ballots × 1 seat
    over = Figures({"a": Line(yes=10)}, ballots=10, invalid=1)
    assert len(check_figures(over, present=10, paper=True, candidates=True, seats=1)) == 2


def test_it_names_each_difference_between_the_two_entries():
    first = Figures({"p1": Line(yes=30, no=2, abstain=1), "p2": Line(yes=20)}, ballots=33, invalid=0)
    second = Figures({"p1": Line(yes=31, no=2, abstain=1), "p2": Line(yes=20)}, ballots=33, invalid=0)
    found = differences(first, second, labels={"p1": "农村饮水", "p2": "道路硬化"})
    assert found == ["农村饮水 赞成：计票人录入 30，监票人录入 31"]
    assert differences(first, first) == []


def test_it_ranks_by_votes_then_fewer_against_then_ballot_number():
    ranked = rank([Contender("a", 1, 40, 3), Contender("b", 2, 45, 0), Contender("c", 3, 40, 1),
                   Contender("d", 4, 40, 1)])
    assert [(r.key, r.rank, r.tie_broken) for r in ranked] == [
        ("b", 1, False), ("c", 2, True), ("d", 3, True), ("a", 4, True)]


def test_it_leaves_a_tie_at_the_last_seat_undecided():
    base = 11
    result = elect([Contender("a", 1, 8), Contender("b", 2, 7), Contender("c", 3, 7), Contender("d", 4, 3)],
                   seats=2, base=base)
    assert result.elected == ["a"] and result.undecided == ["b", "c"]
    assert elect([Contender("a", 1, 8), Contender("b", 2, 5)], seats=2, base=base).elected == ["a"]
    assert elect([Contender("a", 1, 8), Contender("b", 2, 7)], seats=2, base=base).elected == ["a", "b"]


def test_it_prints_the_line_for_minutes_and_bulletins():
    assert result_line(entitled=11, present=10, yes=6, no=3, abstain=1, adopted=True) == (
        "应到 11 人，实到 10 人，赞成 6 票，反对 3 票，弃权 1 票，通过")
    assert result_line(entitled=11, present=10, yes=5, no=4, abstain=1, adopted=False, corrected=True) == (
        "应到 11 人，实到 10 人，赞成 5 票，反对 4 票，弃权 1 票，未通过（计票结果经更正）")


def test_it_prints_the_line_in_chinese_whatever_the_reader_browses_in():
    from django.utils import translation

    with translation.override("en"):
        assert result_line(entitled=3, present=3, yes=2, no=1, abstain=0, adopted=True).startswith("应到 3 人")


def test_it_prints_an_election_line():
    line = candidates_line(entitled=11, present=10, ballots=10, valid=9, results=[("张三", 8, True), ("李四", 4, False)])
    assert line == "应到 11 人，实到 10 人，收回选票 10 张，有效票 9 张；张三 得 8 票，当选；李四 得 4 票，未当选"


def test_it_weighs_a_parents_progress_by_budget_or_equally():
    assert parent_progress([(Decimal(80), 50), (Decimal(20), 100)]) == 60
    assert weighting_of([(Decimal(80), 50), (Decimal(20), 100)]) == "budget"
    assert parent_progress([(Decimal(80), 50), (None, 100)]) == 75  # a part without a budget: equally
    assert weighting_of([(Decimal(80), 50), (Decimal(0), 100)]) == "equal"
    assert parent_progress([]) is None


def test_it_computes_the_satisfaction_rate():
    assert satisfaction_rate(6, 3, 1) == 90
    assert satisfaction_rate(0, 0, 0) is None
