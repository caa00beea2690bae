"""Forms of the petitions staff screens. They validate input in Chinese; the services check the rules and write."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from deputies.pii import validate_id_number
from deputies.selectors import serving
from petitions.access import normalize_mobile
from petitions.choices import (
    COLLECTIVE_MIN_PEOPLE,
    MAX_REPRESENTATIVES,
    Channel,
    FeedbackResult,
    Findings,
    Resolution,
    ReturnVisitMethod,
    ReviewDecision,
    Urgency,
)
from petitions.models import Category, ReceptionDay
from presidium.forms import BoundedModelChoiceField, MultipleFileField
from presidium.models import HandlingUnit, RoleAssignment, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = {"rows": 4}

# Which register fields belong to which channel (the rest are shown for every channel). The page hides the
# others (static/js/petitions.js) and the form drops what does not belong to the chosen channel.
CHANNEL_FIELDS: dict[str, list[str]] = {
    "referral_body": [Channel.REFERRED],
    "referral_number": [Channel.REFERRED],
    "reception_day": [Channel.VISIT],
    "raised_by_deputy": [Channel.DEPUTY],
}
PETITIONER_FIELDS = ("name", "mobile", "id_number", "address")
_REGISTRATION = re.compile(r"^\D*(\d{4})\D+(\d{1,6})\D*$")


def clean_mobile(value: str) -> str:
    if not value:
        return ""
    digits = normalize_mobile(value)
    if not 7 <= len(digits) <= 12:
        raise ValidationError(_("联系电话应为 11 位手机号码或带区号的固定电话号码。"))
    return digits


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("起始日期"), widget=DATE)
    end = forms.DateField(label=_("截止日期"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError(_("起始日期不能晚于截止日期。"))
        return data


class PetitionRegisterForm(forms.Form):
    """登记: one form for every channel; the fields of other channels are hidden on the page and ignored here."""

    channel = forms.ChoiceField(label=_("信访渠道"), choices=[c for c in Channel.choices if c[0] != Channel.ONLINE])
    received_on = forms.DateField(label=_("收到日期"), widget=DATE)
    referral_body = forms.CharField(label=_("转办机关"), max_length=100, required=False,
                                    help_text=_("上级转办的，写明转办机关，例如“县信访局”。"))
    referral_number = forms.CharField(label=_("转办文号"), max_length=60, required=False)
    reception_day = BoundedModelChoiceField(label=_("接待日"), queryset=ReceptionDay.objects.none(), required=False,
                                            help_text=_("在接待日来访的，选择当天的接待日。"))
    raised_by_deputy = BoundedModelChoiceField(label=_("代言代表"), queryset=Deputy.objects.none(), required=False)
    anonymous = forms.BooleanField(label=_("匿名"), required=False,
                                   help_text=_("信访人不愿留下姓名和联系方式的，勾选匿名。"))
    name = forms.CharField(label=_("信访人姓名"), max_length=50, required=False)
    mobile = forms.CharField(label=_("联系电话"), max_length=20, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    id_number = forms.CharField(label=_("身份证号码"), max_length=30, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}),
                                help_text=_("选填；填写的按国家标准校验。"))
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    village = forms.CharField(label=_("所在村（社区）"), max_length=50, required=False)
    people_count = forms.IntegerField(label=_("人数"), min_value=1, max_value=9999, initial=1,
                                      help_text=_("来访（联名）人数；五人以上为集体访。"))
    is_collective = forms.BooleanField(label=_("集体访（五人以上，同一诉求）"), required=False)
    subject = forms.CharField(label=_("信访事项"), max_length=200,
                              widget=forms.TextInput(attrs={"placeholder": _("例如：东风村三组宅基地界址纠纷")}))
    content = forms.CharField(label=_("主要诉求和事实"), widget=forms.Textarea(attrs={"rows": 5}))
    category = BoundedModelChoiceField(label=_("类别"), queryset=Category.objects.none(), required=False)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    attachments = MultipleFileField(label=_("附件"), help_text=_("可选：来信扫描件、信访人提供的材料（PDF、Word、图片）。"))
    repeat_of = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.township = township
        self.fields["category"].queryset = Category.objects.filter(township=township, is_active=True)
        self.fields["raised_by_deputy"].queryset = serving(Deputy.objects.filter(township=township)).order_by(
            "name_pinyin", "name")
        today = timezone.localdate()
        recent = list(ReceptionDay.objects.filter(township=township, date__lte=today).order_by("-date")
                      .values_list("pk", flat=True)[:20])
        self.fields["reception_day"].queryset = ReceptionDay.objects.filter(pk__in=recent).order_by("-date")
        self.fields["received_on"].initial = today

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError(_("收到日期不能晚于今天。"))
        return value

    def clean_mobile(self):
        return clean_mobile(self.cleaned_data.get("mobile", ""))

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "")
        return validate_id_number(value) if value.strip() else ""

    def clean(self):
        data = super().clean()
        channel = data.get("channel") or getattr(self, "fixed_channel", None)
        for name, channels in CHANNEL_FIELDS.items():
            if channel not in channels:
                data[name] = None if name in ("reception_day", "raised_by_deputy") else ""
                self.errors.pop(name, None)
        if channel == Channel.REFERRED and not data.get("referral_body"):
            self.add_error("referral_body", _("上级转办的，请写明转办机关。"))
        if channel == Channel.DEPUTY and not data.get("raised_by_deputy"):
            self.add_error("raised_by_deputy", _("代表代言的，请选择代言代表。"))
        if data.get("anonymous"):
            for name in PETITIONER_FIELDS:
                data[name] = ""
                self.errors.pop(name, None)
        elif not data.get("name") and "name" not in self.errors:
            self.add_error("name", _("请填写信访人姓名；不愿留名的，请勾选“匿名”。"))
        if "people_count" not in self.fields:
            return data
        people = data.get("people_count") or 1
        if data.get("is_collective") and people < COLLECTIVE_MIN_PEOPLE:
            self.add_error("people_count", _("集体访是五人以上的来访，请填写实际人数（至少 %(n)s 人）。") % {
                "n": COLLECTIVE_MIN_PEOPLE})
        data["is_collective"] = people >= COLLECTIVE_MIN_PEOPLE
        return data


class PetitionEditForm(PetitionRegisterForm):
    """修改登记内容 while the case is still registered: the channel, the people and the files stay as registered."""

    def __init__(self, *args, petition, **kwargs):
        super().__init__(*args, township=petition.township, **kwargs)
        self.fixed_channel = petition.channel
        for name in ("channel", "people_count", "is_collective", "attachments", "repeat_of"):
            del self.fields[name]
        for name, channels in CHANNEL_FIELDS.items():
            if petition.channel not in channels:
                del self.fields[name]
        if "reception_day" in self.fields and petition.reception_day_id:
            self.fields["reception_day"].queryset = ReceptionDay.objects.filter(
                township=petition.township, date__lte=timezone.localdate()).order_by("-date")


class RepresentativeForm(forms.Form):
    name = forms.CharField(label=_("代表姓名"), max_length=50, required=False)
    mobile = forms.CharField(label=_("联系电话"), max_length=20, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))

    def clean_mobile(self):
        return clean_mobile(self.cleaned_data.get("mobile", ""))

    def clean(self):
        data = super().clean()
        if data.get("mobile") and not data.get("name"):
            self.add_error("name", _("请填写这位代表的姓名。"))
        return data


class BaseRepresentativeFormSet(forms.BaseFormSet):
    def representatives(self) -> list[dict]:
        return [{"name": f.cleaned_data["name"], "mobile": f.cleaned_data.get("mobile", "")}
                for f in self.forms if f.cleaned_data.get("name")]


RepresentativeFormSet = forms.formset_factory(RepresentativeForm, formset=BaseRepresentativeFormSet,
                                              extra=MAX_REPRESENTATIVES, max_num=MAX_REPRESENTATIVES,
                                              validate_max=True, absolute_max=MAX_REPRESENTATIVES)


# --- the steps ---------------------------------------------------------------------------------------


def _today_field(label):
    return forms.DateField(label=label, widget=DATE, initial=timezone.localdate)


class AcceptForm(forms.Form):
    on = _today_field(_("受理日期"))
    category = BoundedModelChoiceField(label=_("类别"), queryset=Category.objects.none(), required=False,
                                       help_text=_("登记时类别不准的，可以在这里改正。"))

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(township=township, is_active=True)


class RejectForm(forms.Form):
    on = _today_field(_("告知日期"))
    reason = forms.CharField(label=_("不予受理的理由"), widget=forms.Textarea(attrs=TEXT),
                             help_text=_("写入不予受理告知书，信访人会看到，请写明依据和可选择的其他途径。"))


class AnswerOnSpotForm(forms.Form):
    answer = forms.CharField(label=_("当场答复内容"), widget=forms.Textarea(attrs=TEXT))


class TransferForm(forms.Form):
    unit = BoundedModelChoiceField(label=_("承办单位"), queryset=HandlingUnit.objects.none())
    owner_name = forms.CharField(label=_("责任人"), max_length=50, help_text=_("承办单位的具体责任人。"))
    owner_user = BoundedModelChoiceField(label=_("责任人账号"), queryset=User.objects.none(), required=False,
                                         help_text=_("责任人有平台账号的，选择后会收到通知。"))
    due_on = forms.DateField(label=_("办结期限"), widget=DATE)
    note = forms.CharField(label=_("转办意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, township, latest_due=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # An overdue case (its statutory limit already passed) is still transferred: the unit gets today, no later.
        self.overdue = latest_due is not None and latest_due < today
        self.latest_due = max(latest_due, today) if latest_due else None
        self.fields["unit"].queryset = HandlingUnit.objects.filter(township=township, is_active=True).order_by(
            "kind", "name")
        self.fields["owner_user"].queryset = User.objects.filter(
            is_active=True, role_assignments__handling_unit__township=township).distinct().order_by("real_name")
        units_of: dict[int, list[str]] = {}
        for user_id, unit_name in RoleAssignment.objects.filter(
                handling_unit__township=township, user__is_active=True).order_by(
                "handling_unit__name").values_list("user_id", "handling_unit__name"):
            units_of.setdefault(user_id, []).append(unit_name)
        # 姓名（单位）: the picker says whose liaison each account is; the service refuses another unit's.
        self.fields["owner_user"].label_from_instance = lambda user: "{}（{}）".format(
            user.real_name or user.username, "、".join(units_of.get(user.pk, [])))
        if self.overdue:
            self.fields["due_on"].help_text = _(
                "本件已超过法定办理期限 %(d)s，办结期限最晚只能定为今天；需要更多时间的，应先办理延期。") % {
                "d": f"{latest_due:%Y-%m-%d}"}
        elif latest_due:
            self.fields["due_on"].help_text = _("不能晚于本件的办理期限 %(d)s。") % {"d": f"{latest_due:%Y-%m-%d}"}
        if self.latest_due:
            self.fields["due_on"].widget.attrs["max"] = f"{self.latest_due:%Y-%m-%d}"
            self.fields["due_on"].widget.attrs["min"] = f"{today:%Y-%m-%d}"

    def clean_due_on(self):
        value = self.cleaned_data["due_on"]
        if value < timezone.localdate():
            raise ValidationError(_("办结期限不能早于今天。"))
        if self.latest_due and value > self.latest_due:
            raise ValidationError(_("办结期限不能晚于本件的办理期限 %(d)s。") % {"d": f"{self.latest_due:%Y-%m-%d}"})
        return value


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=30,
                              help_text=_("自然日，最多 30 日，只能延期一次。"))
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("写入延期告知书，信访人会看到。"))
    approved_by = forms.CharField(label=_("批准人"), max_length=50)
    on = _today_field(_("告知日期"))

    def __init__(self, *args, max_days: int = 30, latest_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].max_value = max_days
        self.fields["days"].validators[-1].limit_value = max_days
        self.fields["days"].widget.attrs["max"] = max_days
        if latest_on is not None:
            self.fields["on"].widget.attrs["max"] = f"{latest_on:%Y-%m-%d}"
            self.fields["on"].help_text = _("不能晚于办理期限届满日 %(d)s。") % {"d": f"{latest_on:%Y-%m-%d}"}
            if latest_on < timezone.localdate():
                self.initial.setdefault("on", latest_on)


class ReplyForm(forms.Form):
    """书面答复: the findings and outcome (kept apart from the status) and the 答复意见书's text."""

    findings = forms.ChoiceField(label=_("调查认定"), choices=Findings.choices)
    request_reasonable = forms.TypedChoiceField(
        label=_("诉求是否合理"), choices=[("true", _("合理")), ("false", _("不合理"))],
        coerce=lambda v: v == "true", widget=forms.RadioSelect)
    resolution = forms.ChoiceField(label=_("化解方式"), choices=Resolution.choices)
    outcome_note = forms.CharField(label=_("处理结果说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=_("内部记录，不写入答复意见书。"))
    text = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("写入答复意见书，送达信访人。"))
    public_text = forms.CharField(label=_("答复意见（公开版）"), widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("信访人凭查询码可以看到的文本：不要写姓名、电话、身份证号码、住址。"))
    on = _today_field(_("答复日期"))


class ReturnVisitForm(forms.Form):
    visited_on = _today_field(_("回访日期"))
    method = forms.ChoiceField(label=_("回访方式"), choices=ReturnVisitMethod.choices)
    result = forms.ChoiceField(label=_("信访人评价"), choices=FeedbackResult.choices)
    note = forms.CharField(label=_("回访情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reopen = forms.BooleanField(label=_("不满意且有合理诉求，重新转办"), required=False,
                                help_text=_("勾选后本件回到“已转办”，重新计算 60 日办理期限；请填写下面的承办单位。"))
    unit = BoundedModelChoiceField(label=_("重新转办的承办单位"), queryset=HandlingUnit.objects.none(), required=False)
    owner_name = forms.CharField(label=_("责任人"), max_length=50, required=False)
    due_on = forms.DateField(label=_("办结期限"), widget=DATE, required=False,
                             help_text=_("不填则为新的办理期限届满日。"))

    def __init__(self, *args, township, can_reopen: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if can_reopen:
            self.fields["unit"].queryset = HandlingUnit.objects.filter(township=township, is_active=True).order_by(
                "kind", "name")
        else:
            for name in ("reopen", "unit", "owner_name", "due_on"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if data.get("reopen"):
            if data.get("result") != FeedbackResult.UNSATISFIED:
                self.add_error("reopen", _("只有信访人不满意时才能重新转办。"))
            if not data.get("unit"):
                self.add_error("unit", _("重新转办的，请选择承办单位。"))
            if not data.get("owner_name"):
                self.add_error("owner_name", _("请写明承办单位的责任人。"))
        return data


class CloseForm(forms.Form):
    note = forms.CharField(label=_("息访说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewRequestForm(forms.Form):
    requested_on = _today_field(_("申请日期"))
    channel = forms.ChoiceField(label=_("申请方式"), choices=Channel.choices, initial=Channel.VISIT)
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs=TEXT))


class ReviewDecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("结论"), choices=ReviewDecision.choices)
    text = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 6}))
    public_text = forms.CharField(label=_("意见（公开版）"), widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("信访人凭查询码可以看到的文本：不要写个人信息。"))
    on = _today_field(_("决定日期"))


