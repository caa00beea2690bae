"""Forms of the change-of-term steps; each feeds one service."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.forms import BoundedModelMultipleChoiceField
from presidium.terms.services import DEFAULT_REASON


class OpenNextTermForm(forms.Form):
    start_date = forms.DateField(label=_("新一届起始日期"), widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("一般为新一届人民代表大会第一次会议召开之日。"))
    end_date = forms.DateField(label=_("届满日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("不填则按五年计算。"))


class DeputyChoiceForm(forms.Form):
    deputies = BoundedModelMultipleChoiceField(label=_("代表"), queryset=None, widget=forms.CheckboxSelectMultiple,
                                               error_messages={"required": _("请至少选择一名代表。")})

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = candidates


class NotReelectedForm(DeputyChoiceForm):
    effective_on = forms.DateField(label=_("任期届满日期"), widget=forms.DateInput(attrs={"type": "date"}),
                                   initial=timezone.localdate)
    reason = forms.CharField(label=_("说明"), max_length=300, initial=DEFAULT_REASON)


class CarryOverForm(DeputyChoiceForm):
    elected_on = forms.DateField(label=_("当选日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
