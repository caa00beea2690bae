"""The portal's form renderer: Django's, with ``<select>`` and ``<input>`` written in Python.

Django renders a widget through templates: a ``<select>`` includes ``select_option.html`` once per option,
and each include costs a template render. A county filter form lists every handling unit of the county
(800 options): rendering it was most of a county list page's time. These few templates are simple and
fixed, so :class:`PortalFormRenderer` writes exactly what they write — same escaping (the template
engine's own ``render_value_in_context``), same whitespace — and leaves every other template (and any
widget or option with a template of its own) to Django. ``tests/presidium/test_forms_renderer.py``
compares both outputs on hostile values and checks that Django's templates are still the ones copied here.

The portal's selects of rows (:class:`PortalSelect`, :class:`PortalSelectMultiple`) go one step further: Django
builds a dictionary per option (``optgroups`` → ``create_option``) before any template sees it, 1,000 of them
for a county filter form; these widgets hand the renderer their choices instead, and the options are written
straight from them (:meth:`LazyOptgroups.options_html`), with the same bytes.
"""

from __future__ import annotations

from html import escape

from django import forms
from django.forms.models import ModelChoiceIteratorValue
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


def _option_value(value) -> str:
    """``{{ widget.value|stringformat:'s' }}`` of an option; a whole number (a row's key) needs no escaping."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is str:
        return escape(value)
    if kind is ModelChoiceIteratorValue and type(value.value) is int:
        return str(value.value)
    return _value(_string(value))


def _label(label) -> str:
    """``{{ widget.label }}``: a plain string is escaped as the template would; anything else goes through it."""
    return escape(label) if type(label) is str else _value(label)


_CHECKED = {"selected": True}


class LazyOptgroups:
    """What ``ChoiceWidget.optgroups`` returns, built only if something reads it (a template of another
    widget, ``BoundField.subwidgets``); the portal's renderer asks :meth:`options_html` instead."""

    __slots__ = ("widget", "name", "value", "attrs", "_groups")

    def __init__(self, widget, name, value, attrs):
        self.widget, self.name, self.value, self.attrs, self._groups = widget, name, value, attrs, None

    def _built(self) -> list:
        if self._groups is None:
            self._groups = forms.widgets.ChoiceWidget.optgroups(self.widget, self.name, self.value, self.attrs)
        return self._groups

    def __iter__(self):
        return iter(self._built())

    def __len__(self):
        return len(self._built())

    def __getitem__(self, index):
        return self._built()[index]

    def options_html(self) -> str | None:
        """The options as ``select.html`` writes them from Django's ``optgroups`` (same selection rule, same
        escaping, same whitespace); None for a widget whose options are not Django's plain ones."""
        widget = self.widget
        if (self._groups is not None or widget.option_template_name != SELECT_OPTION or widget.option_inherits_attrs
                or widget.checked_attribute != _CHECKED
                or type(widget).create_option is not forms.widgets.ChoiceWidget.create_option):
            return None
        value, multiple, has_selected = self.value, widget.allow_multiple_selected, False
        parts = []
        for option_value, option_label in widget.choices:
            if option_value is None:
                option_value = ""
            if isinstance(option_label, (list, tuple)):
                group_name, choices = option_value, option_label
            else:
                group_name, choices = None, ((option_value, option_label),)
            if group_name:
                parts.append(f'\n  <optgroup label="{_value(group_name)}">')
            for subvalue, sublabel in choices:
                selected = (not has_selected or multiple) and str(subvalue) in value
                has_selected |= selected
                parts.append(f'\n  <option value="{_option_value(subvalue)}"{" selected" if selected else ""}>'
                             f'{_label(sublabel)}</option>\n')
            if group_name:
                parts.append("\n  </optgroup>")
        return "".join(parts)


class _WrittenOptions:
    """A choice widget whose options the portal's renderer writes from its choices (see the module's text)."""

    def optgroups(self, name, value, attrs=None):
        return LazyOptgroups(self, name, value, attrs)


class PortalSelect(_WrittenOptions, forms.Select):
    pass


class PortalSelectMultiple(_WrittenOptions, forms.SelectMultiple):
    pass


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
        optgroups = widget["optgroups"]
        written = optgroups.options_html() if isinstance(optgroups, LazyOptgroups) else None
        if written is not None:
            parts.append(written)
            optgroups = ()
        for group_name, group_choices, _index in optgroups:
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
