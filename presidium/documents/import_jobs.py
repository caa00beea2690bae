"""A large import is checked, and committed, by a document job, not in the web request.

The upload view stores the batch and starts the check job; the commit view starts the commit job for
a batch of many rows; the preview page polls the job (htmx) and shows the outcome once it is done.
A check job's file is a 检查结果 workbook (row numbers, errors and notes, personal data masked), a
commit job's the 导入结果 (the report's lines); both can be downloaded from 文档下载.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presidium.documents import services
from presidium.documents.excel import Column, write_xlsx
from presidium.documents.import_flow import finish_check, run_import
from presidium.documents.importing import ImportPreview, read_preview
from presidium.documents.jobs import job_start, register_job
from presidium.documents.models import ImportBatch
from presidium.documents.xlsx_safety import load_checked_bytes

CHECK_KIND = "import_check"
COMMIT_KIND = "import_commit"


def start_check_job(*, batch: ImportBatch, by) -> ImportBatch:
    """Queue the check of ``batch``'s file; the batch points at the job the preview page follows."""
    job = job_start(kind=CHECK_KIND, params={"batch_id": batch.pk}, by=by, township=batch.township)
    return services.import_batch_start_check(batch=batch, job=job, by=by)


@register_job(CHECK_KIND, title=gettext_lazy("导入文件检查"))
def check_import_file(job, params, progress) -> tuple[str, bytes]:
    from presidium.documents.views import import_flow_for

    batch = ImportBatch.objects.select_related("township").get(pk=params["batch_id"])
    flow = import_flow_for(batch.kind)
    progress(0, 3, _("正在读取表格…"))
    try:
        if not batch.file:
            raise ValidationError(_("找不到上传的文件，请重新上传。"))
        with batch.file.open("rb") as handle:
            data = load_checked_bytes(handle)
        preview = read_preview(data, flow.get_schema(batch.township))
        progress(1, 3, _("正在核对将要导入的数据…"))
        finish_check(batch=batch, preview=preview, commit=flow.commit, by=job.requested_by)
    except FileNotFoundError:
        raise ValidationError(_("找不到上传的文件，请重新上传。")) from None
    progress(3, 3)
    name = (batch.original_name or "import.xlsx").rsplit(".", 1)[0]
    return f"{name}-检查结果.xlsx", check_report(preview)


def check_report(preview: ImportPreview) -> bytes:
    """The check as a workbook: each row's number, result and notes, then its cells (personal data masked)."""
    columns = [Column("行号", lambda item: item[0].number, 8),
               Column("检查结果", lambda item: "；".join(item[0].errors) or item[0].note or "正确", 40),
               Column("提示", lambda item: "；".join(item[0].warnings), 40)]
    for index, field in enumerate(preview.shown_fields):
        columns.append(Column(field.label, lambda item, i=index: item[1][i][1], field.width or 14))
    return write_xlsx(list(preview.display_rows()), columns, title="导入检查结果", sheet_name="检查结果")


def start_commit_job(*, batch: ImportBatch, by) -> ImportBatch:
    """Queue the all-or-nothing commit of ``batch``; the preview page follows the job."""
    job = job_start(kind=COMMIT_KIND, params={"batch_id": batch.pk}, by=by, township=batch.township)
    return services.import_batch_start_commit(batch=batch, job=job, by=by)


@register_job(COMMIT_KIND, title=gettext_lazy("确认导入"))
def commit_import(job, params, progress) -> tuple[str, bytes]:
    """The same commit as the web view's (read again, check again, all or nothing), run by a worker."""
    from presidium.documents.views import import_flow_for

    batch = ImportBatch.objects.select_related("township").get(pk=params["batch_id"])
    flow = import_flow_for(batch.kind)
    progress(0, 1, _("正在导入…"))
    report = run_import(None, flow.get_schema(batch.township), flow.commit, dry_run=False, by=job.requested_by,
                        township=batch.township, batch=batch)
    if not report.committed:  # the batch is marked failed with the reason (run_import does it)
        raise ValidationError(report.errors or report.lines(max_row_errors=20))
    progress(1, 1)
    name = (batch.original_name or "import.xlsx").rsplit(".", 1)[0]
    lines = report.lines(max_row_errors=0)
    return f"{name}-导入结果.xlsx", write_xlsx(lines, [Column("导入结果", lambda line: line, 100)],
                                               title="导入结果", sheet_name="导入结果")
