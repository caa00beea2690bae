"""One case: the item page (petitioner, matter, status and outcome apart, clocks, timeline, transfers,
notices, return visits, reviews, the steps with the reasons for those not possible yet) and its files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from petitions.access import PetitionerView, mask_mobile, relations, sees_petitioner_data
from petitions.choices import ClockKind, ClockState, DataAccessPurpose, NoticeKind
from petitions.clocks import WINDOW_KINDS
from petitions.models import PetitionAttachment, PetitionNotice, PetitionTransfer
from petitions.selectors import petitions_visible_to
from petitions.views.lists import STATUS_TONES
from petitions.views.steps import available_steps, open_transfer
from presidium.access import STAFF_ROLES, has_perm, scope_of
from presidium.choices import Role
from presidium.documents.storage import private_file_response
from presidium.history import history_entry


def get_visible(user, pk: int):
    """The case if ``user`` may see it; another township's (or another unit's) case is a 404.

    Joined: what the page shows of a case often (the deputy who spoke for it, its reception day, the case it
    repeats). Not joined: the 包案领导 (rare; read when set), the registering user and the visit opinion it came from
    (the page shows neither: only whether there is one). Each joined table multiplies PostgreSQL's planning: with
    nine joins it spent 6–7 ms planning a read of one row (0.9 ms to run), with six about 1.7 ms."""
    return get_object_or_404(
        petitions_visible_to(user).select_related("raised_by_deputy", "reception_day", "repeat_of"), pk=pk)


# What a unit's liaison may print (p-public's rule): the 转办单 and the answer built on the unit's reply.
UNIT_PRINTABLE = frozenset({NoticeKind.TRANSFER, NoticeKind.ANSWER})


def _links(kind: str, pk: int) -> dict[str, str]:
    """The PDF and the Word copy (petitions/public/notice_urls.py: notice_* by notice id, transfer_* by transfer id)."""
    return {suffix: reverse(f"petition_notices:{kind}_{suffix}", args=[pk]) for suffix in ("pdf", "docx")}


def notice_links(notice) -> dict[str, str]:
    """The PDF and Word of a notice."""
    return _links("notice", notice.pk)


def transfer_links(transfer) -> dict[str, str]:
    """The 转办单 of a transfer as PDF and Word."""
    return _links("transfer", transfer.pk)


def log_unmasked_view(request, petition, fields: list[str]) -> None:
    """Every unmasked view of a petitioner's personal data is logged: who, when, which case, which fields."""
    from petitions import services

    record = getattr(services, "petition_data_access_record", None)
    if record is not None:
        record(user=request.user, petition=petition, purpose=DataAccessPurpose.DETAIL, fields=",".join(fields),
               path=request.get_full_path())
        return
    services.petition_data_access_record_many(user=request.user, petitions=[petition],
                                              purpose=DataAccessPurpose.DETAIL, fields=",".join(fields),
                                              path=request.get_full_path())


def _clock_rows(clocks, today):
    for clock in clocks:
        clock.is_window = clock.kind in WINDOW_KINDS
        clock.days_left = (clock.due_on - today).days if clock.state == ClockState.RUNNING else None
        clock.late_now = bool(clock.days_left is not None and clock.days_left < 0 and not clock.is_window)
        # The petitioner's window ran out unused: nobody is late, the window is simply over.
        clock.window_over = bool(clock.is_window and clock.days_left is not None and clock.days_left < 0)
        if clock.window_over:
            clock.days_left = None
        clock.tone = {ClockState.MET: "success", ClockState.MISSED: "danger", ClockState.EXTENDED: "info",
                      ClockState.VOID: "secondary"}.get(clock.state, "danger" if clock.late_now else
                                                        "secondary" if clock.window_over else "primary")
    return clocks


