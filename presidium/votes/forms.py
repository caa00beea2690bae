"""Forms of the vote and project screens. Counts are whole numbers (an IntegerField refuses 5.5)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.forms import BoundedModelChoiceField, MultipleFileField
from presidium.votes.choices import (
    MajorityBase,
    ProgressEntryKind,
    ProgressStatus,
    VoteKind,
    VoteMethod,
    VoteSubject,
)
from presidium.votes.counting import Line

COUNT = {"min_value": 0, "max_value": 100_000}


class VoteCreateForm(forms.Form):
    title = forms.CharField(label=_("表决事项"), max_length=200,
                            help_text=_("如：关于2026年镇财政预算执行情况的决议"))
    subject = forms.ChoiceField(label=_("类别"), choices=[c for c in VoteSubject.choices
                                                          if c[0] != VoteSubject.PROJECTS])
    method = forms.ChoiceField(label=_("表决方法"), choices=VoteMethod.choices, initial=VoteMethod.YES_NO_ABSTAIN)
    kind = forms.ChoiceField(label=_("表决方式"), choices=VoteKind.choices, initial=VoteKind.SHOW_OF_HANDS,
                             help_text=_("纸质选票由计票人录入、监票人核对录入，两次一致才能公布。"))
    majority_base = forms.ChoiceField(label=_("通过所需多数"), required=False,
                                      choices=[("", _("按会议类型（人代会：全体代表过半数；主席团会议：主席团全体成员过半数）")),
                                               *MajorityBase.choices])
    items = forms.CharField(label=_("候选人"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("从候选人中选择时填写，每行一人。"))
    seats = forms.IntegerField(label=_("应选名额"), min_value=1, max_value=50, initial=1)
    outcome = BoundedModelChoiceField(label=_("对应的会议成果"), queryset=None, required=False,
                                      help_text=_("可选：会议页面已登记的决议、决定。"))

    def __init__(self, *args, outcomes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = outcomes

    def item_labels(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("items", "").splitlines() if line.strip()]


class ProjectVoteForm(forms.Form):
    year = forms.IntegerField(label=_("项目年度"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("表决方式"), choices=VoteKind.choices, initial=VoteKind.PAPER_BALLOT)


class TallyForm(forms.Form):
    """One entry of a count: per item 赞成/反对/弃权 (or 得票), and on paper the ballots returned and invalid."""

    teller_name = forms.CharField(label=_("计票人/监票人姓名"), max_length=50)
    ballots = forms.IntegerField(label=_("收回选票（张）"), required=False, **COUNT)
    invalid = forms.IntegerField(label=_("无效票（张）"), required=False, initial=0, **COUNT)

    def __init__(self, *args, vote, with_teller: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.vote = vote
        self.items = list(vote.items.all())
        if not with_teller:
            del self.fields["teller_name"]
        if not vote.is_paper:
            del self.fields["ballots"], self.fields["invalid"]
        else:
            self.fields["ballots"].required = True
        self.rows = []
        for item in self.items:
            names = ["yes"] if vote.is_candidates else ["yes", "no", "abstain"]
            for name in names:
                label = _("得票") if vote.is_candidates else {"yes": _("赞成"), "no": _("反对"),
                                                              "abstain": _("弃权")}[name]
                self.fields[f"item_{item.pk}_{name}"] = forms.IntegerField(label=f"{item.label} {label}", **COUNT)
            self.rows.append((item, [self[f"item_{item.pk}_{name}"] for name in names]))

    def lines(self) -> dict[int, Line]:
        data = self.cleaned_data
        return {item.pk: Line(data.get(f"item_{item.pk}_yes") or 0, data.get(f"item_{item.pk}_no") or 0,
                              data.get(f"item_{item.pk}_abstain") or 0) for item in self.items}


class CorrectionForm(TallyForm):
    reason = forms.CharField(label=_("更正理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, with_teller=False, **kwargs)


class ProjectForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("项目名称"), max_length=150)
    description = forms.CharField(label=_("项目内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    budget = forms.DecimalField(label=_("预算（万元）"), required=False, min_value=0, max_digits=12, decimal_places=2)
    unit = BoundedModelChoiceField(label=_("责任单位"), queryset=None)
    parent = BoundedModelChoiceField(label=_("所属项目"), queryset=None, required=False,
                                     help_text=_("登记子项目时选择；父项目的进度按子项目预算加权计算。"))

    def __init__(self, *args, units, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["parent"].queryset = parents
        self.fields["year"].initial = timezone.localdate().year


class ProgressForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ProgressEntryKind.choices)
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 3}))
    progress = forms.IntegerField(label=_("完成进度（%）"), required=False, min_value=0, max_value=100)
    progress_status = forms.ChoiceField(label=_("实施状态"), required=False,
                                        choices=[("", _("不变")), *ProgressStatus.choices])
    photos = MultipleFileField(label=_("照片"), accept="image/*")

    def __init__(self, *args, has_parts: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        if has_parts:
            del self.fields["progress"], self.fields["progress_status"]


class SatisfactionForm(forms.Form):
    satisfied = forms.IntegerField(label=_("满意"), **COUNT)
    basically = forms.IntegerField(label=_("基本满意"), **COUNT)
    unsatisfied = forms.IntegerField(label=_("不满意"), **COUNT)
