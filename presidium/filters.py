import django_filters
import django_filters.fields
from django.db.models import Q
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _

from presidium.access import townships_visible_to
from presidium.choices import HandlingUnitKind, Role
from presidium.forms import (
    BoundedChoiceMixin,
    BoundedModelChoiceField,
    BoundedMultipleChoiceMixin,
    OneQueryChoiceIterator,
)
from presidium.forms_renderer import PortalSelect, PortalSelectMultiple
from presidium.models import HandlingUnit, User


# --- filters of rows: the bounded key check of presidium.forms, for every FilterSet ---------------
class _OneQueryFilterChoiceIterator(django_filters.fields.ModelChoiceIterator, OneQueryChoiceIterator):
    """django-filter's options (with its "none" option) read with one plain query (OneQueryChoiceIterator)."""


class _BoundedFilterChoiceField(BoundedChoiceMixin, django_filters.fields.ModelChoiceField):
    iterator = _OneQueryFilterChoiceIterator
    widget = PortalSelect


class _BoundedFilterMultipleChoiceField(BoundedMultipleChoiceMixin, django_filters.fields.ModelMultipleChoiceField):
    iterator = _OneQueryFilterChoiceIterator
    widget = PortalSelectMultiple


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """The portal's choice-of-a-row filter: a huge or non-numeric id is an invalid choice, never a 500."""

    field_class = _BoundedFilterChoiceField


class ModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = _BoundedFilterMultipleChoiceField


class _NamedRowsIterator(ModelChoiceIterator):
    """The options of a ``WithTownshipChoiceField`` read as (id, township, name) values, not model instances.

    A county filter lists every handling unit of the county (800): building 1,600 instances (with their
    township) cost more than writing the whole select.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.values_list("pk", "township__name", "name")
        for pk, township_name, name in rows:  # one plain query, not a server-side cursor (OneQueryChoiceIterator)
            yield ModelChoiceIteratorValue(pk, None), f"{township_name} · {name}"


def contains(field: str, value: str) -> Q:
    """``field`` contains ``value``: case-insensitive only when ``value`` has letters with a case.

    Chinese has no case, and PostgreSQL's ``icontains`` (``UPPER(field) LIKE UPPER(value)``) upper-cases every
    row it reads: the county's 160,000 visit opinions took 121 ms that way and 55 ms with a plain ``LIKE``.
    """
    lookup = "icontains" if value.lower() != value.upper() else "contains"
    return Q(**{f"{field}__{lookup}": value})


class WithTownshipChoiceField(BoundedModelChoiceField):
    """For users who see several townships: every township has its 财政所 and 东风代表小组, so say whose.

    For rows named by their ``name`` field (``str(row) == row.name``: units, categories, groups, stations).
    """

    iterator = _NamedRowsIterator

    def label_from_instance(self, obj) -> str:
        return f"{obj.township.name} · {obj}"


def _bounded_defaults() -> dict:
    replace = {django_filters.ModelChoiceFilter: ModelChoiceFilter,
               django_filters.ModelMultipleChoiceFilter: ModelMultipleChoiceFilter}
    return {db_field: {**spec, "filter_class": replace.get(spec["filter_class"], spec["filter_class"])}
            for db_field, spec in django_filters.FilterSet.FILTER_DEFAULTS.items()}


class PortalFilterSet(django_filters.FilterSet):
    """Base of every FilterSet: filters generated for relations (``Meta.fields``) use the bounded fields."""

    FILTER_DEFAULTS = _bounded_defaults()


def YES_NO_ALL(yes, no):
    """A three-way select for a BooleanFilter that reads 全部 / yes / no instead of Unknown/Yes/No."""
    from django import forms

    return forms.Select(choices=[("", _("全部")), ("true", yes), ("false", no)])


def _visible_townships(request):
    if request is None:
        return townships_visible_to(None)
    return townships_visible_to(request.user)


class HandlingUnitFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("名称/联系人"), method="search")
    township = ModelChoiceFilter(label=_("乡镇"), queryset=_visible_townships)
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=HandlingUnitKind.choices)
    is_active = django_filters.BooleanFilter(label=_("状态"), widget=YES_NO_ALL(_("在用"), _("停用")))

    class Meta:
        model = HandlingUnit
        fields = ["q", "township", "kind", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(contact_person__icontains=value)
                               | Q(responsible_leader__icontains=value))


class AccountFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("姓名/用户名/手机"), method="search")
    role = django_filters.ChoiceFilter(label=_("角色"), choices=Role.choices, field_name="role_assignments__role",
                                       distinct=True)
    is_active = django_filters.BooleanFilter(label=_("状态"), widget=YES_NO_ALL(_("启用"), _("停用")))

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(real_name__icontains=value) | Q(username__icontains=value) | Q(mobile__icontains=value))
