"""The shape of every state change screen: validate a form, call one service, redirect.

Service ``ValidationError``s land on the form in Chinese, the rest of the input kept, nothing saved.
A view with ``one_time_token = True`` (new items, every form with files) saves a repeated submit of the
same form once, and nothing from a cut-off upload (:mod:`presidium.idempotency`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from presidium.idempotency import (
    AlreadySubmitted,
    OneTimeSubmit,
    claimed,
    cut_off_message,
    issue_token,
    repeat_response,
)


def apply_validation_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on their fields, others on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        for item in error.error_list:
            form.add_error(None, item)


class ServiceFormView(LoginRequiredMixin, FormView):
    template_name = "components/form_page.html"
    page_title = ""
    submit_label = gettext_lazy("保存")
    success_message = ""
    cancel_url: str | None = None
    one_time_token = False
    once: OneTimeSubmit | None = None

    def post(self, request, *args, **kwargs):
        if self.one_time_token:
            self.once = OneTimeSubmit.of(request)
            earlier = self.once.earlier_result()
            if earlier is not None:
                return repeat_response(request, earlier)
            if self.once.cut_off:
                form = self.get_form()
                form.add_error(None, cut_off_message())
                return self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        """Call the one service; return the URL (or object with get_absolute_url) to go to."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with claimed(self.once) as receipt:
                target = receipt.done(self.perform(form))
        except AlreadySubmitted as repeat:
            return repeat_response(self.request, repeat.url)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        if message := self.get_success_message():
            messages.success(self.request, message)
        return redirect(target)

    def get_success_message(self) -> str:
        """What happened and what comes next; override when it depends on the result (called after perform)."""
        return self.success_message

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("page_title", self.page_title)
        context.setdefault("submit_label", self.submit_label)
        context.setdefault("cancel_url", self.cancel_url or self.request.META.get("HTTP_REFERER") or "")
        if self.one_time_token:
            context.setdefault("form_token", self.once.token if self.once else issue_token())
        return context
