"""Choices of the evaluation of units (TextChoices, never bare strings)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    """评议周期."""

    QUARTERLY = "quarterly", _("按季度评议（半年、年终累计）")
    ANNUAL = "annual", _("年度一次评议")


class Method(models.TextChoices):
    """评议方式."""

    INSPECTION = "inspection", _("视察")
    UNANNOUNCED = "unannounced", _("暗访")
    QUESTIONNAIRE = "questionnaire", _("问卷")
    PHONE = "phone", _("电话调查")


class SchemeKind(models.TextChoices):
    """评分方式: a tree of indicators, or the three-grade ballot."""

    INDICATORS = "indicators", _("指标评分")
    GRADES = "grades", _("满意度测评（满意／基本满意／不满意）")


class RoundState(models.TextChoices):
    DRAFT = "draft", _("未开始")
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已截止")
    PUBLISHED = "published", _("已公布")


class ScoringMethod(models.TextChoices):
    """计分方法 of one indicator."""

    DIRECT = "direct", _("直接打分")
    DEDUCTION = "deduction", _("按次扣分（设下限）")
    RANK = "rank", _("按名次计分")
    RATIO = "ratio", _("与最高单位的比值")
    TARGET = "target", _("达标计分")


class Grade(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class DeductionSource(models.TextChoices):
    """扣分来源."""

    COMPLAINT = "complaint", _("群众投诉属实")
    LATE_REPLY = "late_reply", _("代表建议逾期答复")
    UNSATISFIED_REPLY = "unsatisfied_reply", _("代表建议评价不满意")
    MANUAL = "manual", _("人工扣分")


COMPUTED_SOURCES = (DeductionSource.COMPLAINT, DeductionSource.LATE_REPLY, DeductionSource.UNSATISFIED_REPLY)


class Tier(models.TextChoices):
    """好、中、差 — which follow-up inspection a unit gets."""

    GOOD = "good", _("好")
    MIDDLE = "middle", _("中")
    POOR = "poor", _("差")


class RectificationStage(models.TextChoices):
    """整改阶段."""

    IMMEDIATE = "immediate", _("即知即改")
    NEAR = "near", _("近期整改")
    WITHIN_YEAR = "within_year", _("年内整改")
    LONG_TERM = "long_term", _("长期坚持")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    DONE = "done", _("已整改")
    CHECKED = "checked", _("回头看已确认")
