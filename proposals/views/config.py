"""The township's categories and proposals settings (reminders, re-handling deadline, 五公开)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from presidium.access import townships_where
from presidium.views import categories
from presidium.views.categories import CategoryScreens
from presidium.views.forms import ServiceFormView
from proposals import services
from proposals.access import CONFIGURE
from proposals.forms import ProposalSettingsForm
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


class _Categories(CategoryScreens):
    model = Category
    permission = CONFIGURE
    ensure = services.categories_ensure
    create = services.category_create
    update = services.category_update
    list_url = "proposals:category_list"
    list_template = "proposals/category_list.html"


class CategoryListView(_Categories, categories.CategoryListView):
    def extra_context(self, township):
        return {"settings": settings_for(township)}


class CategoryCreateView(_Categories, categories.CategoryCreateView):
    page_title = _("新增建议类别")


class CategoryUpdateView(_Categories, categories.CategoryUpdateView):
    page_title = _("修改建议类别")


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
