"""The shape of every state change screen: validate a form, call one service, redirect.

Service ``ValidationError``s land on the form in Chinese, the rest of the input kept, nothing saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from django.views.generic import FormView


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

    def perform(self, form):
        """Call the one service; return the URL (or object with get_absolute_url) to go to."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            target = self.perform(form)
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
        return context
