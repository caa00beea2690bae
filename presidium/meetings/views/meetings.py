"""Meeting screens: the list, one meeting, scheduling and editing, cancelling, the agenda, invitations."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from presidium.access import has_perm, townships_where
from presidium.documents.excel import Column
from presidium.filters import ModelChoiceFilter, PortalFilterSet
from presidium.meetings import selectors, services
from presidium.meetings.access import MANAGE, VIEW, may_manage, may_read_all
from presidium.meetings.attendance_rows import AttendanceRows
from presidium.meetings.choices import (
    FINDING_KINDS,
    AttendanceStatus,
    MeetingKind,
    MeetingStatus,
    OutcomeKind,
)
from presidium.meetings.conversions import conversions_for, converted_url
from presidium.meetings.forms import AgendaForm, CancelForm, InviteForm, MeetingEditForm, MeetingForm
from presidium.meetings.meeting_rows import MeetingRows
from presidium.meetings.models import Invitation, Meeting
from presidium.meetings.sections import sections_for
from presidium.meetings.views.common import MeetingActionMixin, require_view, visible_meeting
from presidium.views.forms import ServiceFormView
from presidium.views.lists import PortalListView


def _townships(request):
    return townships_where(request.user if request else None, VIEW)


def _years():
    this_year = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this_year + 1, this_year - 6, -1)]


class MeetingFilter(PortalFilterSet):
    year = django_filters.ChoiceFilter(label=gettext_lazy("年度"), choices=_years, method="filter_year",
                                       empty_label=gettext_lazy("全部年度"))
    kind = django_filters.ChoiceFilter(label=gettext_lazy("类型"), choices=MeetingKind.choices)
    status = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=MeetingStatus.choices)
    township = ModelChoiceFilter(label=gettext_lazy("乡镇"), queryset=_townships)
    q = django_filters.CharFilter(label=gettext_lazy("名称或地点"), method="filter_text")

    class Meta:
        model = Meeting
        fields = ["year", "kind", "status", "township", "q"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if self.request is not None and _townships(self.request).count() <= 1:
            self.filters.pop("township", None)

    def filter_year(self, queryset, name, value):
        value = int(value)
        start = timezone.make_aware(timezone.datetime(value, 1, 1))
        end = timezone.make_aware(timezone.datetime(value + 1, 1, 1))
        return queryset.filter(starts_at__gte=start, starts_at__lt=end)

    def filter_text(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(place__icontains=value)) if value else queryset


def _attendance_text(meeting) -> str:
    quorum = selectors.quorum_from_annotations(meeting)
    if quorum is not None:
        return quorum.line
    if meeting.status == MeetingStatus.HELD:
        return _("出席 %(m)s 人 / 邀请 %(n)s 人") % {"m": meeting.n_attended, "n": meeting.n_invited}
    return _("邀请 %(n)s 人") % {"n": meeting.n_invited}


# What the list's rows and its export read of a meeting (presidium/meetings/meeting_rows.py, export_columns).
LIST_FIELDS = ("township__name", "kind", "title", "starts_at", "place", "organiser", "status")


class MeetingListView(PortalListView):
    """会议活动: every meeting and activity the user may see, newest first."""

    filterset_class = MeetingFilter
    template_name = "meetings/meeting_list.html"
    page_title = gettext_lazy("会议活动")
    export_filename = "会议活动"
    paginate_by = 30
    export_columns = [
        Column("乡镇", "township.name", 10), Column("类型", "get_kind_display", 12), Column("名称", "title", 36),
        Column("开始时间", lambda m: timezone.localtime(m.starts_at).strftime("%Y-%m-%d %H:%M"), 16),
        Column("地点", "place", 20), Column("组织者", "organiser", 14), Column("状态", "get_status_display", 8),
        Column("出席情况", _attendance_text, 36),
    ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_view(request.user)
        return super().dispatch(request, *args, **kwargs)

    def visible_queryset(self):
        # Only the columns the rows and the export show, and only the township joined: a county's 4,500 meetings
        # were joined to their county, term and group, every column, before the page's sort and LIMIT.
        return (selectors.with_attendance_counts(selectors.meetings_visible_to(self.request.user))
                .select_related(None).select_related("township").only(*LIST_FIELDS).order_by("-starts_at", "-pk"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = list(context["object_list"])
        show_township = len({m.township_id for m in meetings}) > 1
        row = MeetingRows(show_township=show_township)
        for meeting in meetings:
            meeting.quorum = selectors.quorum_from_annotations(meeting)
            meeting.row_html = row(meeting)
        context.update(meetings=meetings, can_manage=has_perm(self.request.user, MANAGE), show_township=show_township)
        return context


def _can_record(meeting, today) -> bool:
    return meeting.status != MeetingStatus.CANCELLED and today >= timezone.localdate(meeting.starts_at)


@login_required
def meeting_detail(request, pk: int):
    """One meeting: agenda, invitation list with attendance (one form for the staff), quorum, outcomes, documents."""
    # visible (else 404) and read with what the page shows in one query, not found first and then read again
    meeting = get_object_or_404(
        selectors.meetings_visible_to(request.user).select_related("created_by", "cancelled_by")
        .prefetch_related("agenda_items", selectors.invitations_prefetch(), "documents"), pk=pk)
    user = request.user
    staff = may_manage(user, meeting.township)
    read_all = staff or may_read_all(user, meeting.township)
    invitations = meeting.invitation_list
    now = timezone.now()
    mine = [i for i in invitations if user.pk in (i.user_id, i.deputy_user_id)]
    for invitation in mine:
        invitation.meeting = meeting
        invitation.leave_refusal = services.leave_refusal(invitation, now=now)
    outcomes = list(meeting.outcomes.select_related("unit", "converted_content_type").order_by("kind", "pk"))
    for outcome in outcomes:
        outcome.conversions = conversions_for(user, outcome) if staff else []
        outcome.converted_url = converted_url(outcome) if outcome.follow_up and outcome.follow_up != "rectification" \
            else ""
    today = timezone.localdate()
    can_record = staff and _can_record(meeting, today)
    if staff and meeting.status != MeetingStatus.CANCELLED:  # the attendance form's rows
        row = AttendanceRows(can_record=can_record, is_scheduled=meeting.status == MeetingStatus.SCHEDULED)
        for invitation in invitations:
            invitation.attendance_row = row(invitation)
    return render(request, "meetings/meeting_detail.html", {
        "meeting": meeting, "page_title": meeting.title, "can_manage": staff, "read_all": read_all,
        "invitations": invitations if read_all else mine, "mine": mine,
        "members": [i for i in invitations if i.role == "member"],
        "attendees": [i for i in invitations if i.role == "attendee"],
        "quorum": selectors.quorum_of(meeting) if read_all else None,
        "outcomes": outcomes, "statuses": AttendanceStatus.choices,
        "can_record": can_record,
        "can_mark_held": staff and meeting.status == MeetingStatus.SCHEDULED and now >= meeting.starts_at,
        "is_scheduled": meeting.status == MeetingStatus.SCHEDULED,
        "finding_kinds": meeting.kind in FINDING_KINDS, "today": today, "OutcomeKind": OutcomeKind,
        "documents": list(meeting.documents.all()),
        "sections": sections_for(user, meeting, staff=staff),
    })


class MeetingScheduleView(ServiceFormView):
    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"
    page_title = gettext_lazy("安排会议活动")
    submit_label = gettext_lazy("安排并通知参会人员")
    one_time_token = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_perm(request.user, MANAGE):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["townships"] = list(townships_where(self.request.user, MANAGE).order_by("name"))
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        kind = self.request.GET.get("kind")
        if kind in MeetingKind.values:
            initial["kind"] = kind
        day = self.request.GET.get("date")
        if day:
            initial["date"] = day
        return initial

    def perform(self, form):
        data = form.cleaned_data
        self.meeting = services.meeting_schedule(
            township=data["township"], kind=data["kind"], title=data["title"], session_number=data["session_number"],
            starts_at=data["starts_at"], ends_at=data["ends_at"], place=data["place"], organiser=data["organiser"],
            group=data["group"], note=data["note"], open_to_deputies=data["open_to_deputies"] or None,
            agenda=data["agenda"], deputies=list(data["deputies"] or []), attendees=data["attendees"],
            invite_body=data["invite_body"], by=self.request.user)
        return self.meeting

    def get_success_message(self):
        n = self.meeting.invitations.count()
        return _("已安排“%(title)s”，已通知 %(n)s 名参会人员中有账号的人。") % {"title": self.meeting.title, "n": n}


class MeetingEditView(MeetingActionMixin, ServiceFormView):
    form_class = MeetingEditForm
    page_title = gettext_lazy("修改会议活动")
    success_message = gettext_lazy("已保存。时间、地点有变动的，已通知参会人员。")

    def get_initial(self):
        return MeetingEditForm.initial_for(self.meeting)

    def perform(self, form):
        data = form.cleaned_data
        return services.meeting_update(
            meeting=self.meeting, by=self.request.user, title=data["title"], starts_at=data["starts_at"],
            ends_at=data["ends_at"], place=data["place"], organiser=data["organiser"], note=data["note"],
            open_to_deputies=data["open_to_deputies"])


class MeetingCancelView(MeetingActionMixin, ServiceFormView):
    form_class = CancelForm
    page_title = gettext_lazy("取消会议活动")
    submit_label = gettext_lazy("确认取消")
    success_message = gettext_lazy("已取消，已通知参会人员。")

    def perform(self, form):
        return services.meeting_cancel(meeting=self.meeting, reason=form.cleaned_data["reason"], by=self.request.user)


class AgendaView(MeetingActionMixin, ServiceFormView):
    form_class = AgendaForm
    page_title = gettext_lazy("修改议程")
    success_message = gettext_lazy("议程已保存。")

    def get_initial(self):
        lines = [f"{i.title}｜{i.note}" if i.note else i.title for i in self.meeting.agenda_items.all()]
        return {"agenda": "\n".join(lines)}

    def perform(self, form):
        services.agenda_set(meeting=self.meeting, items=form.cleaned_data["agenda"], by=self.request.user)
        return self.meeting


class InviteView(MeetingActionMixin, ServiceFormView):
    form_class = InviteForm
    page_title = gettext_lazy("添加参会人员")
    submit_label = gettext_lazy("添加并通知")
    success_message = gettext_lazy("已添加到参会名单。")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["meeting"] = self.meeting
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        services.invitation_add(meeting=self.meeting, by=self.request.user, deputy=data["deputy"], name=data["name"],
                                post=data["post"], role=data["role"])
        return self.meeting


def _post_service(request, meeting, call, success: str):
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(meeting.get_absolute_url())


@login_required
@require_POST
def meeting_mark_held(request, pk: int):
    meeting = visible_meeting(request.user, pk, manage=True)
    return _post_service(request, meeting, lambda: services.meeting_mark_held(meeting=meeting, by=request.user),
                         _("已确认召开。"))


@login_required
@require_POST
def invitation_remove(request, pk: int):
    invitation = Invitation.objects.select_related("meeting").filter(pk=pk).first()
    meeting = visible_meeting(request.user, invitation.meeting_id if invitation else 0, manage=True)
    return _post_service(request, meeting, lambda: services.invitation_remove(invitation=invitation, by=request.user),
                         _("已移出参会名单。"))


@login_required
@require_POST
def attendance_record(request, pk: int):
    """The attendance form: one status (and a reason for leave) per invitation, saved all or nothing."""
    meeting = visible_meeting(request.user, pk, manage=True)
    entries = []
    for invitation_id in meeting.invitations.values_list("pk", flat=True):
        status = request.POST.get(f"status-{invitation_id}")
        if status is None:
            continue
        if status not in AttendanceStatus.values:
            messages.error(request, _("出席情况选项无效，请重新选择。"))
            return redirect(meeting.get_absolute_url())
        entries.append(services.AttendanceEntry(invitation_id, status, request.POST.get(f"reason-{invitation_id}", "")))
    try:
        changed = services.invitation_record_attendance(meeting=meeting, entries=entries, by=request.user)
    except ValidationError as error:
        messages.error(request, _("未保存：") + " ".join(error.messages))
    else:
        messages.success(request, _("出席情况已保存（%(n)s 人有变动）。") % {"n": len(changed)})
    return redirect(meeting.get_absolute_url() + "#attendance")

