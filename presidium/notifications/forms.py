from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from presidium.forms import PortalPasswordResetForm
from presidium.notifications.outbox import outbox_email_queue


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


class OutboxPasswordResetForm(PortalPasswordResetForm):
    """Django's reset form, but the e-mail goes into the outbox instead of out through SMTP in the request.

    The page then does the same for a known and an unknown address apart from the look-up and one
    row written (no SMTP round trip that would tell them apart, and no mail server stall to wait on).
    ``queued`` counts the rows written, so the view asks for delivery only when there is something to send.
    """

    queued = 0

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        # Written in the portal's language, as every stored message is (the requester may not be the owner).
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string(subject_template_name, context)
            body = render_to_string(email_template_name, context)
            html_body = render_to_string(html_email_template_name, context) if html_email_template_name else ""
        outbox_email_queue(recipient=context["user"], subject=subject, body=body, html_body=html_body,
                           start_delivery=False)
        self.queued += 1
