"""The handling figures (办复率, 见面率, 满意率, 解决率, on-time rate, overdue now, the 评先 flag) and the county report.

They are conditional aggregates over the suggestion table and the ratings, so their query count does not grow
with the number of items or units. Importable from :mod:`proposals.selectors` as well.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from typing import NamedTuple

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from presidium.models import HandlingUnit
from proposals.choices import (
    OPEN_HANDLING,
    ResultClass,
    Satisfaction,
    SuggestionKind,
    SuggestionStatus,
)
from proposals.models import (
    Rating,
    Suggestion,
)

S = SuggestionStatus

__all__ = [
    "county_report",
    "county_visible",
    "CountyReport",
    "day_start",
    "flagged_units",
    "HOME_SNAPSHOT",
    "home_snapshot",
    "HOME_UNITS",
    "in_period",
    "monthly_intake",
    "NamedTownship",
    "NamedUnit",
    "overview_from_json",
    "Rates",
    "rates",
    "rates_by_township",
    "rates_per_township_id",
    "rates_by_unit",
    "UNIT_FLAG_THRESHOLD",
    "unit_rows",
    "UnitRow",
    "unsatisfied_counts",
    "unsatisfied_units",
    "year_overview",
    "YearOverview",
]


# --- figures ----------------------------------------------------------------------------------------


@dataclass
class Rates:
    """The handling figures of a set of items (a township, a unit, a period)."""

    total: int = 0
    assigned: int = 0
    consulted: int = 0
    replied: int = 0
    replied_on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    unsatisfied: int = 0
    class_a: int = 0
    open_handling: int = 0
    overdue: int = 0
    overdue_unreplied: int = 0
    closed: int = 0
    by_status: dict = field(default_factory=dict)

    @staticmethod
    def _pct(part: int, whole: int) -> float | None:
        return round(100.0 * part / whole, 1) if whole else None

    @property
    def reply_rate(self):  # 办复率
        return self._pct(self.replied, self.assigned)

    @property
    def consultation_rate(self):  # 见面率
        return self._pct(self.consulted, self.assigned)

    @property
    def satisfaction_rate(self):  # 满意率
        return self._pct(self.satisfied, self.rated)

    @property
    def solved_rate(self):  # 解决率
        return self._pct(self.class_a, self.replied)

    @property
    def due(self) -> int:
        """Items whose first reply is owed by now: replied ones, and those past their deadline without a reply."""
        return self.replied + self.overdue_unreplied

    @property
    def on_time_rate(self):  # 按期答复率: an overdue item without a reply counts as late, not as nothing
        return self._pct(self.replied_on_time, self.due)


RATE_COUNTS = tuple(f.name for f in fields(Rates) if f.name != "by_status")  # the counts a Rates holds


def _rate_aggregates(today: dt.date) -> dict:
    open_values = [s.value for s in OPEN_HANDLING]
    return {
        "total": Count("pk"),
        "assigned": Count("pk", filter=Q(assigned_at__isnull=False)),
        "consulted": Count("pk", filter=Q(assigned_at__isnull=False, first_consulted_at__isnull=False)),
        "replied": Count("pk", filter=Q(first_replied_at__isnull=False)),
        "replied_on_time": Count("pk", filter=Q(first_replied_at__isnull=False, first_reply_on_time=True)),
        "rated": Count("pk", filter=~Q(satisfaction="")),
        "satisfied": Count("pk", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC])),
        "unsatisfied": Count("pk", filter=Q(satisfaction=Satisfaction.UNSATISFIED)),
        "class_a": Count("pk", filter=Q(first_replied_at__isnull=False, result_class=ResultClass.A)),
        "open_handling": Count("pk", filter=Q(status__in=open_values)),
        "overdue": Count("pk", filter=Q(status__in=open_values, deadline__lt=today)),
        "overdue_unreplied": Count("pk", filter=Q(status__in=open_values, deadline__lt=today,
                                                  first_replied_at__isnull=True)),
        "closed": Count("pk", filter=Q(status=S.CLOSED)),
    }


def in_period(queryset: QuerySet, start: dt.date | None, end: dt.date | None) -> QuerySet:
    """Items submitted (or entered, for items never submitted) within [start, end], dates in Asia/Shanghai.

    As ranges of the stored instants (midnight to midnight in the current time zone), not ``__date`` of each
    row: the database compares the column as it is (an index can answer) instead of converting every row."""
    if start:
        since = day_start(start)
        queryset = queryset.filter(Q(submitted_at__gte=since) | Q(submitted_at__isnull=True, created_at__gte=since))
    if end:
        until = day_start(end + dt.timedelta(days=1))
        queryset = queryset.filter(Q(submitted_at__lt=until) | Q(submitted_at__isnull=True, created_at__lt=until))
    return queryset


def day_start(day: dt.date) -> dt.datetime:
    """The start of ``day`` in the current time zone (Asia/Shanghai), as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def rates(queryset: QuerySet, *, today: dt.date | None = None) -> Rates:
    """The figures of ``queryset`` in one query grouped by status and kind: every figure is a count, so the totals
    are the sums of the rows, and the breakdowns by status and by kind come with them (``by_kind``, 议案 / 建议: an
    attribute of this result only, not a field that snapshots and comparisons carry)."""
    today = today or timezone.localdate()
    queryset = queryset.exclude(status__in=[S.DRAFT, S.WITHDRAWN]).order_by()
    aggregates = _rate_aggregates(today)
    totals = dict.fromkeys(aggregates, 0)
    by_status: dict[str, int] = {}
    by_kind = dict.fromkeys(SuggestionKind.values, 0)
    for row in queryset.values("status", "kind").annotate(**aggregates):
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["total"]
        by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["total"]
        for name in aggregates:
            totals[name] += row[name] or 0
    result = Rates(**totals)
    result.by_status = by_status
    result.by_kind = by_kind
    return result


