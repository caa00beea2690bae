"""Issue 12: the suggestion page stays within 20 queries for every role that reads it, the same count with one
co-unit and with many (the co-units are read once for the timeline, the permission checks and the reasons)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals.models import CoUnit
from tests.factories import HandlingUnitFactory, proposals_suggestion

BUDGET = 20


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["presidium_staff", "county_admin", "presidium_chair", "unit_liaison"])
@pytest.mark.parametrize("status_to", ["in_handling", "closed"])
def test_it_keeps_the_suggestion_page_within_budget_as_co_units_grow(world, login, role, status_to):
    suggestion = proposals_suggestion(world.township, status_to=status_to, unit=world.unit)
    client = login(world.user(role))
    url = reverse("proposals:detail", args=[suggestion.pk])
    CoUnit.objects.create(suggestion=suggestion, unit=HandlingUnitFactory(township=world.township, name="水利站"))
    client.get(url)
    few = _queries(client, url)
    assert few <= BUDGET
    for n in range(5):
        CoUnit.objects.create(suggestion=suggestion, unit=HandlingUnitFactory(township=world.township, name=f"站{n}"))
    assert _queries(client, url) == few


LISTS = {  # the context's list: the table it is read from, queried only when the item has a row of it
    "co_unit_links": "proposals_counit", "extensions": "proposals_extension", "hand_backs": "proposals_handbackrequest",
    "county_opinions": "proposals_supervisionopinion", "supervisions": "proposals_supervisionaction",
    "attachments": "proposals_attachment",
}


def _add_one_of_each(world, suggestion, n: int):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from proposals import services
    from proposals.models import Extension, HandBackRequest, SupervisionAction
    from tests.documents.hostile import pdf_bytes

    staff, liaison = world.user("presidium_staff"), world.user("unit_liaison")
    today = dt.date.today()
    from django.utils import timezone

    decided = {} if n == 0 else {"status": "refused", "decided_by": staff, "decided_at": timezone.now(),
                                 "decision_note": "不同意"}
    CoUnit.objects.create(suggestion=suggestion, unit=HandlingUnitFactory(township=world.township, name=f"站{n}"))
    Extension.objects.create(suggestion=suggestion, unit=world.unit, reason="<b>原因</b>", measures="措施",
                             requested_deadline=today + dt.timedelta(days=30), previous_deadline=today,
                             requested_by=liaison, **decided)
    HandBackRequest.objects.create(suggestion=suggestion, unit=world.unit, reason="不属职责", requested_by=liaison,
                                   **decided)
    services.supervision_opinion_send(by=world.user("county_reviewer"), title=f"督办{n}", content="请加快办理。",
                                      suggestion=suggestion)
    SupervisionAction.objects.create(suggestion=suggestion, kind="reminder", held_on=today, note="催办", by=staff)
    services.attachments_add(suggestion=suggestion, by=staff, uploads=[SimpleUploadedFile(f"材料{n}.pdf", pdf_bytes())])


@pytest.mark.parametrize("role", ["presidium_staff", "county_admin"])
def test_the_item_page_reads_a_list_only_when_the_item_has_a_row_of_it(world, login, role):
    """Whether the item has co-units, extensions, hand-backs, county opinions, supervisions and attachments is read
    with the item (EXISTS): an item without them costs no query of theirs; with them each list is read once, and
    shown, the same number of queries with one row of each and with two."""
    suggestion = proposals_suggestion(world.township, status_to="in_handling", unit=world.unit)
    client = login(world.user(role))
    url = reverse("proposals:detail", args=[suggestion.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as bare:
        response = client.get(url)
    assert all(response.context[name] == [] for name in LISTS)
    for table in LISTS.values():
        assert not [q for q in bare if q["sql"].startswith(f'SELECT "{table}".')]
    _add_one_of_each(world, suggestion, 0)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert {name: len(response.context[name]) for name in LISTS} == dict.fromkeys(LISTS, 1)
    assert len(one) == len(bare) + len(LISTS) <= BUDGET
    content = response.content.decode()
    assert "&lt;b&gt;原因&lt;/b&gt;" in content and "督办0" in content and "材料0.pdf" in content
    _add_one_of_each(world, suggestion, 1)
    with CaptureQueriesContext(connection) as two:
        response = client.get(url)
    assert {name: len(response.context[name]) for name in LISTS} == dict.fromkeys(LISTS, 2)
    assert len(two) == len(one)


def test_the_item_page_reads_the_items_accounts_in_one_query_of_their_own(world, login, django_assert_num_queries):
    """Who assigned the item, its responsible leader, who entered it and the lead deputy's account: read together
    after the item (not joined to it), each the right account, none read again by the page."""
    from presidium.models import User
    from tests.factories import deputy_with_account

    deputy = deputy_with_account(world.township)
    suggestion = proposals_suggestion(world.township, status_to="in_handling", unit=world.unit, lead_deputy=deputy)
    leader = world.user("presidium_chair")
    type(suggestion).objects.filter(pk=suggestion.pk).update(responsible_leader_user=leader)
    suggestion.refresh_from_db()
    client = login(world.user("presidium_staff"))
    url = reverse("proposals:detail", args=[suggestion.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    item_queries = [q["sql"] for q in captured if q["sql"].startswith('SELECT "proposals_suggestion"."id"')]
    assert len(item_queries) == 1 and '"presidium_user"' not in item_queries[0]
    assert len([q for q in captured if q["sql"].startswith('SELECT "presidium_user"."id"')
                and " IN (" in q["sql"]]) == 1
    shown = response.context["s"]
    with django_assert_num_queries(0):
        accounts = (shown.assigned_by, shown.responsible_leader_user, shown.entered_by, shown.lead_deputy.user)
    expected = (suggestion.assigned_by_id, leader.pk, suggestion.entered_by_id, deputy.user_id)
    assert tuple(a.pk if a else None for a in accounts) == expected
    assert all(isinstance(a, User) for a in accounts if a is not None) and accounts[3] is not None
    assert f"{accounts[2]}（代为录入）" in response.content.decode()  # the one account the page names
