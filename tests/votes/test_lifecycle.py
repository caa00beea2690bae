"""Every (state, action) pair of a vote: the allowed ones lead where the table says, the rest are refused."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError

from presidium.votes import lifecycle
from presidium.votes.choices import VoteAction, VoteState

ALLOWED = {
    (VoteState.CREATED, VoteAction.OPEN): VoteState.OPEN,
    (VoteState.OPEN, VoteAction.COUNT): VoteState.COUNTED,
    (VoteState.COUNTED, VoteAction.REOPEN): VoteState.OPEN,
    (VoteState.COUNTED, VoteAction.PUBLISH): VoteState.PUBLISHED,
}


@pytest.mark.parametrize(("state", "action"), list(itertools.product(VoteState, VoteAction)))
def test_it_walks_every_allowed_and_forbidden_step(state, action):
    if (state, action) in ALLOWED:
        assert lifecycle.transition(state, action) == ALLOWED[(state, action)]
        assert action in lifecycle.actions_from(state)
    else:
        with pytest.raises(ValidationError):
            lifecycle.transition(state, action)
        assert not lifecycle.allowed(state, action)


def test_it_never_leaves_published():
    assert lifecycle.actions_from(VoteState.PUBLISHED) == []
