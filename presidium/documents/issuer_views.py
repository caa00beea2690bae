"""发文机关设置: how a township signs its official documents (full name in the masthead, 机关代字 of its numbers)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from presidium.documents.models import DocumentIssuer
from presidium.documents.selectors import issuer_for
from presidium.documents.services import document_issuer_update
from presidium.views.forms import ServiceFormView
from presidium.views.org import _TownshipManageMixin


class DocumentIssuerForm(forms.Form):
    name = forms.CharField(label=_("发文机关全称"), max_length=60,
                           help_text=DocumentIssuer._meta.get_field("name").help_text)
    code = forms.CharField(label=_("机关代字"), max_length=12,
                           help_text=DocumentIssuer._meta.get_field("code").help_text)


class DocumentIssuerView(_TownshipManageMixin, ServiceFormView):
    """Those who manage the township's organisation set its issuer; numbers already given keep their code."""

    form_class = DocumentIssuerForm
    success_message = _("发文机关设置已保存。")

    def get_initial(self):
        issuer = issuer_for(self.township)
        return {"name": issuer.name, "code": issuer.code}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title=_("%(t)s · 发文机关设置") % {"t": self.township},
            form_intro=_("交办函等公文的版头和落款用发文机关全称，发文字号用机关代字，按年度从 1 号起编。"
                         "修改机关代字后，新编的文号从该代字的 1 号起，已编的文号不变。"), **kwargs)

    def perform(self, form):
        document_issuer_update(township=self.township, by=self.request.user, **form.cleaned_data)
        return self.get_success_url()