class KeySupervisionForm(forms.Form):
    on = forms.BooleanField(label=_("列为重点督办"), required=False, help_text=_("不勾选为取消重点督办。"))
    leader = forms.CharField(label=_("督办领导"), max_length=50, required=False)
    note = forms.CharField(label=_("督办意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("on") and not data.get("leader"):
            self.add_error("leader", _("重点督办须写明督办领导。"))
        return data


class LeadLeaderForm(forms.Form):
    leader = BoundedModelChoiceField(label=_("包案领导"), queryset=User.objects.none(), required=False,
                                          help_text=_("包案领导会收到本件每一步办理的通知；留空为取消包案。"))

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = User.objects.filter(
            is_active=True, role_assignments__township=township).distinct().order_by("real_name")


class ReferralResultForm(forms.Form):
    reported_on = _today_field(_("上报日期"))
    report = forms.CharField(label=_("上报的办理结果"), widget=forms.Textarea(attrs=TEXT))


class LinkRepeatForm(forms.Form):
    registration = forms.CharField(label=_("原信访件登记号"), max_length=30,
                                   help_text=_("例如 2026-12 或〔2026〕第12号。"))

    def clean_registration(self):
        value = self.cleaned_data["registration"].strip()
        match = _REGISTRATION.match(value)
        if not match:
            raise ValidationError(_("请按“年度-号码”填写登记号，例如 2026-12。"))
        return int(match.group(1)), int(match.group(2))


class UnitReplyForm(forms.Form):
    reply = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 8}),
                            help_text=_("调查核实的情况、处理意见和结果。人大办据此出具书面答复意见书。"))
    reply_public = forms.CharField(label=_("办理情况（公开版）"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text=_("不含姓名、电话、身份证号码、住址，可向信访人公开的文本。"))
