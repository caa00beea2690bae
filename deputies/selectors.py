"""Reads that encode a rule. Every screen of the app starts from one of these.

Visibility is built on :mod:`presidium.access`: staff see their township, county roles their
county, a deputy only their own rows; everyone else nothing. Another township's row is therefore
simply not found (404).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

from django.db.models import BigIntegerField, Count, Expression, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from deputies import access as deputies_access
from deputies.choices import DeputyStatus
from deputies.models import (
    Constituency,
    Deputy,
    DeputyGroup,
    LiaisonStation,
    Visit,
    VisitOpinion,
    VisitTarget,
    VisitYear,
)
from presidium.access import scope_of, township_q, townships_where
from presidium.choices import Role

_REGISTRY_ROLES = deputies_access.COUNTY | deputies_access.ADMINISTRATORS | {Role.PRESIDIUM_CHAIR}


def _own_or_township(user, *, own: Q, field: str = "township") -> Q:
    """Rows of the townships the user reads through a registry role, plus their own as a deputy."""
    scope = scope_of(user)
    if scope.is_superuser:
        return Q()
    condition = township_q(user, roles=_REGISTRY_ROLES, field=field)
    if scope.has_role(Role.DEPUTY) and scope.user_id:
        condition |= own
    return condition


def own_deputy_q(user_id, *, prefix: str = "") -> Q:
    """The deputy rows of the person logged in as ``user_id``: their current row and, after a change of term,
    their rows of earlier terms (the account moves to the new row; the history stays on the old ones)."""
    if user_id is None:
        return (Q(**{f"{prefix}user_id": user_id}) | Q(**{f"{prefix}successor__user_id": user_id})
                | Q(**{f"{prefix}successor__successor__user_id": user_id}))
    # The rows' ids from the account's current row (one at most: the account is unique), as three scalar
    # subqueries: each is looked up once and compared by index. ORed as joins (``successor__user_id``),
    # PostgreSQL scanned every deputy, and under a list every item, to find a person's few.
    current = Deputy.objects.filter(user_id=user_id).order_by()
    return (Q(**{f"{prefix}pk": Subquery(current.values("pk")[:1])})
            | Q(**{f"{prefix}pk": Subquery(current.values("previous_id")[:1])})
            | Q(**{f"{prefix}pk": Subquery(current.values("previous__previous_id")[:1])}))


def is_own_deputy(deputy, user_id) -> bool:
    """Is ``deputy`` (a row of any term) the person logged in as ``user_id``? No query for a current row."""
    if user_id is None or deputy is None:
        return False
    if deputy.user_id is not None:
        return deputy.user_id == user_id
    # An earlier term's row has no account (it moved to the successor row at the change of term).
    return Deputy.objects.filter(own_deputy_q(user_id), pk=deputy.pk).exists()


def deputies_visible_to(user) -> QuerySet[Deputy]:
    """Deputies the user may open: their townships' (staff, county), or themself (a deputy, in every term)."""
    return Deputy.objects.filter(_own_or_township(user, own=own_deputy_q(scope_of(user).user_id))).select_related(
        "township", "group", "station", "constituency", "term"
    )


def deputies_administered_by(user) -> QuerySet[Deputy]:
    """Deputies whose registry entry the user may change."""
    return Deputy.objects.filter(township__in=townships_where(user, deputies_access.MANAGE))


def visits_visible_to(user) -> QuerySet[Visit]:
    """Visits the user may open: their townships' (staff, county), or their own (a deputy)."""
    own = own_deputy_q(scope_of(user).user_id, prefix="deputy__")
    return Visit.objects.filter(_own_or_township(user, own=own)).select_related(
        "deputy", "township"
    )


