"""The one table of allowed lifecycle moves of a motion or suggestion (DESIGN rule 2).

``TRANSITIONS[(from_status, action)]`` gives the status reached, the roles that may take the step
(within their relation to the item: the lead deputy, the lead unit's liaison, the township's staff
— checked in ``proposals.permissions``) and the kinds (motion / suggestion) the step applies to.
Services ask :func:`transition` before they write; ``tests/proposals/test_lifecycle.py`` walks
every allowed and every forbidden (status, action) pair.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from presidium.choices import Role
from proposals.choices import Action
from proposals.choices import OpinionAction as OA
from proposals.choices import OpinionStatus as OS
from proposals.choices import SuggestionKind as K
from proposals.choices import SuggestionStatus as S

STAFF = frozenset({Role.PRESIDIUM_CHAIR, Role.PRESIDIUM_STAFF})
DEPUTY = frozenset({Role.DEPUTY})
LIAISON = frozenset({Role.UNIT_LIAISON})
BOTH_KINDS = frozenset(K)
MOTION_ONLY = frozenset({K.MOTION})
SUGGESTION_ONLY = frozenset({K.SUGGESTION})


@dataclass(frozen=True)
class Transition:
    to: S
    roles: frozenset[Role]
    kinds: frozenset[K] = BOTH_KINDS


TRANSITIONS: dict[tuple[S, Action], Transition] = {
    # Intake: the deputy (or staff on the deputy's behalf) submits; staff register, return or convert.
    (S.DRAFT, Action.SUBMIT): Transition(S.SUBMITTED, DEPUTY | STAFF),
    (S.DRAFT, Action.WITHDRAW): Transition(S.WITHDRAWN, DEPUTY | STAFF),
    (S.SUBMITTED, Action.WITHDRAW): Transition(S.WITHDRAWN, DEPUTY | STAFF),
    (S.SUBMITTED, Action.RETURN): Transition(S.DRAFT, STAFF),
    (S.SUBMITTED, Action.CONVERT): Transition(S.SUBMITTED, STAFF),
    (S.SUBMITTED, Action.REGISTER): Transition(S.REGISTERED, STAFF),
    # Motions: the presidium decides whether the motion goes on the session's agenda, or turns it
    # into a suggestion (it then keeps its registration and is assigned like any suggestion).
    (S.REGISTERED, Action.PLACE_ON_AGENDA): Transition(S.ON_AGENDA, STAFF, MOTION_ONLY),
    (S.REGISTERED, Action.REFUSE_AGENDA): Transition(S.NOT_ON_AGENDA, STAFF, MOTION_ONLY),
    (S.REGISTERED, Action.CONVERT): Transition(S.REGISTERED, STAFF, MOTION_ONLY),
    # Assignment (交办): suggestions once registered, motions once the session has taken them up.
    (S.REGISTERED, Action.ASSIGN): Transition(S.ASSIGNED, STAFF, SUGGESTION_ONLY),
    (S.ON_AGENDA, Action.ASSIGN): Transition(S.ASSIGNED, STAFF, MOTION_ONLY),
    # Handling: the lead unit signs for it (or records its first consultation), then replies.
    (S.ASSIGNED, Action.ACCEPT): Transition(S.IN_HANDLING, LIAISON),
    # 申请退办: before signing for it, the lead unit may say it is not its duty (within the township's
    # working-day limit, checked by the service); the item stays assigned to it until staff decide.
    (S.ASSIGNED, Action.REQUEST_HAND_BACK): Transition(S.ASSIGNED, LIAISON),
    # 改办: staff move the item to another lead unit (approving a hand-back, or a wrong assignment).
    # The new unit starts afresh: assigned, a new deadline, its own consultation before it may reply.
    (S.ASSIGNED, Action.REASSIGN): Transition(S.ASSIGNED, STAFF),
    (S.IN_HANDLING, Action.REASSIGN): Transition(S.ASSIGNED, STAFF),
    (S.IN_HANDLING, Action.REPLY): Transition(S.REPLIED, LIAISON),
    (S.REHANDLING, Action.REPLY): Transition(S.REPLIED, LIAISON),
    # The deputy's rating (staff may enter a rating given on paper); 不满意 reopens the item.
    (S.REPLIED, Action.RATE): Transition(S.RATED, DEPUTY | STAFF),
    (S.REPLIED, Action.RATE_UNSATISFIED): Transition(S.REHANDLING, DEPUTY | STAFF),
    # Closing: after a satisfied rating, or by the presidium with a recorded reason.
    (S.RATED, Action.CLOSE): Transition(S.CLOSED, STAFF),
    (S.REPLIED, Action.CLOSE_WITH_REASON): Transition(S.CLOSED, STAFF),
    (S.REHANDLING, Action.CLOSE_WITH_REASON): Transition(S.CLOSED, STAFF),
}


def find(status: str, action: str, kind: str) -> Transition | None:
    """The transition for ``action`` on an item in ``status`` of ``kind``, or None if not allowed."""
    found = TRANSITIONS.get((S(status), Action(action)))
    if found is None or K(kind) not in found.kinds:
        return None
    return found


def transition(status: str, action: str, kind: str) -> Transition:
    """The allowed transition, or a ValidationError saying in Chinese why the step cannot be taken."""
    found = find(status, action, kind)
    if found is None:
        raise ValidationError(
            _("“%(status)s”状态的%(kind)s不能执行“%(action)s”。")
            % {"status": S(status).label, "kind": K(kind).label, "action": Action(action).label},
            code="transition_not_allowed",
        )
    return found


def actions_from(status: str, kind: str) -> list[Action]:
    """Every action the table allows from ``status`` for ``kind`` (role checks come on top)."""
    return [action for (source, action), t in TRANSITIONS.items() if source == status and K(kind) in t.kinds]


def roles_for(action: str) -> frozenset[Role]:
    """Every role the table lets take ``action`` from some status (for the access definitions)."""
    roles: set[Role] = set()
    for (_source, candidate), t in TRANSITIONS.items():
        if candidate == action:
            roles |= t.roles
    return frozenset(roles)


# --- 督办意见 (the county's supervision opinion to a township) ---------------------------------------------
# The county sends it (that is its creation, not a move); the township's presidium (staff or chair) answers;
# the county acknowledges the answer, which closes it. ``tests/proposals/test_opinions.py`` walks the table.
COUNTY = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER})

OPINION_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (OS.SENT, OA.ANSWER): Transition(OS.ANSWERED, STAFF),
    (OS.ANSWERED, OA.CLOSE): Transition(OS.CLOSED, COUNTY),
}


def opinion_transition(status: str, action: str) -> Transition:
    """The allowed move of a 督办意见, or a ValidationError in Chinese."""
    found = OPINION_TRANSITIONS.get((OS(status), OA(action)))
    if found is None:
        raise ValidationError(
            _("“%(status)s”的督办意见不能执行“%(action)s”。") % {"status": OS(status).label, "action": OA(action).label},
            code="transition_not_allowed",
        )
    return found
