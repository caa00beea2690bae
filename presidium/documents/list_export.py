"""列表导出: a list's Excel export that is too long to wait for runs as a document job, with progress.

``PortalListView`` counts what is filtered; over ``EXPORT_JOB_THRESHOLD`` rows (2,000 by default) it
starts this job instead of answering with the file (a county's visits took 26 s with no sign of
life). The job replays the very request in the worker — the list's URL and query string, as the
user who asked — through the list view itself, so the same permission checks, visibility selector,
filters, columns and personal-data log apply, and only the rows they can see now are written.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from presidium.documents.jobs import job_start, register_job

KIND = "list_export"


def export_threshold() -> int:
    return int(getattr(settings, "EXPORT_JOB_THRESHOLD", 2000))


def list_export_start(*, request, title: str) -> object:
    """Start the job for this export request (the caller decided it is long). Only the requester sees the job."""
    params = {"path": request.path, "query": request.META.get("QUERY_STRING", ""), "title": str(title)[:100]}
    return job_start(kind=KIND, params=params, by=request.user, township=None)


def _replayed_request(job, params: dict, progress) -> HttpRequest:
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = params["path"]
    request.GET = QueryDict(params.get("query", ""))
    request.META.update({"QUERY_STRING": params.get("query", ""), "REQUEST_METHOD": "GET",
                         "SERVER_NAME": "localhost", "SERVER_PORT": "80"})
    request.user = job.requested_by
    request.export_progress = progress  # PortalListView then writes the file here, whatever the row count
    return request


@register_job(KIND, title=_l("列表导出（Excel）"))
def list_export(job, params, progress) -> tuple[str, bytes]:
    user = job.requested_by
    if user is None or not user.is_active:
        raise ValidationError(_("申请导出的账号已停用，未生成文件。"))
    try:
        match = resolve(params["path"])
    except Resolver404:
        raise ValidationError(_("这个列表已不存在，未生成文件。")) from None
    title = params.get("title", "")
    request = _replayed_request(job, params, lambda done, total: progress(done, total, title))
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except (PermissionDenied, Http404):
        raise ValidationError(_("您已无权导出这个列表，未生成文件。")) from None
    filename = getattr(response, "export_filename", None)
    if response.status_code != 200 or not filename:
        raise ValidationError(_("您已无权导出这个列表，未生成文件。"))
    return filename, response.content
