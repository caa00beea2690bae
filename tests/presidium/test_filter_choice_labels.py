"""The county's choices of units, categories, groups, stations and constituencies, read without model instances,
say exactly what the instances would: "<township> · <str(row)>"."""

from __future__ import annotations

from django.db.models import Q
from django.test import RequestFactory

from deputies.choices import GroupKind
from deputies.filters import DeputyFilter, DutyFilter, VisitFilter
from deputies.models import Constituency, DeputyGroup, LiaisonStation, Visit
from petitions.filters import PetitionFilter
from petitions.models import Petition
from presidium.choices import Role
from presidium.filters import WithTownshipChoiceField
from proposals.filters import SuggestionFilter
from proposals.models import Category, Suggestion
from tests.factories import PetitionCategoryFactory


def test_it_labels_the_county_choices_as_the_instances_would(world, django_assert_max_num_queries):
    for township in (world.township, world.other_township):
        DeputyGroup.objects.create(township=township, name="东风代表小组", kind=GroupKind.SMALL)
        LiaisonStation.objects.create(township=township, name="中心联络站")
        Constituency.objects.create(township=township, term=township.terms.get(), name="第一选区")
        Category.objects.create(township=township, name="城乡建设")
        PetitionCategoryFactory(township=township, name="土地征收")
    request = RequestFactory().get("/")
    request.user = world.user(Role.COUNTY_REVIEWER)
    checked = 0
    for filterset_class, queryset in ((SuggestionFilter, Suggestion.objects.all()),
                                      (PetitionFilter, Petition.objects.all()),
                                      (DeputyFilter, None), (VisitFilter, Visit.objects.all()), (DutyFilter, None)):
        form = filterset_class(request.GET, queryset=queryset, request=request).form
        for name, field in form.fields.items():
            if not isinstance(field, WithTownshipChoiceField):
                continue
            expected = [f"{row.township.name} · {row}" for row in field.queryset.select_related("township")]
            assert len(expected) >= 2, (filterset_class.__name__, name)
            with django_assert_max_num_queries(1):
                choices = [choice for choice in field.choices]  # noqa: C416 — list() would count first
            assert [label for _value, label in choices[1:]] == expected, (filterset_class.__name__, name)
            assert [value.value for value, _label in choices[1:]] == [
                row.pk for row in field.queryset], (filterset_class.__name__, name)
            checked += 1
    assert checked >= 7


def test_it_searches_without_case_when_the_words_have_none_and_ignores_case_when_they_do(world):
    """``contains``: a plain LIKE for Chinese (PostgreSQL upper-cases every row for icontains), case-insensitive
    for Latin letters, so "CAIZHENG" still finds "Caizheng"."""
    from presidium.filters import contains
    from presidium.models import HandlingUnit

    assert contains("name", "财政所") == Q(name__contains="财政所")
    assert contains("name", "2026-3") == Q(name__contains="2026-3")
    assert contains("name", "Wang") == Q(name__icontains="Wang")
    HandlingUnit.objects.filter(pk=world.unit.pk).update(name="Caizheng 财政所")
    assert list(HandlingUnit.objects.filter(contains("name", "CAIZHENG"))) == [world.unit]
    assert HandlingUnit.objects.filter(contains("name", "Caizheng 财")).count() == 1
    assert HandlingUnit.objects.filter(contains("name", "政所")).count() == HandlingUnit.objects.count()