def visits_counted(user, *, township=None, with_opinions: bool = False) -> int | None:
    """How many visits ``user`` may open (of ``township``; with ``with_opinions``, those with at least one opinion):
    ``visits_visible_to(user)`` counted, without walking the visits.

    The unfiltered visits list counted a county's 104,000 visits on every page (an index-only scan, 11-18 ms);
    the yearly rows the visit services keep (:class:`VisitYear`: each deputy's visits of a year, with the township
    the visits copy from their deputy) hold the same total in ~9,000 rows. With opinions, the visits with none are
    taken off: the ``opinion_count = 0`` entries of the (township, opinion_count) index, a few of each township.
    One query. None when the user also sees visits outside their townships (a deputy's own): count those."""
    scope = scope_of(user)
    if not scope.is_superuser and scope.has_role(Role.DEPUTY) and scope.user_id:
        return None
    condition = township_q(user, roles=_REGISTRY_ROLES)  # _own_or_township without a deputy's own rows
    if township is not None:
        condition &= Q(township=township)
    total = Coalesce(Sum("visits"), 0)
    if with_opinions:
        # one row (GROUP BY the constant 0) or none: a scalar subquery
        without = (Visit.objects.filter(condition, opinion_count=0).order_by().values("opinion_count")
                   .annotate(n=Count("*")).values("n"))
        total = total - Coalesce(Subquery(without), 0)
    return VisitYear.objects.filter(condition).aggregate(n=total)["n"]


def opinions_visible_to(user) -> QuerySet[VisitOpinion]:
    """Opinions from visits the user may open (for the proposals and petitions apps' pickers)."""
    return VisitOpinion.objects.filter(visit__in=visits_visible_to(user).values("pk")).select_related("visit__deputy")


def groups_visible_to(user) -> QuerySet[DeputyGroup]:
    return DeputyGroup.objects.filter(township_q(user, roles=_REGISTRY_ROLES)).select_related("township", "parent")


def stations_visible_to(user) -> QuerySet[LiaisonStation]:
    return LiaisonStation.objects.filter(township_q(user, roles=_REGISTRY_ROLES)).select_related("township")


def constituencies_visible_to(user) -> QuerySet[Constituency]:
    return Constituency.objects.filter(township_q(user, roles=_REGISTRY_ROLES)).select_related("township")


def deputy_of(user) -> Deputy | None:
    """The Deputy linked to ``user``'s account (the deputy role finds "their" deputy through it).

    A deputy found is kept on the user object, i.e. for the request: a deputy's home asked three times (its cards
    and blocks). None is not kept: an account may be linked to its deputy later in the same request."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_deputy_of", None)
    if cached is not None and cached.user_id == user.pk:
        return cached
    deputy = Deputy.objects.select_related("township").filter(user=user).first()
    if deputy is not None:
        user._deputy_of = deputy
    return deputy


def serving(queryset: QuerySet[Deputy]) -> QuerySet[Deputy]:
    """Deputies serving now: 在任 in their township's current term (a next term opened in the change of term
    already holds the re-elected, who serve in the current one until it is switched)."""
    return queryset.filter(term_q(CURRENT_TERM), status=DeputyStatus.SERVING)


def seated(queryset: QuerySet[Deputy], term: str = "") -> QuerySet[Deputy]:
    """The deputies a term's figures count: now serving for 本届; for an earlier term, those who served to its
    end (in office, or left with 任期届满); for all terms, those in office."""
    if term and term.isdigit():
        return queryset.filter(term_id=int(term), status__in=[DeputyStatus.SERVING, DeputyStatus.TERM_ENDED])
    if term == ALL_TERMS:
        return queryset.filter(status=DeputyStatus.SERVING)
    return serving(queryset)


# --- visit targets and progress ---------------------------------------------------------------


def target_for(township_id: int, year: int) -> VisitTarget | None:
    """The year's target, or the latest earlier one (targets carry over until staff change them)."""
    return VisitTarget.objects.filter(township_id=township_id, year__lte=year).order_by("-year").first()


