"""The shape of every list screen: visibility selector → FilterSet → table → pagination → export.

A list view names its filterset, its columns for Excel and its table template; ``?export=xlsx``
downloads exactly what is filtered (all pages), through the documents helper.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django_filters.views import FilterView

from presidium.documents.excel import Column, xlsx_response


class PortalListView(LoginRequiredMixin, FilterView):
    paginate_by = 50
    export_columns: list[Column] | None = None
    export_filename: str = "导出"
    page_title: str = ""
    strict = False  # an invalid filter shows the form errors with an empty list, never a 500

    def visible_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.visible_queryset()

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.export_columns:
            filterset = self.filterset = self.get_filterset(self.get_filterset_class())
            queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
            rows = self.export_rows(queryset)
            self.exported(rows)
            stamp = timezone.localdate().strftime("%Y%m%d")
            return xlsx_response(rows, self.get_export_columns(), f"{self.export_filename}-{stamp}.xlsx",
                                 title=self.page_title or None)
        return super().get(request, *args, **kwargs)

    def export_rows(self, queryset):
        """The rows to export: the filtered queryset (streamed), or precomputed rows a list needs."""
        return queryset

    def exported(self, rows) -> None:
        """Called with the exported rows before the file is written (e.g. to log personal data)."""

    def get_export_columns(self) -> list[Column]:
        return list(self.export_columns or [])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = self.page_title
        context["can_export"] = bool(self.export_columns)
        return context
