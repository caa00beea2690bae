import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from presidium.access import townships_visible_to
from presidium.choices import HandlingUnitKind, Role
from presidium.models import HandlingUnit, User


def YES_NO_ALL(yes, no):
    """A three-way select for a BooleanFilter that reads 全部 / yes / no instead of Unknown/Yes/No."""
    from django import forms

    return forms.Select(choices=[("", _("全部")), ("true", yes), ("false", no)])


def _visible_townships(request):
    if request is None:
        return townships_visible_to(None)
    return townships_visible_to(request.user)


class HandlingUnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称/联系人"), method="search")
    township = django_filters.ModelChoiceFilter(label=_("乡镇"), queryset=_visible_townships)
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


class AccountFilter(django_filters.FilterSet):
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
