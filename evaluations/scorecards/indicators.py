"""Indicators the portal computes from a township's own records (平台指标), for checklist items.

Each indicator is a key, a label, a unit and two functions over a period ``[start, end]``:

* ``figures(township_ids, start, end) -> {township_id: Decimal | None}`` — the figure of many townships in a
  fixed number of grouped queries (the comparison view asks for 3 or 30 townships alike);
* ``records(township, start, end) -> QuerySet`` — the source records behind one township's figure; each row
  links to its own page through ``get_absolute_url()`` and is named by ``str()`` (or ``record_label``).

:func:`measure` puts the two together for one township: "a function over (township, period) returning the
figure and the queryset of its source records". The figures reuse the other apps' selectors (proposals'
``rates``, petitions' ``figures``), so a 办复率 here is the 办复率 on the proposals' figures page.

Adding one (meetings, bulletins once those apps land): write its two functions over the app's selectors in
this module (evaluations stands on top: it may import them) and call :func:`register_indicator` in
:func:`register_builtin` — or from the meetings wiring of the evaluations app. Keys are stored on checklist
items, so never rename one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _l


@dataclass(frozen=True)
class Indicator:
    key: str
    label: object  # lazy: translated when shown
    unit: object
    figures: Callable[[list[int], dt.date, dt.date], dict[int, Decimal | None]]
    records: Callable[[object, dt.date, dt.date], QuerySet]
    definition: object = ""

    def record_label(self, obj) -> str:
        return str(getattr(obj, "record_label", None) or obj)[:200]


@dataclass(frozen=True)
class Measure:
    """One township's figure for a period, and the records it was computed from."""

    indicator: Indicator
    figure: Decimal | None
    records: QuerySet


_REGISTRY: dict[str, Indicator] = {}


def register_indicator(indicator: Indicator) -> Indicator:
    _REGISTRY[indicator.key] = indicator
    return indicator


def get_indicator(key: str) -> Indicator | None:
    return _REGISTRY.get(key)


def all_indicators() -> list[Indicator]:
    return list(_REGISTRY.values())


def indicator_choices() -> list[tuple[str, str]]:
    return [(i.key, f"{i.label}（{i.unit}）") for i in _REGISTRY.values()]


def measure(key: str, township, start: dt.date, end: dt.date) -> Measure:
    indicator = _REGISTRY[key]
    figure = indicator.figures([township.pk], start, end).get(township.pk)
    return Measure(indicator, figure, indicator.records(township, start, end))


def figures_for(keys: Iterable[str], township_ids: list[int], start: dt.date, end: dt.date
                ) -> dict[str, dict[int, Decimal | None]]:
    """Every indicator in ``keys`` for every township: queries grow with the indicators, never the townships."""
    result = {}
    for key in dict.fromkeys(keys):
        indicator = _REGISTRY.get(key)
        if indicator is not None:
            result[key] = indicator.figures(list(township_ids), start, end)
    return result


def _dec(value, places: str = "0.01") -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


# --- deputies: visits per deputy --------------------------------------------------------------------


def _visit_records(township, start, end) -> QuerySet:
    from deputies.models import Visit

    return Visit.objects.filter(township=township, visited_on__range=(start, end)).select_related("deputy")


def _visits_per_deputy(ids, start, end):
    from deputies.choices import DeputyStatus
    from deputies.models import Deputy, Visit

    visits = dict(Visit.objects.filter(township_id__in=ids, visited_on__range=(start, end)).order_by()
                  .values("township_id").annotate(n=Count("pk")).values_list("township_id", "n"))
    deputies = dict(Deputy.objects.filter(township_id__in=ids, status=DeputyStatus.SERVING).order_by()
                    .values("township_id").annotate(n=Count("pk")).values_list("township_id", "n"))
    return {pk: _dec(visits.get(pk, 0) / deputies[pk]) if deputies.get(pk) else None for pk in ids}


# --- proposals: suggestions received, 办复率, 满意率 ---------------------------------------------------


