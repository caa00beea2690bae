"""The petitions lifecycle table: every allowed step, every forbidden one with a reason in Chinese."""

import pytest
from django.core.exceptions import ValidationError

from petitions import lifecycle
from petitions.choices import Action
from petitions.choices import PetitionStatus as S

ALLOWED = {
    (S.REGISTERED, Action.ANSWER_ON_SPOT): S.ANSWERED_ON_SPOT,
    (S.REGISTERED, Action.ACCEPT): S.ACCEPTED,
    (S.REGISTERED, Action.REJECT): S.NOT_ACCEPTED,
    (S.ACCEPTED, Action.TRANSFER): S.TRANSFERRED,
    (S.ACCEPTED, Action.REPLY): S.REPLIED,
    (S.TRANSFERRED, Action.TRANSFER): S.TRANSFERRED,
    (S.TRANSFERRED, Action.REPLY): S.REPLIED,
    (S.REPLIED, Action.CLOSE): S.CLOSED,
    (S.ANSWERED_ON_SPOT, Action.CLOSE): S.CLOSED,
    (S.NOT_ACCEPTED, Action.CLOSE): S.CLOSED,
    (S.REVIEWED, Action.CLOSE): S.CLOSED,
    (S.RE_REVIEWED, Action.CLOSE): S.CLOSED,
    (S.REPLIED, Action.REQUEST_REVIEW): S.REVIEW_REQUESTED,
    (S.CLOSED, Action.REQUEST_REVIEW): S.REVIEW_REQUESTED,
    (S.REVIEW_REQUESTED, Action.DECIDE_REVIEW): S.REVIEWED,
    (S.REVIEWED, Action.REQUEST_RE_REVIEW): S.RE_REVIEW_REQUESTED,
    (S.RE_REVIEW_REQUESTED, Action.DECIDE_RE_REVIEW): S.RE_REVIEWED,
    (S.CLOSED, Action.REOPEN): S.TRANSFERRED,
}


def test_it_has_exactly_the_designed_table():
    assert {key: t.to for key, t in lifecycle.TRANSITIONS.items()} == ALLOWED


@pytest.mark.parametrize(("status", "action"), sorted(ALLOWED))
def test_it_allows_each_designed_step(status, action):
    assert lifecycle.transition(status, action).to == ALLOWED[(status, action)]


FORBIDDEN = sorted((s, a) for s in S for a in Action if (s, a) not in ALLOWED)


@pytest.mark.parametrize(("status", "action"), FORBIDDEN)
def test_it_refuses_every_other_step_with_a_reason(status, action):
    with pytest.raises(ValidationError) as raised:
        lifecycle.transition(status, action)
    message = raised.value.messages[0]
    assert str(S(status).label) in message and str(Action(action).label) in message
    assert message == lifecycle.refusal_reason(status, action)
    assert len(message) > len(S(status).label) + len(Action(action).label) + 12  # says more than "not allowed"


def test_it_says_what_to_do_first():
    assert "受理" in lifecycle.refusal_reason(S.REGISTERED, Action.TRANSFER)
    assert "“受理”" in lifecycle.refusal_reason(S.REGISTERED, Action.CLOSE) or \
        "当场答复" in lifecycle.refusal_reason(S.REGISTERED, Action.CLOSE)
    assert lifecycle.path_to(S.ACCEPTED, Action.CLOSE) == [Action.REPLY]


def test_it_allows_one_extension_while_handling():
    assert lifecycle.extension_refusal(S.ACCEPTED, already_extended=False) is None
    assert lifecycle.extension_refusal(S.TRANSFERRED, already_extended=False) is None
    assert "一次" in lifecycle.extension_refusal(S.TRANSFERRED, already_extended=True)
    for status in set(S) - lifecycle.EXTENDABLE:
        assert lifecycle.extension_refusal(status, already_extended=False)
