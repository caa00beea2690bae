"""``field__any``: the rows of ``field__in``, sent as one array parameter on PostgreSQL (issue 12)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from presidium.models import HandlingUnit, User
from presidium.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _pks(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def test_it_finds_what_in_finds_for_ids_names_and_keys_with_none_and_duplicates(world):
    units = list(HandlingUnit.objects.order_by("pk"))
    assert len(units) >= 3
    ids = [units[0].pk, units[-1].pk, units[0].pk, None, 10**12]
    assert _pks(HandlingUnit.objects.filter(pk__any=ids)) == _pks(HandlingUnit.objects.filter(pk__in=ids)) \
        == sorted({units[0].pk, units[-1].pk})
    names = [units[1].name, "没有这个单位", units[1].name]
    assert _pks(HandlingUnit.objects.filter(name__any=names)) == _pks(HandlingUnit.objects.filter(name__in=names))
    users = [UserFactory(), UserFactory()]
    for user in users:
        Notification.objects.create(recipient=user, title="甲")
    by_key = Notification.objects.filter(recipient_id__any=[users[1].pk])
    assert _pks(by_key) == _pks(Notification.objects.filter(recipient_id__in=[users[1].pk])) and by_key.count() == 1
    assert _pks(Notification.objects.filter(recipient__any=[users[0], users[1].pk])) == _pks(Notification.objects.all())


def test_it_matches_nothing_for_an_empty_list_and_takes_a_subquery_as_in_does(world):
    assert list(HandlingUnit.objects.filter(pk__any=[])) == [] == list(HandlingUnit.objects.filter(pk__any=[None]))
    sub = HandlingUnit.objects.filter(name=HandlingUnit.objects.order_by("pk").first().name).values("pk")
    assert _pks(HandlingUnit.objects.filter(pk__any=sub)) == _pks(HandlingUnit.objects.filter(pk__in=sub))
    either = HandlingUnit.objects.filter(Q(pk__any=sub) | Q(name="没有这个单位"))
    assert _pks(either) == _pks(HandlingUnit.objects.filter(Q(pk__in=sub) | Q(name="没有这个单位"))) != []
    if connection.vendor == "postgresql":  # the subquery read once as an array
        assert "= ANY(ARRAY(SELECT" in str(either.query)
    assert list(User.objects.filter(pk__any=[]).values_list("pk", flat=True)) == []


def test_it_sends_one_array_instead_of_a_placeholder_per_value(world):
    ids = list(HandlingUnit.objects.values_list("pk", flat=True)) * 3 + list(range(10**9, 10**9 + 500))
    with CaptureQueriesContext(connection) as queries:
        found = _pks(HandlingUnit.objects.filter(pk__any=ids))
    assert found == _pks(HandlingUnit.objects.all())
    sql = queries.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(CAST(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql


def test_a_county_role_sees_its_county_s_townships_rows_by_their_ids_without_a_join(world):
    """``township_q`` for a county role: the rows whose township is one of the county's, read as a list of ids the
    access scope loads with the roles (one query), not a join from every row to its township to read its county,
    and not a subquery whose size the planner cannot know. The same rows as the join: every township of the county,
    none of another county; a township added later is seen from the next request (a new scope) on."""
    from presidium.access import forget_scope, scope_of, township_q
    from tests.factories import HandlingUnitFactory, TownshipFactory

    admin = world.user("county_admin")
    HandlingUnitFactory(township=world.foreign_township, name="外县单位")
    with CaptureQueriesContext(connection) as captured:
        scope = scope_of(admin)
    assert len(captured) == 1
    assert scope.townships_of_counties({world.county.pk}) == frozenset(
        world.county.townships.values_list("pk", flat=True))
    late = TownshipFactory(county=world.county, name="新设镇")
    HandlingUnitFactory(township=late, name="新设镇财政所")
    forget_scope(admin)  # as a new request does
    visible = HandlingUnit.objects.filter(township_q(admin)).order_by("pk")  # not the units' ordering's joins
    assert _pks(visible) == _pks(HandlingUnit.objects.filter(township__county=world.county))
    assert "新设镇财政所" in visible.values_list("name", flat=True)
    assert not visible.filter(township=world.foreign_township).exists()
    sql = str(visible.query).upper()
    assert "JOIN" not in sql and "SELECT U0" not in sql
    # A township role keeps its own township; a county role's own Township rows are read by their county.
    staff = world.user("presidium_staff")
    assert _pks(HandlingUnit.objects.filter(township_q(staff))) == _pks(HandlingUnit.objects.filter(
        township=world.township))
    from presidium.models import Township

    assert _pks(Township.objects.filter(township_q(admin, field=""))) == _pks(Township.objects.filter(
        county=world.county))
