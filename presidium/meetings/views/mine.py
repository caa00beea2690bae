"""The invitee's own screens on the phone: 我的会议 and 请假."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presidium.meetings import selectors, services
from presidium.meetings.access import is_own_invitation
from presidium.meetings.forms import LeaveForm
from presidium.meetings.models import Invitation
from presidium.views.forms import ServiceFormView


@login_required
def my_meetings(request):
    """我的会议: the meetings I am invited to, the next ones first, with 请假 before the start."""
    now = timezone.now()
    invitations = list(selectors.invitations_of(request.user)[:200])
    upcoming = sorted([i for i in invitations if i.meeting.ends_at >= now], key=lambda i: (i.meeting.starts_at, i.pk))
    past = [i for i in invitations if i.meeting.ends_at < now][:50]
    for invitation in upcoming:
        invitation.leave_refusal = services.leave_refusal(invitation, now=now)
    return render(request, "meetings/invitation_mine.html", {
        "upcoming": upcoming, "past": past, "page_title": _("我的会议"), "today": timezone.localdate()})


class LeaveView(ServiceFormView):
    """请假: the invitee, before the meeting starts, with a reason."""

    form_class = LeaveForm
    page_title = gettext_lazy("请假")
    submit_label = gettext_lazy("提交请假")
    success_message = gettext_lazy("已请假，人大办已收到通知。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        self.invitation = get_object_or_404(
            Invitation.objects.select_related("meeting__township", "deputy", "user")
            .filter(meeting__in=selectors.meetings_visible_to(request.user)), pk=kwargs["pk"])
        if not is_own_invitation(request.user, self.invitation):
            raise PermissionDenied
        self.cancel_url = reverse("meetings:mine")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.invitation.meeting
        context["form_intro"] = _("%(title)s，%(when)s，%(place)s。请假须在会议开始之前提出。") % {
            "title": meeting.title, "when": f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}",
            "place": meeting.place}
        return context

    def perform(self, form):
        services.invitation_request_leave(invitation=self.invitation, reason=form.cleaned_data["reason"],
                                          by=self.request.user)
        return reverse("meetings:mine")


def home_block(request) -> str | None:
    """我的会议 on the home page: the next meetings I am invited to, with 请假."""
    now = timezone.now()
    invitations = selectors.upcoming_invitations_kept(request.user, now=now)  # its SQL kept for the day
    if not invitations:
        return None
    for invitation in invitations:
        invitation.leave_refusal = services.leave_refusal(invitation, now=now)
    return render_to_string("meetings/home_mine.html", {"invitations": invitations}, request=request)
