"""The list's filters. The Excel ledger exports exactly what they select."""

from __future__ import annotations

import django_filters
from django.db import connections
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
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
from proposals.choices import (
    OPEN_HANDLING,
    STILL_OPEN,
    ExtensionStatus,
    HandBackStatus,
    OpinionStatus,
    ResultClass,
    Satisfaction,
    SuggestionKind,
    SuggestionStatus,
    SupervisionMode,
)
from proposals.models import Category, Extension, HandBackRequest, Suggestion, SupervisionOpinion
from proposals.search import HasBigramsOf, can_use_bigrams


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
        "township__name", "sort_order")


ALL = _("全部")


class SuggestionFilter(PortalFilterSet):
    keeps_card = True  # a county's 800 units and 400 categories: its card is kept (presidium.filters)
    q = django_filters.CharFilter(label=_("标题/编号/代表"), method="search")
    township = ModelChoiceFilter(label=_("乡镇"), empty_label=ALL, queryset=_townships)
    kind = django_filters.ChoiceFilter(label=_("类型"), empty_label=ALL, choices=SuggestionKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), empty_label=ALL, choices=SuggestionStatus.choices)
    progress = django_filters.ChoiceFilter(label=_("进度"), empty_label=ALL, method="by_progress", choices=[
        ("open", _("未办结")), ("handling", _("办理中（含重新办理）")), ("overdue", _("已逾期")),
        ("to_rate", _("待评价")), ("closed", _("已办结")), ("hand_back", _("有待处理的退办申请")),
        ("extension", _("有待审批的延期申请")),
    ])
    year = django_filters.NumberFilter(label=_("年度"), method="by_year", min_value=2000, max_value=2100,
                                      decimal_places=0)
    category = ModelChoiceFilter(label=_("类别"), empty_label=ALL, queryset=_categories)
    lead_unit = ModelChoiceFilter(label=_("主办单位"), empty_label=ALL, queryset=_units)
    supervision_mode = django_filters.ChoiceFilter(label=_("督办方式"), empty_label=ALL, choices=SupervisionMode.choices)
    is_key = django_filters.BooleanFilter(label=_("重点建议"), widget=YES_NO_ALL(_("是"), _("否")))
    result_class = django_filters.ChoiceFilter(label=_("办理结果"), empty_label=ALL, choices=ResultClass.choices)
    satisfaction = django_filters.ChoiceFilter(label=_("满意度"), empty_label=ALL, choices=Satisfaction.choices)
    is_public = django_filters.BooleanFilter(label=_("五公开"), widget=YES_NO_ALL(_("已公开"), _("未公开")))

    class Meta:
        model = Suggestion
        fields = ["q", "township", "kind", "status", "progress", "year", "category", "lead_unit",
                  "supervision_mode", "is_key", "result_class", "satisfaction", "is_public"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(getattr(self.request, "user", None))
        if scope.is_superuser or scope.has_role(*COUNTY_ROLES):  # sees several townships
            for name in ("category", "lead_unit"):
                self.filters[name].field_class = WithTownshipChoiceField

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # the lead deputies named so as a subquery (hashed, read once), not a join of every item to its deputy
        deputies = Deputy.objects.filter(contains("name", value)).values("pk")
        text = contains("title", value) | contains("former_serial", value)
        serial = None
        digits = value.replace("议", "").strip()
        if "-" in digits:
            year, _sep, number = digits.partition("-")
            if year.isdigit() and number.isdigit():
                serial = Q(serial_year=int(year), serial_number=int(number))
        elif digits.isdigit():
            serial = Q(serial_number=int(digits))
        if serial is None and can_use_bigrams(value) and connections[queryset.db].vendor == "postgresql":
            # (pieces ∧ text) ∨ deputy, written (pieces ∨ deputy) ∧ (text ∨ deputy): the first half is all index
            # conditions (the bigram index, the lead deputy's, the deputies as one array), so PostgreSQL reads only
            # the rows they give and never computes a row's pieces; the second half tests those rows' text. The text
            # is tested by STRPOS, the same test as this LIKE for a word without case: PostgreSQL estimates
            # ``LIKE '%word%'`` as rare whatever the word and, multiplying it by the index's (right) estimate, read a
            # common word's 2,474 rows and sorted them for a page of 30 instead of walking the list's order.
            # proposals/search.py; docs/performance.md, ninth round.
            by_deputy = Q(lead_deputy_id__any=deputies)
            text = Q(GreaterThan(StrIndex("title", Value(value)), 0)) | Q(
                GreaterThan(StrIndex("former_serial", Value(value)), 0))
            return queryset.filter(Q(HasBigramsOf(value)) | by_deputy, text | by_deputy)
        condition = text | Q(lead_deputy_id__in=deputies)
        if serial is not None:
            condition |= serial
        return queryset.filter(condition)

    def by_progress(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=[s.value for s in STILL_OPEN])
        if value == "handling":
            return queryset.filter(status__in=[s.value for s in OPEN_HANDLING])
        if value == "overdue":
            return queryset.filter(status__in=[s.value for s in OPEN_HANDLING], deadline__lt=timezone.localdate())
        if value == "to_rate":
            return queryset.filter(status=SuggestionStatus.REPLIED)
        if value == "closed":
            return queryset.filter(status=SuggestionStatus.CLOSED)
        if value == "hand_back":
            return queryset.filter(Exists(HandBackRequest.objects.filter(suggestion=OuterRef("pk"),
                                                                          status=HandBackStatus.PENDING)))
        if value == "extension":
            return queryset.filter(Exists(Extension.objects.filter(suggestion=OuterRef("pk"),
                                                                   status=ExtensionStatus.PENDING)))
        return queryset

    def by_year(self, queryset, name, value):
        if value is None:
            return queryset
        year = int(value)
        return queryset.filter(Q(serial_year=year) | Q(serial_year__isnull=True, created_at__year=year))


class OpinionFilter(PortalFilterSet):
    """督办意见 list: by state and (for the county) by township."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=OpinionStatus.choices, empty_label=_("全部"))
    township = ModelChoiceFilter(label=_("乡镇"), queryset=_townships)

    class Meta:
        model = SupervisionOpinion
        fields = ["status", "township"]
