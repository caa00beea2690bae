"""Reads that encode a rule: who sees which items, what is open or overdue, and the handling figures.

Every list starts from :func:`suggestions_visible_to`. The figures (办复率, 见面率, 满意率, 解决率,
on-time rate, overdue now, the 评先 flag) are conditional aggregates over the suggestion table and
the ratings, so their query count does not grow with the number of items or units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from deputies.selectors import own_deputy_q
from presidium.access import STAFF_ROLES, scope_of, township_q
from presidium.choices import COUNTY_ROLES, Role
from presidium.models import HandlingUnit, RoleAssignment, User
from proposals.choices import (
    ASSIGNED_OR_LATER,
    OPEN_HANDLING,
    STILL_OPEN,
    HandBackStatus,
    ResultClass,
    Satisfaction,
    SuggestionKind,
    SuggestionStatus,
)
from proposals.models import (
    Category,
    Consultation,
    Cosignature,
    CoUnit,
    HandBackRequest,
    ProposalSettings,
    Rating,
    Suggestion,
)

S = SuggestionStatus


def _base() -> QuerySet:
    return Suggestion.objects.select_related("township", "category", "lead_deputy", "lead_unit")


def suggestions_visible_to(user) -> QuerySet:
    """The items ``user`` may see (another township's item is simply not there: 404).

    * township staff and the chair: their township's items, except deputies' unsubmitted drafts;
    * county roles: their county's items once submitted;
    * a deputy: the items they lead (drafts included) and those they were asked to co-sign;
    * a unit liaison: the items assigned to their unit, as lead or co-unit.
    """
    scope = scope_of(user)
    if scope.user_id is None:
        return Suggestion.objects.none()
    if scope.is_superuser:
        return _base()
    condition = Q(pk__in=[])
    ever_submitted = ~Q(status=S.DRAFT) | Q(submitted_at__isnull=False)
    if scope.has_role(*STAFF_ROLES):
        condition |= township_q(user, roles=STAFF_ROLES) & (ever_submitted | Q(entered_by_id=user.pk))
    if scope.has_role(*COUNTY_ROLES):
        condition |= township_q(user, roles=COUNTY_ROLES) & ~Q(status=S.DRAFT)
    if scope.has_role(Role.DEPUTY):
        # The person's rows of every term: after a change of term their earlier suggestions stay theirs.
        cosigned = Cosignature.objects.filter(own_deputy_q(user.pk, prefix="deputy__")).exclude(
            suggestion__status=S.DRAFT)
        condition |= township_q(user, roles={Role.DEPUTY}) & (
            own_deputy_q(user.pk, prefix="lead_deputy__") | Q(pk__in=cosigned.values("suggestion_id"))
        )
    units = sorted(scope.unit_ids())
    if units:
        co = CoUnit.objects.filter(unit_id__in=units, released_at__isnull=True).values("suggestion_id")
        condition |= Q(assigned_at__isnull=False) & (Q(lead_unit_id__in=units) | Q(pk__in=co))
    return _base().filter(condition)


def open_items(queryset: QuerySet) -> QuerySet:
    """Everything not finished (the bi-monthly progress hearing goes through these)."""
    return queryset.filter(status__in=[s.value for s in STILL_OPEN])


def overdue_items(queryset: QuerySet, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return queryset.filter(status__in=[s.value for s in OPEN_HANDLING], deadline__lt=today)


def consulted_this_round(suggestion) -> bool:
    """The current lead unit has met the deputy in the current round: a reply needs it (先面商、再答复).

    By the lead unit, not by anyone: after a 改办 the old unit's consultations stay as history, and
    the new unit must meet the deputy itself.
    """
    return suggestion.consultations.filter(round=suggestion.round, unit_id=suggestion.lead_unit_id).exists()


def with_consulted(queryset: QuerySet) -> QuerySet:
    """Annotate ``consulted``: :func:`consulted_this_round` for every row, in the same query."""
    met = Consultation.objects.filter(suggestion=OuterRef("pk"), round=OuterRef("round"), unit_id=OuterRef("lead_unit_id"))
    return queryset.annotate(consulted=Exists(met))


def consulted_among(suggestions: Iterable) -> set[int]:
    """The ids of ``suggestions`` (loaded) that are :func:`consulted_this_round`, in one query on their ids.

    :func:`with_consulted` for a batch already in hand (the reminder pass): the consultations of these items
    only, where the annotation's subquery lets PostgreSQL hash every consultation of the county.
    """
    wanted = {(s.pk, s.round, s.lead_unit_id): s.pk for s in suggestions if s.lead_unit_id}
    if not wanted:
        return set()
    met = Consultation.objects.filter(suggestion_id__in=sorted(set(wanted.values())))
    return {wanted[key] for key in met.values_list("suggestion_id", "round", "unit_id").distinct() if key in wanted}


def with_pending_hand_back(queryset: QuerySet) -> QuerySet:
    """Annotate ``pending_hand_back`` (a 退办申请 waiting for staff) for the list."""
    pending = HandBackRequest.objects.filter(suggestion=OuterRef("pk"), status=HandBackStatus.PENDING)
    return queryset.annotate(pending_hand_back=Exists(pending))


def pending_hand_back_of(suggestion) -> HandBackRequest | None:
    return (HandBackRequest.objects.filter(suggestion=suggestion, status=HandBackStatus.PENDING)
            .select_related("unit", "suggested_unit", "requested_by").first())


@dataclass(frozen=True)
class HandBackWindow:
    """How long the lead unit may still ask to hand an item back: N working days after its assignment."""

    limit_days: int
    last_day: dt.date
    today: dt.date
    days_left: int  # working days after today up to the last day (0 on the last day itself)

    @property
    def is_open(self) -> bool:
        return self.today <= self.last_day


def hand_back_window(suggestion, *, today: dt.date | None = None) -> HandBackWindow | None:
    """The 申请退办 window of an assigned item (None if it was never assigned). Working days from the calendar."""
    from presidium.calendar.services import add_working_days, working_days_between

    if suggestion.assigned_at is None:
        return None
    today = today or timezone.localdate()
    county = suggestion.township.county_id
    limit = settings_for(suggestion.township_id).hand_back_days
    last_day = add_working_days(timezone.localdate(suggestion.assigned_at), limit, county=county).date
    left = working_days_between(today, last_day, county=county) if today < last_day else 0
    return HandBackWindow(limit_days=limit, last_day=last_day, today=today, days_left=left)


def settings_for(township) -> ProposalSettings:
    """The township's proposals settings; defaults (unsaved) when staff never changed them."""
    found = ProposalSettings.objects.filter(township_id=getattr(township, "pk", township)).first()
    return found or ProposalSettings(township_id=getattr(township, "pk", township))


def categories_for(township, *, include_inactive: bool = False) -> QuerySet:
    qs = Category.objects.filter(township_id=getattr(township, "pk", township))
    return qs if include_inactive else qs.filter(is_active=True)


def unit_liaisons(unit_ids) -> QuerySet:
    """Active accounts holding the liaison role on any of ``unit_ids``."""
    return User.objects.filter(
        is_active=True, role_assignments__role=Role.UNIT_LIAISON, role_assignments__handling_unit_id__in=list(unit_ids),
    ).distinct().order_by("pk")


def township_staff(township_id: int) -> QuerySet:
    """The township's presidium staff (人大办工作人员): the people who run the handling day to day."""
    return User.objects.filter(
        is_active=True, role_assignments__role=Role.PRESIDIUM_STAFF, role_assignments__township_id=township_id,
    ).distinct().order_by("pk")


def unit_liaisons_by_unit(unit_ids) -> dict[int, list[User]]:
    """:func:`unit_liaisons` of many units in one query: unit id → its liaisons, by pk."""
    return _role_holders_by_scope(Role.UNIT_LIAISON, "handling_unit_id", unit_ids)


def township_staff_by_township(township_ids) -> dict[int, list[User]]:
    """:func:`township_staff` of many townships in one query: township id → its staff, by pk."""
    return _role_holders_by_scope(Role.PRESIDIUM_STAFF, "township_id", township_ids)


def _role_holders_by_scope(role: Role, scope: str, scope_ids) -> dict[int, list[User]]:
    scope_ids = sorted(set(scope_ids))
    if not scope_ids:
        return {}
    holders: dict[int, list[User]] = {}
    # One assignment per (user, role, scope) (a unique constraint): no duplicates to drop.
    assignments = (RoleAssignment.objects.filter(role=role, user__is_active=True, **{f"{scope}__in": scope_ids})
                   .select_related("user").order_by("user_id"))
    for assignment in assignments:
        holders.setdefault(getattr(assignment, scope), []).append(assignment.user)
    return holders


def deputy_user(suggestion) -> User | None:
    deputy = suggestion.lead_deputy if suggestion.lead_deputy_id else None
    return deputy.user if deputy is not None and deputy.user_id else None


def public_items(township_id: int) -> QuerySet:
    """The 五公开 page: items staff switched public, once assigned. Personal data is the template's to leave out."""
    return (
        Suggestion.objects.filter(township_id=township_id, is_public=True,
                                  status__in=[s.value for s in ASSIGNED_OR_LATER])
        .select_related("category", "lead_unit", "lead_deputy")
        .order_by("-serial_year", "-serial_number", "-pk")
    )


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


def _rates_grouped(queryset: QuerySet, key: str, objects, today: dt.date | None) -> list[tuple[object, Rates]]:
    today = today or timezone.localdate()
    rows = list(
        queryset.exclude(status__in=[S.DRAFT, S.WITHDRAWN]).filter(**{f"{key}__isnull": False}).order_by()
        .values(key).annotate(**_rate_aggregates(today))
    )
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
    return list(_unsatisfied(township_ids, year).values("unit_id", "unit__name")
                .annotate(n=Count("suggestion_id", distinct=True)).filter(n__gte=at_least)
                .values_list("unit_id", "unit__name", "n"))


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

    unit: HandlingUnit
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
    counts = unsatisfied_counts(township_ids=township_ids, year=year)
    listed = {unit.pk for unit, _r in by_unit}
    missing = HandlingUnit.objects.select_related("township").in_bulk([pk for pk in counts if pk not in listed])
    rows = [(unit, rates_) for unit, rates_ in by_unit]
    rows += sorted(((unit, Rates()) for unit in missing.values()), key=lambda pair: pair[0].name)
    return [UnitRow(unit, rates_, counts.get(unit.pk, 0), counts.get(unit.pk, 0) > UNIT_FLAG_THRESHOLD)
            for unit, rates_ in rows]


def _rates_by_named_unit(queryset: QuerySet, *, today: dt.date | None = None) -> list[tuple[HandlingUnit, Rates]]:
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


def _named_unit(pk: int, name: str, township_id: int, township_name: str) -> HandlingUnit:
    """A unit as the charts name it (its name and its township's), read with the figures instead of loaded."""
    from presidium.models import Township

    return HandlingUnit(pk=pk, name=name, township=Township(pk=township_id, name=township_name))


class YearOverview(NamedTuple):
    """The home page's chart block in one grouped query: the figures, the lead units' rates, the monthly intake."""

    figures: Rates
    units: list[tuple[HandlingUnit, Rates]]
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


HOME_SNAPSHOT = "proposals.home"  # the county home block's figures snapshot (presidium.snapshots)
HOME_UNITS = 10  # the lead units the home block's charts show, the most assigned first


def county_visible(township_ids) -> QuerySet:
    """The items of ``township_ids`` as the county's roles see them (:func:`suggestions_visible_to`: no drafts)."""
    return Suggestion.objects.filter(township_id__in=township_ids).exclude(status=S.DRAFT)


def home_snapshot(*, township_ids, year: int, today: dt.date) -> dict:
    """The county home block's :func:`year_overview` as JSON (read back by :func:`overview_from_json`)."""
    from dataclasses import asdict

    items = in_period(county_visible(township_ids), dt.date(year, 1, 1), dt.date(year, 12, 31))
    overview = year_overview(items, year, today=today)
    return {
        "figures": asdict(overview.figures),
        # The charts name the first ten units (the county has hundreds): the snapshot keeps those.
        "units": [[unit.pk, unit.name, unit.township_id, unit.township.name, asdict(r)]
                  for unit, r in overview.units[:HOME_UNITS]],
        "intake": overview.intake,
    }


def overview_from_json(data: dict) -> YearOverview:
    figures = Rates(**data["figures"])
    units = [(_named_unit(pk, name, township_id, township_name), Rates(**r))
             for pk, name, township_id, township_name, r in data["units"]]
    return YearOverview(figures, units, list(data["intake"]))


def with_pending_cosignature(queryset: QuerySet, user) -> QuerySet:
    """Annotate ``awaiting_my_signature`` for the deputy's list."""
    pending = Cosignature.objects.filter(suggestion=OuterRef("pk"), deputy__user_id=user.pk,
                                         confirmed_at__isnull=True, declined_at__isnull=True)
    return queryset.annotate(awaiting_my_signature=Exists(pending))


@dataclass(frozen=True)
class Contact:
    """A deputy the handling unit may call: the lead deputy or a confirmed co-signer, with the mobile."""

    deputy: object
    is_lead: bool

    @property
    def mobile(self) -> str:
        return self.deputy.mobile


def handling_contacts(suggestion, cosignatures) -> list[Contact]:
    """The lead deputy and the confirmed co-signers of ``suggestion`` (who to meet before replying).

    The caller checks :func:`proposals.permissions.sees_deputy_phones` first and logs the view
    (:func:`deputies.services.personal_data_access_record`).
    """
    contacts = [Contact(suggestion.lead_deputy, True)] if suggestion.lead_deputy_id else []
    contacts += [Contact(c.deputy, False) for c in cosignatures if c.confirmed_at and not c.declined_at]
    return contacts


# --- 督办意见 and the county-wide report ---------------------------------------------------------------------


def opinions_visible_to(user) -> QuerySet:
    """督办意见: the county's roles see their county's; a township's staff and chair see their township's.

    Deputies and unit liaisons see none (another township's opinion is simply not there: 404).
    """
    from proposals.models import SupervisionOpinion

    scope = scope_of(user)
    base = SupervisionOpinion.objects.select_related("township", "suggestion", "unit", "sent_by", "answered_by")
    if scope.user_id is None:
        return base.none()
    if scope.is_superuser:
        return base
    return base.filter(township_q(user, roles=COUNTY_ROLES | STAFF_ROLES))


def township_presidium(township_id: int) -> QuerySet:
    """The township's chair and staff: the people a county opinion is addressed to."""
    return User.objects.filter(
        is_active=True, role_assignments__role__in=sorted(STAFF_ROLES), role_assignments__township_id=township_id,
    ).distinct().order_by("pk")


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
    grouped = {t.pk: r for t, r in rates_by_township(items, today=today)}
    flagged_per_township: dict[int, int] = {}
    flagged = flagged_units(township_ids=ids, year=end.year)
    for township_id in HandlingUnit.objects.filter(pk__in=list(flagged)).values_list("township_id", flat=True):
        flagged_per_township[township_id] = flagged_per_township.get(township_id, 0) + 1
    opinions = dict(
        SupervisionOpinion.objects.filter(township_id__in=ids, sent_at__date__range=(start, end)).order_by()
        .values("township_id").annotate(n=Count("pk")).values_list("township_id", "n")
    )
    rows = [(t, grouped.get(t.pk, Rates()), flagged_per_township.get(t.pk, 0), opinions.get(t.pk, 0))
            for t in townships]
    return CountyReport(start=start, end=end, rows=rows, total=rates(items, today=today),
                        flagged_total=sum(flagged_per_township.values()), opinions_total=sum(opinions.values()))
