"""The steps a user may take on one case, for the item page's buttons and the step views' checks.

A step is either a lifecycle move (asked of ``petitions.lifecycle``) or a side step (extension, key
supervision, lead leader, referral result, linking a repeat, the unit's reply) with its own rule. For
each step :func:`step_state` says: allowed now; not yet (a disabled button with the lifecycle's reason
and what comes first); or not for this user / not any more (no button). A role that may never take a
step gets a 403 from the step's view; a state that does not allow it yet sends the user back to the
item with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from petitions import lifecycle
from petitions.access import relations
from petitions.choices import Action, Channel, ClockKind, ClockState, PetitionStatus
from presidium.access import STAFF_ROLES
from presidium.choices import Role

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
    Step("re_review_request", _("登记复核申请"), "petitions:re_review_request", Action.REQUEST_RE_REVIEW,
         "outline-secondary", "arrow-repeat"),
    Step("re_review_decide", _("复核"), "petitions:re_review_decide", Action.DECIDE_RE_REVIEW, "portal",
         "clipboard-check"),
    Step("key_supervision", _("重点督办"), "petitions:key_supervision", None, "outline-secondary", "flag"),
    Step("lead_leader", _("领导包案"), "petitions:lead_leader", None, "outline-secondary", "person-badge"),
    Step("referral_result", _("上报办理结果"), "petitions:referral_result", None, "outline-secondary", "upload"),
    Step("link_repeat", _("关联重复信访"), "petitions:link_repeat", None, "outline-secondary", "link-45deg"),
]
BY_KEY = {step.key: step for step in STEPS}
# Reachable in the table, but not the way forward from there (a closed case is only closed again after a
# review; a registered one is closed after an answer on the spot, which is its own button).
NOT_AHEAD = frozenset({(S.CLOSED, "close"), (S.REGISTERED, "close"), (S.NOT_ACCEPTED, "reply"),
                       (S.ANSWERED_ON_SPOT, "reply")})
# Shown as disabled buttons with their reason while not possible yet (the main road of a case).
UPCOMING = ("accept", "transfer", "reply", "return_visit", "close")


@dataclass(frozen=True)
class StepState:
    allowed: bool
    reason: str = ""  # why not yet (shown beside a disabled button); "" with allowed False: not for this user


def open_transfer(petition, *, prefetched=None):
    transfers = prefetched if prefetched is not None else list(petition.transfers.all())
    return next((t for t in transfers if t.replied_at is None and t.cancelled_at is None), None)


def _extended(petition, clocks) -> bool:
    return any(c.kind == ClockKind.EXTENSION for c in clocks) or any(
        c.kind == ClockKind.COMPLETION and c.state == ClockState.EXTENDED for c in clocks)


def step_state(user, key: str, petition, *, held=None, clocks=None, transfers=None) -> StepState:
    """May ``user`` take step ``key`` on ``petition`` now, and if not yet, why."""
    step = BY_KEY[key]
    held = relations(user, petition) if held is None else held
    staff = bool(held & STAFF_ROLES)
    if step.liaison:  # the unit's liaison answers; staff may enter a reply the unit sent on paper
        if Role.UNIT_LIAISON not in held and not staff:
            return StepState(False)
        transfer = open_transfer(petition, prefetched=transfers)
        if transfer is None:
            return StepState(False)
        return StepState(True)
    if not staff:
        return StepState(False)
    status = S(petition.status)
    if step.action is not None:
        if lifecycle.find(status, step.action) is not None:
            if key == "reply" and status == S.TRANSFERRED and open_transfer(petition, prefetched=transfers):
                return StepState(False, str(_("承办单位还没有回复办理情况；收到回复后再出具答复意见书。")))
            if key in ("review_request", "re_review_request"):
                from petitions.services import review_request_refusal

                reason = review_request_refusal(petition)
                return StepState(reason is None, reason or "")
            return StepState(True)
        ahead = lifecycle.path_to(status, step.action)
        if ahead and len(ahead) <= 2 and (status, key) not in NOT_AHEAD:
            return StepState(False, lifecycle.refusal_reason(status, step.action))
        return StepState(False)
    clocks = list(petition.clocks.all()) if clocks is None else clocks
    if key == "extend":
        reason = lifecycle.extension_refusal(status, already_extended=_extended(petition, clocks))
        return StepState(reason is None, reason or "")
    if key == "return_visit":
        from petitions.services.handling import RETURN_VISIT_STATUSES

        if status in RETURN_VISIT_STATUSES:
            return StepState(True)
        return StepState(False, str(_("书面答复后才能回访信访人。")) if status in lifecycle.EXTENDABLE else "")
    if key == "key_supervision":
        return StepState(status != S.CLOSED)
    if key == "lead_leader":
        return StepState(status != S.CLOSED)
    if key == "referral_result":
        from petitions.services.handling import REPORTABLE

        return StepState(petition.channel == Channel.REFERRED and status in REPORTABLE)
    if key == "link_repeat":
        return StepState(True)
    raise KeyError(key)


def refusal_for_staff(key: str, petition, state: StepState) -> str:
    """What staff are told when a step is not possible on this case (now or any more)."""
    if state.reason:
        return state.reason
    step = BY_KEY[key]
    if step.action is not None:
        return lifecycle.refusal_reason(petition.status, step.action)
    return str(_("这一步对这件信访件现在不适用。"))


def available_steps(user, petition, *, clocks=None, transfers=None) -> tuple[list[Step], list[tuple[Step, str]]]:
    """The steps allowed now, and the main-road steps not possible yet with their reasons."""
    held = relations(user, petition)
    allowed, upcoming = [], []
    for step in STEPS:
        state = step_state(user, step.key, petition, held=held, clocks=clocks, transfers=transfers)
        if state.allowed:
            allowed.append(step)
        elif state.reason and step.key in UPCOMING:
            upcoming.append((step, state.reason))
    return allowed, upcoming
