"""The filters of the petitions ledger (登记台账). The Excel ledger exports exactly what they select."""

from __future__ import annotations

import datetime as dt
import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.choices import OPEN_STATUSES, Channel, ClockKind, ClockState, PetitionStatus, Urgency
from petitions.models import Category, Petition, PetitionClock, PetitionTransfer
from petitions.selectors import running_duty_clocks
from presidium.access import handling_units_visible_to, scope_of, townships_visible_to
from presidium.choices import COUNTY_ROLES
from presidium.filters import (
    YES_NO_ALL,
    ModelChoiceFilter,
    PortalFilterSet,
    WithTownshipChoiceField,
    contains,
    stamped_options,
)

ALL = _("全部")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DUE_SOON_DAYS = 5
# 〔2026〕第12号, 2026-12, 2026年12号, or the bare number 12.
_NUMBER_WITH_YEAR = re.compile(r"(\d{4})\D+(\d{1,6})\D*$")


@stamped_options
def _townships(request):
    return townships_visible_to(request.user if request else None)


@stamped_options
def _units(request):
    if request is None:
        return handling_units_visible_to(None)
    return handling_units_visible_to(request.user).filter(is_active=True).select_related("township").order_by(
        "township__name", "kind", "name")


@stamped_options
def _categories(request):
    return Category.objects.filter(township__in=_townships(request)).select_related("township").order_by(
        "township__name", "sort_order", "name")


def _running(kinds=None, **due):
    """A running duty clock of the case whose due date matches ``due``, through the indexed expression (the
    petitioner's windows are never in it)."""
    clocks = running_duty_clocks(**due).filter(petition=OuterRef("pk"))
    return Exists(clocks.filter(kind__in=kinds) if kinds else clocks)


class PetitionFilter(PortalFilterSet):
    keeps_card = True  # a county's 800 units and 400 categories: its card is kept (presidium.filters)
    q = django_filters.CharFilter(label=_("事项/登记号"), method="search")
    township = ModelChoiceFilter(label=_("乡镇"), empty_label=ALL, queryset=_townships)
    status = django_filters.ChoiceFilter(label=_("状态"), empty_label=ALL, choices=PetitionStatus.choices)
    progress = django_filters.ChoiceFilter(label=_("进度"), empty_label=ALL, method="by_progress", choices=[
        ("open", _("未办结")), ("closed", _("已息访")),
    ])
    clock = django_filters.ChoiceFilter(label=_("时限"), empty_label=ALL, method="by_clock", choices=[
        ("overdue", _("有时限已超期")), ("due_soon", _("5日内到期")),
        ("acceptance_overdue", _("受理告知已超期")), ("completion_overdue", _("办理已超期")),
        ("missed", _("曾经超期办结")),
    ])
    channel = django_filters.ChoiceFilter(label=_("信访渠道"), empty_label=ALL, choices=Channel.choices)
    category = ModelChoiceFilter(label=_("类别"), empty_label=ALL, queryset=_categories)
    urgency = django_filters.ChoiceFilter(label=_("紧急程度"), empty_label=ALL, choices=Urgency.choices)
    is_collective = django_filters.BooleanFilter(label=_("集体访"), widget=YES_NO_ALL(_("是"), _("否")))
    key_supervision = django_filters.BooleanFilter(label=_("重点督办"), widget=YES_NO_ALL(_("是"), _("否")))
    unit = ModelChoiceFilter(label=_("承办单位"), empty_label=ALL, queryset=_units, method="by_unit")
    year = django_filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2100, decimal_places=0)
    received_from = django_filters.DateFilter(label=_("收到日期起"), field_name="received_on", lookup_expr="gte",
                                              widget=DATE)
    received_to = django_filters.DateFilter(label=_("收到日期止"), field_name="received_on", lookup_expr="lte",
                                            widget=DATE)

    class Meta:
        model = Petition
        fields = ["q", "township", "status", "progress", "clock", "channel", "category", "urgency", "is_collective",
                  "key_supervision", "unit", "year", "received_from", "received_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(getattr(self.request, "user", None))
        if scope.is_superuser or scope.has_role(*COUNTY_ROLES):  # sees several townships: say whose
            for name in ("category", "unit"):
                self.filters[name].field_class = WithTownshipChoiceField
        elif len(scope.township_ids()) <= 1:
            del self.filters["township"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = contains("subject", value) | contains("referral_number", value)
        match = _NUMBER_WITH_YEAR.search(value)
        if match:
            condition |= Q(year=int(match.group(1)), number=int(match.group(2)))
        elif value.isdigit() and len(value) <= 6:
            condition |= Q(number=int(value))
        return queryset.filter(condition)

    def by_progress(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=sorted(OPEN_STATUSES))
        if value == "closed":
            return queryset.filter(status=PetitionStatus.CLOSED)
        return queryset

    def by_clock(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(_running(lt=today))
        if value == "due_soon":
            return queryset.filter(_running(range=(today, today + dt.timedelta(days=DUE_SOON_DAYS))))
        if value == "acceptance_overdue":
            return queryset.filter(_running([ClockKind.ACCEPTANCE], lt=today))
        if value == "completion_overdue":
            return queryset.filter(_running([ClockKind.COMPLETION, ClockKind.EXTENSION], lt=today))
        if value == "missed":
            return queryset.filter(Exists(PetitionClock.objects.filter(petition=OuterRef("pk"),
                                                                       state=ClockState.MISSED)))
        return queryset

    def by_unit(self, queryset, name, value):
        if value is None:
            return queryset
        ever = PetitionTransfer.objects.filter(petition=OuterRef("pk"), unit=value)
        return queryset.filter(Q(current_unit=value) | Exists(ever))
