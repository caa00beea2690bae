"""Review (复查) and re-review (复核): the petitioner's request within the window, and the decision."""

from __future__ import annotations

import datetime as dt
import hmac

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from petitions import clocks, lifecycle
from petitions.access import query_code_digest
from petitions.choices import (
    Action,
    Channel,
    ClockKind,
    NoticeKind,
    PetitionStatus,
    ReviewDecision,
    ReviewLevel,
)
from petitions.models import Petition, PetitionReview
from petitions.services.common import check_date, clean_text, label, lock, move, require_staff, save, tell
from petitions.services.notices import default_body, notice_issue
from presidium.records import as_stored, record

S = PetitionStatus
# From which status a request is a review, and from which a re-review; with their window and clock.
REQUEST_LEVELS = {
    S.REPLIED: (ReviewLevel.REVIEW, Action.REQUEST_REVIEW, ClockKind.REVIEW_REQUEST, ClockKind.REVIEW),
    S.CLOSED: (ReviewLevel.REVIEW, Action.REQUEST_REVIEW, ClockKind.REVIEW_REQUEST, ClockKind.REVIEW),
    S.REVIEWED: (ReviewLevel.RE_REVIEW, Action.REQUEST_RE_REVIEW, ClockKind.RE_REVIEW_REQUEST, ClockKind.RE_REVIEW),
}
DECIDE_LEVELS = {
    S.REVIEW_REQUESTED: (ReviewLevel.REVIEW, Action.DECIDE_REVIEW, NoticeKind.REVIEW),
    S.RE_REVIEW_REQUESTED: (ReviewLevel.RE_REVIEW, Action.DECIDE_RE_REVIEW, NoticeKind.RE_REVIEW),
}


def review_request_refusal(petition: Petition, on: dt.date | None = None) -> str | None:
    """Why a review (or re-review) cannot be asked for now, or None when it can (for the look-up page too)."""
    on = on or timezone.localdate()
    level = REQUEST_LEVELS.get(S(petition.status))
    if level is None:
        action = Action.REQUEST_RE_REVIEW if petition.status in (S.RE_REVIEW_REQUESTED, S.RE_REVIEWED) \
            else Action.REQUEST_REVIEW
        return lifecycle.refusal_reason(petition.status, action)
    window = clocks.window_open(petition, level[2], on)
    if window is None:
        last = (petition.clocks.filter(kind=level[2]).order_by("-round").values_list("due_on", flat=True).first())
        if last is None:
            return _("这件信访件没有书面答复意见书，不适用复查。")
        return _("申请期限已于 %(due)s 届满（自收到书面意见之日起 30 日内），不能再申请%(level)s。") % {
            "due": last, "level": level[0].label}
    return None


@transaction.atomic
def petition_review_request(*, petition: Petition, by, reason: str, query_code: str = "",
                            channel: str = Channel.VISIT, requested_on: dt.date | None = None) -> PetitionReview:
    """The petitioner asks for a review (复查) of the written answer, or a re-review (复核) of the review,
    within 30 days. Staff record a request made on paper or at the desk; ``by=None`` is the petitioner's own
    request through the look-up, proven by the query code (compared by digest, in constant time)."""
    petition = lock(petition)
    if by is None:
        expected = petition.query_code_digest
        if not expected or not hmac.compare_digest(expected, query_code_digest(query_code)):
            raise PermissionDenied(_("查询码不正确。"))
        channel = Channel.ONLINE
    else:
        require_staff(by, petition)
    requested_on = check_date(requested_on, "requested_on")
    refusal = review_request_refusal(petition, requested_on)
    if refusal:
        raise ValidationError(refusal)
    level, action, window_kind, clock_kind = REQUEST_LEVELS[S(petition.status)]
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("请写明对处理意见不服的理由。")})
    review = PetitionReview(petition=petition, level=level, requested_on=requested_on, request_channel=channel,
                            reason=reason, requested_by=by if getattr(by, "pk", None) else None)
    review.full_clean()
    review.save()
    move(petition, action, by=by, note=reason)
    save(petition, by, ["status"])
    clocks.clocks_stop(petition=petition, kinds=[window_kind], stopped_on=requested_on, stop_event=action.label)
    clocks.clock_start(petition=petition, kind=clock_kind, started_on=requested_on, start_event=action.label)
    clocks.refresh_next_due(petition)
    from petitions.selectors import township_staff

    tell(petition, recipients=township_staff(petition.township_id), by=by, kind="petitions.review_requested",
         title=record(_l("信访件%(label)s：信访人申请%(level)s，请在 30 日内提出意见"), {
             "label": label(petition), "level": level.label}))
    return review


@transaction.atomic
def petition_review_decide(*, petition: Petition, by, decision: str, text: str, public_text: str,
                           on: dt.date | None = None):
    """复查意见 or 复核意见 (the level follows the request): issues the 复查意见书 / 复核意见书. A review's
    notice opens the 30-day window for a re-review; a re-review is final."""
    petition = lock(petition)
    require_staff(by, petition)
    level_row = DECIDE_LEVELS.get(S(petition.status))
    if level_row is None:
        lifecycle.transition(petition.status, Action.DECIDE_REVIEW)  # raises with the reason
    level, action, notice_kind = level_row
    errors: dict[str, list] = {}
    if decision not in ReviewDecision.values:
        errors["decision"] = [_("请选择结论。")]
    text, public_text = clean_text(text), clean_text(public_text)
    if not text:
        errors["text"] = [_("请填写%(level)s意见。") % {"level": level.label}]
    if not public_text:
        errors["public_text"] = [_("请填写意见的公开版本（不含个人信息）。")]
    if errors:
        raise ValidationError(errors)
    review = PetitionReview.objects.select_for_update().get(petition=petition, level=level)
    on = check_date(on, "on", not_before=review.requested_on, not_before_label=_("申请日期"))
    review.decision, review.decision_text, review.decided_on, review.decided_by = decision, text, on, by
    review.full_clean()
    review.save(update_fields=["decision", "decision_text", "decided_on", "decided_by"])
    move(petition, action, by=by, title=record(_l("%(action)s：%(decision)s"), {
        "action": action.label, "decision": ReviewDecision(decision).label}))
    save(petition, by, ["status"])
    intro = as_stored(default_body(petition, notice_kind))
    return notice_issue(petition=petition, kind=notice_kind, by=by, issued_on=on, body=f"{intro}\n{text}",
                        public_body=f"{intro}\n{public_text}")