def _rate_rows(queryset: QuerySet, key: str, today: dt.date | None) -> list[dict]:
    today = today or timezone.localdate()
    return list(
        queryset.exclude(status__in=[S.DRAFT, S.WITHDRAWN]).filter(**{f"{key}__isnull": False}).order_by()
        .values(key).annotate(**_rate_aggregates(today))
    )


def _rates_grouped(queryset: QuerySet, key: str, objects, today: dt.date | None) -> list[tuple[object, Rates]]:
    rows = _rate_rows(queryset, key, today)
    by_pk = objects.in_bulk([row[key] for row in rows])
    result = []
    for row in rows:
        obj = by_pk.get(row.pop(key))
        if obj is not None:
            result.append((obj, Rates(**row)))
    result.sort(key=lambda pair: (-pair[1].assigned, -pair[1].total, pair[0].name))
    return result


def rates_by_unit(queryset: QuerySet, *, today: dt.date | None = None) -> list[tuple[HandlingUnit, Rates]]:
    """Per lead unit, in one grouped query plus one for the units (with their township: every township has a 财政所)."""
    return _rates_grouped(queryset, "lead_unit_id", HandlingUnit.objects.select_related("township"), today)


def rates_by_township(queryset: QuerySet, *, today: dt.date | None = None) -> list[tuple[object, Rates]]:
    """Per township (the county's view), in one grouped query plus one for the townships."""
    from presidium.models import Township

    return _rates_grouped(queryset, "township_id", Township.objects, today)


def rates_per_township_id(queryset: QuerySet, *, today: dt.date | None = None) -> dict[int, Rates]:
    """Per township id, as :func:`rates_by_township` counts them, in its grouped query alone (no townships read)."""
    return {row.pop("township_id"): Rates(**row) for row in _rate_rows(queryset, "township_id", today)}


def unsatisfied_counts(*, township_ids, year: int) -> dict[int, int]:
    """Per unit: items rated 不满意 in ``year`` (Asia/Shanghai) without a reason the presidium accepted.

    The rule counts items (件): an item rated 不满意 in two rounds is one item against its unit. The
    rating carries the unit that answered, so after a 改办 each unit answers for its own replies.
    ``township_ids`` may be a queryset of ids (then a subquery, not a query of its own).
    """
    return dict(_unsatisfied(township_ids, year).values("unit_id").annotate(n=Count("suggestion_id", distinct=True))
                .values_list("unit_id", "n"))


