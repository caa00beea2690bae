import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from presidium.filters import PortalFilterSet
from presidium.notifications.choices import InboxFilter


class NotificationFilter(PortalFilterSet):
    """The inbox's one filter: all messages, or only the unread ones."""

    show = django_filters.ChoiceFilter(label=_("显示"), choices=InboxFilter.choices, method="filter_show",
                                       empty_label=None, widget=forms.Select)

    def filter_show(self, queryset, name, value):
        if value == InboxFilter.UNREAD:
            return queryset.filter(read_at__isnull=True)
        return queryset
