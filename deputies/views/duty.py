"""The duty archive (page and PDF card), the deputy's duty records, the duty overview and visit targets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from deputies import access as deputies_access
from deputies import selectors, services
from deputies.archive import DutySignal, archive_three_no, build_archive, three_no_status
from deputies.archive_html import sections_html
from deputies.documents import archive_card_document
from deputies.duty_rows import DutyRows, targets_html
from deputies.filters import DutyFilter
from deputies.forms import (
    AssessmentForm,
    AwardForm,
    PledgeForm,
    TrainingForm,
    VisitTargetForm,
    VoterReportForm,
)
from deputies.models import Award, DutyPledge, TrainingRecord, VoterReport, YearAssessment
from deputies.views.common import CountingPaginator, DeputiesListView, DeputyServiceFormView
from presidium.access import has_perm, township_ids_where, townships_where
from presidium.documents.excel import Column
from presidium.documents.official import official_pdf
from presidium.documents.pdf import pdf_response
from presidium.documents.word import docx_response, official_docx
from presidium.views.forms import ServiceFormView

MIN_YEAR = 2000


def _year(request) -> int:
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "")
    if raw.isdigit() and MIN_YEAR <= int(raw) <= this_year:
        return int(raw)
    return this_year


def _archive_deputy(request, pk: int):
    """The deputy whose archive ``request.user`` asks for: another township's is a 404, no right to it a 403."""
    # Only the relations the archive and its card read (the card names the term): the roster's other joins cost
    # PostgreSQL more to plan (about 4 ms a request) than the whole query takes to run.
    visible = selectors.deputies_visible_to(request.user).select_related(None)
    deputy = get_object_or_404(visible.select_related("township__county", "successor", "term"), pk=pk)
    if not has_perm(request.user, deputies_access.VIEW_ARCHIVE, deputy.township):
        raise PermissionDenied
    return deputy


def _archive_context(request, pk: int):
    deputy = _archive_deputy(request, pk)
    year = _year(request)
    start, end = selectors.year_bounds(year)
    sees_duty = has_perm(request.user, deputies_access.VIEW_DUTY, deputy.township)
    sections = build_archive(deputy, year, viewer=request.user)
    return {
        "deputy": deputy,
        "year": year,
        "years": list(range(timezone.localdate().year, max(MIN_YEAR, timezone.localdate().year - 6), -1)),
        "sections": sections,
        "three_no": archive_three_no(deputy.pk, sections, start, end) if sees_duty else None,
        "progress": selectors.progress_for([deputy], year)[deputy.pk],
        "can_manage_duty": has_perm(request.user, deputies_access.MANAGE_DUTY, deputy.township),
        "person_terms": selectors.rows_of_person(deputy) if deputy.previous_id or hasattr(deputy, "successor") else [],
    }


@login_required
def deputy_archive(request, pk: int):
    context = _archive_context(request, pk)
    # the sections' cards written in Python (deputies/archive_html.py), their remove buttons posting the page's token
    context["sections_html"] = sections_html(context["sections"], get_token(request))
    return render(request, "deputies/archive.html", context)


def _archive_card(request, pk: int):
    """The 履职登记卡 as the user may see it; an unmasked mobile number is logged as a personal-data access."""
    deputy = _archive_deputy(request, pk)
    year = _year(request)
    show_personal = has_perm(request.user, deputies_access.VIEW_PERSONAL, deputy.township)
    if show_personal and deputy.mobile:
        services.personal_data_access_record(user=request.user, purpose="card", fields="mobile", deputy=deputy,
                                             path=request.get_full_path())
    document = archive_card_document(deputy, year, viewer=request.user, show_personal=show_personal,
                                     progress=selectors.progress_for([deputy], year)[deputy.pk])
    return document, f"履职登记卡-{deputy.name}-{year}"


@login_required
def deputy_archive_pdf(request, pk: int):
    document, filename = _archive_card(request, pk)
    return pdf_response(official_pdf([document]), f"{filename}.pdf")


@login_required
def deputy_archive_docx(request, pk: int):
    """The same card as an editable Word file."""
    document, filename = _archive_card(request, pk)
    return docx_response(official_docx([document]), f"{filename}.docx")


class DutyRecordView(DeputyServiceFormView):
    """Base of the duty-record forms reached from the archive page."""

    action = deputies_access.MANAGE_DUTY

    def year(self) -> int:
        return _year(self.request)

    def archive_url(self, year: int) -> str:
        from django.urls import reverse

        return reverse("deputies:deputy_archive", args=[self.deputy.pk]) + f"?year={year}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.archive_url(self.year())
        return context