@login_required
def petition_detail(request, pk: int):
    petition = get_visible(request.user, pk)
    user = request.user
    held = relations(user, petition)
    today = timezone.localdate()
    clocks = _clock_rows(list(petition.clocks.select_related("started_by_notice", "stopped_by_notice")
                              .order_by("started_on", "pk")), today)
    # Read into the case's prefetch cache: the steps' checks (an open transfer, an extension already given) then
    # look at these rows instead of asking the database again.
    prefetch_related_objects(
        [petition], Prefetch("transfers", PetitionTransfer.objects.select_related("unit", "owner_user", "transferred_by",
                                                                                  "replied_by")),
        Prefetch("notices", PetitionNotice.objects.select_related("number", "issued_by", "transfer__unit")))
    transfers = list(petition.transfers.all())
    notices = list(petition.notices.all())
    staff = bool(held & STAFF_ROLES)
    for notice in notices:
        notice.links = notice_links(notice) if staff or notice.kind in UNIT_PRINTABLE else {}
        notice.printable = staff or notice.kind in UNIT_PRINTABLE
    for transfer in transfers:
        transfer.links = transfer_links(transfer) if staff or transfer.unit_id in scope_of(user).unit_ids() else {}
    unmasked = sees_petitioner_data(user, petition)
    petitioner = PetitionerView(petition, unmasked=unmasked)
    representatives = list(petition.representatives.all())
    for rep in representatives:
        rep.shown_mobile = rep.mobile if unmasked else mask_mobile(rep.mobile)
    shown = [name for name in ("mobile", "id_number", "address") if getattr(petition, name)]
    if any(rep.mobile for rep in representatives):
        shown.append("representatives")
    if unmasked and shown and not petition.anonymous:
        log_unmasked_view(request, petition, shown)
    allowed, upcoming = available_steps(user, petition)
    is_staff = bool(held & STAFF_ROLES)
    my_transfer = None
    if Role.UNIT_LIAISON in held:
        my_transfer = open_transfer(petition, prefetched=transfers)
    completion = next((c for c in reversed(clocks) if c.kind in (ClockKind.COMPLETION, ClockKind.EXTENSION)
                       and c.state == ClockState.RUNNING), None)
    return render(request, "petitions/petition_detail.html", {
        "p": petition, "petitioner": petitioner, "unmasked": unmasked, "representatives": representatives,
        "status_tone": STATUS_TONES.get(petition.status, "secondary"),
        "clocks": clocks, "transfers": transfers, "notices": notices,
        "return_visits": list(petition.return_visits.select_related("by")),
        "reviews": list(petition.reviews.select_related("requested_by", "decided_by")),
        "events": list(petition.events.select_related("by").order_by("-at", "-pk")),
        "attachments": list(petition.attachments.select_related("uploaded_by")),
        "repeats": list(petitions_visible_to(user).filter(repeat_of=petition).order_by("-received_on")[:10]),
        "allowed": allowed, "allowed_keys": {s.key for s in allowed}, "upcoming": upcoming,
        "is_staff": is_staff, "my_transfer": my_transfer, "completion_clock": completion, "today": today,
        "can_history": has_perm(user, "history.view", petition.township) and history_entry("petitions.petition"),
    })


@login_required
def attachment_download(request, pk: int):
    """Files are private: served only to people who may see the case (another township's file: 404)."""
    from petitions.services import attachment_visible

    attachment = get_object_or_404(PetitionAttachment.objects.select_related("petition"), pk=pk)
    if not attachment_visible(request.user, attachment):
        raise Http404
    return private_file_response(attachment.file, attachment.original_name, inline=attachment.content_checked,
                                 content_type=attachment.content_type)



@login_required
def query_code(request, pk: int):
    """查询码: the township's staff look the code up to tell the petitioner (after checking who asks), or
    give a new one (补办: the old one stops working). Each look is logged like any unmasked view."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.shortcuts import redirect

    from petitions import services

    petition = get_visible(request.user, pk)
    if not (relations(request.user, petition) & STAFF_ROLES and sees_petitioner_data(request.user, petition)):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.petition_query_code_renew(petition=petition, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(petition.get_absolute_url())
        messages.success(request, _("已重新生成查询码，原查询码已作废。请把新查询码告知信访人。"))
        return redirect("petitions:query_code", pk=petition.pk)
    log_unmasked_view(request, petition, ["query_code"])
    return render(request, "petitions/petition_query_code.html", {"p": petition, "code": petition.query_code})
