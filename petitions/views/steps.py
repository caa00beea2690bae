"""The buttons of one case: each screen step's label, view and look, on p-core's rules.

Whether a user may take a step now, and why not, is p-core's (``petitions.access.can / why_not /
available / upcoming``: the lifecycle table plus the user's relation to the case). This module only says
how each step looks and where its form is. A role that may never take a step gets a 403 from the step's
view; a state that does not allow it (yet, or any more) sends the user back to the case with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from petitions import access
from petitions.access import relations
from petitions.choices import Action, PetitionStatus
from presidium.access import STAFF_ROLES

S = PetitionStatus


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    url_name: str
    action: Action | None = None  # a lifecycle move; None for a side step
    tone: str = "outline-secondary"
    icon: str = ""
    liaison: bool = False  # taken by the unit's liaison instead of the staff


STEPS: list[Step] = [
    Step("edit", _("修改登记"), "petitions:edit", None, "outline-secondary", "pencil"),
    Step("answer_on_spot", _("当场答复"), "petitions:answer_on_spot", Action.ANSWER_ON_SPOT, "outline-primary",
         "chat-left-text"),
    Step("accept", _("受理"), "petitions:accept", Action.ACCEPT, "portal", "check2-circle"),
    Step("reject", _("不予受理"), "petitions:reject", Action.REJECT, "outline-danger", "x-circle"),
    Step("transfer", _("转办"), "petitions:transfer", Action.TRANSFER, "portal", "send"),
    Step("unit_reply", _("回复办理情况"), "petitions:unit_reply", None, "portal", "reply", liaison=True),
    Step("extend", _("延期"), "petitions:extend", None, "outline-secondary", "hourglass-split"),
    Step("reply", _("书面答复"), "petitions:reply", Action.REPLY, "portal", "file-earmark-text"),
    Step("return_visit", _("回访"), "petitions:return_visit", None, "outline-primary", "telephone"),
    Step("close", _("息访办结"), "petitions:close", Action.CLOSE, "success", "check2-all"),
    Step("review_request", _("登记复查申请"), "petitions:review_request", Action.REQUEST_REVIEW, "outline-secondary",
         "arrow-repeat"),
    Step("review_decide", _("复查"), "petitions:review_decide", Action.DECIDE_REVIEW, "portal", "clipboard-check"),
    Step("key_supervision", _("重点督办"), "petitions:key_supervision", None, "outline-secondary", "flag"),
    Step("lead_leader", _("领导包案"), "petitions:lead_leader", None, "outline-secondary", "person-badge"),
    Step("referral_result", _("上报办理结果"), "petitions:referral_result", None, "outline-secondary", "upload"),
    Step("link_repeat", _("关联重复信访"), "petitions:link_repeat", None, "outline-secondary", "link-45deg"),
]
BY_KEY = {step.key: step for step in STEPS}


@dataclass(frozen=True)
class StepState:
    allowed: bool
    reason: str = ""  # why not now ("" with allowed False: never this user's step — a 403)


RE_REVIEW_STATUSES = frozenset({S.REVIEWED, S.RE_REVIEW_REQUESTED, S.RE_REVIEWED})
RE_REVIEW_LABELS = {"review_request": _("登记复核申请"), "review_decide": _("复核")}
# Reachable in the table, but not the way forward from there: a closed case is closed again only after a
# review, a registered one after an answer on the spot (its own button).
NOT_AHEAD = frozenset({(S.CLOSED, "close"), (S.REGISTERED, "close")})


def shown(step: Step, petition, *, staff: bool = False) -> Step:
    """The step as this case shows it: the review steps read 复核 once the case has been reviewed; staff enter
    a reply the unit sent on paper (the liaison replies themselves)."""
    if step.key in RE_REVIEW_LABELS and petition.status in RE_REVIEW_STATUSES:
        return replace(step, label=RE_REVIEW_LABELS[step.key])
    if step.key == "unit_reply" and staff:
        return replace(step, label=_("代为登记单位回复"), tone="outline-secondary")
    return step


def open_transfer(petition, *, prefetched=None):
    transfers = prefetched if prefetched is not None else list(petition.transfers.all())
    return next((t for t in transfers if t.replied_at is None and t.cancelled_at is None), None)


def step_state(user, key: str, petition, *, held=None) -> StepState:
    """May ``user`` take step ``key`` on ``petition`` now, and if not, why (p-core's rule)."""
    held = relations(user, petition) if held is None else held
    if access.can(user, key, petition, held=held):
        return StepState(True)
    return StepState(False, access.why_not(user, key, petition, held=held) or "")


def available_steps(user, petition) -> tuple[list[Step], list[tuple[Step, str]]]:
    """The steps allowed now, and the main steps ahead not possible yet with their reasons."""
    keys = access.available(user, petition)
    staff = bool(relations(user, petition) & STAFF_ROLES)
    allowed = [shown(BY_KEY[key], petition, staff=staff) for key in keys if key in BY_KEY]
    upcoming = [(shown(BY_KEY[key], petition, staff=staff), reason) for key, reason in access.upcoming(user, petition, actions=keys)
                if key in BY_KEY and (petition.status, key) not in NOT_AHEAD]
    return allowed, upcoming
