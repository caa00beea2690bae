"""Forms of the meeting screens: scheduling and editing, cancelling, inviting, agenda, documents, outcomes, leave."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.choices import DeputyStatus
from deputies.models import Deputy, DeputyGroup
from presidium.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField, MultipleFileField
from presidium.meetings.choices import InvitationRole, MeetingKind, OutcomeKind
from presidium.meetings.services import Attendee
from presidium.models import HandlingUnit, Township
from presidium.widgets import SearchableSelectMultiple

DATE = {"type": "date"}
TIME = {"type": "time"}


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def parse_attendees(text: str) -> list[Attendee]:
    """列席人员, one a line: "姓名 单位职务" (the first space or comma separates them)."""
    people = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        for separator in (" ", "　", "，", ",", "、"):
            if separator in line:
                name, post = line.split(separator, 1)
                break
        else:
            name, post = line, ""
        people.append(Attendee(name=name.strip()[:50], post=post.strip()[:100]))
    return people


class TimesMixin:
    """Date, start and end time, and an end date for a meeting over several days."""

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            end_day = data.get("end_date") or day
            data["starts_at"], data["ends_at"] = _aware(day, start), _aware(end_day, end)
            if data["ends_at"] < data["starts_at"]:
                self.add_error("end_time", _("结束时间不能早于开始时间。"))
        return data


class MeetingForm(TimesMixin, forms.Form):
    township = BoundedModelChoiceField(label=_("乡镇"), queryset=Township.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=MeetingKind.choices, initial=MeetingKind.PRESIDIUM_MEETING)
    title = forms.CharField(label=_("名称"), max_length=150, required=False,
                            help_text=_("人代会的名称按届次和次数自动生成；其他不填则按日期和类型生成。"))
    session_number = forms.IntegerField(label=_("人代会次数（第几次会议）"), min_value=1, max_value=30, required=False,
                                        help_text=_("只用于人代会；不填则接着本届上一次会议编号。"))
    group = BoundedModelChoiceField(label=_("代表小组"), queryset=DeputyGroup.objects.none(), required=False,
                                    help_text=_("代表小组活动必选；该小组的在任代表自动列入参会名单。"))
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs=DATE))
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs=TIME), initial=dt.time(9, 0))
    end_date = forms.DateField(label=_("结束日期（跨天时填写）"), required=False, widget=forms.DateInput(attrs=DATE))
    end_time = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(attrs=TIME), initial=dt.time(11, 30))
    place = forms.CharField(label=_("地点"), max_length=120)
    organiser = forms.CharField(label=_("组织者"), max_length=80, required=False)
    agenda = forms.CharField(label=_("议程（议题）"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("每行一项。需要说明的，在议题后加“｜”再写说明。"))
    invite_body = forms.BooleanField(label=_("自动邀请应参加的人员"), required=False, initial=True,
                                     help_text=_("人代会：全体在任乡镇人大代表；主席团会议：本届在任主席团成员；"
                                                 "代表小组活动：小组的在任代表。"))
    deputies = BoundedModelMultipleChoiceField(
        label=_("另外邀请的代表"), queryset=Deputy.objects.none(), required=False,
        widget=SearchableSelectMultiple(person=True),
        help_text=_("视察、调研等活动在这里选择参加的代表；主席团会议上的其他代表为列席。"))
    attendees = forms.CharField(label=_("列席人员"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("每行一人：姓名 单位职务，例如“王明 镇政府副镇长”。"))
    open_to_deputies = forms.BooleanField(label=_("本乡镇代表均可查看"), required=False,
                                          help_text=_("人代会默认公开；勾选后未受邀的代表也能看到。"))
    note = forms.CharField(label=_("内容说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        listed = list(townships)
        ids = [t.pk for t in listed]
        self.fields["township"].queryset = Township.objects.filter(pk__in=ids)
        if len(listed) == 1:
            self.fields["township"].initial = listed[0].pk
            self.fields["township"].widget = forms.HiddenInput()
        self.fields["group"].queryset = (DeputyGroup.objects.filter(township_id__in=ids)
                                         .order_by("township_id", "sort_order", "name_sort_key", "pk"))
        self.fields["deputies"].queryset = (Deputy.objects.filter(township_id__in=ids, status=DeputyStatus.SERVING)
                                            .order_by("name_pinyin", "pk"))

    def clean_attendees(self):
        return parse_attendees(self.cleaned_data.get("attendees", ""))

    def clean_agenda(self):
        return [line for line in (self.cleaned_data.get("agenda") or "").splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        township = data.get("township")
        for name in ("group",):
            value = data.get(name)
            if value is not None and township is not None and value.township_id != township.pk:
                self.add_error(name, _("所选代表小组不属于该乡镇。"))
        if data.get("kind") == MeetingKind.GROUP_ACTIVITY and not data.get("group"):
            self.add_error("group", _("代表小组活动请选择代表小组。"))
        return data


class MeetingEditForm(TimesMixin, forms.Form):
    title = forms.CharField(label=_("名称"), max_length=150)
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs=DATE))
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs=TIME))
    end_date = forms.DateField(label=_("结束日期（跨天时填写）"), required=False, widget=forms.DateInput(attrs=DATE))
    end_time = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(attrs=TIME))
    place = forms.CharField(label=_("地点"), max_length=120)
    organiser = forms.CharField(label=_("组织者"), max_length=80, required=False)
    open_to_deputies = forms.BooleanField(label=_("本乡镇代表均可查看"), required=False)
    note = forms.CharField(label=_("内容说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @staticmethod
    def initial_for(meeting) -> dict:
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {"title": meeting.title, "date": start.date(), "start_time": start.time(),
                "end_date": end.date() if end.date() != start.date() else None, "end_time": end.time(),
                "place": meeting.place, "organiser": meeting.organiser, "open_to_deputies": meeting.open_to_deputies,
                "note": meeting.note}


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, help_text=_("会通知全部参会人员。"))


class LeaveForm(forms.Form):
    reason = forms.CharField(label=_("请假事由"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class AgendaForm(forms.Form):
    agenda = forms.CharField(label=_("议程（议题）"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
                             help_text=_("每行一项。需要说明的，在议题后加“｜”再写说明。"))

    def clean_agenda(self):
        return [line for line in (self.cleaned_data.get("agenda") or "").splitlines() if line.strip()]


class InviteForm(forms.Form):
    deputy = BoundedModelChoiceField(label=_("代表"), queryset=Deputy.objects.none(), required=False)
    name = forms.CharField(label=_("或填写姓名（非代表）"), max_length=50, required=False)
    post = forms.CharField(label=_("单位职务"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("身份"), choices=InvitationRole.choices, initial=InvitationRole.MEMBER)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        listed = meeting.invitations.exclude(deputy=None).values("deputy_id")
        self.fields["deputy"].queryset = (Deputy.objects.filter(township=meeting.township, status=DeputyStatus.SERVING)
                                          .exclude(pk__in=listed).order_by("name_pinyin", "pk"))

    def clean(self):
        data = super().clean()
        if not data.get("deputy") and not (data.get("name") or "").strip():
            raise forms.ValidationError(_("请选择代表或填写姓名。"))
        return data


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("材料名称"), max_length=150, required=False,
                            help_text=_("只上传一个文件时可填写；不填则显示文件名。"))
    files = MultipleFileField(label=_("文件"), help_text=_("PDF、Word、Excel、图片等，可一次选择多个。"))


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=OutcomeKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    text = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k.value, k.label) for k in kinds]


class OutcomeEditForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    text = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 8}))


class _UnitForm(forms.Form):
    unit = BoundedModelChoiceField(label=_("单位"), queryset=HandlingUnit.objects.none())

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(township=township, is_active=True).order_by(
            "kind", "name")


class SendForm(_UnitForm):
    sent_on = forms.DateField(label=_("送交日期"), widget=forms.DateInput(attrs=DATE))
    due_on = forms.DateField(label=_("答复期限"), widget=forms.DateInput(attrs=DATE),
                             help_text=_("到期未答复的，每周提醒人大办一次，直到登记答复。"))


class AnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("答复日期"), widget=forms.DateInput(attrs=DATE))
    answer = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 6}))


class RectificationForm(_UnitForm):
    due_on = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs=DATE))


class RectifiedForm(forms.Form):
    rectified_on = forms.DateField(label=_("整改完成日期"), widget=forms.DateInput(attrs=DATE))


class MonthForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    month = forms.IntegerField(min_value=1, max_value=12)