class PledgeView(DutyRecordView):
    form_class = PledgeForm
    success_message = gettext_lazy("履职承诺已保存。")

    def get_initial(self):
        pledge = DutyPledge.objects.filter(deputy=self.deputy, year=self.year()).first()
        if pledge:
            return {"year": pledge.year, "signed_on": pledge.signed_on, "content": pledge.content}
        return {"year": self.year()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("履职承诺 · %(n)s") % {"n": self.deputy.name}, **kwargs)

    def perform(self, form):
        pledge = services.pledge_record(deputy=self.deputy, by=self.request.user, **form.cleaned_data)
        return self.archive_url(pledge.year)


class VoterReportView(DutyRecordView):
    form_class = VoterReportForm
    success_message = gettext_lazy("述职情况已保存。")

    def get_initial(self):
        report = VoterReport.objects.filter(deputy=self.deputy, year=self.year()).first()
        return VoterReportForm.initial_from(report) or {"year": self.year()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title=_("向选民述职 · %(n)s") % {"n": self.deputy.name},
            form_intro=_("例：46 名选民参加评议，29 人评为优秀、16 人评为称职，不称职留空即按 1 人计。"), **kwargs)

    def perform(self, form):
        report = services.voter_report_record(deputy=self.deputy, by=self.request.user, **form.cleaned_data)
        return self.archive_url(report.year)


class AssessmentView(DutyRecordView):
    form_class = AssessmentForm
    success_message = gettext_lazy("年度考核已保存。")

    def get_initial(self):
        assessment = YearAssessment.objects.filter(deputy=self.deputy, year=self.year()).first()
        if assessment:
            return {"year": assessment.year, "grade": assessment.grade, "assessed_on": assessment.assessed_on,
                    "comment": assessment.comment}
        return {"year": self.year(), "assessed_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("年度考核 · %(n)s") % {"n": self.deputy.name}, **kwargs)

    def perform(self, form):
        assessment = services.assessment_record(deputy=self.deputy, by=self.request.user, **form.cleaned_data)
        return self.archive_url(assessment.year)


class TrainingView(DutyRecordView):
    form_class = TrainingForm
    success_message = gettext_lazy("培训记录已添加。")

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("登记培训 · %(n)s") % {"n": self.deputy.name}, **kwargs)

    def perform(self, form):
        training = services.training_add(deputy=self.deputy, by=self.request.user, **form.cleaned_data)
        return self.archive_url(training.attended_on.year)


class AwardView(DutyRecordView):
    form_class = AwardForm
    success_message = gettext_lazy("表彰记录已添加。")

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("登记表彰 · %(n)s") % {"n": self.deputy.name}, **kwargs)

    def perform(self, form):
        award = services.award_add(deputy=self.deputy, by=self.request.user, **form.cleaned_data)
        return self.archive_url(award.awarded_on.year)


def _duty_record(request, model, pk):
    record = get_object_or_404(model.objects.filter(deputy__in=selectors.deputies_visible_to(request.user))
                               .select_related("deputy__township"), pk=pk)
    if not has_perm(request.user, deputies_access.MANAGE_DUTY, record.deputy.township):
        raise PermissionDenied
    return record


@login_required
@require_POST
def training_remove(request, pk: int):
    training = _duty_record(request, TrainingRecord, pk)
    services.training_remove(training=training, by=request.user)
    messages.success(request, _("培训记录已删除。"))
    return redirect(f"{training.deputy.get_absolute_url()}archive/?year={training.attended_on.year}")


@login_required
@require_POST
def award_remove(request, pk: int):
    award = _duty_record(request, Award, pk)
    services.award_remove(award=award, by=request.user)
    messages.success(request, _("表彰记录已删除。"))
    return redirect(f"{award.deputy.get_absolute_url()}archive/?year={award.awarded_on.year}")


