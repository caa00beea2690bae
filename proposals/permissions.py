"""Which screen-level steps a user may take on one item: the lifecycle table plus the user's relation to it.

Views call :func:`can` before showing a form (403 otherwise) and the detail page shows a button for
each key in :func:`available`. The services check the same rules again when they write.
"""

from __future__ import annotations

from presidium.access import STAFF_ROLES, scope_of
from presidium.choices import Role
from proposals import lifecycle
from proposals.access import co_unit_ids_for, relations
from proposals.choices import ASSIGNED_OR_LATER, OPEN_HANDLING, Action, SuggestionStatus

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


def sees_co_unit_opinions(user, suggestion) -> bool:
    """Co-unit opinions go to the lead unit and the presidium, not to the deputy."""
    held = relations(user, suggestion)
    return bool(held & STAFF_ROLES) or Role.UNIT_LIAISON in held or bool(co_unit_ids_for(user, suggestion)) \
        or scope_of(user).has_role(Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER)
