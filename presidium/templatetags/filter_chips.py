"""The active filters of a list as removable chips (``templates/components/filter_form.html``).

On a phone the filter panel is folded away; what is filtered still shows, one chip per condition the
address carries ("乡镇：青石镇 ×"), each a link to the same list without it. Labels come from the
FilterSet's fields, values from the chosen option's display text (a model row's label, a choice's label),
never from the database again: model choices use the rows the form already loaded while validating.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()

# Never carried over into a chip's link: a page number would point past the end of the wider list.
DROPPED = ("page", "export")


@dataclass(frozen=True)
class Chip:
    label: str
    value: str
    url: str


def _keys(bound) -> list[str]:
    """The query parameters a field reads (a range widget reads ``name_after`` and ``name_before``)."""
    widget = bound.field.widget
    if isinstance(widget, forms.MultiWidget):
        suffixes = getattr(widget, "suffixes", None) or [str(i) for i in range(len(widget.widgets))]
        return [f"{bound.html_name}_{suffix}" if suffix else bound.html_name for suffix in suffixes]
    return [bound.html_name]


def _choice_label(field, raw: str) -> str:
    """The label of ``raw`` among a field's (or its select's) static choices; ``raw`` if not found."""
    choices = getattr(field, "choices", None)
    if choices is None or isinstance(field, forms.ModelChoiceField):
        choices = getattr(field.widget, "choices", None) or []
    for value, label in choices:
        if isinstance(label, list | tuple):  # an option group
            for sub_value, sub_label in label:
                if str(sub_value) == raw:
                    return str(sub_label)
        elif str(value) == raw:
            return str(label)
    return raw


def _display(bound, raw: str, cleaned) -> str:
    field = bound.field
    if isinstance(field, forms.ModelMultipleChoiceField) and cleaned is not None:
        for obj in cleaned:
            if str(obj.pk) == raw:
                return field.label_from_instance(obj)
        return raw
    if isinstance(field, forms.ModelChoiceField):
        return field.label_from_instance(cleaned) if cleaned is not None else raw
    if isinstance(field, forms.ChoiceField) or isinstance(getattr(field, "widget", None), forms.Select):
        return _choice_label(field, raw)
    return raw


def _without(request, keys: list[str], value: str | None = None) -> str:
    params = request.GET.copy()
    for name in DROPPED:
        params.pop(name, None)
    for key in keys:
        if value is None:
            params.pop(key, None)
        else:
            params.setlist(key, [v for v in params.getlist(key) if v != value])
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def active_filter_chips(context, filterset, skip_first: bool = True) -> list[Chip]:
    """One chip per filter the request's address sets (the first field, the search box, stays visible
    on every screen with its text, so it gets none unless ``skip_first`` is false)."""
    request = context.get("request")
    if request is None or filterset is None:
        return []
    form = filterset.form
    cleaned = getattr(form, "cleaned_data", None) or {}
    chips: list[Chip] = []
    for index, bound in enumerate(form):
        if skip_first and index == 0:
            continue
        keys = _keys(bound)
        values = [(key, v) for key in keys for v in request.GET.getlist(key) if v.strip()]
        if not values:
            continue
        label = str(bound.label or bound.name)
        if len(keys) > 1:  # a range: one chip for both ends
            parts = {key: request.GET.get(key, "").strip() for key in keys}
            text = " – ".join(parts[key] or "…" for key in keys)
            chips.append(Chip(label, text, _without(request, keys)))
            continue
        multiple = isinstance(bound.field, forms.MultipleChoiceField) or len(values) > 1
        for key, raw in values:
            shown = _display(bound, raw.strip(), cleaned.get(bound.name))
            if isinstance(bound.field, forms.NullBooleanField) and shown == raw.strip():
                shown = {"true": _("是"), "false": _("否")}.get(raw.strip(), shown)
            chips.append(Chip(label, shown, _without(request, [key], raw if multiple else None)))
    return chips
