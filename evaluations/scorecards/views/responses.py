"""A township's response: answering items with evidence, submitting; the reviewer's review, scores, send-back
and finalising; evidence files; the township's scorecard as PDF / Word.

A refused step says why on its disabled button (``services.response_refusal``); a form with an error is shown
again on the response page with what was typed, nothing saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluations.scorecards import indicators, selectors, services
from evaluations.scorecards.access import may_manage, may_reopen, may_respond
from evaluations.scorecards.choices import ResponseAction, ResponseState, ReviewState
from evaluations.scorecards.forms import AnswerForm, PlanForm, ReopenForm, ReturnForm, ReviewForm, ScoreForm
from evaluations.scorecards.views.common import evidence_for, response_for
from presidium.idempotency import (
    AlreadySubmitted,
    OneTimeSubmit,
    claimed,
    cut_off_message,
    issue_token,
    repeat_response,
)
from presidium.views.forms import ServiceFormView, apply_validation_error

LIVE_RECORDS_SHOWN = 20


def _actions(response, user):
    """The buttons of the page: each step the user could take, with its URL and, when not possible now, why."""
    steps = [(ResponseAction.SUBMIT, "scorecards:response_submit", "township"),
             (ResponseAction.RETURN, "scorecards:response_return", "reviewer"),
             (ResponseAction.FINALISE, "scorecards:response_finalise", "reviewer"),
             (ResponseAction.REOPEN, "scorecards:response_reopen", "admin")]
    county_id = response.checklist.county_id
    mine = {"township": may_respond(user, response.township), "reviewer": may_manage(user, county_id),
            "admin": may_reopen(user, county_id)}
    found = []
    for action, url_name, who in steps:
        if not mine[who]:
            continue
        if (ResponseState(response.state), action) not in services.RESPONSE_TRANSITIONS and action != ResponseAction.SUBMIT:
            continue
        found.append({"action": action.value, "label": action.label, "url": reverse(url_name, args=[response.pk]),
                      "refusal": services.response_refusal(response, action, user),
                      "form": action in (ResponseAction.RETURN, ResponseAction.REOPEN)})
    return found


def _render(request, response, *, forms_by_item=None, plan_form=None, status=200):
    user = request.user
    checklist = response.checklist
    manage = may_manage(user, checklist.county_id)
    respond = may_respond(user, response.township)
    lock = services.edit_lock(response)
    editable = respond and lock is None
    forms_by_item = forms_by_item or {}
    items = selectors.response_page_data(response)
    live = response.state in (ResponseState.DRAFT, ResponseState.RETURNED)
    show_scores = manage or response.state == ResponseState.FINALISED
    for item in items:
        answer = item.answer_row
        item.indicator = indicators.get_indicator(item.indicator_key) if item.indicator_key else None
        item.live_records, item.figure_live = [], False
        item.shown_figure = answer.figure if answer is not None else None
        if item.indicator is not None and live:
            found = indicators.measure(item.indicator_key, response.township, checklist.period_start,
                                       checklist.period_end)
            item.shown_figure, item.figure_live = found.figure, True
            item.live_records = list(found.records[:LIVE_RECORDS_SHOWN])
        item.form_token = issue_token()  # one per form: a repeated or cut-off upload saves once, or nothing
        item.form = forms_by_item.get(item.pk) or (AnswerForm(prefix=f"i{item.pk}", initial={
            "answer": answer.answer if answer else "", "note": answer.note if answer else ""}) if editable else None)
        item.score_form = None
        if manage and response.state == ResponseState.SUBMITTED:
            score = item.score_row
            item.score_form = forms_by_item.get(("score", item.pk)) or ScoreForm(prefix=f"s{item.pk}", initial={
                "score": score.score if score else "", "comment": score.comment if score else ""})
        item.evidence_list = list(answer.evidence.all()) if answer else []
    period = selectors.period_ranking(checklist) if response.state == ResponseState.FINALISED else []
    own_rank = selectors.rank_of(period, response.township_id)
    year = selectors.year_ranking(checklist) if own_rank else []
    return render(request, "evaluations/scorecards/townshipresponse_detail.html", {
        "response": response, "checklist": checklist, "items": items, "lock": lock, "editable": editable,
        "can_manage": manage, "can_review": manage and response.state in (ResponseState.SUBMITTED,
                                                                          ResponseState.RETURNED),
        "show_scores": show_scores, "actions": _actions(response, user),
        "plan_form": plan_form or (PlanForm(initial={"plan": response.plan}) if editable else None),
        "review_form": ReviewForm(), "review_states": [c for c in ReviewState.choices if c[0] != "pending"],
        "own_rank": own_rank, "township_count": len(period), "year_rank": selectors.rank_of(year, response.township_id),
        "year_count": len(year), "score_total": sum((i.score_row.score for i in items if i.score_row), 0),
        "page_title": _("%(township)s · %(title)s") % {"township": response.township.name, "title": checklist.title},
    }, status=status)


@login_required
def response_detail(request, pk: int):
    return _render(request, response_for(request.user, pk))


def _item(response, item_pk: int):
    return get_object_or_404(response.checklist.items.all(), pk=item_pk)


def _require_township(user, response) -> None:
    if not may_respond(user, response.township):
        raise PermissionDenied


def _require_reviewer(user, response) -> None:
    if not may_manage(user, response.checklist.county_id):
        raise PermissionDenied


@login_required
@require_POST
def answer_save(request, pk: int, item: int):
    response = response_for(request.user, pk)
    _require_township(request.user, response)
    found = _item(response, item)
    once = OneTimeSubmit.of(request)
    earlier = once.earlier_result()
    if earlier is not None:
        return repeat_response(request, earlier)
    form = AnswerForm(request.POST, request.FILES, prefix=f"i{found.pk}")
    if once.cut_off:
        form.is_valid()
        form.add_error(None, cut_off_message())
    elif form.is_valid():
        # No "#item-…": upload.js goes there with location.assign, which on the same page with a fragment
        # only scrolls; without one it loads the page again, showing the saved answer and files.
        target = response.get_absolute_url()
        try:
            with claimed(once) as receipt:
                services.item_answer_save(response=response, item=found, answer=form.cleaned_data["answer"],
                                          note=form.cleaned_data["note"], files=form.cleaned_data["files"],
                                          by=request.user)
                receipt.done(target)
        except AlreadySubmitted as repeat:
            return repeat_response(request, repeat.url)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("已保存“%(item)s”。") % {"item": found.title})
            return redirect(target)
    messages.error(request, _("“%(item)s”没有保存，请看下面的提示。") % {"item": found.title})
    return _render(request, response, forms_by_item={found.pk: form}, status=200)


@login_required
@require_POST
def plan_save(request, pk: int):
    response = response_for(request.user, pk)
    _require_township(request.user, response)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            services.township_response_plan_save(response=response, plan=form.cleaned_data["plan"], by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("已报送工作计划。"))
            return redirect(response.get_absolute_url())
    return _render(request, response, plan_form=form, status=200)


def _step(request, response, call, done: str):
    try:
        call()
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(response.get_absolute_url())


@login_required
@require_POST
def response_submit(request, pk: int):
    response = response_for(request.user, pk)
    _require_township(request.user, response)
    return _step(request, response, lambda: services.township_response_submit(response=response, by=request.user),
                 _("已提交。平台记录已作为佐证材料附上，等待县人大审阅。"))


@login_required
@require_POST
def response_finalise(request, pk: int):
    response = response_for(request.user, pk)
    _require_reviewer(request.user, response)
    return _step(request, response, lambda: services.township_response_finalise(response=response, by=request.user),
                 _("已定稿，计入本期和年度排名。"))


@login_required
@require_POST
def score_save(request, pk: int, item: int):
    response = response_for(request.user, pk)
    _require_reviewer(request.user, response)
    found = _item(response, item)
    form = ScoreForm(request.POST, prefix=f"s{found.pk}")
    if form.is_valid():
        try:
            services.item_score_set(response=response, item=found, score=form.cleaned_data["score"],
                                    comment=form.cleaned_data["comment"], by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("已评分：%(item)s。") % {"item": found.title})
            return redirect(f"{response.get_absolute_url()}#item-{found.pk}")
    return _render(request, response, forms_by_item={("score", found.pk): form}, status=200)


class ResponseStepFormView(ServiceFormView):
    """退回重报 / 撤销定稿: a form with the reason, then one service."""

    who = "reviewer"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.response = response_for(request.user, kwargs["pk"])
            allowed = (may_manage(request.user, self.response.checklist.county_id) if self.who == "reviewer"
                       else may_reopen(request.user, self.response.checklist.county_id))
            if not allowed:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.response.get_absolute_url(), **kwargs)


class ResponseReturnView(ResponseStepFormView):
    form_class = ReturnForm
    page_title = gettext_lazy("退回重报")
    submit_label = gettext_lazy("退回")
    success_message = gettext_lazy("已退回，乡镇已收到通知。")

    def perform(self, form):
        return services.township_response_return(response=self.response, by=self.request.user, **form.cleaned_data)


class ResponseReopenView(ResponseStepFormView):
    form_class = ReopenForm
    who = "admin"
    page_title = gettext_lazy("撤销定稿")
    submit_label = gettext_lazy("撤销定稿")
    success_message = gettext_lazy("已撤销定稿，可以修改评分后重新定稿。")

    def perform(self, form):
        return services.township_response_reopen(response=self.response, by=self.request.user, **form.cleaned_data)


@login_required
@require_POST
def evidence_review(request, pk: int):
    evidence = evidence_for(request.user, pk)
    response = evidence.answer.response
    _require_reviewer(request.user, response)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结果。"))
        return redirect(response.get_absolute_url())
    return _step(request, response, lambda: services.evidence_review_set(evidence=evidence, by=request.user,
                                                                         **form.cleaned_data),
                 _("已记录审核结果。"))


@login_required
@require_POST
def evidence_remove(request, pk: int):
    evidence = evidence_for(request.user, pk)
    response = evidence.answer.response
    _require_township(request.user, response)
    return _step(request, response, lambda: services.evidence_remove(evidence=evidence, by=request.user),
                 _("已删除文件。"))


@login_required
def evidence_file(request, pk: int):
    from presidium.documents.storage import private_file_response

    evidence = evidence_for(request.user, pk)
    if not evidence.file:
        raise PermissionDenied(_("这是平台记录，请打开记录页面。"))
    return private_file_response(evidence.file, evidence.file_name, inline=evidence.inline,
                                 content_type=evidence.content_type)


@login_required
def scorecard_document(request, pk: int):
    """The township's scorecard as PDF (default) or Word (``?format=docx``)."""
    from evaluations.scorecards.documents import scorecard_document as describe
    from presidium.documents.official import official_pdf
    from presidium.documents.pdf import pdf_response
    from presidium.documents.word import docx_response, official_docx

    response = response_for(request.user, pk)
    manage = may_manage(request.user, response.checklist.county_id)
    if not manage and response.state != ResponseState.FINALISED:
        raise PermissionDenied(_("定稿后才能打印考评结果。"))
    items = selectors.response_page_data(response)
    finalised = response.state == ResponseState.FINALISED
    document = describe(response, items, period=selectors.period_ranking(response.checklist) if finalised else [],
                        year=selectors.year_ranking(response.checklist) if finalised else [])
    name = f"{response.township.name}-{response.checklist.title}-考评结果"
    if request.GET.get("format") == "docx":
        return docx_response(official_docx([document]), name)
    return pdf_response(official_pdf([document]), name)
