"""登记台账 (the staff's and the county's list, with the Excel ledger of exactly what is filtered) and
交给我单位的信访 (a unit liaison's list). Petitioners' personal data is always masked here and in the ledger."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.access import CONFIGURE, FIGURES, REGISTER, mask_mobile, mask_name
from petitions.choices import Channel, ClockKind, ClockState, PetitionStatus
from petitions.clocks import WINDOW_KINDS
from petitions.filters import PetitionFilter
from petitions.models import PetitionClock
from petitions.selectors import petitions_visible_to
from petitions.views.rows import PetitionRows
from presidium.access import has_perm, scope_of
from presidium.documents.excel import Column
from presidium.views.lists import PortalListView


def with_next_clock(queryset):
    """Each row with the kind and due date of its earliest running duty clock (subqueries of the one list query).

Not ``Petition.next_due_on``: that may be the petitioner's review window, which is never "overdue"."""
    running = (PetitionClock.objects.filter(petition=OuterRef("pk"), state=ClockState.RUNNING)  # not the windows
               .exclude(kind__in=sorted(WINDOW_KINDS)).order_by("due_on", "pk"))
    return queryset.annotate(next_clock_kind=Subquery(running.values("kind")[:1]),
                             next_clock_due=Subquery(running.values("due_on")[:1]))


def petitioner_label(p) -> str:
    """The petitioner as lists and the ledger show them: masked name, 匿名, or a collective visit's size."""
    if p.anonymous:
        return "匿名"
    name = mask_name(p.name) or "—"
    return f"{name}等{p.people_count}人" if p.is_collective else name


STATUS_TONES = {
    PetitionStatus.REGISTERED: "secondary", PetitionStatus.ANSWERED_ON_SPOT: "success",
    PetitionStatus.ACCEPTED: "primary", PetitionStatus.NOT_ACCEPTED: "dark", PetitionStatus.TRANSFERRED: "primary",
    PetitionStatus.REPLIED: "info", PetitionStatus.CLOSED: "success", PetitionStatus.REVIEW_REQUESTED: "warning",
    PetitionStatus.REVIEWED: "info", PetitionStatus.RE_REVIEW_REQUESTED: "warning", PetitionStatus.RE_REVIEWED: "info",
}


def decorate(rows, today=None):
    """What the table shows of each row, computed once in Python (no queries): masks, days left, tones."""
    today = today or timezone.localdate()
    for p in rows:
        p.petitioner_label = petitioner_label(p)
        p.masked_mobile = "" if p.anonymous else mask_mobile(p.mobile)
        p.days_left = (p.next_clock_due - today).days if p.next_clock_due else None
        p.days_overdue = -p.days_left if p.days_left is not None and p.days_left < 0 else 0
        p.next_clock_label = _clock_label(p)
        p.status_tone = STATUS_TONES.get(p.status, "secondary")
    return rows


def _clock_label(p) -> str:
    kind = getattr(p, "next_clock_kind", None)
    return str(ClockKind(kind).label) if kind else ""


def _days_left(p):
    return (p.next_clock_due - timezone.localdate()).days if p.next_clock_due else None


LEDGER_COLUMNS = [
    Column("登记号", "registration_number", 16),
    Column("乡镇", "township.name", 10),
    Column("收到日期", "received_on", 12),
    Column("信访渠道", "get_channel_display", 10),
    Column("信访人", petitioner_label, 12),
    Column("联系电话", lambda p: mask_mobile(p.mobile) if not p.anonymous else "", 14),
    Column("所在村（社区）", "village", 12),
    Column("人数", "people_count", 6),
    Column("集体访", "is_collective", 8),
    Column("信访事项", "subject", 40),
    Column("类别", lambda p: p.category.name if p.category_id else "", 10),
    Column("紧急程度", "get_urgency_display", 8),
    Column("转办机关", lambda p: p.referral_body if p.channel == Channel.REFERRED else "", 14),
    Column("转办文号", lambda p: p.referral_number if p.channel == Channel.REFERRED else "", 14),
    Column("状态", "get_status_display", 12),
    Column("受理日期", "accepted_on", 12),
    Column("承办单位", lambda p: p.current_unit.name if p.current_unit_id else "", 16),
    Column("最近到期时限", _clock_label, 14),
    Column("到期日", "next_clock_due", 12),
    Column("剩余天数", _days_left, 8),
    Column("书面答复日期", "replied_on", 12),
    Column("调查认定", "get_findings_display", 10),
    Column("化解方式", "get_resolution_display", 12),
    Column("信访人评价", "get_feedback_display", 10),
    Column("重点督办", "key_supervision", 8),
    Column("重复信访", lambda p: bool(p.repeat_of_id), 8),
    Column("息访日期", lambda p: timezone.localdate(p.closed_at) if p.closed_at else None, 12),
]


