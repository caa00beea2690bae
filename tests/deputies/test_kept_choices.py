"""The deputies lists' select options are read by SQL kept per process (``deputies.filters.kept_rows``): the SQL
is the user's scope's and the chosen term's, the rows are read afresh on every request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from deputies.choices import GroupKind
from deputies.filters import DeputyFilter, VisitFilter
from deputies.models import Constituency, DeputyGroup, LiaisonStation
from presidium.access import townships_visible_to
from presidium.choices import Role
from presidium.home_cards import _KEPT, forget_kept
from tests.factories import TermFactory, TownshipFactory

SELECTS = {"group": (DeputyGroup, {"kind": GroupKind.SMALL}), "station": (LiaisonStation, {}),
           "constituency": (Constituency, {})}


def _rows(world, n, tag):
    for township in (world.township, world.other_township):
        for i in range(n):
            DeputyGroup.objects.create(township=township, name=f"{tag}小组{i} <&\"'>", kind=GroupKind.SMALL)
            DeputyGroup.objects.create(township=township, name=f"{tag}大组{i}", kind=GroupKind.BIG)
            LiaisonStation.objects.create(township=township, name=f"{tag}联络站{i}")
            Constituency.objects.create(township=township, term=township.terms.get(is_current=True),
                                        name=f"{tag}选区{i}")


def _expected(form, user, name):
    """The options as the ORM reads the field's own rows from scratch, as instances."""
    several = townships_visible_to(user).count() > 1
    return [(row.pk, f"{row.township.name} · {row}" if several else str(row))
            for row in form.fields[name].queryset.select_related("township")]


def _choices(form, name):
    return [(getattr(value, "value", value), label) for value, label in form.fields[name].choices][1:]


def _form(user, query=""):
    request = RequestFactory().get("/" + query)
    request.user = user
    return DeputyFilter(request.GET, request=request).form


@pytest.mark.parametrize("role", [Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, Role.PRESIDIUM_STAFF])
def test_the_kept_choices_are_the_rows_of_the_moment_for_every_term(world, role):
    old_term = TermFactory(township=world.township, ordinal=17, is_current=False)
    _rows(world, 2, "甲")
    Constituency.objects.create(township=world.township, term=old_term, name="旧届选区")
    Constituency.objects.create(township=world.other_township, term=None, name="无届选区")
    user = world.user(role)
    for round_ in range(2):  # the second round reads by the kept SQL, after rows were added, renamed and moved
        for term in ("current", "all", str(old_term.pk)):
            form = _form(user, f"?term={term}")
            for name in SELECTS:
                assert _choices(form, name) == _expected(form, user, name), (round_, term, name)
        _rows(world, 1, f"乙{round_}")
        LiaisonStation.objects.filter(name="甲联络站0").update(name="改名联络站")
        Constituency.objects.filter(name="旧届选区").update(term=world.township.terms.get(is_current=True))


def test_a_new_township_or_term_shows_at_once_and_the_township_select_lists_what_was_read(world):
    county = world.user(Role.COUNTY_ADMIN)
    form = _form(county)
    listed = [label for _v, label in form.fields["township"].choices][1:]
    assert listed == [str(t) for t in townships_visible_to(county)] == sorted([world.township.name,
                                                                              world.other_township.name])
    new = TownshipFactory(county=world.county, name="丙镇")
    TermFactory(township=new)
    DeputyGroup.objects.create(township=new, name="新小组", kind=GroupKind.SMALL)
    county = world.user(Role.COUNTY_ADMIN)  # a new request reads the roles (and the county's townships) anew
    form = _form(county)
    listed = [label for _v, label in form.fields["township"].choices][1:]
    assert listed == [str(t) for t in townships_visible_to(county)] and "丙镇" in listed
    assert "丙镇 · 新小组" in [label for _v, label in form.fields["group"].choices]
    terms = [label for _v, label in form.fields["term"].choices]
    assert sum(label.startswith("丙镇 ") for label in terms) == 1
    TermFactory(township=new, ordinal=17, is_current=False)
    with translation.override("zh-hans"):
        labels = [label for _v, label in _form(county).fields["term"].choices]
    assert "丙镇 第十七届" in labels
    # the posted township is still checked against the visible townships
    other = TownshipFactory(name="外县镇")
    assert not _form(county, f"?township={other.pk}").is_valid()
    assert _form(county, f"?township={new.pk}").is_valid()


