"""Votes (表决) at meetings and the livelihood projects voted by deputies (民生实事项目票决制)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from presidium.documents.storage import private_storage, safe_suffix
from presidium.votes.choices import (
    MajorityBase,
    ProgressEntryKind,
    ProgressStatus,
    ProjectStatus,
    TallyEntry,
    VoteKind,
    VoteMethod,
    VoteState,
    VoteSubject,
)
from presidium.votes.counting import Figures, Line


class Vote(models.Model):
    """表决 — one vote at a meeting: a resolution or decision (决议、决定), an election's result entered from paper
    (选举结果), or the livelihood projects (民生实事项目票决), one item per matter, candidate or project.

    ``kind`` says how it is counted: a show of hands (举手, one entry) or paper ballots counted by the 计票人 and
    checked by the 监票人 (two entries that must agree). ``majority_base`` says of whom more than half is needed.
    When counting ends the attendance is frozen in ``snapshot`` (应到 / 实到 / 请假 / 缺席 with the names), the
    legal record the minutes and bulletins print, whatever later happens to the roster.
    """

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="votes",
                                 verbose_name=_("乡镇"))
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="votes",
                                verbose_name=_("会议"))
    outcome = models.ForeignKey("meetings.Outcome", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="votes", verbose_name=_("会议成果"))
    subject = models.CharField(_("表决事项类别"), max_length=20, choices=VoteSubject.choices)
    title = models.CharField(_("表决事项"), max_length=200)
    method = models.CharField(_("表决方法"), max_length=30, choices=VoteMethod.choices,
                              default=VoteMethod.YES_NO_ABSTAIN)
    kind = models.CharField(_("表决方式"), max_length=20, choices=VoteKind.choices, default=VoteKind.SHOW_OF_HANDS)
    majority_base = models.CharField(_("通过所需多数"), max_length=20, choices=MajorityBase.choices,
                                     default=MajorityBase.ALL_ENTITLED)
    seats = models.PositiveSmallIntegerField(_("应选名额"), default=1, validators=[MinValueValidator(1)])
    project_year = models.PositiveSmallIntegerField(_("项目年度"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=VoteState.choices, default=VoteState.CREATED)
    # The attendance frozen when counting ends (None before).
    entitled_count = models.PositiveIntegerField(_("应到人数"), null=True, blank=True)
    present_count = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)
    leave_count = models.PositiveIntegerField(_("请假人数"), null=True, blank=True)
    absent_count = models.PositiveIntegerField(_("缺席人数"), null=True, blank=True)
    snapshot = models.JSONField(_("出席情况快照"), default=dict, blank=True)
    # The agreed figures of a paper count, set at publication (and by a correction).
    ballots = models.PositiveIntegerField(_("收回选票"), null=True, blank=True)
    invalid = models.PositiveIntegerField(_("无效票"), null=True, blank=True)
    adopted = models.BooleanField(_("通过"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("最近更正时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("开始表决人"))
    opened_at = models.DateTimeField(_("开始表决时间"), null=True, blank=True)
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("结束计票人"))
    counted_at = models.DateTimeField(_("结束计票时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("公布人"))
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["-meeting__starts_at", "pk"]
        indexes = [models.Index(fields=["township", "state"], name="vote_township_state")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=[s.value for s in VoteState]), name="vote_state_valid"),
            models.CheckConstraint(condition=Q(present_count__isnull=True) | Q(present_count__lte=F("entitled_count")),
                                   name="vote_present_within_entitled"),
            models.CheckConstraint(condition=Q(state__in=[VoteState.CREATED, VoteState.OPEN])
                                   | Q(entitled_count__isnull=False, present_count__isnull=False),
                                   name="vote_counted_has_snapshot"),
            models.CheckConstraint(condition=~Q(subject=VoteSubject.PROJECTS)
                                   | Q(project_year__isnull=False, majority_base=MajorityBase.ALL_ENTITLED,
                                       method=VoteMethod.YES_NO_ABSTAIN),
                                   name="vote_projects_by_all_deputies"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("votes:vote_detail", args=[self.pk])

    @property
    def is_paper(self) -> bool:
        return self.kind == VoteKind.PAPER_BALLOT

    @property
    def is_candidates(self) -> bool:
        return self.method == VoteMethod.CHOOSE_CANDIDATES

    @property
    def entries_needed(self) -> tuple[int, ...]:
        return (TallyEntry.TELLER, TallyEntry.SCRUTINEER) if self.is_paper else (TallyEntry.TELLER,)

    @property
    def base(self) -> int | None:
        """The number of which more than half is needed (from the snapshot; None before counting ends)."""
        if self.majority_base == MajorityBase.PRESENT:
            return self.present_count
        return self.entitled_count


class VoteItem(models.Model):
    """表决事项 — one matter, candidate (候选人) or project (候选项目) of a vote, in ballot order, with its agreed figures."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="items", verbose_name=_("表决"))
    position = models.PositiveSmallIntegerField(_("序号"))
    label = models.CharField(_("名称"), max_length=200)
    project = models.ForeignKey("votes.LivelihoodProject", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="vote_items", verbose_name=_("民生实事项目"))
    yes = models.PositiveIntegerField(_("赞成（得票）"), null=True, blank=True)
    no = models.PositiveIntegerField(_("反对"), null=True, blank=True)
    abstain = models.PositiveIntegerField(_("弃权"), null=True, blank=True)
    adopted = models.BooleanField(_("通过（当选）"), null=True, blank=True)
    undecided = models.BooleanField(_("票数相等待定"), default=False)
    rank = models.PositiveSmallIntegerField(_("排序"), null=True, blank=True)
    tie_broken = models.BooleanField(_("同票按规则排序"), default=False)

    class Meta:
        verbose_name = _("表决事项")
        verbose_name_plural = _("表决事项")
        ordering = ["vote", "position"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "position"], name="vote_item_position_unique"),
            models.UniqueConstraint(fields=["vote", "project"], condition=Q(project__isnull=False),
                                    name="vote_item_project_once"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def line(self) -> Line:
        return Line(self.yes or 0, self.no or 0, self.abstain or 0)


class VoteTally(models.Model):
    """计票录入 — one entry of a count: by a show of hands the only one; on paper the 计票人's (1) and the 监票人's (2).

    Entering an entry again before publication keeps the earlier one (``superseded_at``), so every figure ever
    entered stays readable.
    """

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="tallies", verbose_name=_("表决"))
    entry = models.PositiveSmallIntegerField(_("录入"), choices=TallyEntry.choices)
    teller_name = models.CharField(_("计票人/监票人"), max_length=50)
    ballots = models.PositiveIntegerField(_("收回选票"), null=True, blank=True)
    invalid = models.PositiveIntegerField(_("无效票"), default=0)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("录入人"))
    entered_at = models.DateTimeField(_("录入时间"))
    superseded_at = models.DateTimeField(_("被重新录入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("计票录入")
        verbose_name_plural = _("计票录入")
        ordering = ["vote", "entry", "-entered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "entry"], condition=Q(superseded_at__isnull=True),
                                    name="vote_tally_one_current_per_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.vote} · {self.get_entry_display()}"

    def figures(self) -> Figures:
        return Figures({line.item_id: Line(line.yes, line.no, line.abstain) for line in self.lines.all()},
                       ballots=self.ballots, invalid=self.invalid)


class VoteTallyLine(models.Model):
    """The figures of one item in one entry."""

    tally = models.ForeignKey(VoteTally, on_delete=models.CASCADE, related_name="lines", verbose_name=_("计票录入"))
    item = models.ForeignKey(VoteItem, on_delete=models.CASCADE, related_name="tally_lines", verbose_name=_("表决事项"))
    yes = models.PositiveIntegerField(_("赞成（得票）"), default=0)
    no = models.PositiveIntegerField(_("反对"), default=0)
    abstain = models.PositiveIntegerField(_("弃权"), default=0)

    class Meta:
        verbose_name = _("计票明细")
        verbose_name_plural = _("计票明细")
        constraints = [models.UniqueConstraint(fields=["tally", "item"], name="vote_tally_line_unique")]

    def __str__(self) -> str:
        return f"{self.item} {self.yes}/{self.no}/{self.abstain}"


class VoteCorrection(models.Model):
    """计票更正 — a published count corrected: who, when, why, and the figures before and after (the audit trail)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("表决"))
    reason = models.CharField(_("更正理由"), max_length=300)
    before = models.JSONField(_("更正前"))
    after = models.JSONField(_("更正后"))
    line_before = models.CharField(_("更正前结果"), max_length=2000, blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("更正人"))
    corrected_at = models.DateTimeField(_("更正时间"))

    class Meta:
        verbose_name = _("计票更正")
        verbose_name_plural = _("计票更正")
        ordering = ["vote", "corrected_at", "pk"]

    def __str__(self) -> str:
        return f"{self.vote} · {self.corrected_at:%Y-%m-%d %H:%M}"


class LivelihoodProject(models.Model):
    """民生实事项目 — a candidate project collected before a session, voted on by the deputies (票决), and once
    adopted tracked as a result: status, progress, a dated timeline, the year-end satisfaction vote.

    A project may have parts (子项目, ``parent``): the parent's progress is computed from them (weighted by
    budget, see :mod:`presidium.votes.tracking`); only top-level projects stand on the ballot.
    """

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="livelihood_projects",
                                 verbose_name=_("乡镇"))
    year = models.PositiveSmallIntegerField(_("年度"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="parts",
                               verbose_name=_("所属项目"))
    position = models.PositiveSmallIntegerField(_("候选序号"), default=0)
    title = models.CharField(_("项目名称"), max_length=150)
    description = models.TextField(_("项目内容"), blank=True)
    budget = models.DecimalField(_("预算（万元）"), max_digits=12, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)])
    unit = models.ForeignKey("presidium.HandlingUnit", on_delete=models.PROTECT, related_name="livelihood_projects",
                             verbose_name=_("责任单位"))
    status = models.CharField(_("票决状态"), max_length=20, choices=ProjectStatus.choices,
                              default=ProjectStatus.CANDIDATE)
    vote_rank = models.PositiveSmallIntegerField(_("票决排序"), null=True, blank=True)
    progress_status = models.CharField(_("实施状态"), max_length=20, choices=ProgressStatus.choices,
                                       default=ProgressStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0,
                                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("民生实事项目")
        verbose_name_plural = _("民生实事项目")
        ordering = ["-year", "vote_rank", "position", "pk"]
        indexes = [models.Index(fields=["township", "year", "status"], name="project_township_year_status")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100), name="project_progress_0_100"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in ProjectStatus]),
                                   name="project_status_valid"),
            models.UniqueConstraint(fields=["township", "year", "position"], condition=Q(parent__isnull=True),
                                    name="project_position_unique_in_year"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("votes:project_detail", args=[self.pk])

    @property
    def is_tracked(self) -> bool:
        return self.status == ProjectStatus.ADOPTED


def progress_photo_path(instance, filename: str) -> str:
    return f"votes/projects/{instance.entry.project_id}/{uuid.uuid4().hex}{safe_suffix(filename, '.jpg')}"


class ProgressEntry(models.Model):
    """进度报告 / 视察检查 — a dated line of a project's timeline, with the progress and status it reports."""

    project = models.ForeignKey(LivelihoodProject, on_delete=models.CASCADE, related_name="timeline",
                                verbose_name=_("民生实事项目"))
    kind = models.CharField(_("类型"), max_length=20, choices=ProgressEntryKind.choices,
                            default=ProgressEntryKind.REPORT)
    on = models.DateField(_("日期"))
    text = models.TextField(_("情况"))
    progress = models.PositiveSmallIntegerField(_("完成进度（%）"), null=True, blank=True,
                                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    progress_status = models.CharField(_("实施状态"), max_length=20, choices=ProgressStatus.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("项目进度")
        verbose_name_plural = _("项目进度")
        ordering = ["project", "-on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__isnull=True) | Q(progress__lte=100),
                                   name="progress_entry_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.on}"


class ProgressPhoto(models.Model):
    """A photo of a progress report or inspection, checked and re-encoded by the floor's upload checks."""

    entry = models.ForeignKey(ProgressEntry, on_delete=models.CASCADE, related_name="photos",
                              verbose_name=_("项目进度"))
    file = models.FileField(_("照片"), storage=private_storage, upload_to=progress_photo_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    size_bytes = models.PositiveIntegerField(_("大小（字节）"))

    class Meta:
        verbose_name = _("进度照片")
        verbose_name_plural = _("进度照片")
        ordering = ["entry", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ProjectSatisfaction(models.Model):
    """年终满意度测评 — the deputies' year-end vote on one adopted project: 满意 / 基本满意 / 不满意 counts."""

    project = models.OneToOneField(LivelihoodProject, on_delete=models.CASCADE, related_name="satisfaction",
                                   verbose_name=_("民生实事项目"))
    satisfied = models.PositiveIntegerField(_("满意"), default=0)
    basically = models.PositiveIntegerField(_("基本满意"), default=0)
    unsatisfied = models.PositiveIntegerField(_("不满意"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")

    def __str__(self) -> str:
        return str(self.project)

    @property
    def rate(self) -> int | None:
        from presidium.votes.tracking import satisfaction_rate

        return satisfaction_rate(self.satisfied, self.basically, self.unsatisfied)
