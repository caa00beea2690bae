"""What the meeting screens share: loading a visible meeting (404) and requiring the right to manage it (403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from presidium.access import has_perm
from presidium.meetings.access import VIEW, may_manage
from presidium.meetings.selectors import meetings_visible_to


def require_view(user) -> None:
    if not has_perm(user, VIEW):
        raise PermissionDenied


def visible_meeting(user, pk: int, *, manage: bool = False):
    meeting = get_object_or_404(meetings_visible_to(user), pk=pk)
    if manage and not may_manage(user, meeting.township):
        raise PermissionDenied
    return meeting


class MeetingActionMixin:
    """A ServiceFormView on one meeting: visible (else 404), and the township's staff only (else 403)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        self.meeting = visible_meeting(request.user, kwargs["pk"], manage=True)
        self.cancel_url = self.meeting.get_absolute_url()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = self.meeting
        return context
