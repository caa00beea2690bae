"""The one table of allowed lifecycle moves of a motion or suggestion (DESIGN rule 2).

``TRANSITIONS[(from_status, action)]`` gives the status reached, the roles that may take the step
(within their relation to the item: the lead deputy, the lead unit's liaison, the township's staff
— checked in ``proposals.permissions``) and the kinds (motion / suggestion) the step applies to.
Services ask :func:`transition` before they write; ``tests/proposals/test_lifecycle.py`` walks
every allowed and every forbidden (status, action) pair.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

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


# Statuses after which nothing more happens to the item.
FINAL = frozenset({S.CLOSED, S.WITHDRAWN, S.NOT_ON_AGENDA})

# Steps that send an item back round the loop (不满意 → 重新办理, 改办 → a new unit): never the way forward
# to suggest, so :func:`path_to` does not go through them.
LOOPS = frozenset({Action.RATE_UNSATISFIED, Action.REASSIGN})

# Where the generic "do these steps first" would not tell people what they actually need to do.
SPECIFIC_REASONS = {
    (S.ASSIGNED, Action.REPLY): _l("主办单位还没有签收。请先签收，并与领衔代表面商（登记第一次面商也会签收），再答复。"),
    (S.ASSIGNED, Action.ASSIGN): _l("已经交办了，不能再次交办；要换主办单位，请用“改办”。"),
    (S.IN_HANDLING, Action.ASSIGN): _l("已经交办了，不能再次交办；要换主办单位，请用“改办”。"),
    (S.ASSIGNED, Action.CLOSE): _l("还没有答复。主办单位答复、代表评价满意后才能办结；确需提前结束的，答复后由主席团说明理由办结。"),
    (S.IN_HANDLING, Action.CLOSE): _l("还没有答复。主办单位答复、代表评价满意后才能办结；确需提前结束的，答复后由主席团说明理由办结。"),
    (S.IN_HANDLING, Action.ACCEPT): _l("主办单位已经签收，正在办理。"),
    (S.IN_HANDLING, Action.REQUEST_HAND_BACK): _l("已经签收办理，不能再申请退办；确属交办错误的，请联系人大办改办。"),
    (S.REPLIED, Action.REPLY): _l("已经答复，正在等待代表评价；代表评价不满意的，会转为重新办理，届时再次答复。"),
    (S.REPLIED, Action.CLOSE): _l("代表还没有评价答复。请等代表评价（或由人大办登记代表的书面评价）后再办结；代表不评价的，可由主席团说明理由办结。"),
}


def path_to(status: str, action: str, kind: str) -> list[Action] | None:
    """The shortest list of steps that leads from ``status`` to a status where ``action`` is allowed.

    ``[]`` when it is allowed now, None when no way forward leads there (the step is past or never applies).
    The loops (:data:`LOOPS`) are not a way forward.
    """
    start, wanted, kind = S(status), Action(action), K(kind)
    seen = {start}
    queue: deque[tuple[S, list[Action]]] = deque([(start, [])])
    while queue:
        current, steps = queue.popleft()
        if find(current, wanted, kind) is not None:
            return steps
        for (source, step_action), t in TRANSITIONS.items():
            if source == current and kind in t.kinds and step_action not in LOOPS and t.to not in seen:
                seen.add(t.to)
                queue.append((t.to, [*steps, step_action]))
    return None


def refusal_reason(status: str, action: str, kind: str) -> str:
    """Why ``action`` is not possible in ``status`` and what has to happen first, in the reader's language.

    Every refused (status, action, kind) of the table gets a reason (tests walk them all): the state, then
    either the steps that must come first, or that the step is past / does not apply to this kind.
    """
    status, action, kind = S(status), Action(action), K(kind)
    head = _("“%(status)s”状态的%(kind)s不能执行“%(action)s”。") % {
        "status": status.label, "kind": kind.label, "action": action.label}
    if (status, action) in SPECIFIC_REASONS:
        return f"{head}{SPECIFIC_REASONS[(status, action)]}"
    if not any(kind in t.kinds for (_source, a), t in TRANSITIONS.items() if a == action):
        return head + _("“%(action)s”只适用于%(other)s。") % {
            "action": action.label, "other": "、".join(str(k.label) for k in K if k != kind)}
    if status in FINAL:
        return head + _("这件%(kind)s已经结束，不再办理。") % {"kind": kind.label}
    steps = path_to(status, action, kind)
    if steps:
        return head + _("须先%(steps)s，再%(action)s。") % {
            "steps": "、".join(f"“{step.label}”" for step in steps), "action": f"“{action.label}”"}
    return head + _("这一步已经过去，或对这件%(kind)s不再适用。") % {"kind": kind.label}


def transition(status: str, action: str, kind: str) -> Transition:
    """The allowed transition, or a ValidationError saying in Chinese why not and what has to come first."""
    found = find(status, action, kind)
    if found is None:
        raise ValidationError(refusal_reason(status, action, kind), code="transition_not_allowed")
    return found


def reply_needs_consultation() -> str:
    """The rule of seed 001 (不经面商的…不得回复), shared by the reply service and the item page."""
    return _("答复前须与领衔代表面商：请先登记至少一次面商（当面、电话或现场），再提交答复。")


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
