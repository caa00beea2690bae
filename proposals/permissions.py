"""Which screen-level steps a user may take on one item: the lifecycle table plus the user's relation to it.

Views call :func:`can` before showing a form and the detail page shows a button for each key in
:func:`available`. When :func:`can` says no, :func:`why_not` tells a *role* that may never take the
step (a 403) from a *state* that does not allow it yet (the lifecycle's reason and what comes first,
shown on the item page); :func:`upcoming` lists the steps still ahead, shown as disabled buttons with
that reason. The services check the same rules again when they write.
"""

from __future__ import annotations

from presidium.access import STAFF_ROLES, scope_of
from presidium.choices import Role
from proposals import lifecycle
from proposals.access import co_unit_ids_for, relations
from proposals.choices import ASSIGNED_OR_LATER, OPEN_HANDLING, Action, SuggestionStatus
from proposals.selectors import consulted_this_round

S = SuggestionStatus

# Screen steps that are lifecycle moves: key -> the action the table is asked about.
TRANSITION_KEYS: dict[str, Action] = {
    "submit": Action.SUBMIT,
    "withdraw": Action.WITHDRAW,
    "return": Action.RETURN,
    "convert": Action.CONVERT,
    "register": Action.REGISTER,
    "agenda": Action.PLACE_ON_AGENDA,
    "assign": Action.ASSIGN,
    "accept": Action.ACCEPT,
    "reply": Action.REPLY,
    "rate": Action.RATE,
    "close": Action.CLOSE,
    "close_with_reason": Action.CLOSE_WITH_REASON,
    "hand_back": Action.REQUEST_HAND_BACK,
    "reassign": Action.REASSIGN,
}
OTHER_KEYS = ("edit", "consult", "co_opinion", "extension", "supervise", "publish", "letter")
ORDER = ["edit", "submit", "register", "return", "convert", "agenda", "assign", "accept", "consult", "co_opinion",
         "reply", "extension", "hand_back", "rate", "close", "supervise", "reassign", "publish", "close_with_reason",
         "withdraw", "letter"]


def can(user, key: str, suggestion, *, held: frozenset | None = None) -> bool:
    held = relations(user, suggestion) if held is None else held
    if key in TRANSITION_KEYS:
        step = lifecycle.find(suggestion.status, TRANSITION_KEYS[key], suggestion.kind)
        if step is None or not held & step.roles:
            return False
        if key == "withdraw" and not held & STAFF_ROLES:
            return Role.DEPUTY in held  # a deputy withdraws only what they lead
        if key == "reply":
            return consulted_this_round(suggestion)  # 先面商、再答复 (seed 001)
        return True
    is_staff = bool(held & STAFF_ROLES)
    if key == "edit":
        return suggestion.status == S.DRAFT and (is_staff or Role.DEPUTY in held or suggestion.entered_by_id == user.pk)
    if key in ("consult", "extension"):
        return Role.UNIT_LIAISON in held and suggestion.status in OPEN_HANDLING
    if key == "co_opinion":
        return suggestion.status in OPEN_HANDLING and bool(co_unit_ids_for(user, suggestion))
    if key == "supervise":
        return is_staff and suggestion.assigned_at is not None and suggestion.status != S.CLOSED
    if key == "publish":
        return is_staff and suggestion.status in ASSIGNED_OR_LATER
    if key == "letter":
        return suggestion.assigned_at is not None and (
            is_staff or Role.UNIT_LIAISON in held or bool(co_unit_ids_for(user, suggestion)))
    raise KeyError(key)


def available(user, suggestion) -> list[str]:
    held = relations(user, suggestion)
    return [key for key in ORDER if can(user, key, suggestion, held=held)]


def why_not(user, key: str, suggestion, *, held: frozenset | None = None) -> str | None:
    """Why ``user`` cannot take step ``key`` *now* although their relation to the item lets them take it
    at some point; None when the step is possible, or is never theirs (then the answer is a 403)."""
    if key not in TRANSITION_KEYS:
        return None
    held = relations(user, suggestion) if held is None else held
    action = TRANSITION_KEYS[key]
    if not held & lifecycle.roles_for(action):
        return None
    step = lifecycle.find(suggestion.status, action, suggestion.kind)
    if step is None:
        return lifecycle.refusal_reason(suggestion.status, action, suggestion.kind)
    if not held & step.roles:
        return None
    if key == "reply" and not consulted_this_round(suggestion):
        return lifecycle.reply_needs_consultation()
    return None


# The steps shown disabled (with their reason) while still ahead for the user: the ones each role waits for.
UPCOMING_KEYS = ("register", "assign", "reply", "rate", "close")


def upcoming(user, suggestion, *, actions: list[str] | None = None) -> list[tuple[str, str]]:
    """(key, reason) of the steps the user will take later on this item but cannot take yet.

    Only steps still ahead on the item's way (a step already past, or any step of a finished item, is not
    shown), and only in the user's own relation: the lead unit sees 答复 waiting for 面商, the deputy 评价
    waiting for the reply, staff 交办 and 办结 waiting for their turn.
    """
    held = relations(user, suggestion)
    actions = available(user, suggestion) if actions is None else actions
    result = []
    for key in UPCOMING_KEYS:
        if key in actions:
            continue
        if lifecycle.path_to(suggestion.status, TRANSITION_KEYS[key], suggestion.kind) is None:
            continue  # past (or only again after a dissatisfied rating or a 改办): not what the user waits for
        reason = why_not(user, key, suggestion, held=held)
        if reason:
            result.append((key, reason))
    return result


def sees_deputy_phones(user, suggestion, *, held: frozenset | None = None) -> bool:
    """The liaisons of the units handling an open item see the deputies' mobiles to meet them (三见面).

    Only while the item is being handled (assigned, in handling, re-handling): once it is replied to or
    closed, the numbers are masked again. Each view is logged (``proposals.selectors.handling_contacts``).
    """
    if suggestion.status not in OPEN_HANDLING:
        return False
    held = relations(user, suggestion) if held is None else held
    return Role.UNIT_LIAISON in held or bool(co_unit_ids_for(user, suggestion))


def sees_co_unit_opinions(user, suggestion) -> bool:
    """Co-unit opinions go to the lead unit and the presidium, not to the deputy."""
    held = relations(user, suggestion)
    return bool(held & STAFF_ROLES) or Role.UNIT_LIAISON in held or bool(co_unit_ids_for(user, suggestion)) \
        or scope_of(user).has_role(Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER)
