"""The change-of-term page (换届): one page walking the steps in order, and one POST view per step."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presidium.access import has_perm, townships_visible_to
from presidium.terms import selectors, services
from presidium.terms.access import CHANGE_TERM
from presidium.terms.forms import CarryOverForm, NotReelectedForm, OpenNextTermForm


def _township(request, pk: int):
    """Another township's page is a 404; a township the user sees but may not change is a 403."""
    township = get_object_or_404(townships_visible_to(request.user), pk=pk)
    if not has_perm(request.user, CHANGE_TERM, township):
        raise PermissionDenied
    return township


@login_required
def index(request):
    townships = list(selectors.townships_changing_term(request.user))
    if not townships:
        raise PermissionDenied
    if len(townships) == 1:
        return redirect("terms:steps", townships[0].pk)
    return render(request, "terms/term_index.html", {"townships": townships, "page_title": _("换届")})


@login_required
def steps(request, pk: int):
    township = _township(request, pk)
    return render(request, "terms/term_steps.html", {
        "state": selectors.change_of_term(township),
        "township": township,
        "page_title": _("%(t)s · 换届") % {"t": township},
        "today": timezone.localdate(),
        "import_url": reverse("deputies:roster_import_next_term"),
    })


def _done(request, township, message: str):
    messages.success(request, message)
    return redirect("terms:steps", township.pk)


def _refused(request, township, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)
    return redirect("terms:steps", township.pk)


def _form_refused(request, township, form):
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("terms:steps", township.pk)


@require_POST
@login_required
def open_next(request, pk: int):
    township = _township(request, pk)
    form = OpenNextTermForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, township, form)
    try:
        term = services.term_open_next(township=township, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, township, error)
    return _done(request, township, _("%(t)s已开启，选区、代表小组和联络站已复制到新一届，可以修改。") % {"t": term})


def _terms_or_refuse(request, township):
    state = selectors.change_of_term(township)
    if state.new is None:
        raise ValidationError(state.steps[1].blocked or _("请先开启下一届。"))
    return state


@require_POST
@login_required
def mark_not_reelected(request, pk: int):
    township = _township(request, pk)
    try:
        state = _terms_or_refuse(request, township)
    except ValidationError as error:
        return _refused(request, township, error)
    form = NotReelectedForm(request.POST, candidates=selectors.undecided_deputies(state.current))
    if not form.is_valid():
        return _form_refused(request, township, form)
    try:
        marked = services.term_mark_not_reelected(term=state.current, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, township, error)
    return _done(request, township, _("已将 %(n)d 名代表标记为任期届满。") % {"n": len(marked)})


@require_POST
@login_required
def carry_over(request, pk: int):
    township = _township(request, pk)
    try:
        state = _terms_or_refuse(request, township)
    except ValidationError as error:
        return _refused(request, township, error)
    form = CarryOverForm(request.POST, candidates=selectors.undecided_deputies(state.current))
    if not form.is_valid():
        return _form_refused(request, township, form)
    try:
        result = services.term_carry_over(term=state.new, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, township, error)
    return _done(request, township, _("已将 %(n)d 名连任代表转入%(t)s。") % {"n": len(result.created), "t": state.new})


@require_POST
@login_required
def switch(request, pk: int):
    township = _township(request, pk)
    try:
        state = _terms_or_refuse(request, township)
        term = services.term_switch_current(term=state.new, by=request.user)
    except ValidationError as error:
        return _refused(request, township, error)
    return _done(request, township, _("%(t)s已切换为本届；上一届的记录保留，可按届次查看。") % {"t": term})
