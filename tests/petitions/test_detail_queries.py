"""Issue 12: the case page reads its transfers and notices once (the steps' checks look at those rows), joins only
what it shows, and keeps its query count whatever the case holds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from petitions import access, services
from petitions.models import Petition, PetitionNotice, PetitionTransfer
from presidium.choices import Role
from tests.factories import petition_at

STATES = ["registered", "accepted", "transferred", "replied", "closed", "review_requested", "reviewed",
          "re_review_requested"]


def _recent(days):
    return timezone.localdate() - dt.timedelta(days=days)


def _read(pk):
    petition = Petition.objects.get(pk=pk)
    prefetch_related_objects([petition], Prefetch("transfers", PetitionTransfer.objects.all()),
                             Prefetch("notices", PetitionNotice.objects.all()))
    return petition


@pytest.mark.parametrize("state", STATES)
def test_the_steps_say_the_same_from_the_page_s_rows_as_from_the_database(world, state):
    staff = world.user(Role.PRESIDIUM_STAFF)
    cases = [petition_at(state, world.township, by=staff, unit=world.unit, received_on=_recent(200))]
    if state == "transferred":  # its unit has replied: no transfer waiting any more
        replied = petition_at(state, world.township, by=staff, unit=world.unit, received_on=_recent(40))
        services.petition_unit_reply(petition=replied, by=staff, reply="已调处。", reply_public="已调处。")
        cases.append(Petition.objects.get(pk=replied.pk))
    if state == "accepted":  # extended once: no second extension
        extended = petition_at(state, world.township, by=staff, received_on=_recent(40))
        services.petition_extend(petition=extended, by=staff, days=30, reason="情况复杂。", approved_by="王镇长")
        cases.append(Petition.objects.get(pk=extended.pk))
    seen = set()
    for case in cases:
        for key in ("reply", "extend", "unit_reply", "edit", "return_visit", "accept", "transfer", "close"):
            plain = access._state_refusal(key, Petition.objects.get(pk=case.pk))
            loaded = _read(case.pk)
            with CaptureQueriesContext(connection) as asked:
                from_rows = access._state_refusal(key, loaded)
            assert from_rows == plain, (state, key)
            assert not [q for q in asked if "petitions_petitionnotice" in q["sql"]
                        or "petitions_petitiontransfer" in q["sql"]], (state, key)
            seen.add((key, plain is None))
    if state == "transferred":
        assert ("reply", False) in seen and ("reply", True) in seen and ("unit_reply", True) in seen
    if state == "accepted":
        assert ("extend", True) in seen and ("extend", False) in seen


def _page_queries(client, petition):
    client.get(reverse("petitions:detail", args=[petition.pk]))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("petitions:detail", args=[petition.pk]))
    assert response.status_code == 200
    return captured


@pytest.mark.parametrize("role", [Role.PRESIDIUM_STAFF, Role.COUNTY_ADMIN])
def test_the_case_page_keeps_its_query_count_as_the_case_grows(world, login, role):
    staff = world.user(Role.PRESIDIUM_STAFF)
    client = login(world.user(role))
    small = petition_at("accepted", world.township, by=staff, received_on=_recent(40))
    large = petition_at("re_review_requested", world.township, by=staff, unit=world.unit, received_on=_recent(200))
    services.petition_extend(petition=petition_at("accepted", world.township, by=staff, received_on=_recent(30)),
                             by=staff, days=30, reason="情况复杂。", approved_by="王镇长")
    assert large.notices.count() > small.notices.count() + 2 and large.events.count() > small.events.count() + 2
    few, many = _page_queries(client, small), _page_queries(client, large)
    assert len(few) == len(many) <= 17
    for captured in (few, many):
        sql = " ".join(q["sql"] for q in captured)
        # the extension and open-transfer checks read the page's own rows
        assert sql.count('FROM "petitions_petitionnotice"') == 1
        assert sql.count('FROM "petitions_petitiontransfer"') == 1
        # the case's own read joins what the page shows, not the registering user nor the visit opinion
        case = next(q["sql"] for q in captured if q["sql"].startswith('SELECT "petitions_petition"."id"'))
        assert "deputies_visitopinion" not in case and '"presidium_user"' not in case


def test_the_case_page_still_shows_the_lead_leader_the_opinion_and_the_repeated_case(world, login):
    staff = world.user(Role.PRESIDIUM_STAFF)
    earlier = petition_at("closed", world.township, by=staff, received_on=_recent(200), subject="村道硬化<问题>")
    case = petition_at("accepted", world.township, by=staff, received_on=_recent(10))
    leader = world.user(Role.PRESIDIUM_CHAIR)
    Petition.objects.filter(pk=case.pk).update(repeat_of=earlier, lead_leader=leader)
    page = login(staff).get(reverse("petitions:detail", args=[case.pk])).content.decode()
    assert "包案领导" in page and str(leader) in page
    assert earlier.registration_number in page and "村道硬化&lt;问题&gt;" in page
