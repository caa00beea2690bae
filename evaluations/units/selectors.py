"""Reads of the evaluation of units that encode a rule (each a fixed number of queries)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from evaluations.models import BallotCast, Campaign, Round, UnitResult
from evaluations.units.choices import Grade, RoundState


def units_to_evaluate_again(township, year: int) -> list:
    """The units last year's campaigns of ``township`` bring back: the lowest-ranked of each published round
    of indicator scoring, and those graded 不满意 (评议末位、不满意的单位次年再次评议)."""
    from presidium.models import HandlingUnit

    last = UnitResult.objects.filter(round__campaign__township=township, round__campaign__year=year - 1,
                                     round__state=RoundState.PUBLISHED, shown=True)
    lowest = set()
    worst_by_round: dict[int, tuple] = {}
    for result in last.values("round_id", "unit_id", "rank", "grade"):
        if result["grade"] == Grade.UNSATISFIED:
            lowest.add(result["unit_id"])
        current = worst_by_round.get(result["round_id"])
        if result["rank"] is not None and (current is None or result["rank"] > current[0]):
            worst_by_round[result["round_id"]] = (result["rank"], {result["unit_id"]})
        elif current and result["rank"] == current[0]:
            current[1].add(result["unit_id"])
    for _rank, units in worst_by_round.values():
        lowest |= units
    return list(HandlingUnit.objects.filter(pk__in=sorted(lowest), township=township, is_active=True))


@dataclass(frozen=True)
class VoterTurnout:
    deputy_id: int
    name: str
    units: int
    voted: int

    @property
    def done(self) -> bool:
        return self.voted == self.units


def turnout(round_: Round) -> list[VoterTurnout]:
    """Who on the roll has voted, and for how many units — never what (one query)."""
    rows = (BallotCast.objects.filter(round=round_).values("deputy_id", "deputy__name", "deputy__name_pinyin")
            .annotate(units=Count("pk"), voted=Count("pk", filter=Q(cast_on__isnull=False)))
            .order_by("deputy__name_pinyin", "deputy_id"))
    return [VoterTurnout(r["deputy_id"], r["deputy__name"], r["units"], r["voted"]) for r in rows]


def turnout_summary(round_: Round) -> dict:
    """Voters on the roll, voters who finished, and the share (one query)."""
    people = turnout(round_)
    done = sum(1 for p in people if p.done)
    return {"roll": len(people), "done": done, "share": round(done * 100 / len(people)) if people else 0}


def campaigns_in_progress(user) -> QuerySet:
    """Campaigns with a round open for voting, visible to ``user`` (staff home card)."""
    from evaluations.units.access import campaigns_visible_to

    return campaigns_visible_to(user).filter(rounds__state=RoundState.OPEN).distinct()


def open_rounds_for_deputy(deputy) -> QuerySet:
    """Rounds open in the deputy's township where the deputy is on the roll."""
    if deputy is None:
        return Round.objects.none()
    return (Round.objects.filter(state=RoundState.OPEN, campaign__township_id=deputy.township_id,
                                 casts__deputy=deputy).distinct().select_related("campaign")
            .annotate(left=Count("casts", filter=Q(casts__deputy=deputy, casts__cast_on__isnull=True)))
            .order_by("closes_on", "pk"))


def results_for_unit(unit_ids) -> QuerySet:
    """A unit's published results (the liaison's view): its own rows only, ballots never."""
    return (UnitResult.objects.filter(unit_id__in=list(unit_ids), round__state=RoundState.PUBLISHED)
            .select_related("round__campaign", "unit")
            .order_by("-round__campaign__year", "round__campaign_id", "round__number"))


def campaign_for_round(round_id: int, visible: QuerySet[Campaign]) -> Round:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Round.objects.select_related("campaign__township"), pk=round_id,
                             campaign__in=visible)