def _choices_kept() -> int:
    return sum(1 for entry in _KEPT if entry[:2] == ("sql", "deputies_choices"))


def _read_every_select(world, role) -> int:
    """Each select's options read once as ``role``, from no kept SQL: how many kept SQL the choices then have."""
    forget_kept()
    user = world.user(role)
    for name in SELECTS:
        list(_form(user).fields[name].choices)
    return _choices_kept()


def test_the_kept_sql_is_compiled_once_per_scope_and_term(world):
    kept = _read_every_select(world, Role.COUNTY_ADMIN)
    assert kept == 5  # the townships, the terms, the three selects of 本届
    DeputyGroup.objects.create(township=world.township, name="又一小组", kind=GroupKind.SMALL)
    county = world.user(Role.COUNTY_ADMIN)
    assert "甲镇 · 又一小组" in [label for _v, label in _form(county).fields["group"].choices]
    assert _choices_kept() == kept
    list(_form(county, "?term=all").fields["group"].choices)
    assert _choices_kept() == kept + 1
    list(_form(world.user(Role.PRESIDIUM_STAFF)).fields["group"].choices)  # staff: another scope
    assert _choices_kept() > kept + 1


@pytest.mark.parametrize("url_name, filterset", [("deputies:deputy_list", DeputyFilter),
                                                 ("deputies:visit_list", VisitFilter)])
def test_the_county_lists_read_their_townships_once_and_stay_flat(world, login, url_name, filterset):
    client = login(world.user(Role.COUNTY_ADMIN))
    url = reverse(url_name)
    _rows(world, 2, "甲")
    client.get(url)
    counts = []
    for n in (3, 30):
        _rows(world, n, f"批{n}")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        township_reads = [q["sql"] for q in captured.captured_queries
                          if 'FROM "presidium_township"' in q["sql"] and "COUNT(" in q["sql"]]
        assert township_reads == [], township_reads  # no count of the townships: their rows decide
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", [Role.COUNTY_ADMIN, Role.PRESIDIUM_STAFF])
def test_the_chosen_term_narrows_the_constituency_options(world, role):
    """本届 lists the current term's constituencies (and those recorded without a term), an earlier term its own,
    全部届次 every one: the term narrows the field's own rows (django-filter builds the field from the filter's
    queryset; the term once narrowed only a copy it replaced, and every term's options were listed)."""
    old_term = TermFactory(township=world.township, ordinal=17, is_current=False)
    current = world.township.terms.get(is_current=True)
    Constituency.objects.create(township=world.township, term=current, name="本届选区")
    Constituency.objects.create(township=world.township, term=old_term, name="上届选区")
    Constituency.objects.create(township=world.township, term=None, name="未记届次的选区")
    user = world.user(role)

    def names(term):
        return {label.split(" · ")[-1] for _v, label in _choices(_form(user, f"?term={term}"), "constituency")}

    assert {"本届选区", "未记届次的选区"} <= names("current") and "上届选区" not in names("current")
    assert names(str(old_term.pk)) == {"上届选区"}
    assert {"本届选区", "上届选区", "未记届次的选区"} <= names("all")
    older = Constituency.objects.get(name="上届选区")
    assert not _form(user, f"?term=current&constituency={older.pk}").is_valid()
    assert _form(user, f"?term={old_term.pk}&constituency={older.pk}").is_valid()


def test_a_townships_staff_read_their_options_as_named_rows_by_the_kept_sql(world):
    """A user who sees one township gets the options named by the row alone, read as (id, name) by kept SQL — not
    a queryset built, compiled and read as model instances on every request."""
    _rows(world, 2, "甲")
    kept = _read_every_select(world, Role.PRESIDIUM_STAFF)
    assert kept == 5  # the townships, the terms, the three selects of 本届
    DeputyGroup.objects.create(township=world.township, name="又一小组", kind=GroupKind.SMALL)
    staff = world.user(Role.PRESIDIUM_STAFF)
    form = _form(staff)
    with CaptureQueriesContext(connection) as captured:
        labels = [label for _v, label in form.fields["group"].choices]
    assert "又一小组" in labels and not any(" · " in label for label in labels[1:])
    assert _choices_kept() == kept
    [sql] = [q["sql"] for q in captured.captured_queries]
    assert "copied_from_id" not in sql and "presidium_county" not in sql.split("FROM", 1)[0]
