"""The public pages (no login), mounted at ``xinfang/``: 网上信访, the receipt, 信访查询 and 申请复查.

Nothing personal ever goes into a URL: the form and the look-up are POSTs, the receipt and the case
page read what they show from the session (the receipt once; the case for :data:`CASE_GRANT` after
the number and the query code were given). The case page shows the step, the clocks' due dates, the
notices' public bodies and the written answer's public version — never the petitioner's data.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from petitions.access import query_code_digest
from petitions.models import Petition
from petitions.public import throttle
from petitions.public.forms import (
    MIN_FILL_SECONDS,
    LookupForm,
    OnlinePetitionForm,
    ReviewRequestForm,
    fill_seconds,
    fill_stamp,
)
from petitions.public.models import OnlineSubmission
from petitions.public.services import KEEP_TOKENS, online_petition_submit
from petitions.public.status import case_status
from presidium.idempotency import END_FIELD, TOKEN_FIELD, cut_off_message, issue_token

RECEIPT_KEY = "petitions_public_receipt"
CASE_KEY = "petitions_public_case"
CASE_GRANT = 30 * 60  # seconds the case page stays open after the number and code were given


def _token_digest(token: str) -> str:
    return hashlib.sha256(f"petitions.public.token:{settings.SECRET_KEY}:{token}".encode()).hexdigest()


def index(request):
    """网上信访 and 信访查询: what the petitioner can do here, and the time limits they can count on."""
    return render(request, "petitions/public/index.html", {})


# --- 网上信访 ------------------------------------------------------------------------------------------


def _form_page(request, form, *, token: str, refusal: str = "", status: int = 200):
    if form.is_bound:
        # A fresh stamp each time the form is shown again: the fill time counts from this page.
        data = form.data.copy()
        data["started"] = fill_stamp()
        form.data = data
    else:
        form.initial["started"] = fill_stamp()
    return render(request, "petitions/public/petition_form.html", {
        "form": form, "form_token": token, "refusal": refusal,
    }, status=status)


def _receipt(petition: Petition) -> dict:
    return {"township": petition.township.name, "number": petition.registration_number,
            "code": petition.query_code, "subject": petition.subject,
            "received_on": petition.received_on.isoformat(), "anonymous": petition.anonymous}


def _show_receipt(request, petition: Petition):
    request.session[RECEIPT_KEY] = _receipt(petition)
    return redirect("petitions_public:receipt")


def _earlier_submit(token: str) -> Petition | None:
    row = (OnlineSubmission.objects.filter(token_digest=_token_digest(token), petition__isnull=False,
                                           created_at__gte=timezone.now() - KEEP_TOKENS)
           .select_related("petition__township").first())
    return row.petition if row else None


def _register(form, *, token: str) -> Petition:
    data = form.cleaned_data
    return online_petition_submit(
        token_digest=_token_digest(token), township=data["township"], anonymous=data["anonymous"],
        name=data["name"], mobile=data["mobile"], id_number=data["id_number"], address=data["address"],
        village=data["village"], subject=data["subject"], content=data["content"], category_name=data["category"],
        attachments=data["attachments"])


@never_cache
@require_http_methods(["GET", "POST"])
def petition_create(request):
    """网上信访: the form; on success the receipt (registration number and query code) once."""
    if request.method == "GET":
        return _form_page(request, OnlinePetitionForm(), token=issue_token())
    posted_token = request.POST.get(TOKEN_FIELD, "")
    token = posted_token if 20 <= len(posted_token) <= 64 else issue_token()
    form = OnlinePetitionForm(request.POST, request.FILES)
    if posted_token and request.POST.get(END_FIELD) != "1":
        return _form_page(request, form, token=token, refusal=cut_off_message())
    earlier = _earlier_submit(token) if posted_token else None
    if earlier is not None:  # a second tap, or a retry after the answer was lost
        messages.info(request, _("已提交，未重复提交。"))
        return _show_receipt(request, earlier)
    if not form.is_valid():  # what is missing first; the spam guard only looks at complete forms
        return _form_page(request, form, token=token)
    elapsed = fill_seconds(request.POST.get("started", ""))
    if form.spam_trap_filled or elapsed is None or elapsed < MIN_FILL_SECONDS:
        refusal = (_("页面打开时间过长或已过期，请核对后再提交一次。") if elapsed is None else
                   _("提交得太快了。请核对填写的内容，稍等几秒后再点“提交”。"))
        return _form_page(request, form, token=token, refusal=refusal)
    address = throttle.client_address(request)
    for limit, key in ((throttle.ONLINE_PER_ADDRESS, address), (throttle.ONLINE_PER_MOBILE, form.cleaned_data["mobile"])):
        if not throttle.hit(limit, key):
            return _form_page(request, form, token=token, refusal=_(
                "提交次数较多，请%(when)s再提交；已填写的内容仍在本页。事情紧急的，请直接到乡镇人大主席团或拨打信访电话反映。")
                % {"when": throttle.wait_text(limit)})
    try:
        petition = _register(form, token=token)
    except IntegrityError:
        earlier = _earlier_submit(token)
        if earlier is None:
            raise
        messages.info(request, _("已提交，未重复提交。"))
        return _show_receipt(request, earlier)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _form_page(request, form, token=token)
    return _show_receipt(request, petition)


@never_cache
def receipt(request):
    """The receipt, shown once: the registration number and the query code, to write down or print."""
    data = request.session.pop(RECEIPT_KEY, None)
    return render(request, "petitions/public/petition_receipt.html", {"receipt": data})


# --- 信访查询 ------------------------------------------------------------------------------------------


def _lookup_page(request, form, *, refusal: str = "", status: int = 200):
    return render(request, "petitions/public/petition_lookup.html", {"form": form, "refusal": refusal},
                  status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    """信访查询: the registration number and the query code open the case page for a while."""
    if request.method == "GET":
        return _lookup_page(request, LookupForm())
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _lookup_page(request, form)
    year, number = form.cleaned_data["number"]
    address, number_key = throttle.client_address(request), f"{year}-{number}"
    busy = next((limit for limit, key in ((throttle.LOOKUP_PER_ADDRESS, address),
                                          (throttle.LOOKUP_PER_NUMBER, number_key))
                 if throttle.exceeded(limit, key)), None)
    if busy is not None:
        return _lookup_page(request, form, status=429, refusal=_(
            "查询次数太多，为保护信访人的信息，请%(when)s再查；也可以凭回执到乡镇人大主席团询问。")
            % {"when": throttle.wait_text(busy)})
    # One query on the keyed digest: the same work whether the number exists or not, and the code is
    # never compared as text.
    found = (Petition.objects.filter(query_code_digest=query_code_digest(form.cleaned_data["code"]),
                                     year=year, number=number).values_list("pk", flat=True).first()
             if form.cleaned_data["code"] else None)
    if found is None:
        throttle.hit(throttle.LOOKUP_PER_ADDRESS, address)
        throttle.hit(throttle.LOOKUP_PER_NUMBER, number_key)
        return _lookup_page(request, form, refusal=_("登记号或查询码不正确，请对照回执核对后再试。"))
    request.session.cycle_key()
    request.session[CASE_KEY] = {"id": found, "until": int(time.time()) + CASE_GRANT}
    return redirect("petitions_public:case")


def _granted_petition(request) -> Petition | None:
    grant = request.session.get(CASE_KEY)
    if not grant or grant.get("until", 0) < time.time():
        request.session.pop(CASE_KEY, None)
        return None
    return Petition.objects.select_related("township", "current_unit").filter(pk=grant["id"]).first()


@never_cache
def case(request):
    """The case as the petitioner sees it (after the look-up)."""
    petition = _granted_petition(request)
    if petition is None:
        messages.info(request, _("请先输入登记号和查询码。"))
        return redirect("petitions_public:lookup")
    return render(request, "petitions/public/petition_status.html",
                  {"case": case_status(petition), "review_form": ReviewRequestForm()})


@never_cache
@require_POST
def review_request(request):
    """申请复查 from the case page, within the window (``petition_review_request`` with ``by=None``)."""
    petition = _granted_petition(request)
    if petition is None:
        messages.info(request, _("查询已超时，请重新输入登记号和查询码。"))
        return redirect("petitions_public:lookup")
    status = case_status(petition)
    form = ReviewRequestForm(request.POST)
    if status.review.allowed and form.is_valid():
        from petitions.services import petition_review_request

        try:
            petition_review_request(petition=petition, by=None, reason=form.cleaned_data["reason"],
                                    query_code=form.cleaned_data["code"])
        except PermissionDenied:
            throttle.hit(throttle.LOOKUP_PER_ADDRESS, throttle.client_address(request))
            form.add_error("code", _("查询码不正确，请对照回执核对。"))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已收到您的%(what)s申请，我们将在 30 日内作出意见并告知您。")
                             % {"what": status.review.label})
            return redirect("petitions_public:case")
    return render(request, "petitions/public/petition_status.html", {"case": case_status(petition),
                                                                     "review_form": form})


@require_POST
def leave(request):
    """退出查询: forget the case in this browser (a shared phone)."""
    request.session.pop(CASE_KEY, None)
    return redirect(reverse("petitions_public:lookup"))
