"""The one table of allowed lifecycle moves of a petition (DESIGN rule 2), like ``proposals.lifecycle``.

``TRANSITIONS[(from_status, action)]`` gives the status reached and who may take the step (the
township's staff, or the petitioner through the query-code look-up for a review request). Services
ask :func:`transition` before they write; a step the status does not allow is a ValidationError
saying why and what has to happen first — never a 403 — and :func:`refusal_reason` gives the same
text for a disabled button. ``tests/petitions/test_lifecycle.py`` walks every allowed and forbidden pair.

Not states: the extension (延期) is an action on an accepted or transferred case that adds the
extension clock once (``petitions.services``); the unit's reply on a transfer is recorded on the
transfer and leaves the case ``transferred`` until the presidium's written answer.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from petitions.choices import Action
from petitions.choices import PetitionStatus as S
from presidium.choices import Role

STAFF = frozenset({Role.PRESIDIUM_CHAIR, Role.PRESIDIUM_STAFF})
# The petitioner asks for a review through the public look-up (no account): ``by=None`` in the service.
PETITIONER = "petitioner"


@dataclass(frozen=True)
class Transition:
    to: S
    roles: frozenset


TRANSITIONS: dict[tuple[S, Action], Transition] = {
    # Registered: answered at once, or told within 15 days whether it is accepted.
    (S.REGISTERED, Action.ANSWER_ON_SPOT): Transition(S.ANSWERED_ON_SPOT, STAFF),
    (S.REGISTERED, Action.ACCEPT): Transition(S.ACCEPTED, STAFF),
    (S.REGISTERED, Action.REJECT): Transition(S.NOT_ACCEPTED, STAFF),
    # Accepted: given to a unit, or answered by the presidium itself.
    (S.ACCEPTED, Action.TRANSFER): Transition(S.TRANSFERRED, STAFF),
    (S.ACCEPTED, Action.REPLY): Transition(S.REPLIED, STAFF),
    # Transferred: another unit (改办) keeps it transferred; the written answer after the unit's reply.
    (S.TRANSFERRED, Action.TRANSFER): Transition(S.TRANSFERRED, STAFF),
    (S.TRANSFERRED, Action.REPLY): Transition(S.REPLIED, STAFF),
    # Closing (息访).
    (S.REPLIED, Action.CLOSE): Transition(S.CLOSED, STAFF),
    (S.ANSWERED_ON_SPOT, Action.CLOSE): Transition(S.CLOSED, STAFF),
    (S.NOT_ACCEPTED, Action.CLOSE): Transition(S.CLOSED, STAFF),
    (S.REVIEWED, Action.CLOSE): Transition(S.CLOSED, STAFF),
    (S.RE_REVIEWED, Action.CLOSE): Transition(S.CLOSED, STAFF),
    # Review (复查) within the review-request clock, then re-review (复核).
    (S.REPLIED, Action.REQUEST_REVIEW): Transition(S.REVIEW_REQUESTED, STAFF | {PETITIONER}),
    (S.CLOSED, Action.REQUEST_REVIEW): Transition(S.REVIEW_REQUESTED, STAFF | {PETITIONER}),
    (S.REVIEW_REQUESTED, Action.DECIDE_REVIEW): Transition(S.REVIEWED, STAFF),
    (S.REVIEWED, Action.REQUEST_RE_REVIEW): Transition(S.RE_REVIEW_REQUESTED, STAFF | {PETITIONER}),
    (S.RE_REVIEW_REQUESTED, Action.DECIDE_RE_REVIEW): Transition(S.RE_REVIEWED, STAFF),
    # A dissatisfied return visit (回访不满意) reopens a closed case: it goes to a unit again.
    (S.CLOSED, Action.REOPEN): Transition(S.TRANSFERRED, STAFF),
}

# Statuses from which the table leads nowhere but by a loop or a review.
FINAL = frozenset()

# Steps that send a case back round the loop: never suggested as the way forward.
LOOPS = frozenset({Action.REOPEN})

# Where the generic "do these steps first" would not tell people what they actually need to do.
SPECIFIC_REASONS = {
    (S.REGISTERED, Action.TRANSFER): _l("须先受理（出具受理告知书），再转办。"),
    (S.REGISTERED, Action.REPLY): _l("须先受理；当场能答复的，请用“当场答复”。"),
    (S.ANSWERED_ON_SPOT, Action.REQUEST_REVIEW): _l("当场答复的事项没有书面答复意见书，不适用复查；信访人不服的，可重新登记。"),
    (S.NOT_ACCEPTED, Action.REQUEST_REVIEW): _l("不予受理的事项没有书面答复意见书，不适用复查。"),
    (S.ACCEPTED, Action.CLOSE): _l("还没有书面答复。出具答复意见书后才能息访办结。"),
    (S.TRANSFERRED, Action.CLOSE): _l("承办单位办理后，须先出具答复意见书，再息访办结。"),
    (S.REVIEW_REQUESTED, Action.CLOSE): _l("信访人申请了复查，须先作出复查意见。"),
    (S.RE_REVIEW_REQUESTED, Action.CLOSE): _l("信访人申请了复核，须先作出复核意见。"),
    (S.REVIEWED, Action.REQUEST_REVIEW): _l("已经复查过；对复查意见不服的，可以申请复核。"),
    (S.RE_REVIEWED, Action.REQUEST_REVIEW): _l("复核意见为最终意见，不再受理复查、复核申请。"),
    (S.RE_REVIEWED, Action.REQUEST_RE_REVIEW): _l("复核意见为最终意见，不再受理复查、复核申请。"),
    (S.REPLIED, Action.REPLY): _l("已经出具答复意见书。"),
    (S.CLOSED, Action.CLOSE): _l("已经息访办结。"),
}


def find(status: str, action: str) -> Transition | None:
    """The transition for ``action`` on a case in ``status``, or None if not allowed."""
    return TRANSITIONS.get((S(status), Action(action)))


def path_to(status: str, action: str) -> list[Action] | None:
    """The shortest list of steps from ``status`` to a status where ``action`` is allowed.

    ``[]`` when allowed now, None when no way forward leads there. Loops are not a way forward.
    """
    start, wanted = S(status), Action(action)
    seen = {start}
    queue: deque[tuple[S, list[Action]]] = deque([(start, [])])
    while queue:
        current, steps = queue.popleft()
        if find(current, wanted) is not None:
            return steps
        for (source, step_action), t in TRANSITIONS.items():
            if source == current and step_action not in LOOPS and t.to not in seen:
                seen.add(t.to)
                queue.append((t.to, [*steps, step_action]))
    return None


def refusal_reason(status: str, action: str) -> str:
    """Why ``action`` is not possible in ``status`` and what has to happen first, in the reader's language."""
    status, action = S(status), Action(action)
    head = _("“%(status)s”状态的信访件不能执行“%(action)s”。") % {"status": status.label, "action": action.label}
    if (status, action) in SPECIFIC_REASONS:
        return f"{head}{SPECIFIC_REASONS[(status, action)]}"
    steps = path_to(status, action)
    if steps:
        return head + _("须先%(steps)s，再%(action)s。") % {
            "steps": "、".join(f"“{step.label}”" for step in steps), "action": f"“{action.label}”"}
    return head + _("这一步已经过去，或对这件信访件不再适用。")


