"""Reads that encode a rule: who sees which items, what is open or overdue, whom to tell.

Every list starts from :func:`suggestions_visible_to`. The handling figures (办复率, 见面率, 满意率, 解决率,
on-time rate, overdue now, the 评先 flag) and the county report are in :mod:`proposals.selectors.figures`;
their names are importable from here as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from deputies.selectors import own_deputy_q
from presidium.access import STAFF_ROLES, scope_of, township_q
from presidium.choices import COUNTY_ROLES, Role
from presidium.models import RoleAssignment, User
from proposals.choices import (
    ASSIGNED_OR_LATER,
    OPEN_HANDLING,
    STILL_OPEN,
    HandBackStatus,
    SuggestionStatus,
)
from proposals.models import (
    Category,
    Consultation,
    Cosignature,
    CoUnit,
    HandBackRequest,
    ProposalSettings,
    Suggestion,
)
from proposals.selectors.figures import ever_submitted_q, not_draft_q

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
    if scope.has_role(*STAFF_ROLES):
        condition |= township_q(user, roles=STAFF_ROLES) & (ever_submitted_q() | Q(entered_by_id=user.pk))
    if scope.has_role(*COUNTY_ROLES):
        condition |= township_q(user, roles=COUNTY_ROLES) & not_draft_q()
    if scope.has_role(Role.DEPUTY):
        # The person's rows of every term (after a change of term their earlier suggestions stay theirs) as
        # index lookups (``own_deputy_q``), and the items they were asked to co-sign as an array read once
        # (``__any``): ORed as joins and a subquery, PostgreSQL walked the township's items in list order to
        # find a deputy's few (40 ms a page).
        cosigned = Cosignature.objects.filter(own_deputy_q(user.pk, prefix="deputy__")).exclude(
            suggestion__status=S.DRAFT).values("suggestion_id")
        condition |= township_q(user, roles={Role.DEPUTY}) & (
            own_deputy_q(user.pk, prefix="lead_deputy__") | Q(pk__any=cosigned))
    units = sorted(scope.unit_ids())
    if units:
        co = CoUnit.objects.filter(unit_id__in=units, released_at__isnull=True).values("suggestion_id")
        # ``__any``: the co-units' items as an array read once, so the lead-unit index serves the other half.
        condition |= Q(assigned_at__isnull=False) & (Q(lead_unit_id__in=units) | Q(pk__any=co))
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
    # Unordered: Consultation's ordering starts with its item's, which joined the consultations to the items
    # (PostgreSQL read the index of all 29,885 of them for a batch of 500) and made DISTINCT keep the sort columns.
    met = Consultation.objects.filter(suggestion_id__any=sorted(set(wanted.values()))).order_by()
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


# The figures live in their own module; their names (figures.__all__) stay importable from here.
from proposals.selectors.figures import *  # noqa: E402, F403  (figures imports from this module, above)
