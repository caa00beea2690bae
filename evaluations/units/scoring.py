"""Scoring, ranking and outcomes: how ballots and deductions become a unit's result (reads only).

Per round, in a fixed number of queries (the campaign's units, its indicators, ballot counts, the mean of
each indicator per unit, the deductions):

* a leaf indicator's value is the mean of the ballots' values; its score depends on its method — direct
  (the mean, within the maximum), deduction per occurrence (maximum − points × mean occurrences, not below
  the floor), points by rank (the units ranked by the mean take the listed points: 1st 60, 2nd 57 …; tied
  units take the points of their shared rank), ratio to the best unit (maximum × mean / best mean) or
  target met (the maximum when the mean reaches the target, else 0);
* a unit's score is the sum over the leaves of the leaf score × the product of the weights on its path;
  for the three-grade ballot it is 满意 × 100 + 基本满意 × 60 over the ballots (a 100-point scale);
* the total is the score less the round's deductions (not below 0);
* a unit with fewer ballots than the campaign's minimum has no result: it is shown as "票数不足",
  not ranked, and takes no part in rank or ratio scoring of the others;
* ranking is by total, highest first; equal totals share a rank and the next rank is skipped
  (1, 1, 3), shown as 并列.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, Sum

from evaluations.units.choices import Grade, SchemeKind, ScoringMethod, Tier

TWO = Decimal("0.01")
HUNDRED = Decimal("100")
BASIC_WEIGHT = Decimal("60")


def q2(value) -> Decimal:
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


@dataclass
class UnitScore:
    """One unit's result in a round (or cumulated over rounds)."""

    unit: object
    ballots: int = 0
    shown: bool = False
    score: Decimal | None = None
    deducted: Decimal = Decimal("0")
    total: Decimal | None = None
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0
    grade: str = ""
    rank: int | None = None
    tied: bool = False
    tier: str = ""
    indicator_scores: dict = field(default_factory=dict)  # indicator id → score
    outcomes: list = field(default_factory=list)
    rounds_counted: int = 0

    @property
    def tier_label(self) -> str:
        return str(dict(Tier.choices).get(self.tier, ""))

    @property
    def grade_label(self) -> str:
        return str(dict(Grade.choices).get(self.grade, ""))

    @property
    def unsatisfied_share(self) -> Decimal:
        return q2(Decimal(self.unsatisfied) * HUNDRED / self.ballots) if self.ballots else Decimal("0")

    @property
    def satisfied_share(self) -> Decimal:
        return q2(Decimal(self.satisfied) * HUNDRED / self.ballots) if self.ballots else Decimal("0")


def load_scheme(campaign) -> list:
    """The campaign's indicators with ``_is_leaf`` and ``path_weight`` set (one query)."""
    indicators = list(campaign.indicators.all())
    parents = {i.parent_id for i in indicators if i.parent_id}
    by_id = {i.pk: i for i in indicators}
    for indicator in indicators:
        indicator._is_leaf = indicator.pk not in parents
        weight, node = Decimal(indicator.weight), indicator
        while node.parent_id and node.parent_id in by_id:
            node = by_id[node.parent_id]
            weight *= node.weight
        indicator.path_weight = weight
    return indicators


def leaves(indicators) -> list:
    return [i for i in indicators if i._is_leaf]


def rank_in_place(scores: list[UnitScore], key=lambda s: s.total) -> None:
    """Competition ranking (1, 1, 3) of the shown scores by ``key``, highest first; ties flagged."""
    shown = sorted((s for s in scores if s.shown and key(s) is not None), key=lambda s: -key(s))
    previous, rank = None, 0
    for position, item in enumerate(shown, start=1):
        value = key(item)
        if value != previous:
            rank, previous = position, value
        item.rank = rank
    counts = defaultdict(int)
    for item in shown:
        counts[item.rank] += 1
    for item in shown:
        item.tied = counts[item.rank] > 1
    for item in scores:
        if not item.shown:
            item.rank, item.tied = None, False


