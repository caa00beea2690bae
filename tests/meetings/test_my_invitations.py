"""invitations_of(user): the invitations addressed to the account, or to the deputy linked to it, and no one
else's; in one query whatever the number of invitations."""

from presidium.meetings.selectors import invitations_of, upcoming_invitations
from tests.factories import InvitationFactory, MeetingFactory, UserFactory, deputy_with_account


def test_it_finds_the_invitations_of_the_account_and_of_its_deputy(world, django_assert_num_queries):
    deputy = deputy_with_account(world.township)
    other = deputy_with_account(world.township)
    staff_guest = UserFactory()
    by_account = InvitationFactory(meeting=MeetingFactory(township=world.township), user=deputy.user, name="甲")
    by_deputy = InvitationFactory(meeting=MeetingFactory(township=world.township), deputy=deputy, user=None, name="甲")
    both = InvitationFactory(meeting=MeetingFactory(township=world.township), deputy=deputy, user=deputy.user,
                             name="甲")
    InvitationFactory(meeting=MeetingFactory(township=world.township), deputy=other, user=other.user, name="乙")
    InvitationFactory(meeting=MeetingFactory(township=world.township), user=staff_guest, name="列席")
    with django_assert_num_queries(1):
        mine = list(invitations_of(deputy.user))
    assert sorted(i.pk for i in mine) == sorted([by_account.pk, by_deputy.pk, both.pk])
    assert [i.pk for i in invitations_of(staff_guest)] != [] and all(i.user == staff_guest
                                                                    for i in invitations_of(staff_guest))
    assert list(invitations_of(UserFactory())) == []  # an account with no deputy and no invitation
    assert len(upcoming_invitations(deputy.user, limit=10)) <= 3
