"""The portal's form renderer: Django's, with ``<select>`` and ``<input>`` written in Python.

Django renders a widget through templates: a ``<select>`` includes ``select_option.html`` once per option,
and each include costs a template render. A county filter form lists every handling unit of the county
(800 options): rendering it was most of a county list page's time. These few templates are simple and
fixed, so :class:`PortalFormRenderer` writes exactly what they write — same escaping (the template
engine's own ``render_value_in_context``), same whitespace — and leaves every other template (and any
widget or option with a template of its own) to Django. ``tests/presidium/test_forms_renderer.py``
compares both outputs on hostile values and checks that Django's templates are still the ones copied here.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
SELECT_OPTION = "django/forms/widgets/select_option.html"
INPUT = "django/forms/widgets/input.html"
# Django's templates that are exactly ``{% include "django/forms/widgets/input.html" %}``.
INPUT_ALIASES = frozenset(f"django/forms/widgets/{name}.html" for name in (
    "checkbox", "color", "date", "datetime", "email", "hidden", "number", "password", "search", "tel", "text",
    "time", "url",
))

_AUTOESCAPE = Context(autoescape=True)


def _value(value) -> str:
    """``{{ value }}`` in an autoescaping template."""
    return render_value_in_context(value, _AUTOESCAPE)


def _string(value) -> str:
    """``value|stringformat:'s'``: the filter is marked ``is_safe``, so safe text stays safe."""
    text = stringformat(value, "s")
    return mark_safe(text) if isinstance(value, SafeData) else text


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(" " + _value(name))
        if value is not True:
            parts.append('="' + _value(_string(value)) + '"')
    return "".join(parts)


def render_input(widget: dict) -> str:
    """``django/forms/widgets/input.html``."""
    value = widget["value"]
    shown = "" if value is None else ' value="' + _value(_string(value)) + '"'
    return (f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"{shown}'
            f'{_attrs(widget["attrs"])}>')


class PortalFormRenderer(DjangoTemplates):
    """``FORM_RENDERER``: Django's template renderer with the select and input widgets written directly."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name == SELECT:
                return self._select(widget, context, request).strip()
            if template_name == INPUT or template_name in INPUT_ALIASES:
                return render_input(widget).strip()
        return super().render(template_name, context, request)

    def _select(self, widget: dict, context: dict, request) -> str:
        parts = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_value(group_name)}">')
            for option in group_choices:
                parts.append("\n  ")
                if option["template_name"] == SELECT_OPTION:
                    parts.append(f'<option value="{_value(_string(option["value"]))}"'
                                 f'{_attrs(option["attrs"])}>{_value(option["label"])}</option>\n')  # the file's own newline
                else:  # an option with a template of its own, included as the select template would
                    parts.append(self.get_template(option["template_name"]).render(
                        {**context, "widget": option}, request=request))
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)