def unsatisfied_units(*, township_ids, year: int, at_least: int) -> list[tuple[int, str, int]]:
    """(unit id, unit name, items) for the units with at least ``at_least`` items of :func:`unsatisfied_counts`,
    in one query (the chair's desk names them)."""
    return [(row["unit_id"], row["unit__name"], row["n"])
            for row in unsatisfied_units_rows(township_ids=township_ids, year=year, at_least=at_least)]


def unsatisfied_units_rows(*, township_ids, year: int, at_least: int) -> QuerySet:
    """:func:`unsatisfied_units` as a ``values()`` queryset (``unit_id``, ``unit__name``, ``n``), whose SQL the
    chair's desk keeps for the day."""
    return (_unsatisfied(township_ids, year).values("unit_id", "unit__name")
            .annotate(n=Count("suggestion_id", distinct=True)).filter(n__gte=at_least))


def _unsatisfied(township_ids, year: int) -> QuerySet:
    return Rating.objects.filter(unit__township_id__in=township_ids if isinstance(township_ids, QuerySet)
                                 else list(township_ids), rated_at__year=year,
                                 overall=Satisfaction.UNSATISFIED, reason_accepted=False).order_by()


UNIT_FLAG_THRESHOLD = 2  # 水冶: "一年内只要超过2件" → more than two


def flagged_units(*, township_ids, year: int) -> dict[int, int]:
    """Units that lose 评先 eligibility in ``year``: more than two unsatisfied results without accepted reason."""
    return {unit: n for unit, n in unsatisfied_counts(township_ids=township_ids, year=year).items()
            if n > UNIT_FLAG_THRESHOLD}


class UnitRow(NamedTuple):
    """One line of the per-unit table: the unit's rates and its 不满意（无正当理由） count in the year."""

    unit: NamedUnit
    rates: Rates
    unsatisfied: int
    flagged: bool


def unit_rows(queryset: QuerySet, *, township_ids, year: int, today: dt.date | None = None) -> list[UnitRow]:
    """Every unit with items in ``queryset`` or with an unsatisfied rating in ``year``, with both figures.

    The rates count the items of the period; the unsatisfied count (which decides 评先) counts the
    ratings given in the year, whenever the item was raised — so a unit rated 不满意 this year for an
    item of last year is listed too, with empty rates.
    """
    by_unit = _rates_by_named_unit(queryset, today=today)
    # The unsatisfied counts come with their units' names, so a unit rated 不满意 without an item in the period
    # is named without a query of its own: the page makes the same queries whatever the data.
    named = {row[0]: row for row in _unsatisfied(township_ids, year).values_list(
        "unit_id", "unit__name", "unit__township_id", "unit__township__name").annotate(
        n=Count("suggestion_id", distinct=True))}
    counts = {pk: row[4] for pk, row in named.items()}
    listed = {unit.pk for unit, _r in by_unit}
    rows = [(unit, rates_) for unit, rates_ in by_unit]
    rows += sorted(((_named_unit(*named[pk][:4]), Rates()) for pk in counts if pk not in listed),
                   key=lambda pair: pair[0].name)
    return [UnitRow(unit, rates_, counts.get(unit.pk, 0), counts.get(unit.pk, 0) > UNIT_FLAG_THRESHOLD)
            for unit, rates_ in rows]


def _rates_by_named_unit(queryset: QuerySet, *, today: dt.date | None = None) -> list[tuple[NamedUnit, Rates]]:
    """:func:`rates_by_unit` with each unit named in the grouped rows (name and township only, as the figures table
    shows them) instead of loading every unit: a county's 750 units were a third of its figures page."""
    rows = (queryset.exclude(status__in=[S.DRAFT, S.WITHDRAWN]).filter(lead_unit_id__isnull=False).order_by()
            .values("lead_unit_id", "lead_unit__name", "lead_unit__township_id", "lead_unit__township__name")
            .annotate(**_rate_aggregates(today or timezone.localdate())))
    result = [(_named_unit(row.pop("lead_unit_id"), row.pop("lead_unit__name"), row.pop("lead_unit__township_id"),
                           row.pop("lead_unit__township__name")), Rates(**row)) for row in rows]
    result.sort(key=lambda pair: (-pair[1].assigned, -pair[1].total, pair[0].name))
    return result


