"""The screens of a township's own categories, shared by the apps that have them (proposals, petitions).

An app subclasses the three views with its model, the permission that lets staff configure it, its two
services and its URL names; the list view renders ``list_template`` with ``township`` and ``categories``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View

from presidium.access import townships_where
from presidium.categories import TownshipCategoryForm
from presidium.views.forms import ServiceFormView


def configurable_township(user, permission):
    """The first township where ``user`` may configure (403 where none)."""
    township = townships_where(user, permission).order_by("pk").first()
    if township is None:
        raise PermissionDenied
    return township


class CategoryScreens:
    """What the three screens need to know of an app: set on a subclass (all three views read it)."""

    model: type[models.Model]
    permission: object
    ensure: Callable  # categories_ensure(township=...): writes the defaults the first time
    create: Callable  # category_create(township=, by=, name=, sort_order=)
    update: Callable  # category_update(category=, by=, name=, sort_order=, is_active=)
    list_url: str
    list_template: str


@method_decorator(login_required, name="dispatch")
class CategoryListView(CategoryScreens, View):
    def get(self, request):
        township = configurable_township(request.user, self.permission)
        type(self).ensure(township=township)
        categories = self.model.objects.filter(township=township).order_by("sort_order", "name")
        return render(request, self.list_template, self.extra_context(township) | {
            "township": township, "categories": categories})

    def extra_context(self, township) -> dict:
        return {}


class CategoryCreateView(CategoryScreens, ServiceFormView):
    form_class = TownshipCategoryForm
    page_title = _("新增类别")
    success_message = _("类别已新增。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.township = configurable_township(request.user, self.permission)
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        type(self).create(township=self.township, by=self.request.user, name=form.cleaned_data["name"],
                          sort_order=form.cleaned_data["sort_order"])
        return reverse(self.list_url)


class CategoryUpdateView(CategoryScreens, ServiceFormView):
    form_class = TownshipCategoryForm
    page_title = _("修改类别")
    success_message = _("类别已保存。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.category = get_object_or_404(
            self.model.objects.filter(township__in=townships_where(request.user, self.permission)), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"name": self.category.name, "sort_order": self.category.sort_order,
                "is_active": self.category.is_active}

    def perform(self, form):
        type(self).update(category=self.category, by=self.request.user, **form.cleaned_data)
        return reverse(self.list_url)
