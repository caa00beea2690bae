"""Filters of the bulletins lists: search in the articles, state, year."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from presidium.bulletins.choices import IssueState
from presidium.bulletins.models import BulletinIssue
from presidium.bulletins.selectors import issue_matches
from presidium.filters import PortalFilterSet


class IssueFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("标题/正文/供稿"), method="search")
    state = django_filters.ChoiceFilter(label=_("状态"), choices=IssueState.choices)
    year = django_filters.NumberFilter(label=_("年份"), field_name="issue_date", lookup_expr="year")

    class Meta:
        model = BulletinIssue
        fields = ["q", "state", "year"]

    def search(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(issue_matches(value)) if value else queryset


class ReadingFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("标题/正文/供稿"), method="search")
    year = django_filters.NumberFilter(label=_("年份"), field_name="issue_date", lookup_expr="year")

    class Meta:
        model = BulletinIssue
        fields = ["q", "year"]

    search = IssueFilter.search
