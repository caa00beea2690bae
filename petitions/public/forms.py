"""Forms of the public pages: the online petition (网上信访), the look-up (信访查询) and the review request.

The spam guard needs no captcha (people on old phones and slow links fail captchas; scripts do not):

* a honeypot field (``homepage``) that people never see (hidden by ``petitions-public.css``, skipped by
  the keyboard and by autofill) and scripts fill in;
* a minimum fill time: the page carries the moment it was shown, signed with the site's key
  (:data:`FILL_SALT`), and a form sent back faster than :data:`MIN_FILL_SECONDS` is refused — no person
  types a matter that fast; an expired or forged stamp is refused the same way;
* a rate limit per client address and per mobile number (:mod:`petitions.public.throttle`), in the view.

A refused submission shows the form again with everything typed (files must be chosen again: browsers
never re-send them) and a calm message; nothing is saved.
"""

from __future__ import annotations

import re
import time

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from deputies.pii import validate_id_number
from petitions.access import normalize_mobile, normalize_query_code
from petitions.choices import DEFAULT_CATEGORIES
from petitions.models import Category
from presidium.documents.uploads import DOCUMENT_KINDS, DOCUMENT_LABEL, check_upload
from presidium.forms import MultipleFileField
from presidium.models import Township

FILL_SALT = "petitions.public.online_form"
MIN_FILL_SECONDS = 5  # nobody writes a petition faster; a script posts at once
MAX_FORM_AGE = 24 * 3600  # a page left open a day is shown again with a fresh stamp
MAX_ATTACHMENTS = 5
HONEYPOT = "homepage"
_MOBILE = re.compile(r"^1\d{10}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")
_REGISTRATION = re.compile(r"^\D*(\d{4})\D+(\d{1,6})\D*$")


def fill_stamp(now: float | None = None) -> str:
    """The signed moment the form was shown."""
    return signing.dumps(int(now if now is not None else time.time()), salt=FILL_SALT, compress=False)


