"""Staff downloads of the notices and of the 转办单 (PDF and Word), mounted at ``petitions/notices/``.

Who may download: the staff of the case's township (every notice); the liaisons of a unit the case was
transferred to (the 转办单 of their transfer, and the 答复意见书 built on their reply). A case the user
may not see at all is a 404 (another township's notice, a huge id); a case they see but whose notice
is not theirs to print is a 403 (the county's roles, the deputy who raised it, a unit's liaison asking
for a 受理告知书).

The petitioner's data is printed in full only for a viewer who sees it unmasked
(``petitions.access.sees_petitioner_data``), and that print is logged; see :mod:`petitions.notices`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from petitions.access import is_staff_for, sees_petitioner_data
from petitions.choices import DataAccessPurpose, NoticeKind
from petitions.models import PetitionNotice, PetitionTransfer
from petitions.notices import Printed, notice_file, transfer_file
from petitions.selectors import petitions_visible_to
from presidium.access import scope_of
from presidium.documents.pdf import pdf_response
from presidium.documents.word import docx_response

# What a unit's liaison may print: the form that sent them the case, and the answer built on their reply.
UNIT_KINDS = frozenset({NoticeKind.TRANSFER, NoticeKind.ANSWER})
MAX_ID = 2**63 - 1


def _visible_petition(user, petition_id: int):
    if petition_id > MAX_ID:
        raise Http404
    return get_object_or_404(petitions_visible_to(user), pk=petition_id)


def _unit_of_user(user, unit_ids) -> bool:
    return bool(scope_of(user).unit_ids() & set(unit_ids))


def _respond(printed: Printed, fmt: str) -> HttpResponse:
    if fmt == "docx":
        return docx_response(printed.content, printed.filename)
    return pdf_response(printed.content, printed.filename)


def _log_print(request, petition, fields: str) -> None:
    from petitions.services import petition_data_access_record

    petition_data_access_record(user=request.user, petition=petition, purpose=DataAccessPurpose.PRINT,
                                fields=fields, path=request.path)


def _notice(request, notice_id: int, fmt: str) -> HttpResponse:
    if notice_id > MAX_ID:
        raise Http404
    notice = get_object_or_404(PetitionNotice.objects.select_related("number", "transfer__unit"), pk=notice_id)
    petition = _visible_petition(request.user, notice.petition_id)
    notice.petition = petition
    if not is_staff_for(request.user, petition):
        unit_ids = set(petition.transfers.values_list("unit_id", flat=True))
        if notice.kind not in UNIT_KINDS or not _unit_of_user(request.user, unit_ids):
            raise PermissionDenied
    if notice.kind == NoticeKind.TRANSFER and notice.transfer_id:
        return _transfer_response(request, notice.transfer, fmt)
    full = sees_petitioner_data(request.user, petition)
    printed = notice_file(notice, fmt=fmt, full=full)
    if full and not petition.anonymous:
        _log_print(request, petition, "姓名")
    return _respond(printed, fmt)


def _transfer_response(request, transfer: PetitionTransfer, fmt: str) -> HttpResponse:
    petition = transfer.petition
    if not is_staff_for(request.user, petition) and not _unit_of_user(request.user, {transfer.unit_id}):
        raise PermissionDenied
    full = sees_petitioner_data(request.user, petition)
    printed = transfer_file(transfer, fmt=fmt, full=full)
    if full and not petition.anonymous:
        _log_print(request, petition, "姓名、联系电话、身份证号码、住址")
    return _respond(printed, fmt)


def _transfer(request, transfer_id: int, fmt: str) -> HttpResponse:
    if transfer_id > MAX_ID:
        raise Http404
    transfer = get_object_or_404(
        PetitionTransfer.objects.select_related("unit").prefetch_related(Prefetch(
            "notices", queryset=PetitionNotice.objects.filter(kind=NoticeKind.TRANSFER).select_related("number")
            .order_by("pk"), to_attr="transfer_notices")),
        pk=transfer_id)
    transfer.petition = _visible_petition(request.user, transfer.petition_id)
    return _transfer_response(request, transfer, fmt)


@login_required
@require_GET
def notice_pdf(request, notice_id: int):
    return _notice(request, notice_id, "pdf")


@login_required
@require_GET
def notice_docx(request, notice_id: int):
    return _notice(request, notice_id, "docx")


@login_required
@require_GET
def transfer_pdf(request, transfer_id: int):
    return _transfer(request, transfer_id, "pdf")


@login_required
@require_GET
def transfer_docx(request, transfer_id: int):
    return _transfer(request, transfer_id, "docx")
