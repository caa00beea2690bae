import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from presidium.documents.choices import JobStatus
from presidium.documents.jobs import registered_jobs
from presidium.documents.models import DocumentJob
from presidium.filters import PortalFilterSet


def _kind_choices():
    return sorted(((kind, str(entry.title)) for kind, entry in registered_jobs().items()), key=lambda c: c[1])


class DocumentJobFilter(PortalFilterSet):
    kind = django_filters.ChoiceFilter(label=_("文档类型"), choices=_kind_choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=JobStatus.choices, empty_label=_("全部"))
    mine = django_filters.BooleanFilter(label=_("范围"), method="filter_mine", widget=forms.Select(
        choices=[("", _("全部")), ("true", _("我申请的"))]))

    class Meta:
        model = DocumentJob
        fields = ["kind", "status", "mine"]

    def filter_mine(self, queryset, name, value):
        if value and self.request is not None:
            return queryset.filter(requested_by=self.request.user)
        return queryset
