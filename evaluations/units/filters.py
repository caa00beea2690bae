"""The campaign list's filters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from evaluations.models import Campaign
from evaluations.units.choices import SchemeKind
from presidium.filters import PortalFilterSet


class CampaignFilter(PortalFilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    scheme_kind = django_filters.ChoiceFilter(label=_("评分方式"), choices=SchemeKind.choices,
                                              empty_label=_("全部"))

    class Meta:
        model = Campaign
        fields = ["year", "scheme_kind"]