def monthly_intake(queryset: QuerySet, year: int) -> list[int]:
    """Items submitted per month of ``year`` (12 numbers), for the home chart."""
    from django.db.models.functions import ExtractMonth

    rows = (
        queryset.filter(submitted_at__year=year).order_by().annotate(month=ExtractMonth("submitted_at"))
        .values("month").annotate(n=Count("pk")).values_list("month", "n")
    )
    counts = dict(rows)
    return [counts.get(month, 0) for month in range(1, 13)]


class NamedTownship(NamedTuple):
    """A township as the figures name it: its key and name (read with the grouped rows, not loaded)."""

    pk: int
    name: str


class NamedUnit(NamedTuple):
    """A lead unit as the figures tables and charts name it: its key, name and township, read with the grouped
    rows. The county's figures name 750 units: two model instances each (unit and township) were 10 ms a page."""

    pk: int
    name: str
    township_id: int
    township: NamedTownship

    @property
    def id(self) -> int:
        return self.pk

    def __str__(self) -> str:
        return self.name


def _named_unit(pk: int, name: str, township_id: int, township_name: str) -> NamedUnit:
    """A unit as the charts name it (its name and its township's), read with the figures instead of loaded."""
    return NamedUnit(pk, name, township_id, NamedTownship(township_id, township_name))


class YearOverview(NamedTuple):
    """The home page's chart block in one grouped query: the figures, the lead units' rates, the monthly intake."""

    figures: Rates
    units: list[tuple[NamedUnit, Rates]]
    intake: list[int]


def year_overview(queryset: QuerySet, year: int, *, today: dt.date | None = None) -> YearOverview:
    """What :func:`rates`, :func:`rates_by_unit` and :func:`monthly_intake` give over ``queryset`` (items of
    ``year``, see :func:`in_period`), from one query grouped by lead unit, status and month of submission (every
    figure is a count, so each is the sum of its groups), the units named in the same rows: the home page shows
    all three."""
    from django.db.models.functions import ExtractMonth

    today = today or timezone.localdate()
    aggregates = _rate_aggregates(today)
    left_out = {S.DRAFT, S.WITHDRAWN}
    totals = dict.fromkeys(aggregates, 0)
    by_status: dict[str, int] = {}
    by_unit: dict[int, dict[str, int]] = {}
    intake = [0] * 12
    names: dict[int, tuple[str, int, str]] = {}
    rows = (queryset.order_by().values("lead_unit_id", "lead_unit__name", "lead_unit__township_id",
                                       "lead_unit__township__name", "status", month=ExtractMonth("submitted_at"))
            .annotate(**aggregates))
    for row in rows:
        if row["month"] is not None:
            intake[row["month"] - 1] += row["total"]
        if row["status"] in left_out:
            continue
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["total"]
        unit = by_unit.setdefault(row["lead_unit_id"], dict.fromkeys(aggregates, 0)) if row["lead_unit_id"] else None
        if unit is not None:
            names[row["lead_unit_id"]] = (row["lead_unit__name"], row["lead_unit__township_id"],
                                          row["lead_unit__township__name"])
        for name in aggregates:
            totals[name] += row[name] or 0
            if unit is not None:
                unit[name] += row[name] or 0
    figures = Rates(**totals)
    figures.by_status = by_status
    pairs = [(_named_unit(pk, *names[pk]), Rates(**counts)) for pk, counts in by_unit.items()]
    pairs.sort(key=lambda pair: (-pair[1].assigned, -pair[1].total, pair[0].name))
    return YearOverview(figures, pairs, intake)


HOME_SNAPSHOT = "proposals.home"  # the home block's figures snapshot, a county's or a township's (presidium.snapshots)
HOME_UNITS = 10  # the lead units the home block's charts show, the most assigned first


def ever_submitted_q() -> Q:
    """The items a township's staff and chair see (:func:`suggestions_visible_to`): every item ever submitted, so
    also those returned to draft (their own unsubmitted entries aside)."""
    return ~Q(status=S.DRAFT) | Q(submitted_at__isnull=False)


def not_draft_q() -> Q:
    """The items the county's roles see (:func:`suggestions_visible_to`): none in draft."""
    return ~Q(status=S.DRAFT)


