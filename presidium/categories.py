"""A township's own list of categories (建议类别, 信访类别 …): one way to add and rename them.

Each app keeps its own model (its own table, history and related name) with the same four fields —
``township``, ``name``, ``sort_order``, ``is_active`` — and checks its own permission before calling
:func:`township_category_save`, which enforces the one rule they share: a name once per township.
"""

from __future__ import annotations

from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

C = TypeVar("C", bound=models.Model)


def township_category_save(category: C, *, by, name: str, sort_order: int = 0, is_active: bool = True) -> C:
    """Create (unsaved ``category``) or change a category; another of the same name in the township is refused."""
    name = (name or "").strip()
    with transaction.atomic():
        clash = type(category).objects.filter(township_id=category.township_id, name=name)
        if category.pk is not None:
            clash = clash.exclude(pk=category.pk)
        if clash.exists():
            raise ValidationError({"name": _("本乡镇已有“%(name)s”类别。") % {"name": name}})
        category.name, category.sort_order, category.is_active = name, sort_order, is_active
        category._history_user = by  # django-simple-history: who changed it
        category.full_clean()
        category.save()
    return category


class TownshipCategoryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("类别名称"), max_length=30)
    sort_order = forms.IntegerField(label=gettext_lazy("排序"), min_value=0, max_value=999, initial=100)
    is_active = forms.BooleanField(label=gettext_lazy("在用"), required=False, initial=True)
