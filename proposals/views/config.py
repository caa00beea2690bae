"""The township's categories and proposals settings (reminders, re-handling deadline, 五公开)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from presidium.access import townships_where
from presidium.views.forms import ServiceFormView
from proposals import services
from proposals.access import CONFIGURE
from proposals.forms import CategoryForm, ProposalSettingsForm
from proposals.models import Category
from proposals.selectors import settings_for


def _township(user, township_id=None):
    townships = townships_where(user, CONFIGURE).order_by("pk")
    if township_id is not None:
        return get_object_or_404(townships, pk=township_id)
    township = townships.first()
    if township is None:
        raise PermissionDenied
    return township


@login_required
def category_list(request):
    township = _township(request.user)
    services.categories_ensure(township=township)
    categories = Category.objects.filter(township=township).order_by("sort_order", "name")
    return render(request, "proposals/category_list.html", {
        "township": township, "categories": categories, "settings": settings_for(township),
    })


class CategoryCreateView(ServiceFormView):
    form_class = CategoryForm
    page_title = _("新增建议类别")
    success_message = _("类别已新增。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.township = _township(request.user)
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        services.category_create(township=self.township, by=self.request.user, name=form.cleaned_data["name"],
                                 sort_order=form.cleaned_data["sort_order"])
        return reverse("proposals:category_list")


class CategoryUpdateView(ServiceFormView):
    form_class = CategoryForm
    page_title = _("修改建议类别")
    success_message = _("类别已保存。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.category = get_object_or_404(
            Category.objects.filter(township__in=townships_where(request.user, CONFIGURE)), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"name": self.category.name, "sort_order": self.category.sort_order,
                "is_active": self.category.is_active}

    def perform(self, form):
        services.category_update(category=self.category, by=self.request.user, **form.cleaned_data)
        return reverse("proposals:category_list")


class SettingsView(ServiceFormView):
    form_class = ProposalSettingsForm
    page_title = _("建议办理设置")
    success_message = _("设置已保存，正在办理的事项按新设置提醒。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.township = _township(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        current = settings_for(self.township)
        return {name: getattr(current, name) for name in ProposalSettingsForm.base_fields}

    def get_context_data(self, **kwargs):
        return super().get_context_data(form_intro=_(
            "办理期限（一般 %(n)s 个月、复杂 %(h)s 个月）在乡镇设置中维护。") % {
            "n": self.township.reply_deadline_months, "h": self.township.hard_case_deadline_months}, **kwargs)

    def perform(self, form):
        services.proposal_settings_update(township=self.township, by=self.request.user, **form.cleaned_data)
        return reverse("proposals:category_list")
