"""A voter's opinion from a deputy's visit becomes a petition registration (代表代言), keeping its origin."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from deputies.conversions import conversions_for, get_conversion
from deputies.services.visits import visit_opinion_convert
from petitions.choices import PetitionStatus
from petitions.models import Petition
from presidium.choices import Role
from tests.factories import VisitFactory, VisitOpinionFactory, deputy_with_account

KEY = "petition_registration"


@pytest.fixture
def opinion(world):
    deputy = deputy_with_account(world.township, name="冯国强")
    return VisitOpinionFactory(visit=VisitFactory(deputy=deputy, place="东风村"), category="environment",
                               content="养殖场污水直排河道\n沿河群众意见很大。", raised_by="刘大妈")


def test_it_registers_the_opinion_as_a_petition_raised_by_the_visiting_deputy(world, opinion):
    staff = world.user(Role.PRESIDIUM_STAFF)
    opinion = visit_opinion_convert(opinion=opinion, by=staff, kind=KEY)
    petition = Petition.objects.get()
    assert opinion.converted_to == petition and petition.origin_opinion == opinion
    assert (petition.channel, petition.raised_by_deputy, petition.status) == (
        "deputy", opinion.visit.deputy, PetitionStatus.REGISTERED)
    assert petition.subject == "养殖场污水直排河道" and petition.category.name == "生态环境"
    assert petition.name == "刘大妈" and petition.village == "东风村"
    assert "冯国强代表" in petition.content and "沿河群众意见很大" in petition.content
    assert petition.clocks.filter(kind="acceptance").exists()  # the 15 days run from today


def test_it_registers_an_unnamed_voter_as_anonymous(world, opinion):
    opinion.raised_by = ""
    opinion.save()
    visit_opinion_convert(opinion=opinion, by=world.user(Role.PRESIDIUM_STAFF), kind=KEY)
    petition = Petition.objects.get()
    assert petition.anonymous and petition.name == ""


def test_it_offers_the_conversion_to_the_townships_staff_only(world, opinion):
    assert get_conversion(KEY) is not None
    assert KEY in [c.key for c in conversions_for(world.user(Role.PRESIDIUM_STAFF), opinion)]
    for role in (Role.DEPUTY, Role.UNIT_LIAISON, Role.COUNTY_REVIEWER):
        assert KEY not in [c.key for c in conversions_for(world.user(role), opinion)]
    assert KEY not in [c.key for c in conversions_for(world.other_staff, opinion)]
    with pytest.raises(PermissionDenied):
        visit_opinion_convert(opinion=opinion, by=opinion.visit.deputy.user, kind=KEY)
    assert not Petition.objects.exists()


def test_it_converts_from_the_visit_page_once(world, login, opinion):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    url = reverse("deputies:opinion_convert", args=[opinion.pk, KEY])
    assert client.post(url).status_code == 302
    client.post(url)
    assert Petition.objects.count() == 1


def test_it_shows_the_button_on_the_visit_page_to_staff_only(world, login, opinion):
    url = reverse("deputies:visit_detail", args=[opinion.visit.pk])
    assert "转为信访登记" in login(world.user(Role.PRESIDIUM_STAFF)).get(url).content.decode()
    assert "转为信访登记" not in login(opinion.visit.deputy.user).get(url).content.decode()
