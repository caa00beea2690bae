"""Selects of rows read their options with one plain query (presidium.forms.OneQueryChoiceIterator), not
Django's QuerySet.iterator(), which opens a server-side cursor on PostgreSQL (four round trips a select)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.forms.models import ModelChoiceIterator
from django.test import RequestFactory

from deputies.filters import DeputyFilter
from deputies.models import DeputyGroup, LiaisonStation
from presidium.choices import Role
from presidium.filters import _BoundedFilterChoiceField
from presidium.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField


@pytest.fixture
def cursors(monkeypatch):
    """How many times Django asks the connection for a chunked (server-side on PostgreSQL) cursor."""
    opened = []
    chunked_cursor = connection.chunked_cursor

    def counting():
        opened.append(1)
        return chunked_cursor()

    monkeypatch.setattr(connection, "chunked_cursor", counting)
    return opened


@pytest.fixture
def groups(world):
    for name in ("东风代表小组", "西山代表小组", "南湖代表小组"):
        DeputyGroup.objects.create(township=world.township, name=name)
    return DeputyGroup.objects.filter(township=world.township).order_by("name")


def test_it_gives_the_options_djangos_iterator_gives(groups):
    for field in (BoundedModelChoiceField(queryset=groups), BoundedModelMultipleChoiceField(queryset=groups),
                  _BoundedFilterChoiceField(queryset=groups, null_label="（无）"),
                  BoundedModelChoiceField(queryset=groups, empty_label=None)):
        ours = [(str(value), label) for value, label in field.choices]
        djangos = [(str(value), label) for value, label in ModelChoiceIterator(field)]
        if getattr(field, "null_label", None) is not None:
            djangos.insert(1, (field.null_value, field.null_label))
        assert ours == djangos
        assert len(ours) >= 3


def test_it_renders_a_filter_form_without_a_cursor(world, groups, cursors, django_assert_max_num_queries):
    LiaisonStation.objects.create(township=world.township, name="中心联络站")
    request = RequestFactory().get("/")
    request.user = world.user(Role.PRESIDIUM_STAFF)
    form = DeputyFilter(request.GET, request=request).form
    html = str(form)
    assert "东风代表小组" in html and "中心联络站" in html
    assert cursors == []
    # the spy sees Django's own iterator open one
    list(ModelChoiceIterator(BoundedModelChoiceField(queryset=groups)))
    assert cursors == [1]


def test_it_reads_the_rows_anew_each_time(world, groups, django_assert_num_queries):
    field = BoundedModelChoiceField(queryset=groups)
    with django_assert_num_queries(1):
        first = []
        for choice in field.choices:  # as a widget reads them; list() would ask len() first, a COUNT
            first.append(choice)
    DeputyGroup.objects.filter(name="南湖代表小组").update(name="北岭代表小组")
    assert [label for _, label in field.choices][1:] != [label for _, label in first][1:]
