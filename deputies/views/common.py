"""Pieces the deputies screens share: list base with export hook, object loading, personal-data logging."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.shortcuts import get_object_or_404

from deputies import access as deputies_access
from deputies import services
from deputies.selectors import deputies_visible_to
from presidium.access import has_perm, township_ids_where
from presidium.views.forms import ServiceFormView
from presidium.views.lists import PortalListView


def personal_township_ids(request) -> frozenset[int]:
    """Townships where the user sees deputies' personal data unmasked (cached for the request; from the roles,
    without a query)."""
    cached = getattr(request, "_deputies_personal_ids", None)
    if cached is None:
        cached = township_ids_where(request.user, deputies_access.VIEW_PERSONAL)
        request._deputies_personal_ids = cached
    return cached


def log_personal_data(request, *, purpose: str, fields: str, rows, deputy=None) -> None:
    """Log the unmasked personal data shown in this response: one entry per township, one insert in all."""
    personal = personal_township_ids(request)
    per_township: dict[int, int] = {}
    for row in rows:
        if row.township_id in personal:
            per_township[row.township_id] = per_township.get(row.township_id, 0) + 1
    if per_township:
        services.personal_data_access_record_many(user=request.user, purpose=purpose, fields=fields, deputy=deputy,
                                                  rows_per_township=per_township, path=request.get_full_path())


class CountingPaginator(Paginator):
    """Pages whose rows carry the list's count: ``COUNT(*) OVER ()`` beside the page's rows (a window over every
    matching row, computed before the LIMIT), in place of a separate ``COUNT(*)`` that evaluates the list's
    filters a second time (the duty overview's "behind" condition aggregates the year's visits: 25-30 ms each time
    at county scale). A page past the end, or a number that is not one, falls back to Django's count and errors."""

    TOTAL = "_list_total"

    def page(self, number):
        if "count" not in self.__dict__ and not self.orphans and isinstance(number, int) and number >= 1:
            bottom = (number - 1) * self.per_page
            rows = list(self.object_list.annotate(**{self.TOTAL: Window(Count("*"))})[bottom:bottom + self.per_page])
            if rows:
                self.__dict__["count"] = getattr(rows[0], self.TOTAL)
                return self._get_page(rows, self.validate_number(number), self)
            if number == 1:  # no rows on the first page: none at all
                self.__dict__["count"] = 0
        return super().page(number)


class RequirePermMixin:
    """403 unless the user may take ``required_action`` somewhere (rows are narrowed by selectors)."""

    required_action: str = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.required_action and not has_perm(request.user,
                                                                                   self.required_action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class DeputiesListView(RequirePermMixin, PortalListView):
    """A list with the floor's shape; an export carrying personal data is logged."""

    personal_fields = ""  # set when the export carries personal data (then each export is logged)

    def exported(self, rows) -> None:
        if self.personal_fields:
            log_personal_data(self.request, purpose="export", fields=self.personal_fields, rows=rows)


class DeputyActionMixin(LoginRequiredMixin):
    """Load ``self.deputy`` among those the user can see (404), then require ``action`` there (403)."""

    action: str = deputies_access.MANAGE

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.deputy = get_object_or_404(deputies_visible_to(request.user), pk=kwargs["pk"])
        if not has_perm(request.user, self.action, self.deputy.township):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class DeputyServiceFormView(DeputyActionMixin, ServiceFormView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.deputy.get_absolute_url()
        context["deputy"] = self.deputy
        return context
