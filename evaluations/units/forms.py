"""Forms of the evaluation of units (labels in Chinese; the services check the rules)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.units.choices import Grade, Method, PeriodKind, RectificationStage, SchemeKind, ScoringMethod
from presidium.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField, MultipleFileField
from presidium.widgets import SearchableSelectMultiple


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=120)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    period_kind = forms.ChoiceField(label=_("评议周期"), choices=PeriodKind.choices)
    scheme_kind = forms.ChoiceField(label=_("评分方式"), choices=SchemeKind.choices)
    methods = forms.MultipleChoiceField(label=_("评议方式"), choices=Method.choices,
                                        widget=forms.CheckboxSelectMultiple, required=False)
    units = BoundedModelMultipleChoiceField(label=_("被评议单位"), queryset=None, widget=SearchableSelectMultiple,
                                           help_text=_("默认已选上年排名末位或测评不满意的单位（再次评议）。"))
    min_ballots = forms.IntegerField(label=_("公布结果所需最少票数"), min_value=1, initial=5)
    unsatisfied_threshold = forms.DecimalField(label=_("不满意率整改线（%）"), min_value=0, max_value=100,
                                               initial=Decimal("20"))
    title_top_n = forms.IntegerField(label=_("“群众信得过单位”名额"), min_value=0, initial=5)
    praise_top_n = forms.IntegerField(label=_("表扬通报名额"), min_value=0, initial=3)
    criticism_bottom_n = forms.IntegerField(label=_("批评通报名额"), min_value=0, initial=2)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["year"].initial = timezone.localdate().year


class IndicatorForm(forms.Form):
    parent = BoundedModelChoiceField(label=_("上级指标"), queryset=None, required=False)
    title = forms.CharField(label=_("指标"), max_length=120)
    max_points = forms.DecimalField(label=_("满分"), min_value=0, max_digits=7, decimal_places=2)
    weight = forms.DecimalField(label=_("权重"), min_value=0, max_digits=5, decimal_places=2, initial=Decimal("1"))
    method = forms.ChoiceField(label=_("计分方法"), choices=ScoringMethod.choices)
    per_occurrence = forms.DecimalField(label=_("每次扣分"), required=False, min_value=0, max_digits=7,
                                        decimal_places=2)
    floor = forms.DecimalField(label=_("最低得分"), required=False, min_value=0, max_digits=7, decimal_places=2)
    rank_points = forms.CharField(label=_("各名次得分"), required=False, max_length=200,
                                  help_text=_("按名次依次填写，用逗号分隔，例如 60,57,54。"))
    target = forms.DecimalField(label=_("达标值"), required=False, max_digits=7, decimal_places=2)

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = campaign.indicators.all()


class WindowForm(forms.Form):
    opens_on = forms.DateField(label=_("投票开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("投票截止日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            raise forms.ValidationError(_("截止日期不能早于开始日期。"))
        return data


class DeductionForm(forms.Form):
    unit = BoundedModelChoiceField(label=_("单位"), queryset=None)
    points = forms.DecimalField(label=_("扣分"), min_value=Decimal("0.01"), max_digits=7, decimal_places=2)
    reason = forms.CharField(label=_("扣分理由"), max_length=300)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class GradeBallotForm(forms.Form):
    """The three-grade ballot: one choice per unit not yet voted for."""

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        for unit in units:
            self.fields[f"u{unit.pk}"] = forms.ChoiceField(label=unit.name, choices=Grade.choices,
                                                           widget=forms.RadioSelect)
        self.units = list(units)

    def votes(self) -> dict:
        return {unit: self.cleaned_data[f"u{unit.pk}"] for unit in self.units}


class IndicatorBallotForm(forms.Form):
    """One unit's ballot: a value for each leaf indicator."""

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            help_text = {
                ScoringMethod.DEDUCTION: _("填写发现问题的次数"),
                ScoringMethod.TARGET: _("达标值 %(t)s") % {"t": indicator.target},
            }.get(indicator.method, _("满分 %(m)s 分") % {"m": indicator.max_points})
            self.fields[f"i{indicator.pk}"] = forms.DecimalField(
                label=indicator.title, min_value=0, max_digits=7, decimal_places=2, help_text=help_text,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}))

    def votes(self) -> dict:
        return {indicator: self.cleaned_data[f"i{indicator.pk}"] for indicator in self.indicators}


class RectificationForm(forms.Form):
    unit = BoundedModelChoiceField(label=_("单位"), queryset=None)
    stage = forms.ChoiceField(label=_("整改阶段"), choices=RectificationStage.choices)
    title = forms.CharField(label=_("整改事项"), max_length=200)
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner = forms.CharField(label=_("责任人"), max_length=50)
    due_on = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class RectificationDoneForm(forms.Form):
    note = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("佐证材料"), required=False,
                              help_text=_("照片、PDF、Word 等，每次最多 10 个。"))


class RectificationCheckForm(forms.Form):
    confirmed = forms.TypedChoiceField(label=_("回头看结论"), coerce=lambda v: v == "yes",
                                       choices=[("yes", _("整改到位，确认")), ("no", _("未整改到位，退回"))],
                                       widget=forms.RadioSelect)
    note = forms.CharField(label=_("回头看意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
