"""Forms of the working-day calendar screens (every message in Chinese)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from presidium.calendar.choices import DeadlineUnit
from presidium.calendar.models import FIRST_YEAR, LAST_YEAR

DAY_OFF, DAY_WORKING = "off", "work"
DATE_ERRORS = {"required": _("请填写日期。"), "invalid": _("请输入有效的日期，例如 2026-10-08。")}


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages=DATE_ERRORS, **kwargs)


def _check_range(value, field_label: str):
    if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(_("%(label)s须在 %(first)s 年至 %(last)s 年之间。")
                                    % {"label": field_label, "first": FIRST_YEAR, "last": LAST_YEAR})
    return value


class CalendarDayForm(forms.Form):
    """Set one date: a day off (放假) or a working day (上班, e.g. 调休上班), with its name."""

    date = _date_field(_("日期"))
    kind = forms.ChoiceField(
        label=_("安排"), widget=forms.RadioSelect,
        choices=[(DAY_OFF, _("放假（休息日）")), (DAY_WORKING, _("上班（含调休上班）"))],
        error_messages={"required": _("请选择这一天放假还是上班。"), "invalid_choice": _("请选择放假或上班。")},
    )
    name = forms.CharField(
        label=_("名称"), max_length=50, help_text=_("例如“国庆节”“春节调休上班”。"),
        error_messages={"required": _("请填写名称，例如“国庆节”或“春节调休上班”。"),
                        "max_length": _("名称最多 50 个字。")},
    )

    def clean_date(self):
        return _check_range(self.cleaned_data.get("date"), _("日期"))

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    @property
    def is_working_day(self) -> bool:
        return self.cleaned_data["kind"] == DAY_WORKING


class CalendarDayClearForm(forms.Form):
    date = _date_field(_("日期"))


class YearConfirmForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=200, required=False,
                           error_messages={"max_length": _("说明最多 200 个字。")})


class YearReopenForm(forms.Form):
    note = forms.CharField(
        label=_("撤销原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如“国务院办公厅调整了春节放假安排，需重新录入”。"),
        error_messages={"required": _("请说明撤销确认的原因。"), "max_length": _("原因最多 200 个字。")},
    )


class DeadlineForm(forms.Form):
    """The deadline calculator: a start date, an amount and a unit."""

    start = _date_field(_("起算日期"), help_text=_("起算日当天不计入。"))
    amount = forms.IntegerField(
        label=_("期限"), min_value=-3650, max_value=3650, help_text=_("负数表示往前推算。"),
        error_messages={"required": _("请填写期限。"), "invalid": _("期限请填写整数。"),
                        "min_value": _("期限不能少于 -3650。"), "max_value": _("期限不能超过 3650。")},
    )
    unit = forms.ChoiceField(label=_("单位"), choices=DeadlineUnit.choices, initial=DeadlineUnit.WORKING_DAYS,
                             error_messages={"required": _("请选择单位。"), "invalid_choice": _("请选择工作日、自然日或月。")})
    roll_forward = forms.BooleanField(
        label=_("最后一日遇节假日顺延至下一个工作日"), required=False,
        help_text=_("民法典第二百零三条；仅对自然日和月有效。"),
    )

    def clean_start(self):
        return _check_range(self.cleaned_data.get("start"), _("起算日期"))
