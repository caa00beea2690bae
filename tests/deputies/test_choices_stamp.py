"""The deputies lists' option rows are kept per process under the stamp of their tables (``presidium.choice_rows``):
every write to those tables, by whatever path, writes a new stamp in its own transaction, so a kept row is never
shown after it changed, and a request that changes nothing reads the stamp instead of five lists of rows."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputies.choices import GroupKind
from deputies.filters import DeputyFilter
from deputies.models import Constituency, DeputyGroup, LiaisonStation
from presidium.choice_rows import choices_stamp
from presidium.choices import Role
from presidium.models import ChoicesStamp, County, Township
from tests.factories import DeputyFactory, TermFactory, TownshipFactory


def _stamp():
    return choices_stamp(None)


def _write_each_way(world):
    """One write of each kind to each stamped table (services, the ORM's update and delete, raw SQL)."""
    current = world.township.terms.get(is_current=True)
    group = DeputyGroup.objects.create(township=world.township, name="新小组", kind=GroupKind.SMALL)
    yield "group created"
    DeputyGroup.objects.filter(pk=group.pk).update(name="改名小组")
    yield "group renamed by QuerySet.update"
    station = LiaisonStation.objects.create(township=world.township, name="新联络站")
    yield "station created"
    station.delete()
    yield "station deleted"
    Constituency.objects.create(township=world.township, term=current, name="新选区")
    yield "constituency created"
    TermFactory(township=world.township, ordinal=17, is_current=False)
    yield "term created"
    Township.objects.filter(pk=world.other_township.pk).update(name="改名镇")
    yield "township renamed"
    County.objects.filter(pk=world.county.pk).update(name="改名县")
    yield "county renamed"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE deputies_deputygroup SET sort_order = sort_order + 1 WHERE id = %s", [group.pk])
    yield "group reordered by raw SQL"


def test_every_write_to_an_options_table_writes_a_new_stamp_and_others_do_not(world):
    seen = [_stamp()]
    assert seen[0] is not None
    for what in _write_each_way(world):
        stamp = _stamp()
        assert stamp not in seen, what
        seen.append(stamp)
    DeputyFactory(township=world.township)  # a deputy names no option
    assert _stamp() == seen[-1]


def test_a_rolled_back_write_leaves_the_stamp_and_the_options_as_they_were(world):
    before = _stamp()
    with pytest.raises(RuntimeError), transaction.atomic():
        DeputyGroup.objects.create(township=world.township, name="未保存的小组", kind=GroupKind.SMALL)
        assert _stamp() != before
        raise RuntimeError
    assert _stamp() == before
    assert "未保存的小组" not in _labels(world.user(Role.PRESIDIUM_STAFF), "group")


def _labels(user, name, query=""):
    request = RequestFactory().get("/" + query)
    request.user = user
    return [label for _v, label in DeputyFilter(request.GET, request=request).form.fields[name].choices]


@pytest.mark.parametrize("role", [Role.COUNTY_ADMIN, Role.PRESIDIUM_STAFF])
def test_the_options_are_kept_until_a_write_and_shown_anew_after_it(world, role):
    user = world.user(role)
    first = {name: _labels(user, name) for name in ("group", "station", "constituency", "term")}
    with CaptureQueriesContext(connection) as captured:
        again = {name: _labels(user, name) for name in ("group", "station", "constituency", "term")}
    assert again == first
    reads = [q["sql"] for q in captured.captured_queries]
    assert all("presidium_choicesstamp" in sql for sql in reads), reads  # the stamp, once a form: nothing else
    for what in _write_each_way(world):
        after = {name: _labels(user, name, "?term=all") for name in ("group", "station", "constituency", "term")}
        expected_group = "改名小组" if what != "group created" else "新小组"
        assert any(label.endswith(expected_group) for label in after["group"]), what
        if what == "station created":
            assert any(label.endswith("新联络站") for label in after["station"])
        if what == "station deleted":
            assert not any(label.endswith("新联络站") for label in after["station"])
        if what == "constituency created":
            assert any(label.endswith("新选区") for label in after["constituency"])
    if role == Role.COUNTY_ADMIN:
        assert "改名镇" in _labels(user, "township")


def test_without_a_stamp_the_options_are_read_every_time(world):
    ChoicesStamp.objects.all().delete()
    user = world.user(Role.COUNTY_ADMIN)
    assert _stamp() is None
    _labels(user, "group")
    with connection.cursor() as cursor:  # a write the stamp would have told: it is gone, so nothing was kept
        cursor.execute("UPDATE deputies_deputygroup SET name = name")
    ChoicesStamp.objects.all().delete()
    DeputyGroup.objects.create(township=world.township, name="无戳小组", kind=GroupKind.SMALL)
    ChoicesStamp.objects.all().delete()
    assert "甲镇 · 无戳小组" in _labels(user, "group")


@pytest.mark.parametrize("url_name", ["deputies:deputy_list", "deputies:visit_list", "deputies:duty_overview"])
@pytest.mark.parametrize("role", [Role.COUNTY_ADMIN, Role.PRESIDIUM_STAFF])
def test_a_list_read_again_reads_the_stamp_not_the_options(world, login, url_name, role):
    client = login(world.user(role))
    url = reverse(url_name)
    client.get(url)
    counts = []
    for n in (2, 20):
        for i in range(n):
            DeputyGroup.objects.create(township=world.township, name=f"组{n}-{i}", kind=GroupKind.SMALL)
            TownshipFactory(county=world.county) if role == Role.COUNTY_ADMIN and i < 2 else None
        client.get(url)  # the first request after the writes reads the rows
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert f"组{n}-{n - 1}" in response.content.decode()
        option_tables = ("deputies_deputygroup", "deputies_liaisonstation", "deputies_constituency", "presidium_term")
        option_reads = [q["sql"] for q in captured.captured_queries
                        if q["sql"].split(" WHERE ")[0].count("SELECT") == 1
                        and any(f'FROM "{table}"' in q["sql"] for table in option_tables)]
        assert option_reads == [], option_reads
        counts.append(len(captured))
    assert counts[0] == counts[1]
