"""Livelihood project screens: list, new candidate, page with its timeline, progress report, satisfaction, photos,
and the public page of the year's adopted projects (no login)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presidium.access import handling_units_visible_to, has_perm, require_perm, scope_of, townships_where
from presidium.documents.excel import Column
from presidium.documents.storage import private_file_response
from presidium.models import Township
from presidium.views.forms import ServiceFormView
from presidium.views.lists import PortalListView
from presidium.votes import selectors, services
from presidium.votes.access import MANAGE_VOTES, VIEW_VOTES
from presidium.votes.choices import ProjectStatus
from presidium.votes.filters import ProjectFilter
from presidium.votes.forms import ProgressForm, ProjectForm, SatisfactionForm
from presidium.votes.models import LivelihoodProject, ProgressPhoto
from presidium.votes.project_rows import ProjectRows
from presidium.votes.tracking import weighting_of


class ProjectListView(PortalListView):
    filterset_class = ProjectFilter
    template_name = "votes/livelihoodproject_list.html"
    page_title = gettext_lazy("民生实事项目")
    export_filename = "民生实事项目"
    export_columns = [
        Column("乡镇", "township.name", 10), Column("年度", "year", 6), Column("序号", "position", 6),
        Column("项目名称", "title", 30), Column("预算（万元）", "budget", 10), Column("责任单位", "unit.name", 16),
        Column("票决状态", "get_status_display", 10), Column("排序", "vote_rank", 6),
        Column("实施状态", "get_progress_status_display", 10), Column("进度（%）", "progress", 8),
    ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_perm(request.user, VIEW_VOTES):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def visible_queryset(self):
        # Ranked projects first, those not adopted (no rank) after them, on SQLite as on PostgreSQL.
        return selectors.projects_visible_to(self.request.user).filter(parent__isnull=True).order_by(
            "-year", "township__name", F("vote_rank").asc(nulls_last=True), "position", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_create"] = has_perm(self.request.user, MANAGE_VOTES)
        row = ProjectRows()
        for project in context["object_list"]:
            project.row_html = row(project)
        # Where the public reads the adopted projects (no login): the address to put on the township's site.
        context["public_township"] = townships_where(self.request.user, MANAGE_VOTES).order_by("pk").first()
        return context


class ProjectCreateView(ServiceFormView):
    form_class = ProjectForm
    page_title = gettext_lazy("登记民生实事候选项目")
    submit_label = gettext_lazy("登记")
    success_message = gettext_lazy("项目已登记。人代会上发起票决时，本年度的候选项目按序号列入选票。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.township = townships_where(request.user, MANAGE_VOTES).order_by("pk").first()
        if self.township is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        units = handling_units_visible_to(self.request.user).filter(township=self.township, is_active=True).order_by(
            "kind", "name")
        parents = LivelihoodProject.objects.filter(township=self.township, parent__isnull=True,
                                                   status=ProjectStatus.ADOPTED).order_by("-year", "vote_rank")
        return {**super().get_form_kwargs(), "units": units, "parents": parents}

    def perform(self, form):
        data = form.cleaned_data
        return services.project_create(township=self.township, year=data["year"], title=data["title"],
                                       description=data["description"], budget=data["budget"], unit=data["unit"],
                                       parent=data["parent"], by=self.request.user)


@login_required
def project_detail(request, pk: int):
    project = selectors.project_for_page(request.user, pk)
    parts = list(project.parts.all())
    return render(request, "votes/livelihoodproject_detail.html", {
        "project": project, "parts": parts, "timeline": list(project.timeline.all()),
        "manage": selectors.may_manage(request.user, project),
        "weighting": weighting_of([(p.budget, p.progress) for p in parts]) if parts else "",
        "satisfaction": getattr(project, "satisfaction", None) if hasattr(project, "satisfaction") else None,
        "vote_item": project.vote_items.select_related("vote").first(),
    })


class _ProjectFormView(ServiceFormView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.project = get_object_or_404(selectors.projects_visible_to(request.user), pk=kwargs["pk"])
        require_perm(request.user, MANAGE_VOTES, self.project.township_id)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.project.get_absolute_url()
        context["form_intro"] = self.project.title
        return context


class ProgressReportView(_ProjectFormView):
    form_class = ProgressForm
    page_title = gettext_lazy("登记项目进度")
    one_time_token = True
    success_message = gettext_lazy("进度已登记。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "has_parts": self.project.parts.exists()}

    def perform(self, form):
        data = form.cleaned_data
        services.project_report_progress(project=self.project, kind=data["kind"], on=data["on"], text=data["text"],
                                         progress=data.get("progress"), progress_status=data.get("progress_status", ""),
                                         photos=data["photos"], by=self.request.user)
        return self.project.get_absolute_url()


class SatisfactionView(_ProjectFormView):
    form_class = SatisfactionForm
    page_title = gettext_lazy("年终满意度测评")
    success_message = gettext_lazy("测评结果已登记。")

    def get_initial(self):
        record = getattr(self.project, "satisfaction", None) if hasattr(self.project, "satisfaction") else None
        if record is None:
            return {}
        return {"satisfied": record.satisfied, "basically": record.basically, "unsatisfied": record.unsatisfied}

    def perform(self, form):
        services.project_satisfaction_record(project=self.project, by=self.request.user, **form.cleaned_data)
        return self.project.get_absolute_url()


@login_required
def progress_photo(request, pk: int):
    photo = get_object_or_404(ProgressPhoto.objects.select_related("entry__project").filter(
        entry__project__in=selectors.projects_visible_to(request.user)), pk=pk)
    return private_file_response(photo.file, photo.original_name or "photo.jpg", inline=True, content_type="image/jpeg")


def public_projects(request, township_id: int):
    """民生实事项目公开: the year's adopted projects, rank, unit, budget, progress and timeline — no login."""
    township = get_object_or_404(Township.objects.select_related("county"), pk=township_id)
    years = list(LivelihoodProject.objects.filter(township=township, status=ProjectStatus.ADOPTED,
                                                  parent__isnull=True)
                 .order_by("-year").values_list("year", flat=True).distinct())
    try:
        year = int(request.GET.get("year") or (years[0] if years else timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    page = Paginator(selectors.public_projects(township.pk, year), 30).get_page(request.GET.get("page"))
    return render(request, "votes/livelihoodproject_public.html", {
        "township": township, "year": year, "years": years, "page_obj": page, "projects": page.object_list,
        "anonymous_shell": not scope_of(request.user).user_id, "page_title": _("民生实事项目"),
    })
