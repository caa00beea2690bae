"""The reusable import screens: upload → preview (every row's errors, in Chinese) → commit, plus the template.

An app describes its import once with an :class:`ImportFlow` and mounts ``flow.urls()``::

    unit_import = ImportFlow(kind="handling_units", title=_("承办单位导入"), action=MANAGE_ORGANISATION,
                             schema=UnitImportSchema, commit=commit_units, url_name="documents:unit_import",
                             back_url_name="presidium:unit_list")
    urlpatterns = [path("units/import/", include(unit_import.urls()))]

The views can also be subclassed (``class MyUpload(ImportUploadView): flow = my_flow``) to change
templates or context. Who may import is ``flow.action``; the township comes from a form field
limited to ``townships_where(user, flow.action)``; another township's batch is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from presidium import access
from presidium.documents import services
from presidium.documents.choices import IMPORT_COMMITTABLE, ImportStatus
from presidium.documents.excel import XLSX_CONTENT_TYPE, attachment_response
from presidium.documents.forms import ImportUploadForm
from presidium.documents.import_flow import CommitFunction, run_import, summary_items
from presidium.documents.importing import ImportSchema, read_preview, template_workbook
from presidium.documents.models import ImportBatch
from presidium.documents.storage import private_file_response
from presidium.documents.xlsx_safety import load_checked_bytes
from presidium.idempotency import (
    AlreadySubmitted,
    OneTimeSubmit,
    cut_off_message,
    issue_token,
    repeat_response,
)


@dataclass(frozen=True)
class ImportFlow:
    """Everything an app says about one import; the views do the rest."""

    kind: str
    title: str
    action: str
    schema: ImportSchema | Callable[..., ImportSchema]
    commit: CommitFunction
    url_name: str
    back_url_name: str = ""
    intro: str = ""
    upload_template: str = "documents/import_upload.html"
    preview_template: str = "documents/import_preview.html"
    template_filename: str = ""
    preview_row_limit: int = 500

    def get_schema(self, township=None) -> ImportSchema:
        """The schema for ``township``: a factory (a schema class or function) receives it as ``township=``."""
        if isinstance(self.schema, ImportSchema):
            return self.schema
        return self.schema(township=township)

    def url(self, suffix: str = "", *args) -> str:
        return reverse(self.url_name + suffix, args=args)

    def townships(self, user) -> QuerySet:
        return access.townships_where(user, self.action)

    def visible_batches(self, user) -> QuerySet:
        """Batches of this kind in townships the user can see (another township's batch is a 404)."""
        return self._batches(user, access.townships_visible_to(user))

    def batches(self, user) -> QuerySet:
        """Batches of this kind in townships where the user may import, and their own without a township."""
        return self._batches(user, self.townships(user))

    def _batches(self, user, townships: QuerySet) -> QuerySet:
        return (
            ImportBatch.objects.filter(kind=self.kind)
            .filter(Q(township__in=townships) | Q(township__isnull=True, uploaded_by=user))
            .select_related("township", "uploaded_by", "committed_by")
        )

    def urls(self) -> list:
        """URL patterns named after ``url_name`` (without its namespace): include() them in the app's urls."""
        name = self.url_name.rsplit(":", 1)[-1]
        return [
            path("", ImportUploadView.as_view(flow=self), name=name),
            path("template/", ImportTemplateView.as_view(flow=self), name=f"{name}_template"),
            path("<int:pk>/", ImportPreviewView.as_view(flow=self), name=f"{name}_preview"),
            path("<int:pk>/commit/", ImportCommitView.as_view(flow=self), name=f"{name}_commit"),
            path("<int:pk>/discard/", ImportDiscardView.as_view(flow=self), name=f"{name}_discard"),
            path("<int:pk>/file/", ImportFileView.as_view(flow=self), name=f"{name}_file"),
        ]


class ImportFlowMixin(LoginRequiredMixin):
    """Login, then: a batch outside the user's townships is a 404; without ``flow.action`` it is a 403."""

    flow: ImportFlow | None = None
    batch: ImportBatch | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "pk" in kwargs:
            self.batch = get_object_or_404(self.flow.visible_batches(request.user), pk=kwargs["pk"])
            access.require_perm(request.user, self.flow.action, self.batch.township)
        elif not access.has_perm(request.user, self.flow.action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_batch(self) -> ImportBatch:
        return self.batch

    def flow_context(self) -> dict[str, Any]:
        flow = self.flow
        return {
            "flow": flow,
            "page_title": flow.title,
            "upload_url": flow.url(),
            "template_url": flow.url("_template"),
            "back_url": reverse(flow.back_url_name) if flow.back_url_name else "",
        }


class ImportUploadView(ImportFlowMixin, FormView):
    """Step 1: choose the township and the file; the file is checked and stored, then previewed."""

    form_class = ImportUploadForm
    once: OneTimeSubmit | None = None

    def post(self, request, *args, **kwargs):
        # One upload makes one batch: a second tap or a retried slow upload goes to the first preview.
        self.once = OneTimeSubmit.of(request)
        earlier = self.once.earlier_result()
        if earlier is not None:
            return repeat_response(request, earlier)
        if self.once.cut_off:
            form = self.get_form()
            form.add_error(None, cut_off_message())
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def get_template_names(self):
        return [self.flow.upload_template]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["townships"] = self.flow.townships(self.request.user)
        return kwargs

    def form_valid(self, form):
        township = form.cleaned_data["township"]
        upload = form.cleaned_data["file"]
        try:
            data = load_checked_bytes(upload)
            read_preview(data, self.flow.get_schema(township))  # unreadable files never get stored
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        try:
            with self.once.atomic() as receipt:
                batch = services.import_batch_create(kind=self.flow.kind, township=township, by=self.request.user,
                                                     content=data, original_name=upload.name)
                receipt.done(self.flow.url("_preview", batch.pk))
        except AlreadySubmitted as repeat:
            return repeat_response(self.request, repeat.url)
        return redirect(receipt.url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.flow_context())
        context["recent_batches"] = list(self.flow.batches(self.request.user)[:10])
        context["form_token"] = self.once.token if self.once else issue_token()
        return context


class ImportPreviewView(ImportFlowMixin, TemplateView):
    """Step 2: the stored file read again: rows, errors, missing columns; a commit button if all is well."""

    def get_template_names(self):
        return [self.flow.preview_template]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.flow_context())
        batch = self.get_batch()
        context["batch"] = batch
        context["summary_items"] = summary_items(batch.summary or {})
        context["can_commit"] = False
        if batch.status not in IMPORT_COMMITTABLE:
            return context
        schema = self.flow.get_schema(batch.township)
        try:
            with batch.file.open("rb") as handle:
                preview = read_preview(handle, schema)
        except FileNotFoundError:
            context["file_error"] = [_("找不到上传的文件，请重新上传。")]
            return context
        except ValidationError as error:
            context["file_error"] = error.messages
            return context
        only_errors = self.request.GET.get("only") == "errors"
        rows = [item for item in preview.display_rows() if not only_errors or item[0].errors]
        limit = self.flow.preview_row_limit
        context.update({
            "preview": preview,
            "table_rows": rows[:limit],
            "hidden_rows": max(0, len(rows) - limit),
            "only_errors": only_errors,
            "can_commit": preview.ok,
            "same_file": self.flow.batches(self.request.user).filter(
                township=batch.township, sha256=batch.sha256, status=ImportStatus.COMMITTED
            ).exclude(pk=batch.pk).first(),
        })
        return context


class ImportCommitView(ImportFlowMixin, View):
    """Step 3 (POST only): read again, check again, commit all rows in one transaction, or nothing."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        batch = self.get_batch()
        target = self.flow.url("_preview", batch.pk)
        if batch.status not in IMPORT_COMMITTABLE:
            messages.error(request, _("这个批次已经是“%(s)s”状态，不能再次导入。") % {"s": batch.get_status_display()})
            return redirect(target)
        report = run_import(None, self.flow.get_schema(batch.township), self.flow.commit, dry_run=False,
                            by=request.user, township=batch.township, batch=batch)
        if report.committed:
            counts = "，".join(f"{label} {value}" for label, value in summary_items(report.summary))
            messages.success(request, _("导入完成：%(c)s。") % {"c": counts})
        else:
            messages.error(request, _("导入失败，没有保存任何数据：%(e)s") % {
                "e": "；".join(report.errors or report.lines(max_row_errors=5))})
        return redirect(target)


class ImportDiscardView(ImportFlowMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        batch = self.get_batch()
        try:
            services.import_batch_discard(batch=batch, by=request.user)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
            return redirect(self.flow.url("_preview", batch.pk))
        messages.info(request, _("已放弃这次导入，上传的文件已删除。"))
        return redirect(self.flow.url())


class ImportTemplateView(ImportFlowMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        schema = self.flow.get_schema(None)
        filename = self.flow.template_filename or f"{schema.title or self.flow.title}模板.xlsx"
        return attachment_response(template_workbook(schema), filename, XLSX_CONTENT_TYPE)


class ImportFileView(ImportFlowMixin, View):
    """The uploaded file itself, for whoever may see the batch (what exactly was imported?)."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        batch = self.get_batch()
        return private_file_response(batch.file, batch.original_name or "import.xlsx",
                                     content_type=XLSX_CONTENT_TYPE)

