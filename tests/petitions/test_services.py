"""The petitions services: the whole path through every step, with the clocks each notice moves."""

import datetime as dt

import pytest

from petitions.choices import ClockKind, ClockState, NoticeKind, PetitionStatus
from petitions.models import Petition
from tests.factories import petition_at

pytestmark = pytest.mark.django_db

WALK = ["registered", "answered_on_spot", "not_accepted", "accepted", "transferred", "replied", "closed",
        "review_requested", "reviewed", "re_review_requested", "re_reviewed"]


@pytest.mark.parametrize("status", WALK)
def test_it_reaches_every_status_through_the_services(world, status):
    petition = petition_at(status, world.township, by=world.user("presidium_staff"), unit=world.unit)
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.status == status
    assert petition.events.filter(to_status=status).exists()


def test_it_moves_the_clocks_with_the_notices(world):
    petition = petition_at("re_reviewed", world.township, by=world.user("presidium_staff"), unit=world.unit)
    clocks = {(c.kind, c.round): c for c in petition.clocks.all()}
    assert {kind for kind, _ in clocks} == {ClockKind.ACCEPTANCE, ClockKind.COMPLETION, ClockKind.REVIEW_REQUEST,
                                             ClockKind.REVIEW, ClockKind.RE_REVIEW_REQUEST, ClockKind.RE_REVIEW}
    assert all(c.state == ClockState.MET for c in clocks.values())
    acceptance = clocks[(ClockKind.ACCEPTANCE, 1)]
    assert acceptance.due_on == dt.date(2026, 10, 10)
    assert acceptance.stopped_by_notice.kind == NoticeKind.ACCEPTANCE
    completion = clocks[(ClockKind.COMPLETION, 1)]
    assert completion.started_on == dt.date(2026, 9, 30) and completion.due_on == dt.date(2026, 11, 29)
    assert completion.stopped_by_notice.kind == NoticeKind.ANSWER
    kinds = list(petition.notices.order_by("pk").values_list("kind", flat=True))
    assert kinds == [NoticeKind.ACCEPTANCE, NoticeKind.TRANSFER, NoticeKind.ANSWER, NoticeKind.REVIEW,
                     NoticeKind.RE_REVIEW]
    assert all(n.number_id for n in petition.notices.all())
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.RE_REVIEWED
