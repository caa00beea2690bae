"""The shape of every list screen: visibility selector → FilterSet → table → pagination → export.

A list view names its filterset, its columns for Excel and its table template; ``?export=xlsx``
downloads exactly what is filtered (all pages), through the documents helper. Over
``EXPORT_JOB_THRESHOLD`` rows the export becomes a document job with progress
(``presidium/documents/list_export.py``), which replays the same request through the same view.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from presidium.db import reporting
from presidium.documents.excel import XLSX_CONTENT_TYPE, Column, attachment_response, write_xlsx


class SearchPaginator(Paginator):
    """Pages of a search, counting at most ``CAP`` matches: a word as common as "村" matches nearly every one of a
    county's 100,000 visits (or "补偿" thousands of its 60,000 petitions), and counting them all, each row's texts
    tested, cost more than the page itself. ``capped`` says there are more; the page then offers the first ``CAP``
    and asks for a narrower search (components/pagination.html; the Excel export still holds every match)."""

    CAP = 1000
    capped = False

    @cached_property
    def count(self) -> int:
        # COUNT(*) FROM (SELECT id … LIMIT CAP + 1), unordered: a rare word is then one scan, not an index walk
        found = self.object_list.values("pk").order_by()[: self.CAP + 1].count()
        self.capped = found > self.CAP
        return min(found, self.CAP)


class PortalListView(LoginRequiredMixin, FilterView):
    paginate_by = 50
    # The GET parameter of the list's text search, if its search should count at most SearchPaginator.CAP matches.
    capped_search: str = ""
    # What a page's rows show, when they are written from fewer columns than the queryset reads: the page's query
    # reads only ``row_fields`` (``.only()``) and, if given, joins only ``row_joins`` (``select_related``); the Excel
    # export keeps the whole queryset. A wide join costs PostgreSQL its planning (16 ms for six tables) and the
    # unshown columns their transfer and decoding.
    row_fields: tuple[str, ...] = ()
    row_joins: tuple[str, ...] | None = None
    export_columns: list[Column] | None = None
    export_filename: str = "导出"
    page_title: str = ""
    strict = False  # an invalid filter shows the form errors with an empty list, never a 500

    def visible_queryset(self):
        raise NotImplementedError

    def paginate_queryset(self, queryset, page_size):
        if self.row_joins is not None:
            queryset = queryset.select_related(None).select_related(*self.row_joins)
        if self.row_fields:
            queryset = queryset.only(*self.row_fields)
        return super().paginate_queryset(queryset, page_size)

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        if self.capped_search and (self.request.GET.get(self.capped_search) or "").strip():
            return SearchPaginator(queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page,
                                   **kwargs)
        return super().get_paginator(queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page,
                                     **kwargs)

    def get_queryset(self):
        return self.visible_queryset()

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.export_columns:
            filterset = self.filterset = self.get_filterset(self.get_filterset_class())
            queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
            progress = getattr(request, "export_progress", None)  # set when the document job replays this
            if progress is None:
                from presidium.documents.list_export import export_threshold, list_export_start

                count = queryset.count()
                if count > export_threshold():
                    job = list_export_start(request=request, title=self.page_title or self.export_filename)
                    messages.info(request, _("共 %(n)s 行，已转为后台生成：本页显示进度，完成后即可下载。") % {"n": count})
                    return redirect("documents:job_detail", job.pk)
                total = None
            else:
                total = queryset.count()
                progress(0, total)
            return self.export_response(queryset, progress=progress, total=total)
        return super().get(request, *args, **kwargs)

    @reporting()  # the rows may come from the replica (presidium/db.py); the personal-data log is a write
    def export_response(self, queryset, *, progress=None, total=None):
        """The .xlsx of ``queryset`` as a download; ``progress(done, total)`` is told every 500 rows."""
        rows = self.export_rows(queryset)
        self.exported(rows)
        stamp = timezone.localdate().strftime("%Y%m%d")
        filename = f"{self.export_filename}-{stamp}.xlsx"
        content = write_xlsx(rows, self.get_export_columns(), title=str(self.page_title) if self.page_title else None,
                             progress=(lambda done: progress(done, total)) if progress else None)
        if progress:
            progress(total, total)
        response = attachment_response(content, filename, XLSX_CONTENT_TYPE)
        response.export_filename = filename
        return response

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
