"""登记: one form for every channel, the collective visit's representatives, attachments, and — while staff
type — the earlier petitions of the same person or with a similar subject, one of which may be linked as
the repeat (重复信访)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from petitions.access import REGISTER, mask_name
from petitions.forms import CHANNEL_FIELDS, RepresentativeFormSet
from petitions.forms import PetitionRegisterForm as RegisterForm
from petitions.selectors import petitions_visible_to, repeats_for
from petitions.views.lists import STATUS_TONES
from presidium.access import townships_where
from presidium.documents.storage import RemoveFilesOnError
from presidium.views.forms import ServiceFormView

REPEAT_TRIGGERS = ("name", "mobile", "id_number", "subject")


def register_townships(user):
    return townships_where(user, REGISTER).order_by("name")


def _chosen(request, townships):
    chosen = request.POST.get("township") or request.GET.get("township")
    township = townships.filter(pk=chosen).first() if chosen and str(chosen).isdigit() and len(chosen) < 12 else None
    return township or townships.first()


class PetitionRegisterView(ServiceFormView):
    template_name = "petitions/petition_register.html"
    form_class = RegisterForm
    page_title = gettext_lazy("登记信访")
    submit_label = gettext_lazy("登记")
    one_time_token = True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.townships = register_townships(request.user)
        self.township = _chosen(request, self.townships)
        if self.township is None:
            raise PermissionDenied
        from petitions import services

        ensure = getattr(services, "categories_ensure", None)
        if ensure is not None:
            ensure(township=self.township)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"township": self.township}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        url = reverse("petitions:repeats")
        for name in REPEAT_TRIGGERS:
            form.fields[name].widget.attrs.update({
                "hx-get": url, "hx-trigger": "blur changed", "hx-target": "#petition-repeats",
                "hx-include": "[name=subject],[name=id_number],[name=mobile],[name=township],[name=repeat_of]",
                "hx-sync": "closest form:abort",
            })
        return form

    def get_formset(self):
        if self.request.method == "POST":
            return RepresentativeFormSet(self.request.POST, prefix="rep")
        return RepresentativeFormSet(prefix="rep")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formset", self.get_formset())
        context.update(township=self.township, townships=self.townships, channel_fields=CHANNEL_FIELDS,
                       cancel_url=reverse("petitions:list"))
        return context

    def form_valid(self, form):
        formset = self.get_formset()
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        self.representatives = formset.representatives() if form.cleaned_data.get("is_collective") else []
        self.formset = formset
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form, formset=getattr(self, "formset", None)
                                                             or self.get_formset()))

    def perform(self, form):
        self.petition = register_petition(township=self.township, by=self.request.user, data=form.cleaned_data,
                                          representatives=self.representatives)
        return self.petition.get_absolute_url()

    def get_success_message(self):
        p = self.petition
        acceptance = p.clocks.filter(kind="acceptance").order_by("-round").first()
        if acceptance is not None:
            return _("已登记，登记号 %(number)s。请把登记号和查询码（信访人信息下“查询码”）告知信访人。下一步：%(due)s "
                     "前告知信访人是否受理，能当场答复的请当场答复。") % {
                "number": p.registration_number, "due": f"{acceptance.due_on:%Y-%m-%d}"}
        return _("已登记，登记号 %(number)s。下一步：告知信访人是否受理。") % {"number": p.registration_number}


def register_petition(*, township, by, data: dict, representatives: list[dict]):
    """Register the case, its files and its repeat link in one transaction: all saved, or nothing."""
    from petitions import services
    from petitions.services.registration import Representative

    repeat_of = None
    if data.get("repeat_of"):
        repeat_of = petitions_visible_to(by).filter(township=township, pk=data["repeat_of"]).first()
        if repeat_of is None:
            raise ValidationError({"subject": _("要关联的原信访件不存在或不是本乡镇的，请重新选择。")})
    checked = services.check_petition_uploads(data.get("attachments") or [])  # CPU work before any row is written
    fields = ("channel", "received_on", "referral_body", "referral_number", "reception_day", "raised_by_deputy",
              "anonymous", "name", "mobile", "id_number", "address", "village", "people_count", "is_collective",
              "subject", "content", "category", "urgency")
    with RemoveFilesOnError() as written, transaction.atomic():
        petition = services.petition_register(
            township=township, by=by, repeat_of=repeat_of,
            representatives=[Representative(name=r["name"], mobile=r["mobile"]) for r in representatives],
            **{name: data.get(name) for name in fields})
        services.petition_attachments_add(petition=petition, by=by, checked=checked, written=written)
    return petition



@login_required
@require_GET
def repeats_panel(request):
    """The earlier petitions by the same person or with a similar subject (an htmx partial while typing).

    Only masked names are shown: the match itself is made on keyed digests of the ID number and phone.
    """
    townships = register_townships(request.user)
    township = _chosen(request, townships)
    if township is None:
        raise PermissionDenied
    subject = request.GET.get("subject", "")[:200]
    id_number = request.GET.get("id_number", "")[:30]
    mobile = request.GET.get("mobile", "")[:20]
    candidates = []
    if subject.strip() or id_number.strip() or mobile.strip():
        candidates = repeats_for(township_id=township.pk, subject=subject, id_number=id_number, mobile=mobile,
                                 queryset=petitions_visible_to(request.user))
    for candidate in candidates:
        p = candidate.petition
        p.masked_name = _("匿名") if p.anonymous else mask_name(p.name)
        p.status_tone = STATUS_TONES.get(p.status, "secondary")
    chosen = request.GET.get("repeat_of", "")
    return render(request, "petitions/_repeats.html", {"candidates": candidates, "chosen": chosen,
                                                       "searched": bool(subject or id_number or mobile)})
