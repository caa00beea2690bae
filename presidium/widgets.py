"""The one searchable multi-select of the portal: co-units, co-signers, group and station members.

A plain ``<select multiple>`` loses the selection on a second click without Ctrl and has no search.
:class:`SearchableSelectMultiple` renders the same ``<select multiple>`` (it still posts, and works
without JavaScript), with each option carrying its reading — ``data-pinyin="zhangsan"`` and
``data-initials="zs"``, computed here with :mod:`presidium.pinyin` — and ``static/js/pickers.js``
turns it into a searchable picker (Tom Select, vendored from npm, served locally) that matches
张三 by “张”, “zs” or “zhangsan”. Keyboard and touch work; targets are 44 px high on phones.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from presidium.pinyin import search_reading


class SearchableSelectMultiple(forms.SelectMultiple):
    """A multi-select with search by characters, full pinyin and initials.

    ``person=True`` reads labels as people's names (surname readings); rows that store their reading
    (deputies' ``name_pinyin`` / ``name_initials``) are not read again. ``exclude_from`` names the id of a
    single select on the same form (the lead deputy, the lead unit) whose chosen value this picker
    leaves out; the service refuses it as well.
    """

    class Media:
        css = {"all": ["vendor/tom-select/tom-select.bootstrap5.min.css", "css/pickers.css"]}
        js = ["vendor/tom-select/tom-select.complete.min.js", "js/pickers.js"]

    def __init__(self, attrs=None, choices=(), *, person: bool = False, exclude_from: str = ""):
        defaults = {
            "data-picker": "multi",
            "data-picker-placeholder": _("输入文字、拼音或首字母搜索"),
            "data-picker-empty": _("没有找到匹配的选项"),
            "data-picker-remove": _("移除"),
        }
        if exclude_from:
            defaults["data-picker-exclude-from"] = exclude_from
        super().__init__({**defaults, **(attrs or {})}, choices)
        self.person = person

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        pinyin, initials = self.reading(getattr(value, "instance", None), label)
        option["attrs"]["data-pinyin"] = pinyin
        option["attrs"]["data-initials"] = initials
        return option

    def reading(self, instance, label) -> tuple[str, str]:
        stored = getattr(instance, "name_pinyin", "")
        if stored:
            return stored.replace(" ", ""), getattr(instance, "name_initials", "")
        return search_reading(getattr(instance, "name", None) or str(label), person=self.person)