def targets_for(township_ids, year: int) -> dict[int, VisitTarget]:
    """``target_for`` for many townships in one query (``township_ids`` may be a queryset of ids: a subquery),
    with each target's township loaded (the panels name it).

    Only each township's target in force is read (its latest year up to ``year``, looked up per township on the
    (township, year) unique index), not every earlier year's with its township: a county's 91 targets and 91
    townships built per request for 20 used (docs/performance.md, eighth round).

    For a list of ids the query's SQL is kept per (ids, year) (``presidium.home_cards.kept_sql``: it depends on
    nothing else) and its rows made into the instances the ORM makes (:func:`_loaded_targets`): building and
    compiling the correlated subquery was about 2 ms of CPU of every duty overview (eleventh round). The rows are
    read afresh each time, so a target set or changed shows at once."""
    if isinstance(township_ids, QuerySet):
        return {target.township_id: target for target in targets_in_force(township_ids, year)}
    ids = tuple(sorted(set(township_ids)))
    if not ids:
        return {}
    from presidium.home_cards import kept_sql

    kept = kept_sql(("deputies_targets", ids, year),
                    lambda: targets_in_force(list(ids), year).values_list(*_TARGET_FIELDS, *_TOWNSHIP_COLUMNS))
    return {target.township_id: target for target in _loaded_targets(kept.alias, kept.tuples())}


def targets_in_force(township_ids, year: int) -> QuerySet[VisitTarget]:
    """The query of :func:`targets_for` (each township's latest target up to ``year``), for a caller that reads it
    its own way (the home's behind card reads its values)."""
    in_force = (VisitTarget.objects.filter(township_id=OuterRef("township_id"), year__lte=year).order_by("-year")
                .values("year")[:1])
    return VisitTarget.objects.filter(township_id__in=township_ids, year=Subquery(in_force)).select_related(
        "township").order_by()


_TARGET_FIELDS = tuple(f.attname for f in VisitTarget._meta.concrete_fields)
_TOWNSHIP_FIELDS = tuple(f.attname for f in VisitTarget._meta.get_field("township").related_model._meta.concrete_fields)
_TOWNSHIP_COLUMNS = tuple(f"township__{name}" for name in _TOWNSHIP_FIELDS)


def _loaded_targets(alias: str, rows) -> list[VisitTarget]:
    """Each row of ``_TARGET_FIELDS + _TOWNSHIP_COLUMNS`` as ``select_related("township")`` loads it: the target
    and its township through ``from_db``, the township in the target's relation cache."""
    township_model = VisitTarget._meta.get_field("township").related_model
    cache_township = VisitTarget._meta.get_field("township").set_cached_value
    split = len(_TARGET_FIELDS)
    targets = []
    for row in rows:
        target = VisitTarget.from_db(alias, _TARGET_FIELDS, row[:split])
        cache_township(target, township_model.from_db(alias, _TOWNSHIP_FIELDS, row[split:]))
        targets.append(target)
    return targets


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def elapsed_fraction(year: int, today: dt.date | None = None) -> float:
    """How much of ``year`` has passed (1.0 for past years, 0.0 for future ones)."""
    today = today or timezone.localdate()
    start, end = year_bounds(year)
    if today < start:
        return 0.0
    if today >= end:
        return 1.0
    return ((today - start).days + 1) / ((end - start).days + 1)


@dataclass(frozen=True)
class Progress:
    """One deputy's visits in a year against the township's target, prorated to today."""

    visits: int
    households: int
    people: int
    opinions: int
    target: VisitTarget | None
    fraction: float

    def _expected(self, per_year: int) -> int:
        return int(per_year * self.fraction)

    @property
    def visits_target(self) -> int:
        return self.target.visits_per_month * 12 if self.target else 0

    @property
    def visits_expected(self) -> int:
        return self._expected(self.visits_target)

    @property
    def people_target(self) -> int:
        return self.target.people_per_year if self.target else 0

    @property
    def people_expected(self) -> int:
        return self._expected(self.people_target)

    @property
    def households_target(self) -> int:
        return self.target.households_per_year if self.target else 0

    @property
    def households_expected(self) -> int:
        return self._expected(self.households_target)

    @property
    def behind(self) -> bool:
        if self.target is None:
            return False
        return (self.visits < self.visits_expected or self.people < self.people_expected
                or self.households < self.households_expected)

    @staticmethod
    def percent(done: int, goal: int) -> int:
        return min(100, round(done * 100 / goal)) if goal else 0

    @property
    def visits_percent(self) -> int:
        return self.percent(self.visits, self.visits_target)

    @property
    def people_percent(self) -> int:
        return self.percent(self.people, self.people_target)

    @property
    def households_percent(self) -> int:
        return self.percent(self.households, self.households_target)


