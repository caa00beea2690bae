"""Forms of the proposals screens. They validate input; the services check the rules and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from deputies.choices import DeputyStatus
from deputies.models import Deputy
from presidium.documents.forms import TownshipChoiceMixin
from presidium.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField, MultipleFileField
from presidium.meetings.models import Meeting
from presidium.models import HandlingUnit, User
from presidium.widgets import SearchableSelectMultiple
from proposals.choices import (
    AgendaDecision,
    ConsultationForm,
    ConsultationStage,
    DeadlineChoice,
    RaisedDuring,
    ResultClass,
    Satisfaction,
    SubmitterKind,
    SuggestionKind,
    SupervisionKind,
    SupervisionMode,
)
from proposals.models import Category
from proposals.services.config import ACCEPTED_LABEL

DATE = {"type": "date"}


def _deputies_of(township):
    return Deputy.objects.filter(township=township, status=DeputyStatus.SERVING).order_by("name_pinyin", "name")


class SuggestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=SuggestionKind.choices, initial=SuggestionKind.SUGGESTION)
    submitter_kind = forms.ChoiceField(label=_("提出方式"), choices=SubmitterKind.choices,
                                       initial=SubmitterKind.DEPUTIES)
    lead_deputy = BoundedModelChoiceField(label=_("领衔代表"), queryset=Deputy.objects.none(), required=False)
    cosigners = BoundedModelMultipleChoiceField(
        label=_("联名（附议）代表"), queryset=Deputy.objects.none(), required=False,
        help_text=_("可多选。提交后，联名代表会收到确认邀请；议案须有五名以上乡镇人大代表联名（县人大代表不计入）。"),
        widget=SearchableSelectMultiple(person=True, exclude_from="id_lead_deputy"))
    raised_during = forms.ChoiceField(label=_("提出时间"), choices=RaisedDuring.choices, initial=RaisedDuring.RECESS)
    session = BoundedModelChoiceField(label=_("大会"), queryset=Meeting.objects.none(), required=False,
                                      help_text=_("大会期间提出的，选择会议；列表中没有的，在下面写明会议名称。"))
    session_name = forms.CharField(label=_("会议名称"), max_length=100, required=False,
                                   help_text=_("大会期间提出的，写明会议，例如“第十八届人民代表大会第五次会议”。"))
    category = BoundedModelChoiceField(label=_("类别"), queryset=Category.objects.none())
    title = forms.CharField(label=_("标题（案由）"), max_length=200,
                            widget=forms.TextInput(attrs={"placeholder": _("例如：关于修缮东风村三组村道的建议")}))
    content = forms.CharField(label=_("内容和理由"), widget=forms.Textarea(attrs={"rows": 6}))
    measures = forms.CharField(label=_("具体建议"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("附件"), help_text=lazy(lambda: _("可选，%(types)s，单个文件不超过 10 MB。") % {
        "types": ACCEPTED_LABEL}, str)())

    field_order = ["submitter_kind", "lead_deputy", "kind", "category", "title", "content", "measures",
                   "raised_during", "session", "session_name", "cosigners", "attachments"]

    def __init__(self, *args, township, staff: bool, lead: Deputy | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        deputies = _deputies_of(township)
        self.fields["category"].queryset = Category.objects.filter(township=township, is_active=True)
        self.fields["session"].queryset = (Meeting.objects.filter(township=township, kind="congress_session")
                                           .exclude(status="cancelled").order_by("-starts_at", "-pk"))
        # A deputy does not co-sign his own suggestion: his name is not among the co-signers to pick.
        self.fields["cosigners"].queryset = deputies.exclude(pk=lead.pk) if lead is not None else deputies
        if staff:
            self.fields["lead_deputy"].queryset = deputies
            self.fields["lead_deputy"].help_text = _("人大办代代表录入时选择；系统记录录入人。")
        else:
            del self.fields["lead_deputy"]
            del self.fields["submitter_kind"]

    def clean(self):
        data = super().clean()
        if data.get("session") is not None:
            data["session_name"] = data["session"].title[:100]
        if data.get("raised_during") == RaisedDuring.SESSION and not data.get("session_name"):
            self.add_error("session_name", _("大会期间提出的，请写明会议名称。"))
        if (data.get("submitter_kind", SubmitterKind.DEPUTIES) == SubmitterKind.DEPUTIES and "lead_deputy" in self.fields
                and not data.get("lead_deputy")):
            self.add_error("lead_deputy", _("请选择领衔代表。"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalNoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RegisterForm(forms.Form):
    category = BoundedModelChoiceField(label=_("类别"), queryset=Category.objects.none())

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(township=township, is_active=True)


class AgendaForm(forms.Form):
    decision = forms.ChoiceField(label=_("主席团决定"), choices=AgendaDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("不列入议程或改作建议的，必须写明理由。"))


class AssignForm(forms.Form):
    lead_unit = BoundedModelChoiceField(label=_("主办单位"), queryset=HandlingUnit.objects.none())
    co_units = BoundedModelMultipleChoiceField(label=_("协办单位"), queryset=HandlingUnit.objects.none(),
                                              required=False,
                                              widget=SearchableSelectMultiple(exclude_from="id_lead_unit"))
    responsible_leader = forms.CharField(label=_("分管领导"), max_length=50, required=False,
                                         help_text=_("不填则用主办单位登记的分管领导。"))
    responsible_leader_user = BoundedModelChoiceField(label=_("分管领导账号（接收提醒）"), queryset=User.objects.none(),
                                                     required=False)
    supervision_mode = forms.ChoiceField(label=_("督办方式"), choices=SupervisionMode.choices,
                                         initial=SupervisionMode.ROUTINE)
    deadline_choice = forms.ChoiceField(label=_("办理期限"), choices=DeadlineChoice.choices,
                                        initial=DeadlineChoice.NORMAL, widget=forms.RadioSelect)
    working_days = forms.IntegerField(label=_("工作日数"), min_value=1, max_value=250, required=False)
    is_key = forms.BooleanField(label=_("重点建议（领导领办）"), required=False)
    leading_leader = forms.CharField(label=_("领办领导"), max_length=50, required=False)
    note = forms.CharField(label=_("交办意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        units = HandlingUnit.objects.filter(township=township, is_active=True).order_by("kind", "name")
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["responsible_leader_user"].queryset = User.objects.filter(
            is_active=True, role_assignments__township=township).distinct().order_by("real_name", "username")
        months = {DeadlineChoice.NORMAL: township.reply_deadline_months,
                  DeadlineChoice.HARD: township.hard_case_deadline_months}
        self.fields["deadline_choice"].choices = [
            (DeadlineChoice.NORMAL, _("一般：%(m)s 个月") % {"m": months[DeadlineChoice.NORMAL]}),
            (DeadlineChoice.HARD, _("涉及面广、处理难度大：%(m)s 个月") % {"m": months[DeadlineChoice.HARD]}),
            (DeadlineChoice.WORKING_DAYS, _("指定工作日数")),
        ]

    def clean(self):
        data = super().clean()
        if data.get("deadline_choice") == DeadlineChoice.WORKING_DAYS and not data.get("working_days"):
            self.add_error("working_days", _("选择“指定工作日数”时请填写天数。"))
        if data.get("is_key") and not (data.get("leading_leader") or "").strip():
            self.add_error("leading_leader", _("重点建议请写明领办的领导。"))
        return data


class DeadlinePreviewForm(forms.Form):
    """The deadline fields of the assignment form, read by the preview shown before 交办 / 改办."""

    deadline_choice = forms.ChoiceField(choices=DeadlineChoice.choices)
    working_days = forms.IntegerField(min_value=1, max_value=250, required=False)

    def clean(self):
        data = super().clean()
        if data.get("deadline_choice") == DeadlineChoice.WORKING_DAYS and not data.get("working_days"):
            raise forms.ValidationError(_("选择“指定工作日数”时请填写天数。"))
        return data


class HandBackRequestForm(forms.Form):
    """申请退办 by the lead unit's liaison: why it is not the unit's duty, and optionally who should do it."""

    reason = forms.CharField(label=_("退办理由"), widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("写明为什么不属于本单位的职责，人大办据此决定是否改办。"))
    suggested_unit = BoundedModelChoiceField(label=_("建议改交单位"), queryset=HandlingUnit.objects.none(),
                                            required=False, empty_label=_("（不确定）"))

    def __init__(self, *args, suggestion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggested_unit"].queryset = HandlingUnit.objects.filter(
            township_id=suggestion.township_id, is_active=True).exclude(pk=suggestion.lead_unit_id).order_by(
            "kind", "name")


class ReassignForm(AssignForm):
    """改办: the assignment form again, for another lead unit, with the reason required."""

    note = forms.CharField(label=_("改办原因"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("例如“交办错误，应由水利站主办”。原主办单位、新主办单位和领衔代表都会收到通知。"))

    def __init__(self, *args, township, current_unit_id: int | None = None, **kwargs):
        super().__init__(*args, township=township, **kwargs)
        self.fields["lead_unit"].label = _("改交主办单位")
        self.fields["lead_unit"].queryset = self.fields["lead_unit"].queryset.exclude(pk=current_unit_id)
        self.fields["deadline_choice"].help_text = _("新的办理期限从今天起算。")


class HandBackApproveForm(ReassignForm):
    """同意退办 and reassign in the same step; the reason is the unit's, the note is optional."""

    note = forms.CharField(label=_("处理意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HandBackRefuseForm(forms.Form):
    note = forms.CharField(label=_("不同意的理由"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("承办单位会收到这条理由，并继续办理。"))


class ConsultationRecordForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=ConsultationStage.choices)
    form = forms.ChoiceField(label=_("方式"), choices=ConsultationForm.choices)
    held_on = forms.DateField(label=_("面商日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    participants = forms.CharField(label=_("参加人员"), max_length=200)
    summary = forms.CharField(label=_("面商情况"), widget=forms.Textarea(attrs={"rows": 4}))
    deputy_opinion = forms.CharField(label=_("代表意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class CoOpinionForm(forms.Form):
    opinion = forms.CharField(label=_("协办意见（送主办单位）"), widget=forms.Textarea(attrs={"rows": 5}))


class ReplyForm(forms.Form):
    result_class = forms.ChoiceField(label=_("办理结果"), choices=ResultClass.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 8}))
    promised_date = forms.DateField(label=_("承诺解决日期（B 类）"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("暂不能解决的原因（C 类）"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    signed_by = forms.CharField(label=_("签发人"), max_length=50, required=False)
    files = MultipleFileField(label=_("答复签发件"), help_text=lazy(lambda: _("盖章签发的答复函扫描件，%(types)s。") % {
        "types": ACCEPTED_LABEL}, str)())


class PromiseKeptForm(forms.Form):
    kept_on = forms.DateField(label=_("兑现日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    note = forms.CharField(label=_("兑现情况"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionRequestForm(forms.Form):
    requested_deadline = forms.DateField(label=_("最迟办理时间"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label=_("办理措施"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("审批"), choices=[("1", _("同意延期")), ("0", _("不同意"))],
                                     coerce=lambda v: v == "1", widget=forms.RadioSelect)
    note = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RatingForm(forms.Form):
    work_grade = forms.ChoiceField(label=_("对办理工作"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    result_grade = forms.ChoiceField(label=_("对办理结果"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("评价意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("任一项“不满意”，将重新办理并再次答复；请写明不满意的地方。"))


class SupervisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("督办方式"), choices=SupervisionKind.choices)
    held_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    note = forms.CharField(label=_("督办情况"), widget=forms.Textarea(attrs={"rows": 3}))
    notify_unit = forms.BooleanField(label=_("通知主办单位"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("类别名称"), max_length=30)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, initial=100)
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)


class ProposalSettingsForm(forms.Form):
    reminder_days_before = forms.CharField(label=_("到期前提醒（工作日）"), max_length=30,
                                           help_text=_("用逗号分隔，例如“10,3”。到期当日和逾期后每周也会提醒。"))
    stale_after_days = forms.IntegerField(label=_("交办后多少天未面商即提醒"), min_value=5, max_value=180)
    rehandling_deadline_months = forms.IntegerField(label=_("重新办理期限（月）"), min_value=1, max_value=6)
    public_show_deputy_names = forms.BooleanField(label=_("五公开页面显示领衔代表姓名"), required=False)
    publish_by_default = forms.BooleanField(label=_("交办后默认在五公开页面公开"), required=False)
    hand_back_days = forms.IntegerField(label=_("申请退办时限（工作日）"), min_value=1, max_value=30,
                                        help_text=_("交办后多少个工作日内，主办单位可以申请退办。"))


class ReportForm(forms.Form):
    start = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    end = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("截止日期不能早于起始日期。"))
        return data


class LetterBatchForm(TownshipChoiceMixin, forms.Form):
    """批量打印交办函: every letter of one session, or of one assignment day, as one file."""

    township = BoundedModelChoiceField(label=_("乡镇"), queryset=None, empty_label=None)
    session_name = forms.ChoiceField(label=_("会议"), required=False,
                                     help_text=_("大会期间提出的议案建议，按提出时填写的会议名称归类。"))
    assigned_on = forms.DateField(label=_("交办日期"), required=False,
                                  widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    fmt = forms.ChoiceField(label=_("文件格式"), choices=[("pdf", _("PDF（打印）")), ("docx", _("Word（可编辑）"))],
                            initial="pdf", widget=forms.RadioSelect)

    def __init__(self, *args, townships, session_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_township(townships)
        self.fields["session_name"].choices = [("", _("（不限）")), *[(n, n) for n in session_names]]

    def clean(self):
        data = super().clean()
        if not data.get("session_name") and not data.get("assigned_on"):
            raise forms.ValidationError(_("请选择会议或交办日期（也可以两者都选）。"))
        return data


class OpinionForm(forms.Form):
    """督办意见 as the county writes it."""

    title = forms.CharField(label=_("标题"), max_length=100)
    content = forms.CharField(label=_("督办意见"), widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("写明发现的问题、要求乡镇做什么，以及答复的要求。"))
    answer_by = forms.DateField(label=_("答复期限"), required=False,
                                widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


class OpinionAnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("写明已采取的措施、目前进展和下一步安排。"))


class OpinionCloseForm(forms.Form):
    note = forms.CharField(label=_("确认意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
