"""Organisation screens: townships, terms, presidium members, handling units."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from presidium import access, services
from presidium.choices import PresidiumPosition
from presidium.documents.excel import Column
from presidium.filters import HandlingUnitFilter
from presidium.forms import HandlingUnitForm, PresidiumMemberForm, TermForm, TownshipSettingsForm
from presidium.models import PresidiumMembership, Term
from presidium.views.forms import ServiceFormView
from presidium.views.lists import PortalListView


@login_required
def township_list(request):
    access.require_perm(request.user, access.VIEW_TOWNSHIP)
    townships = (
        access.townships_where(request.user, access.VIEW_TOWNSHIP)
        .annotate(unit_count=Count("handling_units", filter=Q(handling_units__is_active=True), distinct=True))
        .prefetch_related(Prefetch("terms", queryset=Term.objects.filter(is_current=True), to_attr="current_terms"))
        .order_by("county__name", "name")
    )
    return render(request, "presidium/township_list.html", {"townships": townships})


@login_required
def township_detail(request, pk: int):
    township = get_object_or_404(access.townships_where(request.user, access.VIEW_TOWNSHIP), pk=pk)
    terms = list(township.terms.order_by("-ordinal"))
    current = next((t for t in terms if t.is_current), None)
    rank = Case(*(When(position=p, then=Value(i)) for i, p in enumerate(PresidiumPosition.values)),
                output_field=IntegerField())
    members = (
        PresidiumMembership.objects.filter(term=current).annotate(rank=rank).order_by(F("until").asc(nulls_first=True),
                                                                                     "rank", "name")
        if current else []
    )
    return render(request, "presidium/township_detail.html", {
        "township": township,
        "terms": terms,
        "current_term": current,
        "members": members,
        "can_manage": access.has_perm(request.user, access.MANAGE_ORGANISATION, township),
    })


class _TownshipManageMixin:
    """Load the township from the URL among those the user may manage (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        visible = access.townships_where(request.user, access.VIEW_TOWNSHIP)
        self.township = get_object_or_404(visible, pk=kwargs["pk"])
        access.require_perm(request.user, access.MANAGE_ORGANISATION, self.township)
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("presidium:township_detail", args=[self.township.pk])


class TownshipSettingsView(_TownshipManageMixin, ServiceFormView):
    form_class = TownshipSettingsForm
    success_message = _("办理期限设置已保存。")

    def get_initial(self):
        return {"reply_deadline_months": self.township.reply_deadline_months,
                "hard_case_deadline_months": self.township.hard_case_deadline_months}

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("%(t)s · 办理期限设置") % {"t": self.township}, **kwargs)

    def perform(self, form):
        services.township_update_settings(township=self.township, by=self.request.user, **form.cleaned_data)
        return self.get_success_url()


class TermCreateView(_TownshipManageMixin, ServiceFormView):
    form_class = TermForm
    success_message = _("届次已登记。")

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("%(t)s · 登记届次") % {"t": self.township}, **kwargs)

    def perform(self, form):
        services.term_create(township=self.township, by=self.request.user, **form.cleaned_data)
        return self.get_success_url()


class PresidiumMemberCreateView(_TownshipManageMixin, ServiceFormView):
    form_class = PresidiumMemberForm
    success_message = _("主席团成员已登记。")

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("%(t)s · 登记主席团成员") % {"t": self.township}, **kwargs)

    def perform(self, form):
        from django.core.exceptions import ValidationError

        term = self.township.current_term()
        if term is None:
            raise ValidationError(_("请先登记本届届次，再登记主席团成员。"))
        services.presidium_member_add(term=term, by=self.request.user, **form.cleaned_data)
        return self.get_success_url()


class HandlingUnitListView(PortalListView):
    filterset_class = HandlingUnitFilter
    template_name = "presidium/handlingunit_list.html"
    page_title = pgettext_lazy("list", "承办单位")
    export_filename = "承办单位"
    export_columns = [
        Column("乡镇", "township.name", 12),
        Column("单位名称", "name", 24),
        Column("单位类型", "get_kind_display", 14),
        Column("分管领导", "responsible_leader"),
        Column("联系人", "contact_person"),
        Column("联系电话", "contact_phone", 16),
        Column("在用", "is_active", 8),
    ]

    def visible_queryset(self):
        return access.handling_units_visible_to(self.request.user).order_by("township__name", "kind", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = access.townships_where(self.request.user, access.MANAGE_ORGANISATION).exists()
        return context


class HandlingUnitCreateView(ServiceFormView):
    form_class = HandlingUnitForm
    page_title = _("新增承办单位")
    success_message = _("承办单位已新增。")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["townships"] = access.townships_where(self.request.user, access.MANAGE_ORGANISATION)
        return kwargs

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.townships_where(request.user, access.MANAGE_ORGANISATION).exists():
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        data = dict(form.cleaned_data)
        services.handling_unit_create(by=self.request.user, **data)
        return reverse("presidium:unit_list")


class HandlingUnitUpdateView(ServiceFormView):
    form_class = HandlingUnitForm
    page_title = _("修改承办单位")
    success_message = _("承办单位已保存。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.unit = get_object_or_404(access.handling_units_visible_to(request.user), pk=kwargs["pk"])
        access.require_perm(request.user, access.MANAGE_ORGANISATION, self.unit.township)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["townships"] = access.townships_visible_to(self.request.user).filter(pk=self.unit.township_id)
        return kwargs

    def get_initial(self):
        return {field: getattr(self.unit, field) for field in services.UNIT_FIELDS} | {"township": self.unit.township}

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "township"}
        services.handling_unit_update(unit=self.unit, by=self.request.user, **data)
        return reverse("presidium:unit_list")