def _suggestions(township_ids, start, end) -> QuerySet:
    from proposals.choices import SuggestionStatus
    from proposals.models import Suggestion
    from proposals.selectors import in_period

    return in_period(Suggestion.objects.filter(township_id__in=township_ids), start, end).exclude(
        status__in=[SuggestionStatus.DRAFT, SuggestionStatus.WITHDRAWN])


def _suggestion_records(township, start, end) -> QuerySet:
    return _suggestions([township.pk], start, end).order_by("-submitted_at", "-pk")


def _rates(ids, start, end) -> dict:
    from proposals.selectors import Rates, rates_per_township_id

    found = rates_per_township_id(_suggestions(ids, start, end))
    return {pk: found.get(pk, Rates()) for pk in ids}


def _suggestions_received(ids, start, end):
    return {pk: Decimal(r.total) for pk, r in _rates(ids, start, end).items()}


def _reply_rate(ids, start, end):
    return {pk: _dec(r.reply_rate, "0.1") for pk, r in _rates(ids, start, end).items()}


def _satisfaction_rate(ids, start, end):
    return {pk: _dec(r.satisfaction_rate, "0.1") for pk, r in _rates(ids, start, end).items()}


def _rated_records(township, start, end) -> QuerySet:
    return _suggestion_records(township, start, end).exclude(satisfaction="")


# --- petitions: finished on time, reception days held ------------------------------------------------


def _petitions(ids, start, end) -> QuerySet:
    from petitions.figures import in_period
    from petitions.models import Petition

    return in_period(Petition.objects.filter(township_id__in=ids), start, end)


def _petitions_on_time(ids, start, end):
    from petitions.figures import figures_by_township

    found = {t.pk: f.completion_rate for t, f in figures_by_township(_petitions(ids, start, end))}
    return {pk: _dec(found.get(pk), "0.1") for pk in ids}


def _petition_records(township, start, end) -> QuerySet:
    return _petitions([township.pk], start, end).order_by("-received_on", "-pk")


def _reception_records(township, start, end) -> QuerySet:
    from petitions.choices import ReceptionStatus
    from petitions.models import ReceptionDay

    return ReceptionDay.objects.filter(township=township, date__range=(start, end), status=ReceptionStatus.HELD)


def _reception_days(ids, start, end):
    from petitions.choices import ReceptionStatus
    from petitions.models import ReceptionDay

    held = dict(ReceptionDay.objects.filter(township_id__in=ids, date__range=(start, end),
                                            status=ReceptionStatus.HELD).order_by()
                .values("township_id").annotate(n=Count("pk")).values_list("township_id", "n"))
    return {pk: Decimal(held.get(pk, 0)) for pk in ids}


def register_builtin() -> None:
    """The indicators the portal has today. Meetings and bulletins register theirs here once they land."""
    for indicator in (
        Indicator("visits_per_deputy", _l("人均走访选民次数"), _l("次/人"), _visits_per_deputy,
                  _visit_records, _l("期内走访选民记录数 ÷ 在任代表数")),
        Indicator("suggestions_received", _l("收到代表建议"), _l("件"), _suggestions_received,
                  _suggestion_records, _l("期内提交的代表建议（不含草稿和撤回）")),
        Indicator("reply_rate", _l("办复率"), "%", _reply_rate, _suggestion_records,
                  _l("已答复 ÷ 已交办，与议案建议统计页相同")),
        Indicator("satisfaction_rate", _l("满意率"), "%", _satisfaction_rate, _rated_records,
                  _l("（满意 + 基本满意）÷ 已测评，与议案建议统计页相同")),
        Indicator("petitions_on_time", _l("信访按期办结率"), "%", _petitions_on_time, _petition_records,
                  _l("按期答复 ÷（已答复 + 超期未答复），与信访统计页相同")),
        Indicator("reception_days_held", _l("接待日接待次数"), _l("次"), _reception_days,
                  _reception_records, _l("期内已接待的接待日")),
    ):
        register_indicator(indicator)
