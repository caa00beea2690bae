"""信访统计: the figures of a period, as selectors over the visible cases (a fixed number of queries).

Definitions (written under the figures on the page, ``templates/petitions/figures.html``):

* 件 — petitions registered with a received date in the period; 人次 — the people who came with them
  (a collective visit of 8 counts 8 人次, a letter 1);
* 受理告知按期率 — acceptance decisions told within the 15-day limit ÷ (decisions told + cases whose
  15 days ran out untold): an overdue case counts against the rate, it is not left out;
* 按期办结率 — written answers within the completion limit (60 days, or the approved extension) ÷ (answers
  given + cases still unanswered past it);
* 满意率 — (满意 + 基本满意) ÷ return visits with an answer (未表态 left out), on the latest visit of each case;
* 重复信访 — cases registered as a repeat of an earlier one; 集体访 — visits of five or more people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from petitions.choices import Channel, ClockKind, ClockState, FeedbackResult, PetitionStatus
from petitions.models import PetitionClock
from presidium.counting import Aggregated, rows_and_totals

COMPLETION_KINDS = (ClockKind.COMPLETION, ClockKind.EXTENSION)
WINDOW_KINDS = (ClockKind.REVIEW_REQUEST, ClockKind.RE_REVIEW_REQUEST)  # the petitioner's time: never overdue
SATISFIED = (FeedbackResult.SATISFIED, FeedbackResult.BASICALLY)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def pct(value: float | None) -> str:
    """86.2% — or — when there is nothing to divide by."""
    return "—" if value is None else f"{value:g}%"


@dataclass
class Figures:
    cases: int = 0
    person_visits: int = 0
    accepted: int = 0
    not_accepted: int = 0
    answered_on_spot: int = 0
    closed: int = 0
    open: int = 0
    collective: int = 0
    collective_people: int = 0
    repeats: int = 0
    key_supervision: int = 0
    acceptance_on_time: int = 0
    acceptance_due: int = 0
    completion_on_time: int = 0
    completion_due: int = 0
    satisfied: int = 0
    rated: int = 0
    overdue_now: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def acceptance_rate(self) -> float | None:
        return _rate(self.acceptance_on_time, self.acceptance_due)

    @property
    def completion_rate(self) -> float | None:
        return _rate(self.completion_on_time, self.completion_due)

    @property
    def satisfaction_rate(self) -> float | None:
        return _rate(self.satisfied, self.rated)

    @property
    def acceptance_pct(self) -> str:
        return pct(self.acceptance_rate)

    @property
    def completion_pct(self) -> str:
        return pct(self.completion_rate)

    @property
    def satisfaction_pct(self) -> str:
        return pct(self.satisfaction_rate)


def in_period(queryset: QuerySet, start: dt.date, end: dt.date) -> QuerySet:
    return queryset.filter(received_on__gte=start, received_on__lte=end)


_S = PetitionStatus
def _totals(within: Q | None = None) -> dict:
    """The counted figures; with ``within``, each counts only the rows that match it as well."""
    def only(q: Q | None) -> Q | None:
        return q if within is None else (within if q is None else q & within)

    return {
        "cases": Count("pk", filter=only(None)),
        "person_visits": Sum("people_count", filter=only(None)),
        "accepted": Count("pk", filter=only(Q(accepted_on__isnull=False))),
        "not_accepted": Count("pk", filter=only(~Q(rejection_reason=""))),
        "answered_on_spot": Count("pk", filter=only(~Q(on_spot_answer=""))),
        "closed": Count("pk", filter=only(Q(status=_S.CLOSED))),
        "collective": Count("pk", filter=only(Q(is_collective=True))),
        "collective_people": Sum("people_count", filter=only(Q(is_collective=True))),
        "repeats": Count("pk", filter=only(Q(repeat_of__isnull=False))),
        "key_supervision": Count("pk", filter=only(Q(key_supervision=True))),
        "satisfied": Count("pk", filter=only(Q(feedback__in=SATISFIED))),
        "rated": Count("pk", filter=only(Q(feedback__in=[*SATISFIED, FeedbackResult.UNSATISFIED]))),
    }


_TOTALS = _totals()


def _clock_aggregate(queryset: QuerySet, today: dt.date) -> Aggregated:
    """:func:`_clock_counts` in all, to be read with another query (``presidium.counting``)."""
    return Aggregated(PetitionClock.objects.filter(petition__in=queryset.values("pk")), _clock_aggregates(today))


def _clock_aggregates(today: dt.date) -> dict:
    late_running = Q(state=ClockState.RUNNING, due_on__lt=today) & ~Q(kind__in=WINDOW_KINDS)
    acceptance = Q(kind=ClockKind.ACCEPTANCE)
    completion = Q(kind__in=COMPLETION_KINDS)
    counted = Q(state__in=[ClockState.MET, ClockState.MISSED]) | late_running
    aggregates = {
        "acceptance_on_time": Count("pk", filter=acceptance & Q(state=ClockState.MET)),
        "acceptance_due": Count("pk", filter=acceptance & counted),
        "completion_on_time": Count("pk", filter=completion & Q(state=ClockState.MET)),
        "completion_due": Count("pk", filter=completion & counted),
        "overdue_now": Count("petition", filter=late_running, distinct=True),
    }
    return aggregates


def _clock_counts(queryset: QuerySet, today: dt.date, *, by: str | None = None) -> dict:
    """On-time and due counts of the acceptance and completion clocks, per ``by`` (a petition field) or in all."""
    clocks = PetitionClock.objects.filter(petition__in=queryset.values("pk"))
    aggregates = _clock_aggregates(today)
    if by is None:
        return {None: clocks.aggregate(**aggregates)}
    key = f"petition__{by}"
    return {row.pop(key): row for row in clocks.values(key).order_by().annotate(**aggregates)}


def figures(queryset: QuerySet, *, today: dt.date | None = None) -> Figures:
    """The period's figures over ``queryset`` (already limited to the period): two queries."""
    today = today or timezone.localdate()
    totals = queryset.order_by().aggregate(**_TOTALS)
    result = Figures(**{k: v or 0 for k, v in totals.items()})
    for key, value in _clock_counts(queryset, today)[None].items():
        setattr(result, key, value or 0)
    result.open = result.cases - result.closed
    return result


