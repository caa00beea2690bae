"""Document job screens: the list of one's documents, a status page polled by htmx, the download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from presidium.documents.choices import JobStatus
from presidium.documents.filters import DocumentJobFilter
from presidium.documents.selectors import jobs_visible_to
from presidium.documents.storage import private_file_response
from presidium.views.lists import PortalListView

POLL_SECONDS = 2


class DocumentJobListView(PortalListView):
    filterset_class = DocumentJobFilter
    template_name = "documents/job_list.html"
    page_title = _("文档下载")
    paginate_by = 30

    def visible_queryset(self):
        return jobs_visible_to(self.request.user).order_by("-created_at", "-pk")


def _job_context(job) -> dict:
    return {"job": job, "poll_seconds": POLL_SECONDS}


@require_GET
@login_required
def job_detail(request, pk: int):
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    return render(request, "documents/job_detail.html", _job_context(job))


@require_GET
@login_required
def job_status(request, pk: int):
    """The status fragment alone: htmx swaps it every 2 s while the job is queued or running."""
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    response = render(request, "documents/_job_status.html", _job_context(job))
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def job_download(request, pk: int):
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    if job.status != JobStatus.DONE or not job.result:
        raise Http404
    return private_file_response(job.result, job.file_name or "document")