def fill_seconds(stamp: str, now: float | None = None) -> float | None:
    """How long ago the form was shown, or None for a stamp that is forged, missing or too old."""
    try:
        shown = signing.loads(stamp or "", salt=FILL_SALT, max_age=MAX_FORM_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(shown, int):
        return None
    return (now if now is not None else time.time()) - shown


def township_choices():
    """The townships people can file with, by county when the installation serves more than one."""
    townships = list(Township.objects.select_related("county").order_by("county__name", "name"))
    counties = {t.county_id for t in townships}
    if len(counties) <= 1:
        return [("", "——"), *[(t.pk, t.name) for t in townships]]
    groups: dict[str, list] = {}
    for t in townships:
        groups.setdefault(t.county.name, []).append((t.pk, t.name))
    return [("", "——"), *groups.items()]


def category_choices():
    """The subjects people choose from: the defaults, then any other name a township uses (in order)."""
    names = list(DEFAULT_CATEGORIES)
    for name in Category.objects.filter(is_active=True).order_by("sort_order", "name").values_list("name", flat=True):
        if name not in names:
            names.insert(max(len(names) - 1, 0), name)  # "其他" stays last
    return [("", "——"), *[(n, n) for n in names]]


class OnlinePetitionForm(forms.Form):
    """网上信访: who writes (or anonymously), where, and what the matter is."""

    township = forms.TypedChoiceField(label=_("向哪个乡镇（街道）反映"), coerce=int, choices=(), error_messages={
        "invalid_choice": _("请选择列表中的乡镇（街道）。"), "required": _("请选择乡镇（街道）。")})
    anonymous = forms.BooleanField(label=_("匿名反映（不留姓名）"), required=False,
                                   help_text=_("匿名反映的，我们无法联系您，只能凭查询码查看办理情况。"))
    name = forms.CharField(label=_("姓名"), max_length=50, required=False, help_text=_("不匿名的必填。"),
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    mobile = forms.CharField(label=_("联系电话"), max_length=20, required=False, help_text=_("不匿名的必填。"),
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    id_number = forms.CharField(label=_("身份证号码（可不填）"), max_length=24, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    address = forms.CharField(label=_("住址（可不填）"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    village = forms.CharField(label=_("所在村（社区）"), max_length=50, required=False)
    category = forms.ChoiceField(label=_("事项类别"), choices=(), required=False)
    subject = forms.CharField(label=_("反映事项（一句话）"), max_length=200,
                              widget=forms.TextInput(attrs={"placeholder": _("例如：东风村三组村道损坏多年未修")}))
    content = forms.CharField(label=_("具体情况和诉求"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("写明时间、地点、经过和您希望怎样解决。"))
    attachments = MultipleFileField(label=_("照片或材料（可不选）"), accept="image/*,.pdf,.doc,.docx,.xls,.xlsx,.wps,.et,.ofd")
    homepage = forms.CharField(label=_("请勿填写此项"), required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = township_choices()
        self.fields["category"].choices = category_choices()
        self.fields["attachments"].help_text = _("最多 %(n)s 个，%(types)s，照片会自动压缩。") % {
            "n": MAX_ATTACHMENTS, "types": DOCUMENT_LABEL}

    def clean_township(self):
        township = Township.objects.filter(pk=self.cleaned_data["township"]).first()
        if township is None:
            raise ValidationError(_("请选择乡镇（街道）。"))
        return township

    def clean_mobile(self):
        raw = self.cleaned_data.get("mobile", "")
        if not raw.strip():
            return ""
        mobile = normalize_mobile(raw)
        if not (_MOBILE.match(mobile) or _LANDLINE.match(mobile)):
            raise ValidationError(_("请填写 11 位手机号码，或带区号的固定电话。"))
        return mobile

    def clean_id_number(self):
        raw = self.cleaned_data.get("id_number", "")
        return validate_id_number(raw) if raw.strip() else ""

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("最多上传 %(n)s 个文件，请少选几个。") % {"n": MAX_ATTACHMENTS})
        return [check_upload(upload, accept=DOCUMENT_KINDS) for upload in files]

    def clean(self):
        data = super().clean()
        if data.get("anonymous"):
            data["name"] = ""
        else:
            if not data.get("name", "").strip():
                self.add_error("name", _("请填写姓名；不愿留名的，请勾选“匿名反映”。"))
            if not data.get("mobile") and "mobile" not in self.errors:
                self.add_error("mobile", _("请留下联系电话，以便告知您办理情况；不愿留的，请勾选“匿名反映”。"))
        return data

    @property
    def spam_trap_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())


def parse_registration_number(value: str) -> tuple[int, int] | None:
    """〔2026〕第12号, 2026-12, 2026 12 → (2026, 12); anything else None."""
    text = str(value or "").translate(str.maketrans("０１２３４５６７８９", "0123456789")).strip()
    found = _REGISTRATION.match(text)
    if not found:
        return None
    return int(found.group(1)), int(found.group(2))


class LookupForm(forms.Form):
    """信访查询: the registration number and the query code from the receipt."""

    number = forms.CharField(label=_("登记号"), max_length=30,
                             widget=forms.TextInput(attrs={"placeholder": _("例如：〔2026〕第12号 或 2026-12"),
                                                           "autocomplete": "off"}))
    code = forms.CharField(label=_("查询码"), max_length=30,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false"}))

    def clean_number(self):
        parsed = parse_registration_number(self.cleaned_data["number"])
        if parsed is None:
            raise ValidationError(_("登记号的写法不对，请照回执填写，例如“〔2026〕第12号”或“2026-12”。"))
        return parsed

    def clean_code(self):
        return normalize_query_code(self.cleaned_data["code"])


class ReviewRequestForm(forms.Form):
    """申请复查 (or 复核): why the petitioner does not accept the written opinion, confirmed with the query code.

    The code is asked again (it is not kept in the session): a review request is a legal step, taken by
    whoever holds the code, and the service checks it by digest.
    """

    code = forms.CharField(label=_("再次输入查询码以确认"), max_length=30,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false"}))
    reason = forms.CharField(label=_("申请复查的理由"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=_("请写明对答复意见哪些地方不认可，以及您的要求。"))

    field_order = ["reason", "code"]

    def clean_code(self):
        return normalize_query_code(self.cleaned_data["code"])
