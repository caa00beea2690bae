"""Forms of the deputies app. They validate input; the services decide and write."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.choices import (
    AssessmentGrade,
    AwardLevel,
    DeputyStatus,
    GroupKind,
    OpinionCategory,
    StationStaffRole,
    VisitMethod,
)
from deputies.models import Constituency, Deputy, DeputyGroup, LiaisonStation, VoterReport
from deputies.selectors import CURRENT_TERM, in_term_q, term_q
from deputies.services.visits import MAX_OPINIONS_PER_VISIT, OpinionInput
from presidium.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField, bounded_formfield
from presidium.widgets import SearchableSelectMultiple

DATE = {"type": "date"}


def _date_field(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                           **kwargs)


class TownshipFormMixin:
    """A township select limited to ``townships``; hidden when there is only one."""

    def setup_township(self, townships) -> None:
        field = self.fields["township"]
        field.queryset = townships
        options = list(townships[:2])
        if len(options) == 1:
            field.initial = options[0]
            field.widget = forms.HiddenInput()


DEPUTY_FORM_FIELDS = [
    "name", "gender", "ethnicity", "birth_date", "affiliation", "education", "sector", "work_unit", "post",
    "mobile", "id_number", "address", "level", "higher_level", "elected_on", "constituency", "group", "station",
    "note",
]


class DeputyForm(TownshipFormMixin, forms.Form):
    township = BoundedModelChoiceField(label=_("乡镇"), queryset=None, empty_label=None)

    def __init__(self, *args, townships, deputy: Deputy | None = None, show_id: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Deputy, fields=DEPUTY_FORM_FIELDS, formfield_callback=bounded_formfield))
        self.setup_township(townships)
        for name in ("birth_date", "elected_on"):
            self.fields[name].widget = forms.DateInput(attrs=DATE, format="%Y-%m-%d")
        self.fields["birth_date"].help_text = _("填写了身份证号码的，可不填，系统按身份证号码计算。")
        self.fields["id_number"].help_text = _("选填。18 位，按 GB 11643 校验；仅代表工作管理人员可见完整号码。")
        self.fields["mobile"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off"})
        scope = {"township__in": townships}
        # The choices of the deputy's term (a new deputy: the current term); the services check it again.
        of_term = in_term_q(deputy.term) if deputy is not None and deputy.term_id else term_q(CURRENT_TERM)
        self.fields["constituency"].queryset = Constituency.objects.filter(of_term, **scope).order_by("township", "name_sort_key", "name")
        self.fields["group"].queryset = DeputyGroup.objects.filter(of_term, kind=GroupKind.SMALL, **scope).order_by(
            "township", "sort_order", "name_sort_key", "name")
        self.fields["station"].queryset = LiaisonStation.objects.filter(of_term, is_active=True, **scope).order_by(
            "township", "name")
        if deputy is not None:
            self.fields["township"].disabled = True
            if not show_id:
                del self.fields["id_number"]

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class DeputyStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("新状态"))
    effective_on = _date_field(_("生效日期"))
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("例如：本人书面辞职，经第十八届主席团第五次会议接受。"))

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, DeputyStatus(s).label) for s in allowed]
        self.fields["effective_on"].initial = timezone.localdate()


class DeputyAccountForm(forms.Form):
    user = BoundedModelChoiceField(label=_("登录账号"), queryset=None, required=False,
                                  help_text=_("关联后，该账号获得本乡镇“人大代表”角色，可登记本人的走访、查看本人的履职档案。"
                                              "留空表示取消关联。"))

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
                            help_text=_("JPG、PNG 或 WebP 格式；上传后自动去除拍摄位置等信息。"))


class ConstituencyForm(TownshipFormMixin, forms.Form):
    township = BoundedModelChoiceField(label=_("乡镇"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("选区名称"), max_length=50)
    villages = forms.CharField(label=_("包含的村（社区）、村民小组"), max_length=300, required=False)
    seats = forms.IntegerField(label=_("应选代表名额"), min_value=1, initial=1,
                               help_text=_("每个选区选举一至三名代表。"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_township(townships)


class GroupForm(TownshipFormMixin, forms.Form):
    township = BoundedModelChoiceField(label=_("乡镇"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("名称"), max_length=50)
    kind = forms.ChoiceField(label=_("类型"), choices=GroupKind.choices, initial=GroupKind.SMALL)
    parent = BoundedModelChoiceField(label=_("所属代表大组"), queryset=None, required=False)
    leader = BoundedModelChoiceField(label=_("组长"), queryset=None, required=False)
    deputy_leader = BoundedModelChoiceField(label=_("副组长"), queryset=None, required=False)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, townships, group: DeputyGroup | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_township(townships)
        of_term = in_term_q(group.term) if group is not None and group.term_id else term_q(CURRENT_TERM)
        self.fields["parent"].queryset = DeputyGroup.objects.filter(of_term, township__in=townships, kind=GroupKind.BIG)
        leaders = Deputy.objects.filter(of_term, township__in=townships, status=DeputyStatus.SERVING).order_by(
            "name_pinyin")
        if group is not None:
            self.fields["township"].disabled = True
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=group.pk)
            leaders = leaders.filter(group=group) if group.kind == GroupKind.SMALL else leaders.filter(
                group__parent=group)
        else:
            leaders = leaders.none()
            self.fields["leader"].help_text = _("先建组、编入成员，再指定组长。")
        self.fields["leader"].queryset = leaders
        self.fields["deputy_leader"].queryset = leaders

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0


class MembersForm(forms.Form):
    deputies = BoundedModelMultipleChoiceField(label=_("代表"), queryset=None, required=False,
                                              widget=SearchableSelectMultiple(person=True))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = candidates
        self.fields["deputies"].label_from_instance = self.label_for

    @staticmethod
    def label_for(deputy):
        where = deputy.group.name if deputy.group_id else _("未编组")
        return f"{deputy.name}（{where}）"


class StationForm(TownshipFormMixin, forms.Form):
    township = BoundedModelChoiceField(label=_("乡镇"), queryset=None, empty_label=None)

    def __init__(self, *args, townships, station: LiaisonStation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(LiaisonStation, fields=[
            "name", "kind", "level", "village", "address", "phone", "reception_schedule", "has_place", "has_sign",
            "has_rules", "has_activities", "has_records", "star_rating", "is_active",
        ], formfield_callback=bounded_formfield))
        self.fields["star_rating"] = forms.TypedChoiceField(
            label=_("星级"), required=False, coerce=int, empty_value=None,
            choices=[("", _("未评定"))] + [(n, "★" * n) for n in range(1, 6)])
        self.setup_township(townships)
        if station is not None:
            self.fields["township"].disabled = True


class StationStaffForm(forms.Form):
    role = forms.ChoiceField(label=_("职务"), choices=StationStaffRole.choices)
    deputy = BoundedModelChoiceField(label=_("代表"), queryset=None, required=False,
                                    help_text=_("由代表担任的，从名册中选择；否则填写姓名。"))
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies

    def clean(self):
        data = super().clean()
        if not data.get("deputy") and not (data.get("name") or "").strip():
            self.add_error("name", _("请填写姓名或选择一名代表。"))
        return data


# --- visits -------------------------------------------------------------------------------------
class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class VisitForm(forms.Form):
    """The phone-first visit form: big touch targets, numeric keyboards, today as the default date."""

    deputy = BoundedModelChoiceField(label=_("代表"), queryset=None, empty_label=_("请选择代表"))
    visited_on = _date_field(_("走访日期"))
    place = forms.CharField(label=_("村（社区）/地点"), max_length=100,
                            widget=forms.TextInput(attrs={"list": "visit-places", "autocomplete": "off",
                                                          "placeholder": _("例如：东风村三组")}))
    method = forms.ChoiceField(label=_("走访方式"), choices=VisitMethod.choices, initial=VisitMethod.HOME,
                               widget=forms.RadioSelect)
    households = forms.IntegerField(label=_("走访户数"), min_value=0, max_value=5000, initial=1,
                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    people = forms.IntegerField(label=_("联系选民人数"), min_value=1, max_value=5000, initial=1,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    summary = forms.CharField(label=_("走访情况"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("简要记录走访对象和情况")}))
    follow_up = forms.CharField(label=_("跟进与反馈"), required=False, max_length=4000,
                                widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("已当场解释 / 转交有关单位 / 约定回访")}))
    photos = MultipleFileField(label=_("照片"), required=False,
                               widget=MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))

    def __init__(self, *args, deputies, fixed_deputy: Deputy | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies
        self.fields["visited_on"].initial = timezone.localdate()
        if fixed_deputy is not None:
            self.fields["deputy"].initial = fixed_deputy
            self.fields["deputy"].widget = forms.HiddenInput()


class OpinionForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    content = forms.CharField(label=_("选民反映的意见"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("一条意见写一项，例如：三组到村部的路段雨天积水")}))
    category = forms.ChoiceField(label=_("类别"), choices=OpinionCategory.choices, initial=OpinionCategory.OTHER)
    raised_by = forms.CharField(label=_("反映人"), required=False, max_length=50,
                                widget=forms.TextInput(attrs={"placeholder": _("可只写“村民”")}))

    def to_input(self) -> OpinionInput | None:
        data = self.cleaned_data
        if not data or data.get("DELETE") or not (data.get("content") or "").strip():
            return None
        return OpinionInput(content=data["content"], category=data.get("category") or OpinionCategory.OTHER,
                            raised_by=data.get("raised_by") or "", pk=data.get("pk"))


OpinionFormSet = formset_factory(OpinionForm, extra=1, max_num=MAX_OPINIONS_PER_VISIT, validate_max=True,
                                 can_delete=True)


def opinion_inputs(formset) -> list[OpinionInput]:
    return [item for item in (form.to_input() for form in formset.forms) if item is not None]


class VisitTargetForm(TownshipFormMixin, forms.Form):
    township = BoundedModelChoiceField(label=_("乡镇"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    visits_per_month = forms.IntegerField(label=_("每人每月走访次数"), min_value=0, max_value=31)
    people_per_year = forms.IntegerField(label=_("每人每年联系选民人数"), min_value=0, max_value=5000)
    households_per_year = forms.IntegerField(label=_("每人每年走访户数"), min_value=0, max_value=5000, initial=0,
                                             help_text=_("0 表示不设户数目标。"))

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_township(townships)
        self.fields["year"].initial = timezone.localdate().year


# --- duty records -------------------------------------------------------------------------------
class PledgeForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    signed_on = _date_field(_("签订日期"))
    content = forms.CharField(label=_("承诺内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=4000)


class VoterReportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    reported_on = _date_field(_("述职日期"))
    place = forms.CharField(label=_("述职地点"), max_length=100)
    voters_present = forms.IntegerField(label=_("参加评议选民人数"), min_value=1, max_value=100000)
    excellent = forms.IntegerField(label=_("评为优秀"), min_value=0, max_value=100000, initial=0)
    competent = forms.IntegerField(label=_("评为称职"), min_value=0, max_value=100000, initial=0)
    incompetent = forms.IntegerField(label=_("评为不称职"), min_value=0, max_value=100000, required=False,
                                     help_text=_("留空则按“参加人数 − 优秀 − 称职”计算。"))
    summary = forms.CharField(label=_("述职要点"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=4000)

    @classmethod
    def initial_from(cls, report: VoterReport | None) -> dict:
        if report is None:
            return {}
        return {f: getattr(report, f) for f in ("year", "reported_on", "place", "voters_present", "excellent",
                                                "competent", "incompetent", "summary")}


class AssessmentForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    grade = forms.ChoiceField(label=_("考核等次"), choices=AssessmentGrade.choices)
    assessed_on = _date_field(_("考核日期"))
    comment = forms.CharField(label=_("考核意见"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=4000)


class TrainingForm(forms.Form):
    attended_on = _date_field(_("培训日期"))
    title = forms.CharField(label=_("培训名称"), max_length=120)
    organizer = forms.CharField(label=_("组织单位"), max_length=80, required=False)
    hours = forms.DecimalField(label=_("学时"), required=False, min_value=0.5, max_value=500, decimal_places=1)


class AwardForm(forms.Form):
    awarded_on = _date_field(_("表彰日期"))
    title = forms.CharField(label=_("表彰名称"), max_length=120)
    conferred_by = forms.CharField(label=_("授予单位"), max_length=80, required=False)
    level = forms.ChoiceField(label=_("级别"), choices=AwardLevel.choices)


__all__ = [
    "AssessmentForm", "AwardForm", "ConstituencyForm", "DeputyAccountForm", "DeputyForm", "DeputyStatusForm",
    "GroupForm", "MembersForm", "OpinionFormSet", "PhotoForm", "PledgeForm", "StationForm", "StationStaffForm",
    "TrainingForm", "VisitForm", "VisitTargetForm", "VoterReportForm", "opinion_inputs",
]
