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


# --- the same table through the services: every (status, step) on a real case -----------------------------

class _Undo(Exception):
    pass


def _call(action, petition, staff, world):
    import datetime as dt

    from petitions import services
    from petitions.models import PetitionTransfer

    def day(days):
        return petition.received_on + dt.timedelta(days=days)

    if action == Action.ANSWER_ON_SPOT:
        return services.petition_answer_on_spot(petition=petition, by=staff, answer="当场答复。")
    if action == Action.ACCEPT:
        return services.petition_accept(petition=petition, by=staff)
    if action == Action.REJECT:
        return services.petition_reject(petition=petition, by=staff, reason="不属于受理范围。")
    if action == Action.TRANSFER:
        return services.petition_transfer(petition=petition, by=staff, unit=world.unit, owner_name="李站长")
    if action == Action.REPLY:
        if PetitionTransfer.objects.filter(petition=petition, replied_at__isnull=True, cancelled_at__isnull=True).exists():
            services.petition_unit_reply(petition=petition, by=staff, reply="已办。")
        return services.petition_reply(petition=petition, by=staff, findings="true", request_reasonable=True,
                                       resolution="solved", text="答复。", public_text="答复。")
    if action == Action.CLOSE:
        return services.petition_close(petition=petition, by=staff)
    if action in (Action.REQUEST_REVIEW, Action.REQUEST_RE_REVIEW):
        on = day(55) if petition.status == S.REVIEWED else day(40)
        return services.petition_review_request(petition=petition, by=staff, reason="不服。", requested_on=on)
    if action in (Action.DECIDE_REVIEW, Action.DECIDE_RE_REVIEW):
        return services.petition_review_decide(petition=petition, by=staff, decision="upheld", text="维持。",
                                               public_text="维持。")
    if action == Action.REOPEN:
        return services.petition_return_visit(petition=petition, by=staff, result="unsatisfied", reopen=True,
                                              unit=world.unit, owner_name="李站长")
    raise AssertionError(action)


# The review services pick the level from the status: asking "review" of a reviewed case is its re-review.
_SAME_SERVICE = {Action.REQUEST_REVIEW: Action.REQUEST_RE_REVIEW, Action.REQUEST_RE_REVIEW: Action.REQUEST_REVIEW,
                 Action.DECIDE_REVIEW: Action.DECIDE_RE_REVIEW, Action.DECIDE_RE_REVIEW: Action.DECIDE_REVIEW}


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(S))
def test_it_lets_the_services_take_exactly_the_steps_of_the_table(world, status):
    """Every step on a case in every status: allowed ones succeed, the others are a ValidationError (not a 403)."""
    from django.db import transaction

    from petitions.models import Petition
    from tests.factories import petition_at

    staff = world.user("presidium_staff")
    petition = petition_at(status, world.township, by=staff, unit=world.unit)
    for action in Action:
        allowed = (status, action) in ALLOWED or (status, _SAME_SERVICE.get(action)) in ALLOWED
        try:
            with transaction.atomic():
                fresh = Petition.objects.get(pk=petition.pk)
                if allowed:
                    _call(action, fresh, staff, world)
                    raise _Undo
                with pytest.raises(ValidationError):
                    _call(action, fresh, staff, world)
                raise _Undo
        except _Undo:
            pass
        assert Petition.objects.get(pk=petition.pk).status == status