def visit_totals(deputy_ids, year: int) -> dict[int, dict[str, int]]:
    """Visits, households, people and opinions per deputy in ``year``: the yearly rows the visit services keep
    (:class:`VisitYear`, one row per deputy with visits that year, read by the (deputy, year) unique index) rather
    than the year's visits grouped on each view (docs/performance.md, eighth round)."""
    totals = {pk: {"visits": 0, "households": 0, "people": 0, "opinions": 0} for pk in deputy_ids}
    if not totals:
        return totals
    for deputy_id, visits, households, people, opinions in _kept_year_rows(list(totals), year):
        totals[deputy_id].update(visits=visits, households=households, people=people, opinions=opinions)
    return totals


def _year_rows(deputy_ids: list[int], year: int):
    return VisitYear.objects.filter(deputy_id__in=deputy_ids, year=year).values_list(
        "deputy_id", "visits", "households", "people", "opinions")


def _kept_year_rows(deputy_ids: list[int], year: int) -> list[tuple]:
    """``_year_rows`` read through SQL kept per (number of deputies, year), the ids put in the places of stand-ins
    as the duty overview's 三不 counts are (``deputies.archive.STAND_IN``): the page's 50 ids were built into an
    ``IN`` list and compiled on every request (about 1 ms of CPU; eleventh round)."""
    from deputies.archive import STAND_IN, _with_ids
    from presidium.home_cards import kept_sql

    stand_ins = [STAND_IN - n for n in range(len(deputy_ids))]
    kept = kept_sql(("deputies_visit_years", len(deputy_ids), year), lambda: _year_rows(stand_ins, year))
    params = _with_ids(kept.params, stand_ins, deputy_ids)
    return replace(kept, params=params).tuples() if params is not None else list(_year_rows(deputy_ids, year))


def progress_for(deputies, year: int, *, today: dt.date | None = None,
                 targets: dict[int, VisitTarget] | None = None) -> dict[int, Progress]:
    """Progress of each deputy (a list or queryset) against their township's target (``targets``, from
    :func:`targets_for` covering the deputies' townships, saves the query when the caller has them already)."""
    deputies = list(deputies)
    totals = visit_totals([d.pk for d in deputies], year)
    if targets is None:
        targets = targets_for({d.township_id for d in deputies}, year)
    fraction = elapsed_fraction(year, today)
    return {d.pk: Progress(**totals[d.pk], target=targets.get(d.township_id), fraction=fraction) for d in deputies}


def deputies_behind(queryset: QuerySet[Deputy], year: int, *, today: dt.date | None = None, behind: bool = True,
                    targets: dict[int, VisitTarget] | None = None) -> QuerySet[Deputy]:
    """The deputies of ``queryset`` behind their township's target (``behind=False``: the others), as a filter
    the database evaluates. The expected figures depend only on the target and the day, so one condition per
    distinct target covers every deputy: a deputy of a township with a target is behind unless the year's visits
    kept per deputy (:class:`VisitYear`, a hashed subplan over the year's rows: :class:`_OnTrack`) reach every nonzero
    goal. Agrees with :attr:`Progress.behind` by construction.

    (Correlated subqueries per deputy, as before, were evaluated again in every branch of the condition: 50 ms of
    the county's duty overview, twice a page with its count.)

    ``targets`` (from :func:`targets_for`) saves the query when the caller has them already.
    """
    if targets is None:
        targets = targets_for(queryset.order_by().values("township_id"), year)
    fraction = elapsed_fraction(year, today)
    townships_by_expected: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for township_id, target in targets.items():
        expected = Progress(visits=0, households=0, people=0, opinions=0, target=target, fraction=fraction)
        key = (expected.visits_expected, expected.people_expected, expected.households_expected)
        if any(key):
            townships_by_expected[key].append(township_id)
    if not townships_by_expected:
        return queryset.none() if behind else queryset
    targeted = [pk for township_ids in townships_by_expected.values() for pk in township_ids]
    # The year's totals per deputy as the visit services keep them (``VisitYear``: one row per deputy with visits
    # that year, ~2,000 for a county), not the year's 23,500 visits grouped on every view (docs/performance.md,
    # eighth round). A deputy without a row has no visits: behind wherever a goal is set.
    on_track = _OnTrack(year, tuple((tuple(ids), goals) for goals, ids in townships_by_expected.items()))
    condition = Q(township_id__in=targeted) & ~Q(pk__in=on_track)
    return queryset.filter(condition) if behind else queryset.exclude(condition)


