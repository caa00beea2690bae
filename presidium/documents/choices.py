"""Choices and lifecycles of the documents app. TextChoices only; the allowed transitions live here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    """导入批次状态."""

    PREVIEWED = "previewed", _("待确认")
    COMMITTED = "committed", _("已导入")
    FAILED = "failed", _("导入失败")
    DISCARDED = "discarded", _("已放弃")


# A failed commit rolled everything back, so it may be tried again (after the data it clashed with
# was fixed); a committed batch is final: the same batch is never written twice.
IMPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ImportStatus.PREVIEWED: frozenset({ImportStatus.COMMITTED, ImportStatus.FAILED, ImportStatus.DISCARDED}),
    ImportStatus.FAILED: frozenset({ImportStatus.COMMITTED, ImportStatus.FAILED, ImportStatus.DISCARDED}),
    ImportStatus.COMMITTED: frozenset(),
    ImportStatus.DISCARDED: frozenset(),
}

IMPORT_COMMITTABLE = frozenset(s for s, targets in IMPORT_TRANSITIONS.items() if ImportStatus.COMMITTED in targets)


class JobStatus(models.TextChoices):
    """文档任务状态."""

    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


JOB_TRANSITIONS: dict[str, frozenset[str]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.FAILED}),
    JobStatus.RUNNING: frozenset({JobStatus.DONE, JobStatus.FAILED}),
    JobStatus.DONE: frozenset(),
    JobStatus.FAILED: frozenset(),
}

JOB_ACTIVE = frozenset({JobStatus.QUEUED, JobStatus.RUNNING})