def transition(status: str, action: str) -> Transition:
    """The allowed transition, or a ValidationError saying in Chinese why not and what has to come first."""
    found = find(status, action)
    if found is None:
        raise ValidationError(refusal_reason(status, action), code="transition_not_allowed")
    return found


def is_allowed(status: str, action: str) -> bool:
    return find(status, action) is not None


def actions_from(status: str) -> list[Action]:
    """Every action the table allows from ``status`` (role checks come on top)."""
    return [action for (source, action) in TRANSITIONS if source == status]


def roles_for(action: str) -> frozenset:
    """Every role the table lets take ``action`` from some status."""
    roles: set = set()
    for (_source, candidate), t in TRANSITIONS.items():
        if candidate == action:
            roles |= t.roles
    return frozenset(roles)


# The extension (延期) is not a move: it is allowed while the case is being handled, once.
EXTENDABLE = frozenset({S.ACCEPTED, S.TRANSFERRED})


def extension_refusal(status: str, *, already_extended: bool) -> str | None:
    """Why the completion limit cannot be extended now, or None when it can."""
    status = S(status)
    if already_extended:
        return _("办理期限只能延长一次，本件已经延期。")
    if status not in EXTENDABLE:
        return _("只有已受理、办理中的信访件可以延期；“%(status)s”状态不能延期。") % {"status": status.label}
    return None