class _OnTrack(Expression):
    """The deputies whose yearly row reaches their township's goals: ``SELECT deputy_id FROM deputies_visityear
    WHERE year = … AND ((township_id IN (…) AND visits >= … AND people >= … AND households >= …) OR …)``, one
    branch per distinct goals, a goal of zero left out.

    Written as SQL here rather than as a ``VisitYear`` queryset: its twenty-odd lookups (a county's five distinct
    targets) were built and compiled through the ORM on every request of the "behind" filter and the behind-target
    card (about 2.5 ms of CPU of the county's duty overview; docs/performance.md, eleventh round). The subquery
    names no table of the outer query, so it stays valid wherever the ORM nests or relabels the outer one."""

    conditional = False

    def __init__(self, year: int, branches: tuple):
        super().__init__(output_field=BigIntegerField())
        self.year, self.branches = year, branches

    @property
    def identity(self):
        return (type(self), self.year, self.branches)

    def as_sql(self, compiler, connection):
        quote = connection.ops.quote_name
        meta = VisitYear._meta
        table = quote(meta.db_table)
        column = {name: f"{table}.{quote(meta.get_field(name).column)}" for name in (
            "deputy", "township", "year", "visits", "people", "households")}
        ors, params = [], []
        for township_ids, goals in self.branches:
            ands = [f"{column['township']} IN ({', '.join(['%s'] * len(township_ids))})"]
            params += township_ids
            for name, goal in zip(("visits", "people", "households"), goals, strict=True):
                if goal:
                    ands.append(f"{column[name]} >= %s")
                    params.append(goal)
            ors.append(f"({' AND '.join(ands)})")
        sql = (f"SELECT {column['deputy']} FROM {table} "
               f"WHERE {column['year']} = %s AND ({' OR '.join(ors)})")
        return sql, [self.year, *params]


# --- terms ----------------------------------------------------------------------------------------


CURRENT_TERM, ALL_TERMS = "current", "all"


def term_q(value: str, *, prefix: str = "") -> Q | None:
    """The rows of a chosen term (a term's id, 本届 or 全部届次): 本届 is each township's current term (and rows
    recorded without one); None means no condition."""
    if value == ALL_TERMS:
        return None
    if value and value.isdigit():
        return Q(**{f"{prefix}term_id": int(value)})
    return Q(**{f"{prefix}term__is_current": True}) | Q(**{f"{prefix}term__isnull": True})


def in_term_q(term, *, prefix: str = "") -> Q:
    """Rows of ``term``; for the current term (or none) also rows recorded without a term."""
    if term is None:
        return Q(**{f"{prefix}term__isnull": True})
    condition = Q(**{f"{prefix}term": term})
    if term.is_current:
        condition |= Q(**{f"{prefix}term__isnull": True})
    return condition


def rows_of_person(deputy: Deputy) -> list[Deputy]:
    """The person's deputy rows across terms, oldest term first (linked by ``previous`` when re-elected)."""
    rows = [deputy]
    seen = {deputy.pk}
    earlier = deputy
    while earlier.previous_id and earlier.previous_id not in seen:
        earlier = Deputy.objects.select_related("term").get(pk=earlier.previous_id)
        rows.insert(0, earlier)
        seen.add(earlier.pk)
    later = Deputy.objects.select_related("term").filter(previous=deputy).first()
    while later is not None and later.pk not in seen:
        rows.append(later)
        seen.add(later.pk)
        later = Deputy.objects.select_related("term").filter(previous=later).first()
    return rows
