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

from presidium.forms_renderer import (
    INPUT_ALIASES,
    LazyOptgroups,
    PortalFormRenderer,
    PortalSelect,
    PortalSelectMultiple,
)
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


@pytest.mark.parametrize("value", HOSTILE + ["b", ["a", "c"], ["c", "a", "b"], ["3"]])
def test_it_writes_the_portals_selects_as_djangos_select_templates_do(value):
    """PortalSelect(Multiple): the options written straight from the choices, byte for byte Django's, with the
    same selection rule (one selected in a single select: the first match), groups, lazy and safe labels."""
    choices = [("", "---------"), ("a", "甲"), ("b", gettext_lazy("全部")), ("<x>", '"quoted"'), ("a", "甲 again"),
               ("分组", [("c", "丙"), ("d", mark_safe("<i>丁</i>")), (None, "无")]), (3, 3), (None, "空"),
               ("", [("e", "戊")]), (True, "是")]
    attrs = {"class": "form-select", "required": True, "disabled": False, "data-x": '"&<>', "id": "id_f"}
    for portal, django_widget in ((PortalSelect, forms.Select), (PortalSelectMultiple, forms.SelectMultiple)):
        expected = django_widget(choices=choices).render("f<", value, attrs=attrs, renderer=DjangoTemplates())
        assert portal(choices=choices).render("f<", value, attrs=attrs, renderer=PortalFormRenderer()) == expected
        # another renderer reads the lazy option groups as Django built them
        assert portal(choices=choices).render("f<", value, attrs=attrs, renderer=DjangoTemplates()) == expected


@pytest.mark.django_db
def test_it_writes_the_options_of_rows_without_building_djangos_option_dictionaries(world):
    """A select of rows (the ids are ModelChoiceIteratorValue) through the portal's fields and filters: the same
    bytes as Django's Select, and Django's per-option dictionaries are never built."""
    from presidium.filters import WithTownshipChoiceField
    from presidium.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
    from presidium.models import HandlingUnit
    from tests.factories import HandlingUnitFactory

    HandlingUnitFactory(township=world.township, name='"><script>alert(1)</script>')
    HandlingUnitFactory(township=world.township, name="O'Brien & 张三")
    units = HandlingUnit.objects.order_by("pk")
    chosen = units.first()
    fields = [BoundedModelChoiceField(queryset=units), WithTownshipChoiceField(queryset=units),
              BoundedModelMultipleChoiceField(queryset=units)]
    for field in fields:
        assert isinstance(field.widget, (PortalSelect, PortalSelectMultiple))
        value = [chosen.pk] if isinstance(field.widget, PortalSelectMultiple) else chosen.pk
        django_widget = (forms.SelectMultiple if field.widget.allow_multiple_selected else forms.Select)()
        django_widget.choices = field.choices
        expected = django_widget.render("unit", value, renderer=DjangoTemplates())
        context = field.widget.get_context("unit", value, None)
        groups = context["widget"]["optgroups"]
        assert isinstance(groups, LazyOptgroups)
        assert field.widget.render("unit", value, renderer=PortalFormRenderer()) == expected
        assert ' selected>' in expected and "&lt;script&gt;" in expected and "O&#x27;Brien &amp; 张三" in expected
        html = groups.options_html()
        assert html is not None and groups._groups is None  # written from the choices, no option dictionaries


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
