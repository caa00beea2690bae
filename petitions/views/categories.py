"""信访类别: the township's own list (土地房产, 劳动工资 … editable), on the floor's category screens."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from petitions import services
from petitions.access import CONFIGURE
from petitions.models import Category
from presidium.views import categories


class _Categories(categories.CategoryScreens):
    model = Category
    permission = CONFIGURE
    ensure = services.categories_ensure
    create = services.category_create
    update = services.category_update
    list_url = "petitions:category_list"
    list_template = "petitions/category_list.html"


class CategoryListView(_Categories, categories.CategoryListView):
    pass


class CategoryCreateView(_Categories, categories.CategoryCreateView):
    page_title = _("新增信访类别")


class CategoryUpdateView(_Categories, categories.CategoryUpdateView):
    page_title = _("修改信访类别")