def figures_by_township(queryset: QuerySet, *, today: dt.date | None = None) -> list[tuple[object, Figures]]:
    """One row per township (the county view), in two grouped queries plus the townships' names."""
    from presidium.models import Township

    today = today or timezone.localdate()
    totals = {row.pop("township"): row for row in queryset.order_by().values("township").annotate(**_TOTALS)}
    clocks = _clock_counts(queryset, today, by="township")
    townships = Township.objects.filter(pk__in=list(totals)).order_by("name")
    rows = []
    for township in townships:
        result = Figures(**{k: v or 0 for k, v in totals[township.pk].items()})
        for key, value in clocks.get(township.pk, {}).items():
            setattr(result, key, value or 0)
        result.open = result.cases - result.closed
        rows.append((township, result))
    return rows


def total_of(rows: list[tuple[object, Figures]]) -> Figures:
    """:func:`figures` of the union of the townships' rows of :func:`figures_by_township`, without reading the cases
    again: every figure is a count or a sum, and a case (with its clocks) belongs to one township, so the total of
    each is the sum of the townships' (``overdue_now`` counts distinct cases: distinct within each township)."""
    total = Figures()
    for _township, row in rows:
        for name in Figures.__dataclass_fields__:
            if name != "extra":
                setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


@dataclass(frozen=True)
class Breakdown:
    label: str
    cases: int
    person_visits: int


def by_channel(queryset: QuerySet) -> list[Breakdown]:
    """件 and 人次 per channel, every channel listed (zero rows too), in one query."""
    found = {row["channel"]: row for row in queryset.order_by().values("channel").annotate(
        cases=Count("pk"), people=Sum("people_count"))}
    return [Breakdown(str(label), found.get(value, {}).get("cases", 0), found.get(value, {}).get("people") or 0)
            for value, label in Channel.choices]


def by_category(queryset: QuerySet) -> list[Breakdown]:
    """件 and 人次 per category (the townships' own lists, merged by name), largest first, in one query."""
    merged: dict[str, list[int]] = {}
    for row in queryset.order_by().values("category__name").annotate(cases=Count("pk"), people=Sum("people_count")):
        name = row["category__name"] or "未分类"
        counts = merged.setdefault(name, [0, 0])
        counts[0] += row["cases"]
        counts[1] += row["people"] or 0
    return [Breakdown(name, c, p) for name, (c, p) in sorted(merged.items(), key=lambda item: (-item[1][0], item[0]))]


def monthly(queryset: QuerySet, year: int) -> tuple[list[int], list[int]]:
    """件 and 人次 received per month of ``year`` (one query)."""
    cases, people = [0] * 12, [0] * 12
    rows = (queryset.filter(received_on__year=year).order_by().annotate(month=ExtractMonth("received_on"))
            .values("month").annotate(n=Count("pk"), p=Sum("people_count")))
    for row in rows:
        cases[row["month"] - 1] = row["n"]
        people[row["month"] - 1] = row["p"] or 0
    return cases, people


