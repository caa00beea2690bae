"""Reads that encode a rule: rankings (with ties, 并列), the year to date, the comparison across townships.

Every function here runs a fixed number of queries whatever the number of townships (the comparison view's
query-count test holds with 3 and with 12).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.utils.translation import gettext as _

from evaluations.models import Checklist, ItemResponse, ItemScore, TownshipResponse
from evaluations.scorecards import indicators
from evaluations.scorecards.choices import Answer, ResponseState


@dataclass
class RankRow:
    township: object
    total: Decimal | None
    rank: int | None = None
    tied: bool = False
    response: TownshipResponse | None = None


def rank(rows: list[RankRow]) -> list[RankRow]:
    """Highest total first; equal totals share a rank and are marked 并列; the next rank skips (1, 1, 3).

    Rows without a total (not finalised) come last, unranked. Ties are broken for the order only by name.
    """
    scored = sorted((r for r in rows if r.total is not None), key=lambda r: (-r.total, r.township.name))
    counts = defaultdict(int)
    for r in scored:
        counts[r.total] += 1
    previous, position = None, 0
    for index, r in enumerate(scored, start=1):
        if r.total != previous:
            position, previous = index, r.total
        r.rank, r.tied = position, counts[r.total] > 1
    rest = sorted((r for r in rows if r.total is None), key=lambda r: r.township.name)
    return scored + rest


def period_ranking(checklist: Checklist) -> list[RankRow]:
    """The county's townships for this checklist: finalised totals ranked, the rest listed unranked."""
    responses = checklist.responses.select_related("township").order_by()
    return rank([RankRow(r.township, r.total if r.state == ResponseState.FINALISED else None, response=r)
                 for r in responses])


def year_ranking(checklist: Checklist) -> list[RankRow]:
    """The year to date: finalised totals of the county's checklists of the same kind, this year, up to this one."""
    from presidium.models import Township

    start = checklist.period_start
    totals = dict(
        TownshipResponse.objects.filter(
            checklist__county_id=checklist.county_id, checklist__period_kind=checklist.period_kind,
            checklist__period_start__year=start.year, checklist__period_start__lte=start,
            state=ResponseState.FINALISED).order_by()
        .values("township_id").annotate(t=Sum("total")).values_list("township_id", "t"))
    townships = Township.objects.filter(county_id=checklist.county_id)
    return rank([RankRow(t, totals.get(t.pk)) for t in townships])


def rank_of(rows: list[RankRow], township_id: int) -> RankRow | None:
    return next((r for r in rows if r.township.pk == township_id), None)


# --- the comparison across townships --------------------------------------------------------------------


@dataclass
class Cell:
    response: TownshipResponse
    answer: str = ""
    answer_label: str = ""
    score: Decimal | None = None
    figure: Decimal | None = None
    evidence: int = 0


@dataclass
class ItemRow:
    item: object
    cells: list[Cell] = field(default_factory=list)
    indicator: object = None


@dataclass
class Comparison:
    checklist: Checklist
    responses: list[TownshipResponse]
    rows: list[ItemRow]
    ranking: list[RankRow]
    totals: dict  # response pk -> sum of scores so far

    def chart(self) -> dict:
        """An ECharts option: each township's score so far, as bars (the house draws it from json_script)."""
        names = [r.township.name for r in self.responses]
        return {
            "animation": False,  # drawn at once: a screenshot or a print shows the bars, not their growth
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 40, "right": 10, "top": 20, "bottom": 60},
            "xAxis": {"type": "category", "data": names, "axisLabel": {"rotate": 30 if len(names) > 6 else 0}},
            "yAxis": {"type": "value"},
            "series": [{"type": "bar", "name": str(_("得分")), "data": [float(self.totals.get(r.pk, 0)) for r in self.responses],
                        "label": {"show": True, "position": "top"}}],
        }


def comparison(checklist: Checklist, *, live: bool = True) -> Comparison:
    """Townships side by side per item: answer, score, the indicator figure and how much evidence there is.

    Figures: frozen at submission where the township submitted; live (from the records now) otherwise.
    """
    from django.db.models import Count

    items = list(checklist.items.all())
    responses = list(checklist.responses.select_related("township").order_by("township__name", "pk"))
    # The answers' and scores' shown columns as tuples, not instances (17 townships × the items, twice).
    answers = {(response_id, item_id): rest for response_id, item_id, *rest in ItemResponse.objects.filter(
        response__checklist=checklist).order_by().annotate(n=Count("evidence")).values_list(
        "response_id", "item_id", "answer", "figure", "n")}
    scores = {(response_id, item_id): score for response_id, item_id, score in ItemScore.objects.filter(
        response__checklist=checklist).order_by().values_list("response_id", "item_id", "score")}
    answer_labels = dict(Answer.choices)
    keys = [i.indicator_key for i in items if i.indicator_key]
    live_figures = indicators.figures_for(keys, [r.township_id for r in responses], checklist.period_start,
                                          checklist.period_end) if live and keys else {}
    totals: dict[int, Decimal] = defaultdict(Decimal)
    rows = []
    for item in items:
        row = ItemRow(item, indicator=indicators.get_indicator(item.indicator_key) if item.indicator_key else None)
        for response in responses:
            answer = answers.get((response.pk, item.pk))
            cell = Cell(response)
            if answer is not None:
                value, cell.figure, cell.evidence = answer
                cell.answer, cell.answer_label = value, str(answer_labels.get(value, value))
            if item.indicator_key and cell.figure is None:
                cell.figure = live_figures.get(item.indicator_key, {}).get(response.township_id)
            cell.score = scores.get((response.pk, item.pk))
            if cell.score is not None:
                totals[response.pk] += cell.score
            row.cells.append(cell)
        rows.append(row)
    return Comparison(checklist, responses, rows, period_ranking_from(responses), dict(totals))


def period_ranking_from(responses: list[TownshipResponse]) -> list[RankRow]:
    return rank([RankRow(r.township, r.total if r.state == ResponseState.FINALISED else None, response=r)
                 for r in responses])


def response_page_data(response: TownshipResponse):
    """The items of a response with their answer, evidence and score (three queries)."""
    from evaluations.models import Evidence

    items = list(response.checklist.items.all())
    answers = {a.item_id: a for a in response.answers.prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("reviewed_by").prefetch_related(
            "reviews__by")))}
    scores = {s.item_id: s for s in response.scores.select_related("scored_by")}
    for item in items:
        item.answer_row = answers.get(item.pk)
        item.score_row = scores.get(item.pk)
    return items
