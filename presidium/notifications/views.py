"""The inbox (a user's own messages, unread first), the user's own settings page and the password reset page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from presidium.notifications import services
from presidium.notifications.choices import InboxFilter
from presidium.notifications.filters import NotificationFilter
from presidium.notifications.forms import AccountSettingsForm, OutboxPasswordResetForm
from presidium.notifications.outbox import enqueue_delivery
from presidium.notifications.selectors import inbox_for, notifications_visible_to, preference_for
from presidium.views.forms import ServiceFormView
from presidium.views.lists import PortalListView


class InboxView(PortalListView):
    filterset_class = NotificationFilter
    template_name = "notifications/notification_list.html"
    page_title = _("消息")
    paginate_by = 20

    def visible_queryset(self):
        return inbox_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show"] = self.request.GET.get("show") or InboxFilter.ALL
        context["filters"] = InboxFilter
        return context


inbox = InboxView.as_view()


@login_required
def notification_open(request, pk: int):
    """Opening a notification reads it: mark it read, then go to the matter it is about.

    A GET on purpose: the link in the e-mail and SMS comes here, and marking one's own message read
    is the idempotent side effect of reading it, as in any mail client.
    """
    notification = get_object_or_404(notifications_visible_to(request.user), pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect(reverse("notifications:inbox"))


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user, by=request.user)
    if count:
        messages.success(request, _("已将 %(n)s 条消息标为已读。") % {"n": count})
    return redirect(reverse("notifications:inbox"))


class AccountSettingsView(ServiceFormView):
    form_class = AccountSettingsForm
    template_name = "notifications/account_settings.html"
    page_title = _("个人设置")
    submit_label = _("保存")
    success_message = _("个人设置已保存。")

    def get_initial(self):
        user = self.request.user
        preference = preference_for(user)
        # A channel without an address is shown off: it would not be used, and saving the page
        # unchanged must not fail with "fill in your e-mail first".
        return {
            "real_name": user.real_name, "mobile": user.mobile, "email": user.email,
            "email_enabled": preference.email_enabled and bool(user.email),
            "sms_enabled": preference.sms_enabled and bool(user.mobile),
        }

    def perform(self, form):
        services.account_settings_update(user=self.request.user, by=self.request.user, **form.cleaned_data)
        return reverse("account_settings")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("home")
        return context


account_settings = AccountSettingsView.as_view()


class _RedirectThenDeliver(HttpResponseRedirect):
    """A redirect that asks for outbox delivery once it has gone out.

    The server calls ``close()`` after it has written the response (WSGI and ASGI alike), so the time a
    delivery takes — in-process when there is no broker — never shows in the time the page took.
    ``enqueue_delivery`` never raises: a failure leaves the rows to the periodic pass.
    """

    def close(self):
        try:
            enqueue_delivery()
        finally:
            super().close()


class PasswordResetView(auth_views.PasswordResetView):
    """找回密码: the reset e-mail is queued in the outbox and delivered after the response.

    Django's view sends the mail inside the request: a known address took an SMTP round trip longer
    than an unknown one (telling by its timing whether an account exists), and a stalled mail server
    held the page. Now both answers are the same redirect after the same work, apart from the look-up
    and, for a known address, writing the outbox row.
    """

    form_class = OutboxPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        response = super().form_valid(form)  # saves the form: the e-mails are queued, nothing is sent
        if form.queued:
            return _RedirectThenDeliver(response.url)
        return response


password_reset = PasswordResetView.as_view()
