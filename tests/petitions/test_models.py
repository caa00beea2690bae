"""The petitions models hold their invariants in the database too."""

import pytest
from django.db import IntegrityError

from petitions.models import Petition
from tests.factories import PetitionFactory, PetitionTransferFactory, ReceptionDutyFactory

pytestmark = pytest.mark.django_db


def test_it_stores_personal_data_encrypted_and_reads_it_back():
    petition = PetitionFactory(mobile="13812345678", id_number="330102198101100002")
    raw = Petition.objects.filter(pk=petition.pk).values_list("mobile", "id_number", "address").get()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile, id_number, address FROM petitions_petition WHERE id = %s", [petition.pk])
        stored = cursor.fetchone()
    assert all(value.startswith("enc1:") for value in stored)
    assert raw == ("13812345678", "330102198101100002", petition.address)
    assert petition.registration_number == f"〔2026〕第{petition.number}号"


def test_it_allows_one_open_transfer_at_a_time():
    transfer = PetitionTransferFactory()
    with pytest.raises(IntegrityError):
        PetitionTransferFactory(petition=transfer.petition, unit=transfer.unit)


def test_it_refuses_a_collective_visit_of_fewer_than_five():
    with pytest.raises(IntegrityError):
        PetitionFactory(people_count=3, is_collective=True)


def test_it_makes_reception_duty_rows():
    duty = ReceptionDutyFactory()
    assert duty.day.township_id == duty.deputy.township_id


@pytest.mark.parametrize("model", ["petition", "category", "petitiontransfer", "petitionclock", "petitionnotice",
                                   "returnvisit", "petitionreview", "petitionevent", "petitionattachment",
                                   "petitiondataaccess", "receptionday"])
def test_it_shows_the_admin_lists_without_personal_data(world, client, model, django_assert_max_num_queries):
    from tests.factories import UserFactory, petition_at

    petition_at("closed", world.township, by=world.user("presidium_staff"), unit=world.unit)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(f"/admin/petitions/{model}/")
    assert response.status_code == 200
    assert "13812341234" not in response.content.decode() and "330102198101100002" not in response.content.decode()
    if model == "petition":
        page = client.get(f"/admin/petitions/petition/{Petition.objects.get().pk}/change/")
        assert page.status_code == 200 and "13812341234" not in page.content.decode()
    if model == "receptionday":
        duty = ReceptionDutyFactory()
        assert client.get(f"/admin/petitions/receptionday/{duty.day.pk}/change/").status_code == 200
