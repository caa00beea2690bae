"""The reusable import screens: upload → preview (every row's errors, in Chinese) → commit, plus the template.

An app describes its import once with an :class:`ImportFlow` and mounts ``flow.urls()``::

    unit_import = ImportFlow(kind="handling_units", title=_("承办单位导入"), action=MANAGE_ORGANISATION,
                             schema=UnitImportSchema, commit=commit_units, url_name="documents:unit_import",
                             back_url_name="presidium:unit_list")
    urlpatterns = [path("units/import/", include(unit_import.urls()))]

The views can also be subclassed (``class MyUpload(ImportUploadView): flow = my_flow``) to change
templates or context. Who may import is ``flow.action``; the township comes from a form field
limited to ``townships_where(user, flow.action)``; another township's batch is a 404.

The upload is checked once — in the request, or by a document job for a file larger than
``IMPORT_CHECK_IN_JOB_BYTES`` or with more rows than ``IMPORT_CHECK_IN_REQUEST_ROWS`` (the preview
page polls it; the check rehearses the commit, ~40 ms a roster row) — and the result is stored on the batch
with personal data masked; the preview page shows that result without reading the file again.
A flow whose schema has personal columns names ``personal_action`` (who may see them unmasked) and
``log_personal_data`` (how a reveal, or a download of the original file, is logged).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_resolver, path, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from presidium import access
from presidium.documents import services
from presidium.documents.choices import IMPORT_COMMITTABLE, ImportStatus, JobStatus
from presidium.documents.excel import XLSX_CONTENT_TYPE, attachment_response
from presidium.documents.forms import ImportUploadForm
from presidium.documents.import_flow import (
    CommitFunction,
    finish_check,
    preview_from_snapshot,
    run_import,
    summary_items,
)
from presidium.documents.import_jobs import CHECK_KIND, start_check_job, start_commit_job
from presidium.documents.importing import ImportPreview, ImportSchema, read_preview, template_workbook
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

_FLOWS: dict[str, ImportFlow] = {}


def import_flow_for(kind: str) -> ImportFlow:
    """The flow registered for a batch's ``kind`` (flows register themselves when they are defined).

    Flows are defined next to the URLs that mount them; a Celery worker never loads the URLconf by
    itself, so it is loaded here when a flow is not known yet.
    """
    if kind not in _FLOWS:
        get_resolver().url_patterns  # noqa: B018 - importing the URLconf defines every mounted flow
    return _FLOWS[kind]


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
    personal_action: str = ""  # may see the schema's personal columns unmasked (each time logged)
    log_personal_data: Callable[..., None] | None = None  # (request, *, batch, purpose, row_count)

    def __post_init__(self):
        _FLOWS[self.kind] = self

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
            .select_related("township", "uploaded_by", "committed_by", "job")
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
            path("<int:pk>/reveal/", ImportRevealView.as_view(flow=self), name=f"{name}_reveal"),
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
        user = self.request.user
        try:
            data = load_checked_bytes(upload)
            large = len(data) > settings.IMPORT_CHECK_IN_JOB_BYTES
            # A small file is read here (an unreadable one is never stored); a large one by the job.
            preview = None if large else read_preview(data, self.flow.get_schema(township))
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        try:
            with self.once.atomic() as receipt:
                batch = services.import_batch_create(kind=self.flow.kind, township=township, by=user,
                                                     content=data, original_name=upload.name)
                receipt.done(self.flow.url("_preview", batch.pk))
        except AlreadySubmitted as repeat:
            return repeat_response(self.request, repeat.url)
        if preview is None or len(preview.rows) > settings.IMPORT_CHECK_IN_REQUEST_ROWS:
            start_check_job(batch=batch, by=user)
        else:
            finish_check(batch=batch, preview=preview, commit=self.flow.commit, by=user)
        return redirect(receipt.url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.flow_context())
        context["recent_batches"] = list(self.flow.batches(self.request.user)[:10])
        context["form_token"] = self.once.token if self.once else issue_token()
        return context


class ImportPreviewView(ImportFlowMixin, TemplateView):
    """Step 2: the stored check of the file: rows, errors, notes; a commit button if all is well.

    While a document job still checks a large file, the page shows its progress; htmx polls this view
    (``?check=status``), which answers with the progress fragment or, once done, a page refresh.
    """

    def get_template_names(self):
        return [self.flow.preview_template]

    def get(self, request, *args, **kwargs):
        batch = self.get_batch()
        if request.GET.get("check") == "status" and request.headers.get("HX-Request"):
            job = self.pending_job(batch)
            if job is None:
                response = HttpResponse(status=204)
                response["HX-Refresh"] = "true"
                return response
            response = render(request, "documents/_import_check_status.html", {
                "job": job, "status_url": self.flow.url("_preview", batch.pk) + "?check=status",
                "poll_seconds": 2})
            response["Cache-Control"] = "no-store"
            return response
        return super().get(request, *args, **kwargs)

    @staticmethod
    def pending_job(batch: ImportBatch):
        """The document job still checking or committing the batch, if any."""
        if not batch.job_id:
            return None
        job = batch.job
        return job if job is not None and job.is_active else None

    def load_preview(self, batch: ImportBatch, context: dict) -> ImportPreview | None:
        schema = self.flow.get_schema(batch.township)
        preview = preview_from_snapshot(batch.check_result, schema)
        if preview is not None:
            return preview
        job = batch.job
        if job is not None and job.kind == CHECK_KIND and job.status == JobStatus.FAILED:
            context["file_error"] = [job.error or _("检查失败，请重新上传。")]
            return None
        try:  # a batch stored before checks were kept, or whose job was lost: check it now, once
            with batch.file.open("rb") as handle:
                data = load_checked_bytes(handle)
            preview = read_preview(data, schema)
        except (FileNotFoundError, ValueError):
            context["file_error"] = [_("找不到上传的文件，请重新上传。")]
            return None
        except ValidationError as error:
            context["file_error"] = error.messages
            return None
        if len(preview.rows) > settings.IMPORT_CHECK_IN_REQUEST_ROWS:
            start_check_job(batch=batch, by=self.request.user)
            context.update(batch_job=batch.job, poll_seconds=2,
                           status_url=self.flow.url("_preview", batch.pk) + "?check=status")
            return None
        finish_check(batch=batch, preview=preview, commit=self.flow.commit, by=self.request.user)
        return preview_from_snapshot(batch.check_result, schema)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.flow_context())
        batch = self.get_batch()
        context["batch"] = batch
        context["summary_items"] = summary_items(batch.summary or {})
        context["can_commit"] = False
        job = self.pending_job(batch)
        if job is not None:
            context.update(batch_job=job, poll_seconds=2,
                           status_url=self.flow.url("_preview", batch.pk) + "?check=status")
            return context
        if batch.status not in IMPORT_COMMITTABLE:
            return context
        preview = self.load_preview(batch, context)
        if preview is None:
            return context
        table_rows = self.table_rows(batch, preview, context)
        only_errors = self.request.GET.get("only") == "errors"
        rows = [item for item in table_rows if not only_errors or item[0].errors]
        limit = self.flow.preview_row_limit
        context.update({
            "preview": preview,
            "table_rows": rows[:limit],
            "hidden_rows": max(0, len(rows) - limit),
            "only_errors": only_errors,
            "can_commit": preview.ok,
            "expected_items": summary_items(preview.expected) if preview.ok else [],
            "can_reveal": bool(self.flow.personal_action and preview.personal_row_count and batch.file
                               and access.has_perm(self.request.user, self.flow.personal_action, batch.township)),
            "same_file": self.flow.batches(self.request.user).filter(
                township=batch.township, sha256=batch.sha256, status=ImportStatus.COMMITTED
            ).exclude(pk=batch.pk).first(),
        })
        return context

    def table_rows(self, batch: ImportBatch, preview: ImportPreview, context: dict) -> list:
        return list(preview.display_rows())


class ImportRevealView(ImportPreviewView):
    """POST: the preview with personal data unmasked, for those who may see it; each reveal is logged.

    The stored check keeps masked texts only, so the file is read again for the cells; the rows'
    errors and notes stay those of the stored check.
    """

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        batch = self.get_batch()
        if not self.flow.personal_action or not access.has_perm(request.user, self.flow.personal_action,
                                                                batch.township):
            raise PermissionDenied
        return self.render_to_response(self.get_context_data(**kwargs))

    def table_rows(self, batch: ImportBatch, preview: ImportPreview, context: dict) -> list:
        try:
            with batch.file.open("rb") as handle:
                fresh = read_preview(load_checked_bytes(handle), self.flow.get_schema(batch.township))
        except (FileNotFoundError, ValueError, ValidationError):
            context["file_error"] = [_("找不到上传的文件，无法显示完整信息。")]
            return list(preview.display_rows())
        cells = {row.number: row_cells for row, row_cells in fresh.display_rows(reveal=True)}
        shown = [(row, cells.get(row.number, row_cells)) for row, row_cells in preview.display_rows()]
        if self.flow.log_personal_data is not None:
            self.flow.log_personal_data(self.request, batch=batch, purpose="import",
                                        row_count=fresh.personal_row_count)
        context["revealed"] = True
        return shown


class ImportCommitView(ImportFlowMixin, View):
    """Step 3 (POST only): read again, check again, commit all rows in one transaction, or nothing."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        batch = self.get_batch()
        target = self.flow.url("_preview", batch.pk)
        if batch.status not in IMPORT_COMMITTABLE:
            messages.error(request, _("这个批次已经是“%(s)s”状态，不能再次导入。") % {"s": batch.get_status_display()})
            return redirect(target)
        if ImportPreviewView.pending_job(batch) is not None:
            messages.error(request, _("文件还在检查中，请等检查完成后再确认导入。"))
            return redirect(target)
        rows = len((batch.check_result or {}).get("rows") or [])
        if rows > settings.IMPORT_CHECK_IN_REQUEST_ROWS:
            try:
                start_commit_job(batch=batch, by=request.user)
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
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
        if self.flow.personal_action:
            # The file holds personal data unmasked: only for those who may see it, and logged.
            access.require_perm(request.user, self.flow.personal_action, batch.township)
        response = private_file_response(batch.file, batch.original_name or "import.xlsx",
                                         content_type=XLSX_CONTENT_TYPE)
        if self.flow.log_personal_data is not None and request.method == "GET":
            rows = (batch.check_result or {}).get("personal_rows") or 1
            self.flow.log_personal_data(request, batch=batch, purpose="import_file", row_count=rows)
        return response

