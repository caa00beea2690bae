import django_filters
import django_filters.fields
from django.db.models import Q
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from presidium.access import scope_of, townships_visible_to
from presidium.choice_rows import choices_stamp
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


def stamped_options(make):
    """Marks ``make`` — a filter's queryset of the request, or a callable of choices — as making options from nothing
    but the user's scope (``presidium.access.scope_of``), the day and rows of the stamped tables
    (``presidium.choice_rows.STAMPED_TABLES``): a card whose every option is so made can be kept
    (:meth:`PortalFilterSet.kept_card_key`)."""
    make.stamped = True
    return make


class PortalFilterSet(django_filters.FilterSet):
    """Base of every FilterSet: filters generated for relations (``Meta.fields``) use the bounded fields.

    A list whose card is read on every request and costs (a county's hundreds of options) sets ``keeps_card``: its
    filter card is then kept per process under :meth:`kept_card_key` (``presidium.templatetags.portal.filter_card``)
    when every option it lists is :func:`stamped_options`. The stamp is read as the FilterSet is made, before the
    form reads or validates any option, so a card is never kept under a stamp newer than its rows. Choices a
    FilterSet writes into its own filters as a list (the deputies lists' 届次) cannot be checked here: a list sets
    ``keeps_card`` only when those too come from the user's scope, the day and stamped rows alone."""

    FILTER_DEFAULTS = _bounded_defaults()
    keeps_card = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._stamp = None
        if self.keeps_card and getattr(self.request, "user", None) is not None:
            self._stamp = choices_stamp(self.request)

    def kept_card_key(self, context) -> tuple | None:
        """Everything this list's filter card (``components/_filter_card.html``) is made of: the FilterSet and the
        address's path, the user's scope (which decides the fields and, with the stamp of their tables, the
        options), the stamp, the language, the day (the years offered), the address's parameters and the data the
        form was bound with (the values, the errors, the chips' links) but the page, and whether the list exports.
        A GET form has no CSRF token, so nothing else of the request is in the card. None — render it — for a list
        that does not keep its card, without a stamp or a request, or when an option is made from anything else."""
        user = getattr(self.request, "user", None)
        request = context.get("request")
        if not self.keeps_card or user is None or self._stamp is None or request is None \
                or request is not self.request:
            return None
        for choice in self.filters.values():
            if isinstance(choice, django_filters.filters.QuerySetRequestMixin) \
                    and not getattr(choice.queryset, "stamped", False):
                return None
            choices = choice.extra.get("choices")
            if callable(choices) and not getattr(choices, "stamped", False):
                return None
        if not isinstance(self.data, QueryDict):
            return None

        def params(query) -> tuple:
            return tuple((name, tuple(values)) for name, values in sorted(query.lists()) if name != "page")

        # the address's path too: two views may share a FilterSet and change its filters in their own ways
        return (f"{type(self).__module__}.{type(self).__qualname__}", request.path, scope_of(user), self._stamp,
                get_language(), timezone.localdate(), params(request.GET), params(self.data),
                bool(context.get("can_export")))


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
