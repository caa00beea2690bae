"""Choices of the petitions app (信访). TextChoices only: never bare strings in code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """信访渠道 — how the matter reached the presidium."""

    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    PHONE = "phone", _("来电")
    ONLINE = "online", _("网上信访")
    MAILBOX = "mailbox", _("代表信箱")
    REFERRED = "referred", _("上级转办")
    DEPUTY = "deputy", _("代表代言")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class PetitionStatus(models.TextChoices):
    """Where a petition stands in its handling. The allowed moves are in ``petitions.lifecycle``.

    The status says which step the case is at, never how it ended: the outcome (findings, resolution,
    satisfaction) is kept in fields of its own (closing is not resolving).
    """

    REGISTERED = "registered", _("已登记")
    ANSWERED_ON_SPOT = "answered_on_spot", _("当场答复")
    ACCEPTED = "accepted", _("已受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    TRANSFERRED = "transferred", _("已转办")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已息访（办结）")
    REVIEW_REQUESTED = "review_requested", _("申请复查")
    REVIEWED = "reviewed", _("已复查")
    RE_REVIEW_REQUESTED = "re_review_requested", _("申请复核")
    RE_REVIEWED = "re_reviewed", _("已复核")


# Accepted and not yet answered in writing: what the completion clock and the "in handling" count are about.
IN_HANDLING = frozenset({PetitionStatus.ACCEPTED, PetitionStatus.TRANSFERRED})
# Not finished: still needs a step from the presidium.
OPEN_STATUSES = frozenset({
    PetitionStatus.REGISTERED, PetitionStatus.ACCEPTED, PetitionStatus.TRANSFERRED,
    PetitionStatus.REVIEW_REQUESTED, PetitionStatus.RE_REVIEW_REQUESTED,
})
# A written answer exists (the base of satisfaction and on-time figures).
ANSWERED_STATUSES = frozenset({
    PetitionStatus.REPLIED, PetitionStatus.REVIEW_REQUESTED, PetitionStatus.REVIEWED,
    PetitionStatus.RE_REVIEW_REQUESTED, PetitionStatus.RE_REVIEWED,
})


class Action(models.TextChoices):
    """A step in the lifecycle. ``petitions.lifecycle.TRANSITIONS`` says from where to where."""

    ANSWER_ON_SPOT = "answer_on_spot", _("当场答复")
    ACCEPT = "accept", _("受理")
    REJECT = "reject", _("不予受理")
    TRANSFER = "transfer", _("转办")
    REPLY = "reply", _("书面答复")
    CLOSE = "close", _("息访办结")
    REQUEST_REVIEW = "request_review", _("申请复查")
    DECIDE_REVIEW = "decide_review", _("复查")
    REQUEST_RE_REVIEW = "request_re_review", _("申请复核")
    DECIDE_RE_REVIEW = "decide_re_review", _("复核")
    REOPEN = "reopen", _("回访不满意重新转办")


class Findings(models.TextChoices):
    """调查认定."""

    TRUE = "true", _("属实")
    PARTLY = "partly", _("部分属实")
    FALSE = "false", _("不属实")


class Resolution(models.TextChoices):
    """化解方式."""

    SOLVED = "solved", _("解决诉求")
    EXPLAINED = "explained", _("政策解释")
    ASSISTED = "assisted", _("帮扶救助")
    LEGAL = "legal", _("引导法律途径")
    OTHER = "other", _("其他")


class FeedbackResult(models.TextChoices):
    """信访人对处理结果的态度（回访）."""

    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    NONE = "none", _("未表态")


class ReturnVisitMethod(models.TextChoices):
    PHONE = "phone", _("电话回访")
    VISIT = "visit", _("上门回访")
    INTERVIEW = "interview", _("约见面谈")
    OTHER = "other", _("其他")


class ClockKind(models.TextChoices):
    """法定时限 — one clock per limit of 《信访工作条例》 (2022); days are calendar days (日)."""

    ACCEPTANCE = "acceptance", _("受理告知期限")
    COMPLETION = "completion", _("办理期限")
    EXTENSION = "extension", _("延长办理期限")
    REVIEW_REQUEST = "review_request", _("申请复查期限")
    REVIEW = "review", _("复查期限")
    RE_REVIEW_REQUEST = "re_review_request", _("申请复核期限")
    RE_REVIEW = "re_review", _("复核期限")


# The legal basis shown with each clock. The seeds and DOMAIN.md quote the limits, not the article
# numbers, so the rule is named without a number rather than risk citing the wrong article.
LEGAL_BASIS: dict[str, str] = {
    ClockKind.ACCEPTANCE: _("《信访工作条例》（2022）：不能当场答复的，应当自收到信访事项之日起15日内告知信访人是否受理"),
    ClockKind.COMPLETION: _("《信访工作条例》（2022）：信访事项应当自受理之日起60日内办结"),
    ClockKind.EXTENSION: _("《信访工作条例》（2022）：情况复杂的，经批准可以适当延长办理期限，延长期限不得超过30日，"
                           "并告知信访人延期理由"),
    ClockKind.REVIEW_REQUEST: _("《信访工作条例》（2022）：信访人对处理意见不服的，可以自收到书面答复之日起30日内请求复查"),
    ClockKind.REVIEW: _("《信访工作条例》（2022）：收到复查请求的机关应当自收到复查请求之日起30日内提出复查意见"),
    ClockKind.RE_REVIEW_REQUEST: _("《信访工作条例》（2022）：信访人对复查意见不服的，可以自收到书面意见之日起30日内请求复核"),
    ClockKind.RE_REVIEW: _("《信访工作条例》（2022）：收到复核请求的机关应当自收到复核请求之日起30日内提出复核意见"),
}

# The setting that holds each clock's number of days (config/settings.py, env PETITION_*).
CLOCK_SETTINGS: dict[str, str] = {
    ClockKind.ACCEPTANCE: "PETITION_ACCEPT_DAYS",
    ClockKind.COMPLETION: "PETITION_COMPLETE_DAYS",
    ClockKind.EXTENSION: "PETITION_EXTENSION_MAX_DAYS",
    ClockKind.REVIEW_REQUEST: "PETITION_REVIEW_REQUEST_DAYS",
    ClockKind.REVIEW: "PETITION_REVIEW_DAYS",
    ClockKind.RE_REVIEW_REQUEST: "PETITION_REVIEW_REQUEST_DAYS",
    ClockKind.RE_REVIEW: "PETITION_RE_REVIEW_DAYS",
}
CLOCK_DEFAULT_DAYS: dict[str, int] = {
    ClockKind.ACCEPTANCE: 15, ClockKind.COMPLETION: 60, ClockKind.EXTENSION: 30, ClockKind.REVIEW_REQUEST: 30,
    ClockKind.REVIEW: 30, ClockKind.RE_REVIEW_REQUEST: 30, ClockKind.RE_REVIEW: 30,
}


class ClockState(models.TextChoices):
    """A clock runs until the event that stops it; stopped after its due date it is ``missed``.

    ``extended``: the completion clock an approved extension replaced (the extension clock runs on
    from its due date), neither met nor missed yet — the extension clock's end says which.
    """

    RUNNING = "running", _("计时中")
    MET = "met", _("按期")
    MISSED = "missed", _("超期")
    EXTENDED = "extended", _("已延期")
    VOID = "void", _("作废")


class NoticeKind(models.TextChoices):
    """告知书 and 意见书 to the petitioner, and the 转办单 to the unit; issuing one starts or stops clocks."""

    ACCEPTANCE = "acceptance", _("受理告知书")
    NON_ACCEPTANCE = "non_acceptance", _("不予受理告知书")
    EXTENSION = "extension", _("延期告知书")
    ANSWER = "answer", _("答复意见书")
    REVIEW = "review", _("复查意见书")
    RE_REVIEW = "re_review", _("复核意见书")
    TRANSFER = "transfer", _("转办单")


class ReviewLevel(models.TextChoices):
    REVIEW = "review", _("复查")
    RE_REVIEW = "re_review", _("复核")


class ReviewDecision(models.TextChoices):
    """复查/复核结论."""

    UPHELD = "upheld", _("维持原处理意见")
    CHANGED = "changed", _("变更原处理意见")
    REVOKED = "revoked", _("撤销原处理意见，重新办理")


class EventKind(models.TextChoices):
    """What a timeline row is about (the text itself is stored in Chinese)."""

    STEP = "step", _("办理环节")
    NOTICE = "notice", _("文书")
    CLOCK = "clock", _("时限")
    EDIT = "edit", _("修改")
    LINK = "link", _("关联")
    SUPERVISION = "supervision", _("督办")
    RETURN_VISIT = "return_visit", _("回访")
    REFERRAL = "referral", _("上报结果")


class DataAccessPurpose(models.TextChoices):
    """Why a petitioner's personal data was shown unmasked."""

    DETAIL = "detail", _("查看信访件")
    EXPORT = "export", _("导出")
    PRINT = "print", _("打印文书")
    REPEATS = "repeats", _("重复信访比对")


class ReceptionStatus(models.TextChoices):
    PLANNED = "planned", _("已排班")
    HELD = "held", _("已接待")
    CANCELLED = "cancelled", _("已取消")


class DutyStatus(models.TextChoices):
    ON_DUTY = "on_duty", _("值班")
    SIGNED_IN = "signed_in", _("已签到")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺勤")


COLLECTIVE_MIN_PEOPLE = 5  # 五人以上为集体访
MAX_REPRESENTATIVES = 5  # 集体访推选代表不超过 5 人
DEFAULT_CATEGORIES = ["土地房产", "劳动工资", "社会保障", "生态环境", "村务管理", "治安安全", "其他"]