@dataclass(frozen=True)
class YearOverview:
    """The home page's block: the figures from 1 January to ``today``, per channel and category, and per month."""

    figures: Figures
    channels: list[Breakdown]
    categories: list[Breakdown]
    monthly: tuple[list[int], list[int]]


def year_overview(queryset: QuerySet, *, today: dt.date | None = None) -> YearOverview:
    """:func:`figures`, :func:`by_channel`, :func:`by_category` of this year up to ``today`` and :func:`monthly`
    of the year, in two queries: the cases grouped by channel, category and month (every figure is a count or a
    sum, so the totals are the sums of the groups) and the clocks."""
    today = today or timezone.localdate()
    start = dt.date(today.year, 1, 1)
    aggregates = _totals(Q(received_on__lte=today))
    rows, clocks = rows_and_totals(
        queryset.filter(received_on__gte=start, received_on__year=today.year).order_by()
        .values("channel", "category__name", month=ExtractMonth("received_on"))
        .annotate(n=Count("pk"), p=Sum("people_count"), **aggregates),
        _clock_aggregate(in_period(queryset, start, today), today),
    )
    totals = dict.fromkeys(aggregates, 0)
    channels: dict[str, list[int]] = {}
    categories: dict[str, list[int]] = {}
    cases, people = [0] * 12, [0] * 12
    for row in rows:
        month = int(row["month"])  # read raw: PostgreSQL's EXTRACT gives a numeric
        cases[month - 1] += row["n"]
        people[month - 1] += row["p"] or 0
        for name in aggregates:
            totals[name] += row[name] or 0
        if row["cases"]:
            for bucket, key in ((channels, row["channel"]), (categories, row["category__name"] or "未分类")):
                counts = bucket.setdefault(key, [0, 0])
                counts[0] += row["cases"]
                counts[1] += row["person_visits"] or 0
    result = Figures(**totals)
    for key, value in clocks.items():
        setattr(result, key, value or 0)
    result.open = result.cases - result.closed
    return YearOverview(
        result,
        [Breakdown(str(label), *channels.get(value, [0, 0])) for value, label in Channel.choices],
        [Breakdown(name, c, p) for name, (c, p) in sorted(categories.items(), key=lambda item: (-item[1][0], item[0]))],
        (cases, people),
    )


HOME_SNAPSHOT = "petitions.home"  # the home block's figures snapshot, a county's or a township's (presidium.snapshots)


def home_snapshot(*, township_ids, year: int, today: dt.date, whole_county: bool = True) -> dict:
    """The home block's :func:`year_overview` as JSON (read back by :func:`overview_from_json`): the cases of
    ``township_ids`` as the county's roles (or one township's staff and chair) see them: every case of their
    townships. ``year`` is ``today``'s. The rows per township (the county's figures page) only for a county."""
    from dataclasses import asdict

    from petitions.models import Petition

    cases = Petition.objects.filter(township_id__in=township_ids)
    overview = year_overview(cases, today=today)
    labels = {str(label): value for value, label in Channel.choices}
    by_township = (figures_by_township(in_period(cases, dt.date(today.year, 1, 1), today), today=today)
                   if whole_county else [])
    return {
        "figures": asdict(overview.figures),
        # The county's figures page opens on this year to date: its row per township (figures_by_township).
        "townships": [[township.pk, asdict(row)] for township, row in by_township],
        "channels": [[labels[row.label], row.cases, row.person_visits] for row in overview.channels],
        "categories": [[row.label, row.cases, row.person_visits] for row in overview.categories],
        "monthly": [list(overview.monthly[0]), list(overview.monthly[1])],
    }


def overview_from_json(data: dict) -> YearOverview:
    channels = {value: (cases, people) for value, cases, people in data["channels"]}
    return YearOverview(
        Figures(**data["figures"]),
        [Breakdown(str(label), *channels.get(value, (0, 0))) for value, label in Channel.choices],
        [Breakdown(name, cases, people) for name, cases, people in data["categories"]],
        (list(data["monthly"][0]), list(data["monthly"][1])),
    )


def township_rows_from_json(data: dict, townships) -> list[tuple[object, Figures]]:
    """The snapshot's rows per township, with the township objects of ``townships`` (those the reader sees)."""
    by_pk = {township.pk: township for township in townships}
    return [(by_pk[pk], Figures(**row)) for pk, row in data.get("townships", []) if pk in by_pk]
