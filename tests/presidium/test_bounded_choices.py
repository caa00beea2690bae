"""A select of rows answers a huge or non-numeric id with a form error, never a 500 (SQLite's OverflowError).

Every model choice field of the portal is ``presidium.forms.BoundedModelChoiceField`` /
``BoundedModelMultipleChoiceField`` (FilterSets: ``presidium.filters.PortalFilterSet``), which checks a
posted key is a whole number in the signed 64-bit range before any query.
"""

from __future__ import annotations

import importlib
import pkgutil

import django_filters
import pytest
from django import forms
from django.urls import reverse

from deputies.models import Deputy, LiaisonStation
from presidium.choices import Role
from presidium.forms import BoundedKeysMixin, BoundedModelChoiceField, BoundedModelMultipleChoiceField
from presidium.models import Township
from proposals.models import Suggestion
from tests.factories import (
    DeputyFactory,
    DeputyGroupFactory,
    HandlingUnitFactory,
    LiaisonStationFactory,
    proposals_deputy,
    proposals_suggestion,
)

HOSTILE_IDS = [str(2**63), str(2**70), "abc", str(-(2**63) - 1), "9" * 5000]
INVALID = ("选择一个有效的选项", "不是有效的值", "不是一个有效的值")


def _refused(response, field: str) -> None:
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(word in message for message in errors[field] for word in INVALID), errors[field]


@pytest.fixture
def deputy(world):
    """The Deputy whose login is the world's deputy user (township A)."""
    return proposals_deputy(world.township, user=world.user(Role.DEPUTY), name="冯国强")


@pytest.fixture
def staff(world):
    return world.user(Role.PRESIDIUM_STAFF)


@pytest.fixture
def serving(world):
    return [DeputyFactory(township=world.township) for _ in range(2)]


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_it_refuses_a_huge_id_among_group_members(world, login, serving, hostile):
    group = DeputyGroupFactory(township=world.township)
    response = login(world.user(Role.PRESIDIUM_STAFF)).post(
        reverse("deputies:group_members", args=[group.pk]), {"deputies": [serving[0].pk, hostile]})
    _refused(response, "deputies")
    assert not Deputy.objects.filter(group=group).exists()


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_it_refuses_a_huge_id_among_station_deputies(world, login, serving, hostile):
    station = LiaisonStationFactory(township=world.township)
    response = login(world.user(Role.PRESIDIUM_STAFF)).post(
        reverse("deputies:station_deputies", args=[station.pk]), {"deputies": [hostile, serving[1].pk]})
    _refused(response, "deputies")
    assert not LiaisonStation.objects.get().deputies.exists()


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_it_refuses_a_huge_id_among_the_co_units_of_a_reassignment(world, login, deputy, staff, hostile):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit)
    water = HandlingUnitFactory(township=world.township, name="水利站")
    response = login(staff).post(reverse("proposals:reassign", args=[item.pk]), {
        "lead_unit": water.pk, "co_units": [hostile], "supervision_mode": "routine", "deadline_choice": "normal",
        "note": "交办错误"})
    _refused(response, "co_units")
    item.refresh_from_db()
    assert item.lead_unit == world.unit and not item.co_unit_links.exists()


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_it_refuses_a_huge_id_among_the_co_signers_of_a_new_suggestion(world, login, deputy, hostile):
    from proposals import services

    other = proposals_deputy(world.township, name="联名代表")
    category = services.categories_ensure(township=world.township)[0]
    response = login(world.user(Role.DEPUTY)).post(reverse("proposals:create"), {
        "kind": "suggestion", "category": category.pk, "title": "关于修缮村道的建议", "content": "雨天难行。",
        "raised_during": "recess", "cosigners": [other.pk, hostile]})
    _refused(response, "cosigners")
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_it_refuses_a_huge_id_in_a_single_choice_and_a_model_derived_field(world, login, hostile):
    """The township select and the deputy form's constituency/group/station (built by fields_for_model)."""
    response = login(world.user(Role.PRESIDIUM_STAFF)).post(reverse("deputies:deputy_create"), {
        "township": world.township.pk, "name": "王国强", "gender": "male", "level": "township",
        "group": hostile})
    _refused(response, "group")
    assert not Deputy.objects.exists()


@pytest.mark.parametrize("query", ["?group=99999999999999999999", "?group=abc", "?station=-99999999999999999999",
                                   "?township=99999999999999999999&constituency=18446744073709551616"])
def test_it_answers_a_filter_with_a_huge_id_with_the_page(world, login, query):
    DeputyFactory(township=world.township)
    for role in (Role.PRESIDIUM_STAFF, Role.COUNTY_REVIEWER):
        assert login(world.user(role)).get(reverse("deputies:deputy_list") + query).status_code == 200


@pytest.mark.parametrize("query", ["?lead_unit=99999999999999999999", "?category=99999999999999999999",
                                   "?township=abc", "?year=99999999999999999999", "?year=99999", "?year=-5",
                                   "?year=2026.5"])
def test_it_answers_a_suggestion_filter_with_a_huge_id_with_the_page(world, login, query):
    for role in (Role.PRESIDIUM_STAFF, Role.COUNTY_REVIEWER):
        assert login(world.user(role)).get(reverse("proposals:list") + query).status_code == 200


def test_it_keeps_a_valid_choice_valid(world, serving):
    field = BoundedModelMultipleChoiceField(queryset=Deputy.objects.all())
    assert list(field.clean([str(serving[0].pk), serving[1].pk]).order_by("pk")) == serving
    single = BoundedModelChoiceField(queryset=Township.objects.all())
    assert single.clean(str(world.township.pk)) == world.township
    assert single.clean(world.township) == world.township
    with pytest.raises(forms.ValidationError):
        single.clean("1.0")
    assert single.clean("0" * 30 + str(world.township.pk)) == world.township


# --- every model choice field of the project is a bounded one --------------------------------------
APPS = ("presidium", "deputies", "proposals", "petitions", "evaluations")


def _import_project_modules() -> None:
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in info.name or info.name.endswith(".tests"):
                continue
            importlib.import_module(info.name)


def _subclasses(base):
    seen, todo = [], [base]
    while todo:
        for cls in todo.pop().__subclasses__():
            if cls not in seen:
                seen.append(cls)
                todo.append(cls)
    return [cls for cls in seen if cls.__module__.split(".")[0] in APPS]


def test_it_uses_the_bounded_fields_in_every_form_and_filterset(db):
    _import_project_modules()
    plain = []
    for form_class in _subclasses(forms.BaseForm):
        for name, field in getattr(form_class, "base_fields", {}).items():
            if isinstance(field, forms.ModelChoiceField) and not isinstance(field, BoundedKeysMixin):
                plain.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    for filterset in _subclasses(django_filters.FilterSet):
        for name, flt in filterset.base_filters.items():
            if issubclass(flt.field_class, forms.ModelChoiceField) and not issubclass(flt.field_class,
                                                                                       BoundedKeysMixin):
                plain.append(f"{filterset.__module__}.{filterset.__name__}.{name}")
    assert plain == []


def test_it_uses_the_bounded_fields_for_fields_built_from_models(world):
    from deputies.forms import DeputyForm, StationForm

    townships = Township.objects.filter(pk=world.township.pk)
    for form in (DeputyForm(townships=townships), StationForm(townships=townships)):
        relations = [f for f in form.fields.values() if isinstance(f, forms.ModelChoiceField)]
        assert relations and all(isinstance(f, BoundedKeysMixin) for f in relations)
