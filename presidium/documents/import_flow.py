"""One code path for every import, from the web or the command line: read → preview → commit.

An app supplies a schema and ``commit(preview, batch, by) -> dict | None`` that writes the valid rows
through its services (creating or updating by a natural key, so re-importing the same file updates
instead of duplicating) and returns counts such as ``{"created": 3, "updated": 5}``. It raises
``ValidationError`` (use :func:`row_error` to name the row) to refuse; everything is rolled back.

:func:`run_import` serves ``manage.py`` commands and tests; the web views in
:mod:`presidium.documents.views` call the same pieces with a stored batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presidium.documents import services
from presidium.documents.choices import ImportStatus
from presidium.documents.importing import ImportPreview, ImportRow, ImportSchema, read_preview
from presidium.documents.models import ImportBatch
from presidium.documents.xlsx_safety import load_checked_bytes

logger = logging.getLogger(__name__)

CommitFunction = Callable[[ImportPreview, ImportBatch, Any], "dict | None"]

SUMMARY_LABELS = {
    "rows": gettext_lazy("数据行"), "created": gettext_lazy("新增"), "updated": gettext_lazy("更新"),
    "unchanged": gettext_lazy("无变化"), "skipped": gettext_lazy("跳过"),
}


def row_error(row: ImportRow, error: ValidationError | str) -> ValidationError:
    """A ValidationError whose messages start with "第 N 行：" (raise it from a commit function).

    It remembers the row, so a rehearsal of the commit (:func:`rehearse_commit`) can put the
    messages on that row of the preview.
    """
    messages = [error] if isinstance(error, str) else error.messages
    refused = ValidationError([_("第 %(n)s 行：%(m)s") % {"n": row.number, "m": m} for m in messages])
    refused.import_row, refused.row_messages = row.number, list(messages)
    return refused


def summary_items(summary: dict) -> list[tuple[str, Any]]:
    return [(SUMMARY_LABELS.get(key, key), value) for key, value in summary.items()]


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do). Printed by commands, shown by views."""

    dry_run: bool
    preview: ImportPreview | None = None
    batch: ImportBatch | None = None
    committed: bool = False
    summary: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.preview is not None and self.preview.ok

    def lines(self, *, max_row_errors: int = 200) -> list[str]:
        out: list[str] = []
        preview = self.preview
        if preview is not None:
            out.append(_("工作表“%(s)s”，表头在第 %(h)s 行，数据 %(n)s 行，其中有错误的 %(e)s 行。") % {
                "s": preview.sheet_name, "h": preview.header_row or "?", "n": len(preview.rows),
                "e": preview.error_count})
            out.extend(preview.problems)
            if preview.unknown_headers:
                out.append(_("未识别的列（不导入）：%(h)s") % {"h": "、".join(preview.unknown_headers)})
            out.extend(preview.notes)
            for row in preview.rows:
                out.extend(m if m.startswith("第 ") else _("第 %(n)s 行提示：%(m)s") % {"n": row.number, "m": m}
                           for m in row.warnings)
            shown = 0
            for row in preview.rows:
                for message in row.errors:
                    if shown < max_row_errors:
                        out.append(_("第 %(n)s 行：%(m)s") % {"n": row.number, "m": message})
                    shown += 1
            if shown > max_row_errors:
                out.append(_("……另有 %(n)s 条错误未列出。") % {"n": shown - max_row_errors})
        out.extend(self.errors)
        if self.summary:
            counts = "，".join(f"{label} {value}" for label, value in summary_items(self.summary))
            prefix = _("试运行（未保存）") if self.dry_run else _("已导入")
            out.append(f"{prefix}：{counts}")
        elif not self.ok:
            out.append(_("没有导入任何数据。"))
        return out

    def as_text(self) -> str:
        return "\n".join(self.lines())