def _leaf_score(indicator, unit_id: int, means: dict, shown_ids: set) -> Decimal:
    mean = means.get((unit_id, indicator.pk))
    maximum = Decimal(indicator.max_points)
    if mean is None:
        return Decimal("0")
    mean = Decimal(mean)
    method = indicator.method
    if method == ScoringMethod.DIRECT:
        return q2(min(max(mean, Decimal("0")), maximum))
    if method == ScoringMethod.DEDUCTION:
        return q2(max(Decimal(indicator.floor), maximum - Decimal(indicator.per_occurrence) * mean))
    if method == ScoringMethod.TARGET:
        return maximum if indicator.target is not None and mean >= indicator.target else Decimal("0")
    values = [Decimal(means[(u, indicator.pk)]) for u in shown_ids if (u, indicator.pk) in means]
    if method == ScoringMethod.RATIO:
        best = max(values, default=Decimal("0"))
        return q2(maximum * mean / best) if best > 0 else Decimal("0")
    # points by rank: the units that share a mean share its rank (1, 1, 3)
    rank = 1 + sum(1 for v in values if q2(v) > q2(mean))
    points = indicator.rank_point_list()
    return min(points[rank - 1], maximum) if rank <= len(points) else Decimal("0")


def round_scores(round_) -> list[UnitScore]:
    """Every evaluated unit's result in ``round_`` (see the module docstring); ranked and tiered."""
    from evaluations.models import Ballot, BallotScore, CampaignUnit, Deduction

    campaign = round_.campaign
    units = [cu.unit for cu in CampaignUnit.objects.filter(campaign=campaign).select_related("unit")]
    counts = {row["unit_id"]: row for row in Ballot.objects.filter(round=round_).values("unit_id").annotate(
        n=Count("pk"), satisfied=Count("pk", filter=Q(grade=Grade.SATISFIED)),
        basic=Count("pk", filter=Q(grade=Grade.BASIC)), unsatisfied=Count("pk", filter=Q(grade=Grade.UNSATISFIED)))}
    deducted = {row["unit_id"]: row["points"] for row in Deduction.objects.filter(
        round=round_, withdrawn_at__isnull=True).values("unit_id").annotate(points=Sum("points"))}
    scores = []
    for unit in units:
        row = counts.get(unit.pk, {})
        n = row.get("n", 0)
        scores.append(UnitScore(unit=unit, ballots=n, shown=n >= campaign.min_ballots,
                                satisfied=row.get("satisfied", 0), basic=row.get("basic", 0),
                                unsatisfied=row.get("unsatisfied", 0), deducted=q2(deducted.get(unit.pk) or 0)))
    shown_ids = {s.unit.pk for s in scores if s.shown}
    if campaign.scheme_kind == SchemeKind.GRADES:
        for item in scores:
            if item.shown:
                item.score = q2((item.satisfied * HUNDRED + item.basic * BASIC_WEIGHT) / item.ballots)
                item.grade = grade_of(item, campaign)
    else:
        scheme = leaves(load_scheme(campaign))
        means = {(row["ballot__unit_id"], row["indicator_id"]): row["mean"] for row in
                 BallotScore.objects.filter(ballot__round=round_, ballot__unit_id__in=sorted(shown_ids))
                 .values("ballot__unit_id", "indicator_id").annotate(mean=Avg("value"))}
        for item in scores:
            if not item.shown:
                continue
            item.indicator_scores = {i.pk: _leaf_score(i, item.unit.pk, means, shown_ids) for i in scheme}
            item.score = q2(sum((item.indicator_scores[i.pk] * i.path_weight for i in scheme), Decimal("0")))
    for item in scores:
        if item.shown:
            item.total = max(Decimal("0"), q2(item.score - item.deducted))
    rank_in_place(scores)
    for item in scores:
        item.tier = tier_of(item, campaign)
    return sorted(scores, key=_display_order)


def _display_order(item: UnitScore):
    return (item.rank is None, item.rank or 0, item.unit.name)