# --- the duty overview -------------------------------------------------------------------------
class DutyOverviewView(DeputiesListView):
    """Serving deputies' visits against targets and the 三不 flag, for staff and county reviewers."""

    required_action = deputies_access.VIEW_DUTY
    filterset_class = DutyFilter
    template_name = "deputies/duty_overview.html"
    page_title = gettext_lazy("履职情况")
    export_filename = "代表履职情况"

    # What the rows (deputies/duty_rows.py), their progress and 三不 check, and the export read of a deputy: not its
    # thirty other columns (the ID number among them, never decrypted here), nor its township's and group's others.
    row_fields = ("name", "township", "group", "township__name", "group__name")

    def visible_queryset(self):
        # The term filter narrows to one term; which deputies count follows it (now serving, or an earlier
        # term's deputies who served to its end).
        term = self.request.GET.get("term", "")
        # The rows show and export their township and group only: the visible deputies' other joins (term,
        # constituency, station) cost PostgreSQL 15-30 ms of planning for the seven-table join (1-2 ms without).
        # The townships where the user sees duty, from the roles (an id list): a townships_where subquery repeated
        # the visible deputies' own township condition in the rows' and the count's SQL.
        return selectors.seated(selectors.deputies_visible_to(self.request.user), term).filter(
            township__in=township_ids_where(self.request.user, deputies_access.VIEW_DUTY)
        ).select_related(None).select_related("township", "group").only(*self.row_fields).order_by(
            "name_pinyin", "name", "pk")

    def get_paginator(self, queryset, per_page, **kwargs):
        # The "behind" condition aggregates the year's visits (25-30 ms a time at county scale): with it, the page
        # and its count come from one query, the condition evaluated once. Without it the count is cheap and the
        # page's query stops at its LIMIT along the name index, where a window would read every row first.
        if self.filterset.is_valid() and self.filterset.form.cleaned_data.get("behind") is not None:
            return CountingPaginator(queryset, per_page, **kwargs)
        return super().get_paginator(queryset, per_page, **kwargs)

    def annotate(self, deputies, year: int, *, shown=tuple(DutySignal)):
        """The rows' progress and 三不 check; ``shown``: the signals whose counts are read (the page's rows show
        the meetings and activities, and read the opinions as zero or not: their other sources are asked only
        about the deputies whose visits collected none; the export shows every count)."""
        deputies = list(deputies)
        start, end = selectors.year_bounds(year)
        progress = selectors.progress_for(deputies, year, targets=self.filterset.year_targets())
        # the visits' opinions of the year are the visits source's 三不 signal: counted once, for both columns
        opinions = {pk: {DutySignal.OPINION: p.opinions} for pk, p in progress.items()}
        status = three_no_status([d.pk for d in deputies], start, end, known={"visits": opinions}, exact=shown)
        for deputy in deputies:
            deputy.progress = progress[deputy.pk]
            deputy.three_no = status[deputy.pk]
        return deputies

    def export_rows(self, queryset):
        return self.annotate(queryset, self.filterset.selected_year)

    @property
    def export_columns(self):  # the floor exports (and shows the button) when this is set
        return self.get_export_columns()

    def get_export_columns(self):
        def signal(name):
            from deputies.archive import DutySignal

            return lambda d: "暂无数据来源" if d.three_no.counts[DutySignal(name)] is None else d.three_no.counts[
                DutySignal(name)]

        return [
            Column("乡镇", "township.name", 10), Column("姓名", "name", 10), Column("代表小组", "group.name", 14),
            Column("走访次数", lambda d: d.progress.visits, 10),
            Column("应完成（至今）", lambda d: d.progress.visits_expected, 14),
            Column("走访户数", lambda d: d.progress.households, 10), Column("联系选民", lambda d: d.progress.people, 10),
            Column("收集意见", lambda d: d.progress.opinions, 10),
            Column("落后于目标", lambda d: "是" if d.progress.behind else "", 10),
            Column("参加会议", signal("meeting"), 12), Column("参加活动", signal("activity"), 12),
            Column("提出意见建议", signal("opinion"), 12), Column("三不代表", lambda d: d.three_no.label, 30),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.filterset.selected_year
        context["deputies"] = self.annotate(context["object_list"], year, shown=DutyRows.SHOWN_SIGNALS)
        row_html = DutyRows(year)
        for deputy in context["deputies"]:
            deputy.row_html = row_html(deputy)
        context["year"] = year
        from deputies.archive import NO_SOURCE, signal_sources

        context["sources"] = {str(s): bool(keys) for s, keys in signal_sources().items()}
        context["no_source"] = NO_SOURCE
        targets = self.filterset.year_targets()
        context["targets"] = sorted(targets.values(), key=lambda t: t.township.name)
        context["targets_html"] = targets_html(context["targets"])
        context["can_set_targets"] = has_perm(self.request.user, deputies_access.MANAGE_TARGETS)
        return context


class VisitTargetView(ServiceFormView):
    form_class = VisitTargetForm
    page_title = gettext_lazy("设定走访目标")
    success_message = gettext_lazy("走访目标已保存。")
    submit_label = gettext_lazy("保存目标")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_perm(request.user, deputies_access.MANAGE_TARGETS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def townships(self):
        return townships_where(self.request.user, deputies_access.MANAGE_TARGETS)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "townships": self.townships()}

    def get_initial(self):
        year = _year(self.request)
        township = self.townships().first()
        target = selectors.target_for(township.pk, year) if township else None
        initial = {"year": year, "township": township}
        if target:
            initial.update(visits_per_month=target.visits_per_month, people_per_year=target.people_per_year,
                           households_per_year=target.households_per_year)
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form_intro=_("目标按年度设定，未设定的年度沿用上一年度的目标。各地做法不一：水冶镇每名代表每月至少联系 2 名选民；"
                         "也有地方要求每名代表每年联系选民不少于 20 人、至少走访两次。"), **kwargs)

    def perform(self, form):
        services.visit_target_set(by=self.request.user, **form.cleaned_data)
        from django.urls import reverse

        return reverse("deputies:duty_overview") + f"?year={form.cleaned_data['year']}"
