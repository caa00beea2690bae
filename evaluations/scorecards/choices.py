"""Choices of the county scorecards (县人大对乡镇人大工作的考评). TextChoices only."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("季度")
    MONTH = "month", _("月度")


class ChecklistState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已结束")


class ResponseState(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    FINALISED = "finalised", _("已定稿")


class ResponseAction(models.TextChoices):
    SUBMIT = "submit", _("提交")
    RETURN = "return", _("退回重报")
    FINALISE = "finalise", _("定稿")
    REOPEN = "reopen", _("撤销定稿")


class Answer(models.TextChoices):
    DONE = "done", _("已完成")
    PARTLY = "partly", _("部分完成")
    NOT_DONE = "not", _("未完成")


class EvidenceKind(models.TextChoices):
    FILE = "file", _("上传材料")
    RECORD = "record", _("平台记录")


class ReviewState(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("认可")
    QUESTIONED = "questioned", _("存疑")
    REJECTED = "rejected", _("不认可")
