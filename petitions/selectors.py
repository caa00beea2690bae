"""Reads that encode a rule, returning querysets. Every read starts from :func:`petitions_visible_to`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from deputies.selectors import own_deputy_q
from petitions.choices import OPEN_STATUSES
from petitions.models import RUNNING_DUTY_DUE, Petition, PetitionClock, PetitionTransfer
from presidium.access import STAFF_ROLES, scope_of, township_q
from presidium.choices import COUNTY_ROLES, Role
from presidium.models import RoleAssignment, User


def _base() -> QuerySet:
    return Petition.objects.select_related("township", "category", "current_unit")


def petitions_visible_to(user) -> QuerySet:
    """The cases ``user`` may see (another township's case is simply not there: 404).

    * township staff and the chair: their township's cases;
    * county roles: their county's cases;
    * a unit liaison: the cases that were ever transferred to their unit;
    * a deputy: the cases they raised (代表代言);
    * everyone else: none.
    """
    scope = scope_of(user)
    if scope.user_id is None:
        return Petition.objects.none()
    if scope.is_superuser:
        return _base()
    condition = Q(pk__in=[])
    if scope.has_role(*STAFF_ROLES):
        condition |= township_q(user, roles=STAFF_ROLES)
    if scope.has_role(*COUNTY_ROLES):
        condition |= township_q(user, roles=COUNTY_ROLES)
    units = sorted(scope.unit_ids())
    if units:
        transferred = PetitionTransfer.objects.filter(unit_id__in=units).values("petition_id")
        condition |= Q(current_unit_id__in=units) | Q(pk__in=transferred)
    if scope.has_role(Role.DEPUTY):
        condition |= township_q(user, roles={Role.DEPUTY}) & own_deputy_q(user.pk, prefix="raised_by_deputy__")
    return _base().filter(condition)


def open_petitions(queryset: QuerySet) -> QuerySet:
    return queryset.filter(status__in=sorted(OPEN_STATUSES))


def overdue_petitions(queryset: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Cases with a running duty clock (not the petitioner's review window) past its due date."""
    return queryset.filter(pk__in=duty_clocks_overdue(today).values("petition_id"))


def running_duty_clocks(**due) -> QuerySet:
    """Running duty clocks (not the petitioner's review windows) whose due date matches ``due`` (``lt=…``,
    ``range=…``): written with the indexed expression ``RUNNING_DUTY_DUE``, whose own statistics let PostgreSQL
    count the late clocks right and fetch their cases by key (see the model)."""
    return PetitionClock.objects.alias(duty_due=RUNNING_DUTY_DUE).filter(
        **{f"duty_due__{lookup}": value for lookup, value in due.items()})


def duty_clocks_overdue(today: dt.date | None = None) -> QuerySet:
    return running_duty_clocks(lt=today or timezone.localdate())


# --- who is told ------------------------------------------------------------------------------------
# The same reads as proposals.selectors (petitions may not import a sibling app).


def township_staff(township_id: int) -> QuerySet:
    """The township's presidium staff (人大办工作人员)."""
    return User.objects.filter(
        is_active=True, role_assignments__role=Role.PRESIDIUM_STAFF, role_assignments__township_id=township_id,
    ).distinct().order_by("pk")


def unit_liaisons(unit_ids) -> QuerySet:
    """Active accounts holding the liaison role on any of ``unit_ids``."""
    return User.objects.filter(
        is_active=True, role_assignments__role=Role.UNIT_LIAISON, role_assignments__handling_unit_id__in=list(unit_ids),
    ).distinct().order_by("pk")


def township_staff_by_township(township_ids) -> dict[int, list]:
    return _role_holders_by_scope(Role.PRESIDIUM_STAFF, "township_id", township_ids)


def unit_liaisons_by_unit(unit_ids) -> dict[int, list]:
    return _role_holders_by_scope(Role.UNIT_LIAISON, "handling_unit_id", unit_ids)


def _role_holders_by_scope(role: Role, scope: str, scope_ids) -> dict[int, list]:
    scope_ids = sorted(set(scope_ids))
    if not scope_ids:
        return {}
    holders: dict[int, list] = {}
    assignments = (RoleAssignment.objects.filter(role=role, user__is_active=True, **{f"{scope}__in": scope_ids})
                   .select_related("user").order_by("user_id"))
    for assignment in assignments:
        holders.setdefault(getattr(assignment, scope), []).append(assignment.user)
    return holders


# --- repeats (重复信访) -----------------------------------------------------------------------------------

SIMILARITY_THRESHOLD = 0.3
MAX_SHINGLES = 8
MAX_REPEATS = 20


def _shingles(text: str) -> set[str]:
    """Two-character pieces of the Chinese text (letters and digits kept, punctuation and spaces dropped)."""
    chars = [c for c in (text or "") if c.isalnum()]
    if len(chars) < 2:
        return {"".join(chars)} if chars else set()
    return {chars[i] + chars[i + 1] for i in range(len(chars) - 1)}


def subject_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two subjects' two-character pieces (0..1)."""
    left, right = _shingles(a), _shingles(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


@dataclass(frozen=True)
class RepeatCandidate:
    petition: Petition
    same_person: bool
    similarity: float

    @property
    def reasons(self) -> list[str]:
        from django.utils.translation import gettext as _

        reasons = []
        if self.same_person:
            reasons.append(_("同一信访人（身份证号码或电话相同）"))
        if self.similarity >= SIMILARITY_THRESHOLD:
            reasons.append(_("事项相似（%(p)s%%）") % {"p": round(self.similarity * 100)})
        return reasons


def repeats_for(*, township_id: int, subject: str = "", id_number: str = "", mobile: str = "",
                exclude_pk: int | None = None, queryset: QuerySet | None = None) -> list[RepeatCandidate]:
    """Earlier petitions of the township by the same person (ID number or mobile digest) or with a similar
    subject, most likely first. One query: the same-person digests, or any of a few of the subject's
    two-character pieces (``icontains``, as the deputies' and proposals' searches do on both databases;
    a PostgreSQL trigram index serves it), then scored here."""
    from petitions.access import id_number_digest, mobile_digest

    base = (queryset if queryset is not None else Petition.objects).filter(township_id=township_id)
    if exclude_pk:
        base = base.exclude(pk=exclude_pk)
    digests = Q(pk__in=[])
    id_digest, mobile_hash = id_number_digest(id_number), mobile_digest(mobile)
    if id_digest:
        digests |= Q(id_number_digest=id_digest)
    if mobile_hash:
        digests |= Q(mobile_digest=mobile_hash)
    pieces = sorted(_shingles(subject))
    # The rarer pieces say more; without statistics, prefer those farther from the start (less "关于…").
    chosen = pieces[:MAX_SHINGLES] if len(pieces) <= MAX_SHINGLES else [
        pieces[i * len(pieces) // MAX_SHINGLES] for i in range(MAX_SHINGLES)]
    similar = Q(pk__in=[])
    for piece in chosen:
        similar |= Q(subject__icontains=piece)
    rows = (base.filter(digests | similar).select_related("category", "current_unit")
            .order_by("-received_on", "-pk")[:200])
    found = []
    for petition in rows:
        same = bool((id_digest and petition.id_number_digest == id_digest)
                    or (mobile_hash and petition.mobile_digest == mobile_hash))
        score = subject_similarity(subject, petition.subject)
        if same or score >= SIMILARITY_THRESHOLD:
            found.append(RepeatCandidate(petition, same, score))
    found.sort(key=lambda c: (not c.same_person, -c.similarity, -(c.petition.received_on.toordinal())))
    return found[:MAX_REPEATS]


# --- cases (件) and person-visits (人次) -------------------------------------------------------------------


def count_cases_and_visits(queryset: QuerySet) -> dict[str, int]:
    """件 = rows, 人次 = the sum of people counts (a collective visit of 8 counts 8), in one query."""
    totals = queryset.order_by().aggregate(cases=Count("pk"), visits=Coalesce(Sum("people_count"), 0))
    return {"cases": totals["cases"], "visits": totals["visits"]}


def cases_and_visits_by(queryset: QuerySet, field: str) -> list[dict]:
    """件 and 人次 per value of ``field`` (``channel``, ``category__name`` …), one grouped query."""
    return list(queryset.order_by().values(field).annotate(cases=Count("pk"),
                                                           visits=Coalesce(Sum("people_count"), 0))
                .order_by(field))


def petition_by_query_code(query_code: str) -> Petition | None:
    """The case a petitioner's query code opens (by its digest; one query), or None.

    The public look-up also asks for the registration number and compares it: a code alone should not be
    enough to learn that a case exists.
    """
    from petitions.access import query_code_digest

    digest = query_code_digest(query_code)
    if not digest:
        return None
    return Petition.objects.select_related("township", "category").filter(query_code_digest=digest).first()