class PetitionListView(PortalListView):
    filterset_class = PetitionFilter
    template_name = "petitions/petition_list.html"
    # "补偿" is in thousands of a county's 60,000 subjects: count at most SearchPaginator.CAP (the newest first).
    capped_search = "q"
    page_title = _("信访登记台账")
    export_filename = "信访登记台账"
    export_columns = LEDGER_COLUMNS
    paginate_by = 30

    # Encrypted fields the rows and the ledger never show (the masked mobile is shown): not read, not decrypted
    # (three Fernet decryptions a row, 6 ms a page; for a county ledger of 60,000 rows, 180,000).
    unshown = ("id_number", "address", "query_code")

    def visible_queryset(self):
        return (with_next_clock(petitions_visible_to(self.request.user)).defer(*self.unshown)
                .order_by("-year", "-number", "-pk"))

    # What a page's rows show (petitions/views/rows.py): a page reads these columns, not the case's long texts
    # and the columns of its township, category and unit it never shows; the ledger (export_rows) reads them all.
    row_fields = ("year", "number", "received_on", "channel", "township__name", "subject", "category__name", "urgency",
                  "is_collective", "people_count", "key_supervision", "repeat_of", "anonymous", "name", "mobile",
                  "current_unit__name", "status", "feedback")

    def export_rows(self, queryset):
        return queryset.select_related("township", "category", "current_unit")

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and not has_perm(request.user, FIGURES):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_register"] = has_perm(user, REGISTER)
        context["can_export"] = has_perm(user, FIGURES)
        context["can_configure"] = has_perm(user, CONFIGURE)
        context["today"] = timezone.localdate()
        rows = decorate(context["object_list"], context["today"])
        self.own_due_dates(rows, context["today"])
        context["show_township"] = scope_of(user).is_superuser or len(scope_of(user).township_ids()) != 1
        row_html = PetitionRows(show_township=context["show_township"])
        for p in rows:
            p.row_html = row_html(p)
        return context

    def own_due_dates(self, rows, today) -> None:
        """The due date a row shows, where the page's reader has one of their own (the unit's list)."""


class UnitPetitionListView(PetitionListView):
    """交给我单位的信访: the cases transferred to the liaison's unit(s), the ones to answer first."""

    template_name = "petitions/petition_unit_list.html"
    page_title = _("交给我单位的信访")
    export_columns = None
    capped_search = ""  # a unit's cases are few, and ordered by what is due first, not the newest

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_of(request.user).unit_ids():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def visible_queryset(self):
        from petitions.models import PetitionTransfer

        units = sorted(scope_of(self.request.user).unit_ids())
        transfers = PetitionTransfer.objects.filter(unit_id__in=units)
        waiting = transfers.filter(petition=OuterRef("pk"), replied_at__isnull=True, cancelled_at__isnull=True)
        return (with_next_clock(petitions_visible_to(self.request.user).filter(pk__in=transfers.values("petition_id")))
                .defer(*self.unshown).annotate(unit_due=Subquery(waiting.order_by("-pk").values("due_on")[:1]))
                .order_by(F("unit_due").asc(nulls_last=True), "-year", "-number", "-pk"))

    def own_due_dates(self, rows, today) -> None:
        for p in rows:  # the unit's own due date (转办办结期限) while the case waits for its reply
            if p.unit_due:
                p.next_clock_due, p.next_clock_label = p.unit_due, _("转办办结期限")
                p.days_left = (p.unit_due - today).days
                p.days_overdue = max(-p.days_left, 0)
            else:
                p.next_clock_due = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_export"] = False
        context["my_units"] = sorted(scope_of(self.request.user).unit_ids())
        return context
