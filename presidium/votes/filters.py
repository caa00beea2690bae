"""Filters of the vote and project lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from presidium.filters import ModelChoiceFilter, PortalFilterSet
from presidium.votes.choices import ProgressStatus, ProjectStatus, VoteState, VoteSubject
from presidium.votes.models import LivelihoodProject, Vote

ALL = _("全部")


def _townships(request):
    from presidium.access import townships_where
    from presidium.votes.access import VIEW_VOTES

    return townships_where(request.user if request else None, VIEW_VOTES).order_by("name")


class VoteFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("表决事项/会议"), method="search")
    township = ModelChoiceFilter(label=_("乡镇"), empty_label=ALL, queryset=_townships)
    subject = django_filters.ChoiceFilter(label=_("类别"), empty_label=ALL, choices=VoteSubject.choices)
    state = django_filters.ChoiceFilter(label=_("状态"), empty_label=ALL, choices=VoteState.choices)

    class Meta:
        model = Vote
        fields = ["q", "township", "subject", "state"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(meeting__title__icontains=value)) if value else queryset


class ProjectFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("项目名称"), field_name="title", lookup_expr="icontains")
    township = ModelChoiceFilter(label=_("乡镇"), empty_label=ALL, queryset=_townships)
    year = django_filters.NumberFilter(label=_("年度"))
    status = django_filters.ChoiceFilter(label=_("票决状态"), empty_label=ALL, choices=ProjectStatus.choices)
    progress_status = django_filters.ChoiceFilter(label=_("实施状态"), empty_label=ALL,
                                                  choices=ProgressStatus.choices)

    class Meta:
        model = LivelihoodProject
        fields = ["q", "township", "year", "status", "progress_status"]
