"""``notice_issue``: the one place that numbers a notice (发文字号) and starts or stops the clocks it governs.

Issuing a notice is what moves a statutory clock (Froide/Zammad: a clock's start and stop are events):

=================  ==========================================================================
受理告知书          stops acceptance; starts completion (60 days from the acceptance date)
不予受理告知书      stops acceptance
延期告知书          completion → extended; the extension clock runs n days from its due date
答复意见书          stops completion (or extension); starts the 30-day review-request window
复查意见书          stops review; starts the 30-day re-review-request window
复核意见书          stops re-review
转办单              no clock (the transfer's due date lies within the completion clock)
=================  ==========================================================================

The step services (``petition_accept`` …) call :func:`notice_issue` inside their own transaction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from petitions import clocks
from petitions.choices import ClockKind, EventKind, NoticeKind
from petitions.models import Petition, PetitionNotice, PetitionTransfer
from petitions.services.common import clean_text, log
from presidium.documents.services import document_number_issue
from presidium.records import as_stored, record


def notice_issue(*, petition: Petition, kind: str, by, body: str = "", public_body: str = "",
                 issued_on: dt.date | None = None, addressee: str = "", transfer: PetitionTransfer | None = None,
                 extension_days: int | None = None, reason: str = "", approved_by: str = "") -> PetitionNotice:
    """Write and number one notice, move its clocks, and put it on the timeline. Returns the notice.

    ``body`` defaults to a standard text for the kind; ``public_body`` (shown to the petitioner's look-up
    and anyone outside the case) defaults to the body when the body is the standard text, and must be
    given with a body of one's own (it may hold personal data the public version must leave out).
    """
    from django.utils import timezone

    kind = NoticeKind(kind)
    issued_on = issued_on or timezone.localdate()
    body = clean_text(body)
    standard = as_stored(default_body(petition, kind, extension_days=extension_days, reason=reason))
    if not body:
        body = standard
        public_body = clean_text(public_body) or standard
    else:
        public_body = clean_text(public_body)
    notice = PetitionNotice(
        petition=petition, kind=kind, issued_on=issued_on, issued_by=by if getattr(by, "pk", None) else None,
        addressee=clean_text(addressee) or _addressee(petition, kind, transfer), body=body, public_body=public_body,
        transfer=transfer, extension_days=extension_days, reason=clean_text(reason),
        approved_by=clean_text(approved_by),
    )
    notice.full_clean(exclude=["number"])
    notice.save()
    notice.number = document_number_issue(
        township=petition.township, kind=f"petitions.{kind}", subject=notice, year=issued_on.year,
        by=by if getattr(by, "pk", None) else None,
        title=f"{NoticeKind(kind).label} {petition.registration_number}"[:200],
    )
    notice.save(update_fields=["number"])
    _move_clocks(petition, notice)
    clocks.refresh_next_due(petition)
    log(petition, event=f"notice_{kind}", by=by, kind=EventKind.NOTICE,
        title=record(_l("出具%(kind)s（%(number)s）"), {"kind": NoticeKind(kind).label, "number": notice.reference}))
    return notice


def _move_clocks(petition: Petition, notice: PetitionNotice) -> None:
    on, kind, label = notice.issued_on, notice.kind, NoticeKind(notice.kind).label
    if kind == NoticeKind.ACCEPTANCE:
        clocks.clocks_stop(petition=petition, kinds=[ClockKind.ACCEPTANCE], stopped_on=on, stop_event=label,
                           notice=notice)
        clocks.clock_start(petition=petition, kind=ClockKind.COMPLETION, started_on=on, start_event=label,
                           notice=notice)
    elif kind == NoticeKind.NON_ACCEPTANCE:
        clocks.clocks_stop(petition=petition, kinds=[ClockKind.ACCEPTANCE], stopped_on=on, stop_event=label,
                           notice=notice)
    elif kind == NoticeKind.EXTENSION:
        clocks.clock_extend(petition=petition, days=notice.extension_days, on=on, notice=notice)
    elif kind == NoticeKind.ANSWER:
        clocks.clocks_stop(petition=petition, kinds=clocks.HANDLING_KINDS, stopped_on=on, stop_event=label,
                           notice=notice)
        clocks.clock_start(petition=petition, kind=ClockKind.REVIEW_REQUEST, started_on=on, start_event=label,
                           notice=notice)
    elif kind == NoticeKind.REVIEW:
        clocks.clocks_stop(petition=petition, kinds=[ClockKind.REVIEW], stopped_on=on, stop_event=label,
                           notice=notice)
        clocks.clock_start(petition=petition, kind=ClockKind.RE_REVIEW_REQUEST, started_on=on, start_event=label,
                           notice=notice)
    elif kind == NoticeKind.RE_REVIEW:
        clocks.clocks_stop(petition=petition, kinds=[ClockKind.RE_REVIEW], stopped_on=on, stop_event=label,
                           notice=notice)


def _addressee(petition: Petition, kind: str, transfer: PetitionTransfer | None) -> str:
    if kind == NoticeKind.TRANSFER and transfer is not None:
        return transfer.unit.name
    if petition.anonymous or not petition.name:
        return _("信访人")
    return petition.name[:100]


def default_body(petition: Petition, kind: str, *, extension_days: int | None = None, reason: str = ""):
    """The standard text of a notice (stored in Chinese); staff may write their own instead."""
    subject = petition.subject
    received = petition.received_on
    if kind == NoticeKind.ACCEPTANCE:
        return record(_l("你于 %(received)s 反映的“%(subject)s”事项，经审查，符合受理条件，我单位决定予以受理，"
                         "将自受理之日起 60 日内办结，并书面答复你。"), {"received": received, "subject": subject})
    if kind == NoticeKind.NON_ACCEPTANCE:
        return record(_l("你于 %(received)s 反映的“%(subject)s”事项，经审查，不予受理。理由：%(reason)s"), {
            "received": received, "subject": subject, "reason": reason or petition.rejection_reason})
    if kind == NoticeKind.EXTENSION:
        return record(_l("你反映的“%(subject)s”事项，因情况复杂，经批准，办理期限延长 %(days)s 日。延期理由：%(reason)s"), {
            "subject": subject, "days": extension_days, "reason": reason})
    if kind == NoticeKind.ANSWER:
        return record(_l("你反映的“%(subject)s”事项，现答复如下。你如对本答复意见不服，可以自收到本意见书之日起 30 日内"
                         "请求复查。"), {"subject": subject})
    if kind == NoticeKind.REVIEW:
        return record(_l("你对“%(subject)s”事项答复意见提出的复查请求，复查意见如下。你如对复查意见不服，可以自收到本意见书"
                         "之日起 30 日内请求复核。"), {"subject": subject})
    if kind == NoticeKind.RE_REVIEW:
        return record(_l("你对“%(subject)s”事项复查意见提出的复核请求，复核意见如下。"), {"subject": subject})
    if kind == NoticeKind.TRANSFER:
        return record(_l("现将信访件%(number)s“%(subject)s”转你单位办理，请按期办结并回复办理情况。"), {
            "number": petition.registration_number, "subject": subject})
    raise ValidationError(_("未知的文书类型。"))