def county_visible(township_ids) -> QuerySet:
    """The items of ``township_ids`` as the county's roles see them."""
    return Suggestion.objects.filter(not_draft_q(), township_id__in=township_ids)


def township_visible(township_ids) -> QuerySet:
    """The items of ``township_ids`` as their staff and chair see them (no figure counts an unsubmitted entry)."""
    return Suggestion.objects.filter(ever_submitted_q(), township_id__in=township_ids)


def home_snapshot(*, township_ids, year: int, today: dt.date, whole_county: bool = True) -> dict:
    """The home block's :func:`year_overview` as JSON (read back by :func:`overview_from_json`): as the county's
    roles see the items (``whole_county``), or as the township's staff and chair do."""
    visible = county_visible(township_ids) if whole_county else township_visible(township_ids)
    items = in_period(visible, dt.date(year, 1, 1), dt.date(year, 12, 31))
    overview = year_overview(items, year, today=today)
    return {
        "figures": rates_json(overview.figures),
        # The charts name the first ten units (the county has hundreds): the snapshot keeps those.
        "units": [[unit.pk, unit.name, unit.township_id, unit.township.name, asdict(r)]
                  for unit, r in overview.units[:HOME_UNITS]],
        "intake": overview.intake,
    }


def rates_json(figures: Rates) -> dict:
    """``figures`` as JSON, the statuses as pairs: PostgreSQL's jsonb keeps an object's keys in its own order, and
    the status chart's slices come in the order the statuses were counted."""
    data = asdict(figures)
    data["by_status"] = list(figures.by_status.items())
    return data


def rates_from_json(data: dict) -> Rates:
    return Rates(**{**data, "by_status": dict(data["by_status"])})


def overview_from_json(data: dict) -> YearOverview:
    figures = rates_from_json(data["figures"])
    units = [(_named_unit(pk, name, township_id, township_name), Rates(**r))
             for pk, name, township_id, township_name, r in data["units"]]
    return YearOverview(figures, units, list(data["intake"]))





@dataclass(frozen=True)
class CountyReport:
    """全县议案建议办理情况: one row per township (its rates, units flagged, county opinions) and the county total."""

    start: dt.date
    end: dt.date
    rows: list  # [(township, Rates, units that lose 评先, 督办意见 sent in the period)]
    total: Rates
    flagged_total: int
    opinions_total: int


def county_report(townships, *, start: dt.date, end: dt.date, today: dt.date | None = None) -> CountyReport:
    """The county-wide handling report for items submitted in [start, end], from the same selectors as the figures.

    ``townships`` are those the reader may see; every township is listed, also those without items.
    Queries: the grouped rates, the total, the unsatisfied counts, the opinions — whatever the number of townships.
    """
    from proposals.models import SupervisionOpinion

    townships = list(townships)
    ids = [t.pk for t in townships]
    items = in_period(Suggestion.objects.filter(township_id__in=ids), start, end)
    grouped = rates_per_township_id(items, today=today)
    flagged_per_township: dict[int, int] = {}
    flagged = flagged_units(township_ids=ids, year=end.year)
    # No ordering: the units' default one joins their townships and counties to sort ids nobody reads in order.
    for township_id in HandlingUnit.objects.filter(pk__in=list(flagged)).order_by().values_list("township_id",
                                                                                                flat=True):
        flagged_per_township[township_id] = flagged_per_township.get(township_id, 0) + 1
    opinions = dict(
        SupervisionOpinion.objects.filter(township_id__in=ids, sent_at__date__range=(start, end)).order_by()
        .values("township_id").annotate(n=Count("pk")).values_list("township_id", "n")
    )
    rows = [(t, grouped.get(t.pk, Rates()), flagged_per_township.get(t.pk, 0), opinions.get(t.pk, 0))
            for t in townships]
    # Every figure is a count of items, and every item is in exactly one township: the county's total is the sum
    # of the townships' rows (a second pass over the county's items cost 10-15 ms).
    total = Rates(**{name: sum(getattr(r, name) for r in grouped.values()) for name in RATE_COUNTS})
    return CountyReport(start=start, end=end, rows=rows, total=total,
                        flagged_total=sum(flagged_per_township.values()), opinions_total=sum(opinions.values()))
