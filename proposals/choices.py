"""Choices of the proposals app. TextChoices only: never bare strings in code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SuggestionKind(models.TextChoices):
    """议案 or 建议、批评和意见: one table holds both (they share the whole handling loop)."""

    MOTION = "motion", _("议案")
    SUGGESTION = "suggestion", _("建议、批评和意见")


class SubmitterKind(models.TextChoices):
    """Who puts a motion forward: the presidium, or deputies jointly (at least five)."""

    DEPUTIES = "deputies", _("代表联名")
    PRESIDIUM = "presidium", _("主席团")


class RaisedDuring(models.TextChoices):
    SESSION = "session", _("大会期间")
    RECESS = "recess", _("闭会期间")


class SuggestionStatus(models.TextChoices):
    """Where a motion or suggestion stands. The allowed moves are in ``proposals.lifecycle``."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    REGISTERED = "registered", _("已登记")
    ON_AGENDA = "on_agenda", _("已列入大会议程")
    NOT_ON_AGENDA = "not_on_agenda", _("不列入大会议程")
    ASSIGNED = "assigned", _("已交办")
    IN_HANDLING = "in_handling", _("办理中")
    REPLIED = "replied", _("已答复")
    RATED = "rated", _("已评价")
    REHANDLING = "rehandling", _("重新办理")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


# Assigned to a unit and not yet answered: what the deadline and the overdue count are about.
OPEN_HANDLING = frozenset({SuggestionStatus.ASSIGNED, SuggestionStatus.IN_HANDLING, SuggestionStatus.REHANDLING})
# Everything that has been assigned at least once (the base of 办复率 and 见面率).
ASSIGNED_OR_LATER = frozenset({
    SuggestionStatus.ASSIGNED, SuggestionStatus.IN_HANDLING, SuggestionStatus.REPLIED, SuggestionStatus.RATED,
    SuggestionStatus.REHANDLING, SuggestionStatus.CLOSED,
})
# Not finished: what the presidium's bi-monthly progress hearing goes through.
STILL_OPEN = frozenset({
    SuggestionStatus.SUBMITTED, SuggestionStatus.REGISTERED, SuggestionStatus.ON_AGENDA, *OPEN_HANDLING,
    SuggestionStatus.REPLIED, SuggestionStatus.RATED,
})


class Action(models.TextChoices):
    """A step in the lifecycle. ``proposals.lifecycle.TRANSITIONS`` says from where to where and by whom."""

    SUBMIT = "submit", _("提交")
    WITHDRAW = "withdraw", _("撤回")
    RETURN = "return", _("退回修改")
    CONVERT = "convert", _("转换类别")
    REGISTER = "register", _("登记")
    PLACE_ON_AGENDA = "place_on_agenda", _("列入大会议程")
    REFUSE_AGENDA = "refuse_agenda", _("不列入大会议程")
    ASSIGN = "assign", _("交办")
    ACCEPT = "accept", _("签收办理")
    REPLY = "reply", _("答复")
    RATE = "rate", _("评价")
    RATE_UNSATISFIED = "rate_unsatisfied", _("评价不满意")
    CLOSE = "close", _("办结")
    CLOSE_WITH_REASON = "close_with_reason", _("说明理由后办结")
    REQUEST_HAND_BACK = "request_hand_back", _("申请退办")
    REASSIGN = "reassign", _("改办")


class SupervisionMode(models.TextChoices):
    """督办方式 — chosen at assignment by how the matter weighs (seed 001)."""

    FOLLOW_UP = "follow_up", _("跟踪督办")
    ON_SITE = "on_site", _("现场督办")
    RETURN_VISIT = "return_visit", _("定期回访")
    ROUTINE = "routine", _("常规督办")


class DeadlineChoice(models.TextChoices):
    """How the reply deadline is set at assignment."""

    NORMAL = "normal", _("一般期限（按乡镇设置的月数）")
    HARD = "hard", _("涉及面广、处理难度大（按乡镇设置的月数）")
    WORKING_DAYS = "working_days", _("指定工作日数")


class ConsultationStage(models.TextChoices):
    """三见面: the unit meets the lead deputy after assignment, during handling and before replying."""

    AFTER_ASSIGNMENT = "after_assignment", _("交办后")
    DURING_HANDLING = "during_handling", _("办理中")
    BEFORE_REPLY = "before_reply", _("答复前")


class ConsultationForm(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("当面")
    PHONE = "phone", _("电话")
    ON_SITE = "on_site", _("现场")


class ResultClass(models.TextChoices):
    """答复结果分类."""

    A = "A", _("A 类：已解决或采纳")
    B = "B", _("B 类：正在解决或列入计划")
    C = "C", _("C 类：因条件限制暂不能解决")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


SATISFACTION_RANK = {Satisfaction.SATISFIED: 2, Satisfaction.BASIC: 1, Satisfaction.UNSATISFIED: 0}


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("未同意")
    CANCELLED = "cancelled", _("因改办不再审批")


class HandBackStatus(models.TextChoices):
    """退办申请的处理结果: 同意 means the item went to another unit (改办) in the same step."""

    PENDING = "pending", _("待处理")
    APPROVED = "approved", _("已同意并改办")
    REFUSED = "refused", _("未同意")


class SupervisionKind(models.TextChoices):
    """督办措施."""

    REMINDER = "reminder", _("催办")
    ON_SITE = "on_site", _("现场督办")
    PROGRESS_HEARING = "progress_hearing", _("听取办理进展汇报")
    RETURN_VISIT = "return_visit", _("回访代表")
    OTHER = "other", _("其他")


class AttachmentPurpose(models.TextChoices):
    MATERIAL = "material", _("建议材料")
    REPLY = "reply", _("答复签发件")
    CONSULTATION = "consultation", _("面商记录")
    OTHER = "other", _("其他")


class AgendaDecision(models.TextChoices):
    PLACED = "placed", _("列入大会议程")
    NOT_PLACED = "not_placed", _("不列入大会议程")
    CONVERTED = "converted", _("改作建议处理")


class OpinionStatus(models.TextChoices):
    """督办意见: sent by the county, answered by the township, then acknowledged (closed) by the county."""

    SENT = "sent", _("待答复")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已确认办结")


class OpinionAction(models.TextChoices):
    ANSWER = "answer", _("答复督办意见")
    CLOSE = "close", _("确认答复")
