"""Forms of the reception-day screens: the rota rule, editing and cancelling a day, leave and absence."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, DeputyGroup
from deputies.selectors import CURRENT_TERM, serving, term_q
from presidium.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from presidium.models import Township
from presidium.widgets import SearchableSelectMultiple

WEEKDAYS = [(0, _("星期一")), (1, _("星期二")), (2, _("星期三")), (3, _("星期四")), (4, _("星期五")),
            (5, _("星期六")), (6, _("星期日"))]
ROTATION = [("groups", _("代表小组轮流")), ("deputies", _("指定代表轮流"))]
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_dates(text: str) -> tuple[list[dt.date], list[str]]:
    """Dates typed one per line or separated by commas/spaces (2026-12-07, 2026/12/7, 2026年12月7日)."""
    found, bad = [], []
    for token in re.split(r"[\s,，、;；]+", text or ""):
        if not token:
            continue
        match = _DATE.match(token)
        try:
            found.append(dt.date(*(int(x) for x in match.groups())) if match else None)
        except ValueError:
            found.append(None)
        if found[-1] is None:
            found.pop()
            bad.append(token)
    return found, bad


class RotaForm(forms.Form):
    township = BoundedModelChoiceField(label=_("乡镇"), queryset=Township.objects.none())
    start = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("每周接待日"), choices=WEEKDAYS, coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("例如每周一。填写了下面的具体日期时，以具体日期为准。"))
    dates = forms.CharField(
        label=_("具体日期（赶集日等）"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个，或用逗号分隔，例如 2026-12-03, 2026-12-09。"))
    rotation = forms.ChoiceField(label=_("轮值方式"), choices=ROTATION, initial="groups", widget=forms.RadioSelect)
    groups = BoundedModelMultipleChoiceField(
        label=_("轮流值班的代表小组"), queryset=DeputyGroup.objects.none(), required=False,
        widget=SearchableSelectMultiple(),
        help_text=_("按小组的排序依次轮流，每个接待日由一个小组的在任代表值班。"))
    deputies = BoundedModelMultipleChoiceField(
        label=_("轮流值班的代表"), queryset=Deputy.objects.none(), required=False,
        widget=SearchableSelectMultiple(person=True), help_text=_("按姓名拼音依次轮流。"))
    per_day = forms.IntegerField(label=_("每天值班人数"), min_value=1, max_value=20, initial=2, required=False)
    place = forms.CharField(label=_("接待地点"), max_length=100, initial=_("镇人大代表联络站"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        listed = list(townships)
        self.fields["township"].queryset = Township.objects.filter(pk__in=[t.pk for t in listed])
        if len(listed) == 1:
            self.fields["township"].initial = listed[0].pk
            self.fields["township"].widget = forms.HiddenInput()
        ids = [t.pk for t in listed]
        self.fields["groups"].queryset = (DeputyGroup.objects.filter(term_q(CURRENT_TERM), township_id__in=ids)
                                          .order_by("township_id", "sort_order", "name_sort_key", "pk"))
        self.fields["deputies"].queryset = (serving(Deputy.objects.filter(township_id__in=ids))
                                            .order_by("name_pinyin", "pk"))

    def clean_dates(self):
        found, bad = parse_dates(self.cleaned_data.get("dates", ""))
        if bad:
            raise forms.ValidationError(_("看不懂这些日期：%(bad)s（请写成 2026-12-07）。") % {"bad": "、".join(bad[:5])})
        return found

    def clean(self):
        data = super().clean()
        township = data.get("township")
        if township is not None:
            for name in ("groups", "deputies"):
                wrong = [x for x in data.get(name) or [] if x.township_id != township.pk]
                if wrong:
                    self.add_error(name, _("所选的不是该乡镇的。"))
        if data.get("rotation") == "groups":
            data["deputies"] = []
        else:
            data["groups"] = []
        return data


class DayForm(forms.Form):
    place = forms.CharField(label=_("接待地点"), max_length=100)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class AddDutyForm(forms.Form):
    deputy = BoundedModelChoiceField(label=_("添加值班代表"), queryset=Deputy.objects.none(),
                                     empty_label=_("请选择代表"))

    def __init__(self, *args, township, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = (serving(Deputy.objects.filter(township=township))
                                          .exclude(pk__in=list(exclude)).order_by("name_pinyin", "pk"))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class LeaveForm(forms.Form):
    reason = forms.CharField(label=_("请假事由"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class MonthForm(forms.Form):
    month = forms.CharField(label=_("月份"), required=False, widget=forms.DateInput(attrs={"type": "month"}))
    township = BoundedModelChoiceField(label=_("乡镇"), queryset=Township.objects.none(), required=False,
                                       empty_label=_("全部"), widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        listed = list(townships)
        self.fields["township"].queryset = Township.objects.filter(pk__in=[t.pk for t in listed]).order_by("name")
        if len(listed) <= 1:
            del self.fields["township"]

    def clean_month(self):
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        match = re.match(r"^(\d{4})-(\d{1,2})$", value)
        if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
            raise forms.ValidationError(_("月份请写成 2026-12。"))
        return int(match.group(1)), int(match.group(2))
