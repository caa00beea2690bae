"""Choices of votes and livelihood projects. TextChoices only: never bare strings in code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VoteSubject(models.TextChoices):
    """What is voted on (表决事项的类别)."""

    RESOLUTION = "resolution", _("决议")
    DECISION = "decision", _("决定")
    ELECTION = "election", _("选举结果")
    PROJECTS = "projects", _("民生实事项目票决")


class VoteMethod(models.TextChoices):
    """How each item is answered: 赞成/反对/弃权, or a choice among candidates (得票数)."""

    YES_NO_ABSTAIN = "yes_no_abstain", _("赞成/反对/弃权")
    CHOOSE_CANDIDATES = "choose_candidates", _("从候选人中选择")


class VoteKind(models.TextChoices):
    """举手表决 (one entry) or 无记名投票 counted by the 计票人 and checked by the 监票人 (two entries)."""

    SHOW_OF_HANDS = "show_of_hands", _("举手表决")
    PAPER_BALLOT = "paper_ballot", _("纸质选票")


class MajorityBase(models.TextChoices):
    """The base of the majority: more than half of whom."""

    ALL_ENTITLED = "all_entitled", _("全体代表过半数")
    PRESENT = "present", _("出席人数过半数")
    PRESIDIUM_MEMBERS = "presidium_members", _("主席团全体成员过半数")


class VoteState(models.TextChoices):
    """created → open → counted → published (presidium.votes.lifecycle holds the one table)."""

    CREATED = "created", _("已创建")
    OPEN = "open", _("表决中")
    COUNTED = "counted", _("已计票")
    PUBLISHED = "published", _("已公布")


class VoteAction(models.TextChoices):
    OPEN = "open", _("开始表决")
    COUNT = "count", _("结束计票")
    PUBLISH = "publish", _("公布结果")
    REOPEN = "reopen", _("退回表决")


class TallyEntry(models.IntegerChoices):
    """Which of the two entries of a paper count: the 计票人's, then the 监票人's check."""

    TELLER = 1, _("计票人录入")
    SCRUTINEER = 2, _("监票人核对录入")


class ProjectStatus(models.TextChoices):
    """The stage of a livelihood project (民生实事项目)."""

    CANDIDATE = "candidate", _("候选")
    ADOPTED = "adopted", _("已票决通过")
    NOT_ADOPTED = "not_adopted", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class ProgressStatus(models.TextChoices):
    """How an adopted project is going (实施状态)."""

    NOT_STARTED = "not_started", _("未开工")
    IN_PROGRESS = "in_progress", _("实施中")
    DONE = "done", _("已完成")
    DELAYED = "delayed", _("滞后")


class ProgressEntryKind(models.TextChoices):
    REPORT = "report", _("进度报告")
    INSPECTION = "inspection", _("视察检查")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
