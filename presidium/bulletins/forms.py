"""Forms of the bulletins screens; each is validated, then one service is called."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from presidium.bulletins.models import BulletinSeries
from presidium.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from presidium.widgets import SearchableSelectMultiple

SERIES_FIELDS = ["kind", "masthead", "masthead_latin", "compiling_body", "first_overall_number", "number_in_chinese",
                 "overall_in_chinese", "responsible_editor", "contact", "approval_number", "is_active"]


class SeriesForm(forms.ModelForm):
    """A series' masthead and numbering; on creation also the township (or the county for a county series)."""

    township = BoundedModelChoiceField(label=_("乡镇"), queryset=None, required=False,
                                      help_text=_("不选乡镇即为县级简报（仅县级管理员）。"))

    class Meta:
        model = BulletinSeries
        fields = ["township", *SERIES_FIELDS]

    def __init__(self, *args, townships=None, county_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if townships is not None:
            self.fields["township"].queryset = townships
            self.fields["township"].required = not county_allowed
            if not county_allowed:
                self.fields["township"].help_text = ""
        else:
            del self.fields["township"]


class IssueCreateForm(forms.Form):
    issue_date = forms.DateField(label=_("印发日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    responsible_editor = forms.CharField(label=_("责任编辑"), max_length=60, required=False,
                                         help_text=_("不填则用本系列的默认责任编辑。"))


class IssueEditForm(forms.Form):
    issue_date = forms.DateField(label=_("印发日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=_("期号按印发日期所在年份编排。"))
    responsible_editor = forms.CharField(label=_("责任编辑"), max_length=60, required=False)
    report_to = forms.CharField(label=_("报"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                help_text=_("报送的上级机关，多个用顿号“、”隔开。"))
    units = BoundedModelMultipleChoiceField(label=_("送：本乡镇单位"), queryset=None, required=False,
                                           widget=SearchableSelectMultiple())
    send_to = forms.CharField(label=_("送：其他"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("多个用顿号“、”隔开。"))
    to_all_deputies = forms.BooleanField(label=_("发：全体人大代表"), required=False,
                                         help_text=_("印发后通知本乡镇全体在任代表。"))
    deputies = BoundedModelMultipleChoiceField(label=_("发：指定代表"), queryset=None, required=False,
                                              widget=SearchableSelectMultiple(person=True),
                                              help_text=_("未勾选“全体人大代表”时，只通知这些代表。"))
    issue_to = forms.CharField(label=_("发：其他"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["deputies"].queryset = deputies


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("每行一段。可用的格式：段落、加粗、列表、小标题（h3/h4）和简单表格；其他 HTML 会被清除。"))
    source = forms.CharField(label=_("供稿"), max_length=80, required=False,
                             help_text=_("印在文末括号中：（供稿：镇人大办）。"))


class SignOffForm(forms.Form):
    number = forms.IntegerField(label=_("期号"), min_value=1,
                                help_text=_("默认为下一期；可改为更大的期号（跳过的期号会留档），不能用已用过的期号。"))
    skip_reason = forms.CharField(label=_("跳号原因"), max_length=200, required=False,
                                  help_text=_("改用更大的期号时必填。"))


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("作废原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}))
