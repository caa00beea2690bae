"""申请退办 (the lead unit's liaison), its approval with 改办 or refusal (staff), and 改办 on staff's own motion."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from proposals import forms, services
from proposals.access import relations
from proposals.choices import HandBackStatus
from proposals.lifecycle import STAFF
from proposals.models import HandBackRequest
from proposals.selectors import hand_back_window, pending_hand_back_of
from proposals.views.actions import ItemActionView, _SubObjectView


def _assignment_args(data: dict) -> dict:
    return {
        "lead_unit": data["lead_unit"], "co_units": data["co_units"], "responsible_leader": data["responsible_leader"],
        "responsible_leader_user": data["responsible_leader_user"], "supervision_mode": data["supervision_mode"],
        "deadline_choice": data["deadline_choice"], "working_days": data["working_days"], "is_key": data["is_key"],
        "leading_leader": data["leading_leader"], "note": data["note"],
    }


def _current_assignment(suggestion) -> dict:
    """The reassignment form starts from the item's current assignment (co-units, supervision, key item)."""
    return {
        "co_units": [link.unit for link in suggestion.co_unit_links.filter(released_at__isnull=True)
                     .select_related("unit")],
        "supervision_mode": suggestion.supervision_mode or None, "is_key": suggestion.is_key,
        "leading_leader": suggestion.leading_leader,
    }


class HandBackRequestView(ItemActionView):
    key = "hand_back"
    form_class = forms.HandBackRequestForm
    page_title = _("申请退办")
    submit_label = _("提交退办申请")
    template_name = "proposals/hand_back_form.html"
    success_message = _("退办申请已提交，等待人大办处理。处理前请留意办理期限。")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"suggestion": self.suggestion}

    def get_context_data(self, **kwargs):
        return super().get_context_data(window=hand_back_window(self.suggestion),
                                        pending=pending_hand_back_of(self.suggestion), **kwargs)

    def perform(self, form):
        services.suggestion_hand_back_request(suggestion=self.suggestion, by=self.request.user,
                                              reason=form.cleaned_data["reason"],
                                              suggested_unit=form.cleaned_data["suggested_unit"])
        return self.done()


class ReassignView(ItemActionView):
    key = "reassign"
    form_class = forms.ReassignForm
    page_title = _("改办")
    submit_label = _("改办")
    template_name = "proposals/reassign_form.html"
    success_message = _("已改办，新主办单位和领衔代表已收到通知。")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"township": self.suggestion.township,
                                            "current_unit_id": self.suggestion.lead_unit_id}

    def get_initial(self):
        return _current_assignment(self.suggestion)

    def get_context_data(self, **kwargs):
        return super().get_context_data(pending=pending_hand_back_of(self.suggestion), **kwargs)

    def perform(self, form):
        services.suggestion_reassign(suggestion=self.suggestion, by=self.request.user,
                                     **_assignment_args(form.cleaned_data))
        return self.done()


class _HandBackDecisionView(_SubObjectView):
    model = HandBackRequest
    template_name = "proposals/hand_back_decide.html"

    def check(self, request):
        if not relations(request.user, self.suggestion) & STAFF or self.obj.status != HandBackStatus.PENDING:
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        return super().get_context_data(request_obj=self.obj, **kwargs)


class HandBackApproveView(_HandBackDecisionView):
    form_class = forms.HandBackApproveForm
    page_title = _("同意退办并改办")
    submit_label = _("同意并改办")
    success_message = _("已同意退办并改办，新主办单位、原主办单位和领衔代表已收到通知。")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"township": self.suggestion.township,
                                            "current_unit_id": self.suggestion.lead_unit_id}

    def get_initial(self):
        return _current_assignment(self.suggestion) | {"lead_unit": self.obj.suggested_unit}

    def get_context_data(self, **kwargs):
        return super().get_context_data(approving=True, **kwargs)

    def perform(self, form):
        services.suggestion_hand_back_decide(request=self.obj, by=self.request.user, approve=True,
                                             **_assignment_args(form.cleaned_data))
        return self.done()


class HandBackRefuseView(_HandBackDecisionView):
    form_class = forms.HandBackRefuseForm
    page_title = _("不同意退办")
    submit_label = _("不同意退办")
    success_message = _("已不同意退办，承办单位已收到理由。")

    def perform(self, form):
        services.suggestion_hand_back_decide(request=self.obj, by=self.request.user, approve=False,
                                             note=form.cleaned_data["note"])
        return self.done()