def grade_of(item: UnitScore, campaign) -> str:
    """满意 / 基本满意 / 不满意 of a unit on the three-grade ballot, by the campaign's shares."""
    if item.unsatisfied_share > campaign.unsatisfied_threshold:
        return Grade.UNSATISFIED
    if item.satisfied_share >= campaign.satisfied_share_min:
        return Grade.SATISFIED
    return Grade.BASIC


def tier_of(item: UnitScore, campaign) -> str:
    if not item.shown or item.total is None:
        return ""
    if campaign.scheme_kind == SchemeKind.GRADES:
        return {Grade.SATISFIED: Tier.GOOD, Grade.BASIC: Tier.MIDDLE, Grade.UNSATISFIED: Tier.POOR}[item.grade]
    if item.total >= campaign.good_tier_min:
        return Tier.GOOD
    if item.total < campaign.poor_tier_below:
        return Tier.POOR
    return Tier.MIDDLE


# --- outcomes --------------------------------------------------------------------------------------------
TITLE = "群众信得过单位"
PRAISE = "通报表扬"
CRITICISM = "通报批评"
PLAQUE = "授予满意单位牌匾"
DEADLINE = "限期整改"
CRITICISM_AGAIN = "通报批评，明年再次评议"


def apply_outcomes(scores: list[UnitScore], campaign) -> list[UnitScore]:
    """The campaign's outcome rules on ranked scores. A place at a boundary shared by tied units goes to all
    of them (the tie is shown, nobody is dropped by name order)."""
    ranked = [s for s in scores if s.rank is not None]
    for item in scores:
        item.outcomes = []
    if campaign.scheme_kind == SchemeKind.GRADES:
        labels = {Grade.SATISFIED: PLAQUE, Grade.BASIC: DEADLINE, Grade.UNSATISFIED: CRITICISM_AGAIN}
        for item in ranked:
            item.outcomes.append(labels[item.grade])
        return scores
    for item in ranked:
        below = sum(1 for other in ranked if other.total < item.total)
        criticised = bool(campaign.criticism_bottom_n) and below < campaign.criticism_bottom_n
        # A unit is never both praised and criticised: with few units the lists would meet; the praise wins
        # only where the rank clearly earns it (a unit in the bottom places gets the criticism, not a title).
        if criticised:
            item.outcomes.append(CRITICISM)
            continue
        if item.rank <= campaign.title_top_n:
            item.outcomes.append(TITLE)
        if item.rank <= campaign.praise_top_n:
            item.outcomes.append(PRAISE)
    return scores


def cumulative_scores(campaign, rounds) -> list[UnitScore]:
    """Mid-year or year-end totals: each unit's mean total over ``rounds`` (published results only; a round
    where the unit had too few ballots is left out of its mean and counted in ``rounds_counted``)."""
    from evaluations.models import CampaignUnit, UnitResult

    units = [cu.unit for cu in CampaignUnit.objects.filter(campaign=campaign).select_related("unit")]
    totals: dict[int, list[Decimal]] = defaultdict(list)
    deducted: dict[int, Decimal] = defaultdict(Decimal)
    for result in UnitResult.objects.filter(round__in=[r.pk for r in rounds], shown=True):
        totals[result.unit_id].append(result.total)
        deducted[result.unit_id] += result.deducted
    scores = []
    for unit in units:
        values = totals.get(unit.pk, [])
        item = UnitScore(unit=unit, shown=bool(values), rounds_counted=len(values), deducted=deducted[unit.pk])
        if values:
            item.total = q2(sum(values, Decimal("0")) / len(values))
        scores.append(item)
    rank_in_place(scores)
    for item in scores:
        if item.shown and campaign.scheme_kind != SchemeKind.GRADES:
            item.tier = tier_of(item, campaign)
    scores.sort(key=_display_order)
    return apply_outcomes(scores, campaign) if campaign.scheme_kind != SchemeKind.GRADES else scores
