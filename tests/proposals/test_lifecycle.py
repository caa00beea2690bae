"""The lifecycle table: every allowed and every forbidden (status, action, kind) step, through the services."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError

from presidium.choices import Role
from proposals import lifecycle
from proposals.choices import Action, SuggestionKind, SuggestionStatus

S, K = SuggestionStatus, SuggestionKind

EXPECTED = {
    (S.DRAFT, Action.SUBMIT): S.SUBMITTED,
    (S.DRAFT, Action.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, Action.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, Action.RETURN): S.DRAFT,
    (S.SUBMITTED, Action.CONVERT): S.SUBMITTED,
    (S.SUBMITTED, Action.REGISTER): S.REGISTERED,
    (S.REGISTERED, Action.PLACE_ON_AGENDA): S.ON_AGENDA,
    (S.REGISTERED, Action.REFUSE_AGENDA): S.NOT_ON_AGENDA,
    (S.REGISTERED, Action.CONVERT): S.REGISTERED,
    (S.REGISTERED, Action.ASSIGN): S.ASSIGNED,
    (S.ON_AGENDA, Action.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, Action.ACCEPT): S.IN_HANDLING,
    (S.ASSIGNED, Action.REQUEST_HAND_BACK): S.ASSIGNED,
    (S.ASSIGNED, Action.REASSIGN): S.ASSIGNED,
    (S.IN_HANDLING, Action.REASSIGN): S.ASSIGNED,
    (S.IN_HANDLING, Action.REPLY): S.REPLIED,
    (S.REHANDLING, Action.REPLY): S.REPLIED,
    (S.REPLIED, Action.RATE): S.RATED,
    (S.REPLIED, Action.RATE_UNSATISFIED): S.REHANDLING,
    (S.RATED, Action.CLOSE): S.CLOSED,
    (S.REPLIED, Action.CLOSE_WITH_REASON): S.CLOSED,
    (S.REHANDLING, Action.CLOSE_WITH_REASON): S.CLOSED,
}
MOTION_ONLY = {(S.REGISTERED, Action.PLACE_ON_AGENDA), (S.REGISTERED, Action.REFUSE_AGENDA),
               (S.REGISTERED, Action.CONVERT), (S.ON_AGENDA, Action.ASSIGN)}
SUGGESTION_ONLY = {(S.REGISTERED, Action.ASSIGN)}


def _allowed_for(status, action, kind) -> bool:
    if (status, action) not in EXPECTED:
        return False
    if (status, action) in MOTION_ONLY:
        return kind == K.MOTION
    if (status, action) in SUGGESTION_ONLY:
        return kind == K.SUGGESTION
    return True


@pytest.mark.parametrize("status,action,kind", list(itertools.product(S, Action, K)),
                         ids=lambda v: str(v.value) if hasattr(v, "value") else str(v))
def test_it_allows_exactly_the_steps_of_the_table(status, action, kind):
    found = lifecycle.find(status, action, kind)
    if _allowed_for(status, action, kind):
        assert found is not None and found.to == EXPECTED[(status, action)]
        assert lifecycle.transition(status, action, kind) == found
    else:
        assert found is None
        with pytest.raises(ValidationError) as error:
            lifecycle.transition(status, action, kind)
        assert "不能执行" in error.value.messages[0]


def test_it_has_no_step_the_expectations_do_not_know():
    assert set(lifecycle.TRANSITIONS) == set(EXPECTED)


def test_it_gives_each_step_the_roles_that_take_it():
    staff = {Role.PRESIDIUM_CHAIR, Role.PRESIDIUM_STAFF}
    assert lifecycle.roles_for(Action.REGISTER) == staff
    assert lifecycle.roles_for(Action.ASSIGN) == staff
    assert lifecycle.roles_for(Action.REPLY) == {Role.UNIT_LIAISON}
    assert lifecycle.roles_for(Action.ACCEPT) == {Role.UNIT_LIAISON}
    assert lifecycle.roles_for(Action.SUBMIT) == staff | {Role.DEPUTY}
    assert lifecycle.roles_for(Action.RATE) == staff | {Role.DEPUTY}
    assert lifecycle.roles_for(Action.CLOSE_WITH_REASON) == staff
    assert lifecycle.roles_for(Action.REQUEST_HAND_BACK) == {Role.UNIT_LIAISON}
    assert lifecycle.roles_for(Action.REASSIGN) == staff
    assert Role.COUNTY_ADMIN not in set().union(*(t.roles for t in lifecycle.TRANSITIONS.values()))


def test_it_never_leaves_a_final_status():
    for final in (S.CLOSED, S.WITHDRAWN, S.NOT_ON_AGENDA):
        assert lifecycle.actions_from(final, K.SUGGESTION) == []
        assert lifecycle.actions_from(final, K.MOTION) == []
