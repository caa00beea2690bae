"""What the petitioner's look-up shows of a case: the step, the clocks, the notices, the answer, the review window.

Built from the case's own rows in a fixed number of queries; it carries no personal data (no name,
phone, ID number or address; notices only by their public body; no internal notes or account names).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from petitions import lifecycle
from petitions.choices import Action, ClockKind, ClockState, NoticeKind, PetitionStatus, ReviewLevel
from petitions.models import Petition
from petitions.notices import notice_title, printed_text

S = PetitionStatus

PUBLIC_STATUS = {
    S.REGISTERED: _l("已登记，正在审查是否受理"),
    S.ANSWERED_ON_SPOT: _l("已当场答复"),
    S.ACCEPTED: _l("已受理，正在办理"),
    S.NOT_ACCEPTED: _l("不予受理"),
    S.TRANSFERRED: _l("已受理，已交承办单位办理"),
    S.REPLIED: _l("已书面答复"),
    S.CLOSED: _l("已办结"),
    S.REVIEW_REQUESTED: _l("已申请复查，正在复查"),
    S.REVIEWED: _l("已作出复查意见"),
    S.RE_REVIEW_REQUESTED: _l("已申请复核，正在复核"),
    S.RE_REVIEWED: _l("已作出复核意见"),
}


@dataclass(frozen=True)
class Stage:
    label: str
    on: dt.date | None
    state: str  # done | current | todo | skipped


@dataclass(frozen=True)
class PublicClock:
    label: str
    due_on: dt.date
    state: str
    state_label: str
    stopped_on: dt.date | None
    counted: str
    overdue: bool


@dataclass(frozen=True)
class PublicNotice:
    title: str
    number: str
    issued_on: dt.date
    body: str
    is_answer: bool


@dataclass(frozen=True)
class ReviewWindow:
    allowed: bool
    level: str = ReviewLevel.REVIEW
    label: str = ""
    due_on: dt.date | None = None
    reason: str = ""


@dataclass
class CaseStatus:
    petition: Petition
    status_label: str
    stages: list[Stage]
    clocks: list[PublicClock]
    notices: list[PublicNotice]
    answer: PublicNotice | None
    review: ReviewWindow
    unit_name: str = ""
    extra: dict = field(default_factory=dict)


def _d(value) -> dt.date | None:
    if value is None:
        return None
    return timezone.localdate(value) if isinstance(value, dt.datetime) else value


def _stages(petition: Petition) -> list[Stage]:
    status = S(petition.status)
    if status == S.ANSWERED_ON_SPOT or (status == S.CLOSED and petition.on_spot_answer and not petition.accepted_on):
        return [Stage(_("登记"), petition.received_on, "done"), Stage(_("当场答复"), petition.received_on, "done"),
                Stage(_("办结"), _d(petition.closed_at), "done" if status == S.CLOSED else "current")]
    if status == S.NOT_ACCEPTED or (status == S.CLOSED and not petition.accepted_on):
        return [Stage(_("登记"), petition.received_on, "done"), Stage(_("不予受理"), None, "done"),
                Stage(_("办结"), _d(petition.closed_at), "done" if status == S.CLOSED else "todo")]
    accepted = petition.accepted_on is not None
    answered = petition.replied_on is not None
    stages = [
        Stage(_("登记"), petition.received_on, "done"),
        Stage(_("受理"), petition.accepted_on, "done" if accepted else "current"),
        Stage(_("办理"), None, "done" if answered else ("current" if accepted else "todo")),
        Stage(_("书面答复"), petition.replied_on, "done" if answered else "todo"),
    ]
    if status in {S.REVIEW_REQUESTED, S.REVIEWED, S.RE_REVIEW_REQUESTED, S.RE_REVIEWED}:
        stages.append(Stage(_("复查"), None, "current" if status == S.REVIEW_REQUESTED else "done"))
    if status in {S.RE_REVIEW_REQUESTED, S.RE_REVIEWED}:
        stages.append(Stage(_("复核"), None, "current" if status == S.RE_REVIEW_REQUESTED else "done"))
    closed = status == S.CLOSED
    stages.append(Stage(_("办结"), _d(petition.closed_at) if closed else None, "done" if closed else "todo"))
    if status == S.REPLIED:
        stages[-1] = Stage(_("办结"), None, "current")
    return stages


def _window(petition: Petition, clocks: list, *, today: dt.date) -> ReviewWindow:
    """May the petitioner ask for a review (复查) — or, after one, a re-review (复核) — here, now?"""
    status = S(petition.status)
    if status in {S.REVIEWED}:
        level, action, kind, label = ReviewLevel.RE_REVIEW, Action.REQUEST_RE_REVIEW, ClockKind.RE_REVIEW_REQUEST, _("复核")
    else:
        level, action, kind, label = ReviewLevel.REVIEW, Action.REQUEST_REVIEW, ClockKind.REVIEW_REQUEST, _("复查")
    if not lifecycle.is_allowed(status, action):
        reasons = {
            S.REGISTERED: _("还没有作出书面答复。收到答复意见书后 30 日内，可以在这里申请复查。"),
            S.ACCEPTED: _("正在办理，还没有作出书面答复。收到答复意见书后 30 日内，可以在这里申请复查。"),
            S.TRANSFERRED: _("正在办理，还没有作出书面答复。收到答复意见书后 30 日内，可以在这里申请复查。"),
            S.ANSWERED_ON_SPOT: _("本件已当场答复，没有书面答复意见书，不适用复查；如有新的情况，可以重新反映。"),
            S.NOT_ACCEPTED: _("本件不予受理，没有书面答复意见书，不适用复查；不予受理的理由见告知书。"),
            S.REVIEW_REQUESTED: _("您已申请复查，正在复查，复查意见将在 30 日内作出。"),
            S.RE_REVIEW_REQUESTED: _("您已申请复核，正在复核，复核意见将在 30 日内作出。"),
            S.RE_REVIEWED: _("复核意见为最终意见，不再受理复查、复核申请。"),
        }
        return ReviewWindow(False, level, label, reason=reasons.get(status, _("本件目前不能申请复查。")))
    from petitions.services import review_request_refusal

    window = [c for c in clocks if c.kind == kind]
    current = window[-1] if window else None
    if review_request_refusal(petition, today) is None and current is not None:
        return ReviewWindow(True, level, label, current.due_on)
    if current is None:
        return ReviewWindow(False, level, label, reason=_("本件没有书面答复意见书，不适用复查。"))
    return ReviewWindow(False, level, label, current.due_on, reason=_(
        "申请%(what)s的期限（收到书面意见之日起 30 日）已于 %(due)s 届满，不能再在网上申请；"
        "如有新的事实和理由，可以重新反映。") % {"what": label, "due": f"{current.due_on:%Y-%m-%d}"})


def case_status(petition: Petition, *, today: dt.date | None = None) -> CaseStatus:
    """Everything the petitioner's case page shows, in four queries."""
    today = today or timezone.localdate()
    clocks = list(petition.clocks.exclude(state=ClockState.VOID).order_by("started_on", "round", "pk"))
    notices_rows = list(petition.notices.exclude(kind=NoticeKind.TRANSFER).select_related("number")
                        .order_by("issued_on", "pk"))
    notices = [PublicNotice(title=notice_title(n.kind), number=n.reference, issued_on=n.issued_on,
                            body=printed_text(n.public_body), is_answer=n.kind == NoticeKind.ANSWER) for n in notices_rows]
    answers = [n for n in notices if n.is_answer]
    public_clocks = [PublicClock(label=c.get_kind_display(), due_on=c.due_on, state=c.state,
                                 state_label=c.get_state_display(), stopped_on=c.stopped_on, counted=c.counted,
                                 overdue=c.state == ClockState.RUNNING and c.due_on < today) for c in clocks]
    unit = petition.current_unit.name if petition.current_unit_id else ""
    return CaseStatus(petition=petition, status_label=str(PUBLIC_STATUS[S(petition.status)]),
                      stages=_stages(petition), clocks=public_clocks, notices=notices,
                      answer=answers[-1] if answers else None, review=_window(petition, clocks, today=today),
                      unit_name=unit)
