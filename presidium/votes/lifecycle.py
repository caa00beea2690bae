"""The one table of allowed moves of a vote (DESIGN rule 2): created → open → counted → published.

``counted → open`` takes back an end of counting declared too early (the attendance snapshot is dropped and
taken again). A published result is never unpublished: a wrong figure is corrected with a reason
(:func:`presidium.votes.services.vote_correct`), which keeps the old count.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from presidium.votes.choices import VoteAction as A
from presidium.votes.choices import VoteState as S

TRANSITIONS: dict[tuple[S, A], S] = {
    (S.CREATED, A.OPEN): S.OPEN,
    (S.OPEN, A.COUNT): S.COUNTED,
    (S.COUNTED, A.REOPEN): S.OPEN,
    (S.COUNTED, A.PUBLISH): S.PUBLISHED,
}

# States in which the tellers may enter (or enter again) their figures.
TALLY_STATES = frozenset({S.OPEN, S.COUNTED})


def allowed(state: str, action: str) -> bool:
    return (S(state), A(action)) in TRANSITIONS


def transition(state: str, action: str) -> S:
    """The state reached by ``action`` from ``state``; a ValidationError in Chinese when it is not allowed."""
    try:
        return TRANSITIONS[(S(state), A(action))]
    except KeyError:
        raise ValidationError(_("表决当前为“%(state)s”，不能%(action)s。") % {
            "state": S(state).label, "action": A(action).label}) from None


def actions_from(state: str) -> list[A]:
    return [action for (origin, action) in TRANSITIONS if origin == S(state)]