def _messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# --- checking a batch: the preview, with everything the commit would refuse ----------------------
def rehearse_commit(*, preview: ImportPreview, batch: ImportBatch, commit: CommitFunction, by) -> None:
    """Run ``commit`` and roll it back; what it refuses goes onto its row (or the sheet) of ``preview``.

    The schema's own checks find most problems row by row; this rehearsal is the guarantee that a
    preview saying "可以导入" is not followed by a failed commit (barring changes made meanwhile).
    Its counts ("新增 3，更新 5") are kept in ``preview.expected``.
    """
    if not preview.ok:
        return
    try:
        with transaction.atomic():
            preview.expected = {"rows": len(preview.rows), **dict(commit(preview, batch, by) or {})}
            transaction.set_rollback(True)
    except ValidationError as error:
        preview.expected = {}
        number = getattr(error, "import_row", None)
        row = next((r for r in preview.rows if r.number == number), None)
        if row is not None:
            row.errors.extend(str(m) for m in error.row_messages)
        else:
            preview.refusals.extend(_messages(error))
    except IntegrityError:
        preview.expected = {}
        preview.refusals.append(_("导入的数据与系统中已有的记录冲突。"))
    except DatabaseError:
        logger.exception("import batch %s: database error while checking", batch.pk)
        preview.expected = {}
        preview.refusals.append(_("检查时数据库出错，请稍后重新上传。"))
    except Exception:  # noqa: BLE001 - a bug in a commit function: logged in full, shown in Chinese
        logger.exception("import batch %s: commit function failed while checking", batch.pk)
        preview.expected = {}
        preview.refusals.append(_("检查时发生内部错误，请联系系统管理员。"))


def check_batch(*, batch: ImportBatch, schema: ImportSchema, commit: CommitFunction, by,
                data: bytes | None = None) -> ImportPreview:
    """Read the batch's file, rehearse the commit and store the result (masked) on the batch.

    Raises ``ValidationError`` for a file that cannot be read, ``FileNotFoundError`` if it is gone.
    """
    if data is None:
        if not batch.file:
            raise FileNotFoundError(batch.pk)
        with batch.file.open("rb") as handle:
            data = load_checked_bytes(handle)
    return finish_check(batch=batch, preview=read_preview(data, schema), commit=commit, by=by)


def finish_check(*, batch: ImportBatch, preview: ImportPreview, commit: CommitFunction, by) -> ImportPreview:
    """Rehearse the commit of a read preview and store the result on the batch."""
    rehearse_commit(preview=preview, batch=batch, commit=commit, by=by)
    services.import_batch_record_check(batch=batch, result=preview_snapshot(preview), by=by)
    return preview


SNAPSHOT_VERSION = 1


def preview_snapshot(preview: ImportPreview) -> dict:
    """What the preview page shows, as JSON: cell texts with personal data masked, never the raw values."""
    return {
        "version": SNAPSHOT_VERSION, "sheet_name": preview.sheet_name, "header_row": preview.header_row,
        "columns": preview.columns, "missing": preview.missing, "unknown_headers": preview.unknown_headers,
        "notes": preview.notes, "refusals": preview.refusals, "expected": preview.expected,
        "rows_read": preview.rows_read, "personal_rows": preview.personal_row_count,
        "rows": [{"number": row.number, "errors": row.errors, "warnings": row.warnings, "note": row.note,
                  "cell_notes": row.cell_notes, "cells": {field.key: text for field, text, _note in cells}}
                 for row, cells in preview.display_rows()],
    }


def preview_from_snapshot(data: dict, schema: ImportSchema) -> ImportPreview | None:
    """The stored preview, ready for the template (None if there is none, or it is of an older shape)."""
    if not data or data.get("version") != SNAPSHOT_VERSION:
        return None
    rows = [ImportRow(number=item["number"], raw={}, values={}, errors=list(item["errors"]), note=item["note"],
                      warnings=list(item["warnings"]), cell_notes=dict(item["cell_notes"]), shown=dict(item["cells"]))
            for item in data["rows"]]
    return ImportPreview(rows=rows, header_row=data["header_row"], columns=dict(data["columns"]),
                         missing=list(data["missing"]), unknown_headers=list(data["unknown_headers"]),
                         sheet_name=data["sheet_name"], fields=list(schema.fields), notes=list(data["notes"]),
                         rows_read=data["rows_read"], refusals=list(data["refusals"]),
                         expected=dict(data["expected"]), personal_rows=data["personal_rows"])


