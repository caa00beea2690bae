"""Who sees which petitions, and whose eyes see the petitioner's personal data in full (PIPL): the staff of the
township who handle the case and the liaisons of the unit it is currently transferred to. Everyone else: masked."""

from types import SimpleNamespace

import pytest

from petitions.access import (
    PetitionerView,
    mask_address,
    mask_id_number,
    mask_mobile,
    mask_name,
    petitioner_view,
    sees_petitioner_data,
    unmasked_petition_ids,
)
from petitions.models import Petition
from petitions.selectors import petitions_visible_to
from tests.factories import PetitionFactory, UserFactory, deputy_with_account, petition_at, user_with_role

pytestmark = pytest.mark.django_db


def test_it_masks_each_kind_of_personal_data():
    assert mask_name("张三丰") == "张**" and mask_name("张三") == "张*" and mask_name("") == ""
    assert mask_mobile("13812341234") == "138****1234"
    assert mask_id_number("330102198101100002") == "3301**********0002"
    assert mask_address("青石镇东风村三组12号") == "青石镇东风村****"
    person = SimpleNamespace(name="张建国", mobile="13812341234", id_number="330102198101100002",
                             address="青石镇东风村三组12号")
    view = PetitionerView(person, unmasked=False)
    assert (view.name, view.mobile, view.id_number, view.address) == (
        "张**", "138****1234", "3301**********0002", "青石镇东风村****")


@pytest.fixture
def transferred(world):
    return petition_at("transferred", world.township, by=world.user("presidium_staff"), unit=world.unit)


FULL = {"presidium_staff", "presidium_chair", "unit_liaison"}
MASKED = {"county_admin", "county_reviewer", "deputy"}


@pytest.mark.parametrize("role", sorted(FULL | MASKED))
def test_it_shows_the_petitioner_in_full_only_to_staff_and_the_current_unit(world, transferred, role):
    user = world.user(role)
    view = petitioner_view(user, transferred)
    assert sees_petitioner_data(user, transferred) is (role in FULL)
    assert view.masked is (role not in FULL)
    assert (view.mobile == "13812341234") is (role in FULL)
    assert (view.id_number == "330102198101100002") is (role in FULL)
    assert unmasked_petition_ids(user, [transferred]) == ({transferred.pk} if role in FULL else set())


def test_it_masks_for_staff_of_another_township_another_unit_and_nobody(world, transferred):
    other_liaison = user_with_role("unit_liaison", world.other_unit)
    for user in (world.other_staff, other_liaison, UserFactory(), None):
        assert not sees_petitioner_data(user, transferred)
        assert petitioner_view(user, transferred).masked


def test_it_masks_for_the_unit_once_the_case_is_answered(world, transferred):
    liaison = world.user("unit_liaison")
    petition = petition_at("replied", world.township, by=world.user("presidium_staff"), unit=world.unit)
    assert sees_petitioner_data(liaison, transferred)
    assert not sees_petitioner_data(liaison, Petition.objects.get(pk=petition.pk))
    assert petitions_visible_to(liaison).filter(pk=petition.pk).exists()  # still listed, masked


def test_it_masks_for_the_deputy_who_raised_it(world):
    deputy = deputy_with_account(world.township)
    petition = petition_at("registered", world.township, by=world.user("presidium_staff"), channel="deputy",
                           raised_by_deputy=deputy)
    assert petitions_visible_to(deputy.user).filter(pk=petition.pk).exists()
    assert not sees_petitioner_data(deputy.user, petition)


def test_it_shows_each_role_only_its_petitions(world, transferred):
    staff = world.user("presidium_staff")
    other = petition_at("registered", world.other_township, by=world.other_staff)
    foreign = PetitionFactory(township=world.foreign_township)
    untransferred = petition_at("registered", world.township, by=staff)
    visible = {role: set(petitions_visible_to(world.user(role)).values_list("pk", flat=True))
               for role in FULL | MASKED}
    assert visible["presidium_staff"] == visible["presidium_chair"] == {transferred.pk, untransferred.pk}
    assert visible["county_admin"] == visible["county_reviewer"] == {transferred.pk, untransferred.pk, other.pk}
    assert visible["unit_liaison"] == {transferred.pk}
    assert visible["deputy"] == set()
    assert set(petitions_visible_to(world.other_staff).values_list("pk", flat=True)) == {other.pk}
    assert foreign.pk not in set().union(*visible.values())
    assert not petitions_visible_to(None).exists()


@pytest.mark.parametrize("role", sorted(FULL | MASKED))
def test_it_reads_a_growing_list_in_the_same_number_of_queries(world, role, django_assert_max_num_queries):
    user = world.user(role)
    staff = world.user("presidium_staff")

    def read():
        rows = list(petitions_visible_to(user))
        unmasked = unmasked_petition_ids(user, rows)
        return [(p.registration_number, p.category.name if p.category_id else "", p.current_unit,
                 PetitionerView(p, unmasked=p.pk in unmasked).mobile) for p in rows]

    petition_at("transferred", world.township, by=staff, unit=world.unit)
    from petitions.access import scope_of

    scope_of(user)
    with django_assert_max_num_queries(2):
        read()
    for _ in range(4):
        petition_at("transferred", world.township, by=staff, unit=world.unit)
    with django_assert_max_num_queries(2):
        assert len(read()) in (0, 5)
