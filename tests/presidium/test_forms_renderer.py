"""The portal's form renderer writes exactly what Django's widget templates write, only faster."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import django
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from presidium.forms_renderer import INPUT_ALIASES, PortalFormRenderer
from presidium.widgets import SearchableSelectMultiple

HOSTILE = ['"><script>alert(1)</script>', "O'Brien & 张三", mark_safe("<b>safe</b>"), 7, 0, "", None]
WIDGET_TEMPLATES = Path(django.__file__).parent / "forms" / "templates" / "django" / "forms" / "widgets"


def both(widget: forms.Widget, name: str, value, attrs=None) -> tuple[str, str]:
    return (widget.render(name, value, attrs=attrs, renderer=DjangoTemplates()),
            widget.render(name, value, attrs=attrs, renderer=PortalFormRenderer()))


def test_it_is_the_portals_form_renderer(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "presidium.forms_renderer.PortalFormRenderer"
    assert isinstance(get_default_renderer(), PortalFormRenderer)


@pytest.mark.parametrize("value", HOSTILE + ["b", ["a", "c"]])
def test_it_renders_selects_as_djangos_templates_do(value):
    choices = [("", "---------"), ("a", "甲"), ("b", gettext_lazy("全部")), ("<x>", '"quoted"'),
               ("分组", [("c", "丙"), ("d", mark_safe("<i>丁</i>"))]), (3, 3)]
    attrs = {"class": "form-select", "required": True, "disabled": False, "data-x": '"&<>', "id": "id_f"}
    widgets = [forms.Select(choices=choices), forms.SelectMultiple(choices=choices),
               SearchableSelectMultiple(choices=choices, person=True)]
    if not isinstance(value, list):
        widgets.append(forms.NullBooleanSelect())
    for widget in widgets:
        django_html, portal_html = both(widget, "f<", value, attrs)
        assert portal_html == django_html


@pytest.mark.parametrize("value", HOSTILE + [dt.date(2026, 12, 3), 3.5, True])
def test_it_renders_inputs_as_djangos_templates_do(value):
    attrs = {"class": "form-control", "autofocus": True, "readonly": False, "placeholder": "<名称>", "maxlength": 20}
    for widget in (forms.TextInput(), forms.NumberInput(), forms.DateInput(), forms.HiddenInput(),
                   forms.EmailInput(), forms.PasswordInput(render_value=True), forms.CheckboxInput(),
                   forms.TimeInput(), forms.URLInput(), forms.SearchInput(), forms.TelInput(), forms.ColorInput()):
        django_html, portal_html = both(widget, 'n"ame', value, attrs)
        assert portal_html == django_html, type(widget)


def test_it_leaves_other_widgets_to_the_templates():
    for widget in (forms.Textarea(), forms.RadioSelect(choices=[("a", "甲")]), forms.ClearableFileInput(),
                   forms.CheckboxSelectMultiple(choices=[("a", "甲")]), forms.SplitDateTimeWidget()):
        django_html, portal_html = both(widget, "f", None)
        assert portal_html == django_html


def test_it_copies_templates_django_still_has():
    """A Django upgrade that changes one of the copied templates fails here, not on a page."""
    expected = {
        "select.html": (
            '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
            "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
            '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
            "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
            "  </optgroup>{% endif %}{% endfor %}\n</select>"
        ),
        "select_option.html": (
            "<option value=\"{{ widget.value|stringformat:'s' }}\""
            '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>'
        ),
        "input.html": (
            '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} '
            "value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
            '{% include "django/forms/widgets/attrs.html" %}>'
        ),
        "attrs.html": (
            "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
            "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}"
        ),
    }
    for name, source in expected.items():
        assert (WIDGET_TEMPLATES / name).read_text().strip() == source, name
    for template in INPUT_ALIASES:
        source = (WIDGET_TEMPLATES / Path(template).name).read_text().strip()
        assert source == '{% include "django/forms/widgets/input.html" %}', template
