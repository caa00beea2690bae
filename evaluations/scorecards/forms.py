"""Forms of the county scorecards: each validates input for one service."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.scorecards.choices import Answer, PeriodKind, ReviewState
from evaluations.scorecards.indicators import indicator_choices
from presidium.forms import BoundedModelChoiceField, MultipleFileField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChecklistForm(forms.Form):
    county = BoundedModelChoiceField(label=_("县"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("标题"), max_length=120)
    period_kind = forms.ChoiceField(label=_("周期"), choices=PeriodKind.choices)
    period_start = forms.DateField(label=_("考评期开始"), widget=DATE)
    period_end = forms.DateField(label=_("考评期结束"), widget=DATE)
    responses_due = forms.DateField(label=_("填报截止日期"), widget=DATE)
    plan_working_days = forms.IntegerField(label=_("工作计划报送时限（工作日）"), min_value=0, max_value=30, initial=3,
                                           help_text=_("发布后多少个工作日内报送工作计划（耒阳：3 个工作日）。0 表示不要求。"))

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        if counties.count() <= 1:
            self.fields["county"].widget = forms.HiddenInput()
            self.fields["county"].initial = counties.first()

    def clean(self):
        data = super().clean()
        start, end, due = data.get("period_start"), data.get("period_end"), data.get("responses_due")
        if start and end and end < start:
            self.add_error("period_end", _("结束日期不能早于开始日期。"))
        if start and due and due < start:
            self.add_error("responses_due", _("填报截止日期不能早于考评期开始。"))
        return data


class ItemForm(forms.Form):
    section = forms.CharField(label=_("类别"), max_length=40, required=False,
                              help_text=_("如：基础工作、监督工作、代表工作、自身建设、宣传工作。"))
    position = forms.IntegerField(label=_("序号"), min_value=1, max_value=999, required=False)
    title = forms.CharField(label=_("事项"), max_length=200)
    guidance = forms.CharField(label=_("工作指引"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    points = forms.DecimalField(label=_("分值"), min_value=Decimal("0.5"), max_value=Decimal("100"), decimal_places=1)
    evidence_expected = forms.CharField(label=_("佐证材料要求"), max_length=200, required=False)
    indicator_key = forms.ChoiceField(label=_("平台指标"), required=False)
    target = forms.DecimalField(label=_("指标目标值"), required=False, max_digits=6, decimal_places=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_key"].choices = [("", _("不关联（由乡镇填报）")), *indicator_choices()]


class PlanForm(forms.Form):
    plan = forms.CharField(label=_("工作计划"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("完成情况"), choices=Answer.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    files = MultipleFileField(label=_("佐证材料"), help_text=_("会议记录、照片、台账等；每个事项最多 10 个文件。"))


class ScoreForm(forms.Form):
    score = forms.CharField(label=_("得分"), max_length=8)
    comment = forms.CharField(label=_("评语"), max_length=300, required=False)


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    reopened_until = forms.DateField(label=_("补报截止日期"), widget=DATE, required=False,
                                     help_text=_("已过填报截止日期时必填：乡镇在此日期前可以修改后重新提交。"))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("撤销定稿的原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class ReviewForm(forms.Form):
    state = forms.ChoiceField(label=_("审核"), choices=[c for c in ReviewState.choices if c[0] != ReviewState.PENDING])
    note = forms.CharField(label=_("审核意见"), max_length=300, required=False)