def commit_preview(*, batch: ImportBatch, preview: ImportPreview, commit: CommitFunction, by) -> ImportReport:
    """Commit a batch whose preview is ok; on failure the batch is marked failed with the reason."""
    report = ImportReport(dry_run=False, preview=preview, batch=batch)
    try:
        report.summary = services.import_batch_commit(batch=batch, preview=preview, commit=commit, by=by)
        report.committed = True
    except ValidationError as error:
        report.errors = _messages(error)
    except IntegrityError:
        logger.warning("import batch %s hit a constraint", batch.pk, exc_info=True)
        report.errors = [_("导入的数据与系统中已有的记录冲突（可能有人同时修改了这些数据），已全部撤销。请刷新后重试。")]
    except DatabaseError:
        logger.exception("import batch %s: database error", batch.pk)
        report.errors = [_("保存时数据库出错，已全部撤销，请稍后重试。")]
    except Exception:  # noqa: BLE001 - a bug in a commit function: logged in full, rolled back, shown in Chinese
        logger.exception("import batch %s: commit function failed", batch.pk)
        report.errors = [_("导入时发生内部错误，已全部撤销。请联系系统管理员。")]
    if report.errors and batch.pk and batch.status != ImportStatus.COMMITTED:
        services.import_batch_fail(batch=batch, by=by, error="\n".join(report.errors))
    return report


def dry_run_preview(*, batch: ImportBatch, preview: ImportPreview, commit: CommitFunction, by) -> ImportReport:
    """Run ``commit`` and roll it back: the counts it would produce, and the errors it would raise."""
    report = ImportReport(dry_run=True, preview=preview, batch=batch)
    try:
        with transaction.atomic():
            report.summary = {"rows": len(preview.rows), **dict(commit(preview, batch, by) or {})}
            transaction.set_rollback(True)
    except ValidationError as error:
        report.errors = _messages(error)
        report.summary = {}
    except IntegrityError:
        report.errors = [_("导入的数据与系统中已有的记录冲突。")]
        report.summary = {}
    return report


def run_import(f, schema: ImportSchema, commit: CommitFunction, *, dry_run: bool, by, township,
               kind: str = "", filename: str = "", batch: ImportBatch | None = None,
               sheet: str | int | None = None) -> ImportReport:
    """Check and read ``f``, then commit it all-or-nothing (or, with ``dry_run``, roll back).

    Without ``batch`` a new one is stored (not in a dry run), so command-line imports leave the
    same trace as web imports. With ``batch`` (the web commit) its stored file is read instead of ``f``.
    """
    source = batch.file if batch is not None and f is None else f
    if source is None or (hasattr(source, "storage") and not source):
        return ImportReport(dry_run=dry_run, batch=batch, errors=[_("找不到上传的文件，请重新上传。")])
    try:
        if hasattr(source, "open") and hasattr(source, "storage"):
            with source.open("rb") as handle:
                data = load_checked_bytes(handle)
        else:
            data = load_checked_bytes(source)
        preview = read_preview(data, schema, sheet=sheet)
    except FileNotFoundError:
        return ImportReport(dry_run=dry_run, batch=batch, errors=[_("找不到上传的文件，请重新上传。")])
    except ValidationError as error:
        return ImportReport(dry_run=dry_run, batch=batch, errors=_messages(error))
    if batch is None:
        if dry_run:
            batch = ImportBatch(kind=kind, township=township, uploaded_by=by, original_name=filename)
        else:
            batch = services.import_batch_create(kind=kind, township=township, by=by, content=data,
                                                 original_name=filename)
    if not preview.ok:
        report = ImportReport(dry_run=dry_run, preview=preview, batch=batch)
        if batch.pk and not dry_run:
            services.import_batch_fail(batch=batch, by=by, error="\n".join(report.lines(max_row_errors=50)))
        return report
    if dry_run:
        return dry_run_preview(batch=batch, preview=preview, commit=commit, by=by)
    return commit_preview(batch=batch, preview=preview, commit=commit, by=by)
