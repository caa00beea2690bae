from django import forms
from django.utils.translation import gettext_lazy as _


class AccountSettingsForm(forms.Form):
    """A user's own profile and reminder channels (the in-app inbox is always on)."""

    real_name = forms.CharField(label=_("姓名"), max_length=50,
                                error_messages={"required": _("请填写姓名。")})
    mobile = forms.RegexField(label=_("手机号码"), regex=r"^1[3-9]\d{9}$", required=False, max_length=11,
                              error_messages={"invalid": _("请输入 11 位手机号码，例如 13812345678。")},
                              widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}))
    email = forms.EmailField(label=_("邮箱"), required=False, max_length=254,
                             error_messages={"invalid": _("请输入有效的邮箱地址，例如 name@example.com。")},
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    email_enabled = forms.BooleanField(label=_("邮件提醒"), required=False,
                                       help_text=_("有新消息和到期提醒时，同时发送邮件。"))
    sms_enabled = forms.BooleanField(label=_("短信提醒"), required=False,
                                     help_text=_("有新消息和到期提醒时，同时发送短信。"))
