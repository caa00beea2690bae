"""get_FOO_display() reads each field's choices once (presidium/choice_labels.py) and returns exactly
what Django's Model._get_FIELD_display returns, in both languages."""

from functools import partialmethod

from django.apps import apps
from django.db import models
from django.utils import translation

from presidium.choice_labels import get_field_display
from proposals.models import Suggestion

SENTINEL = "no-such-choice"


def _fields_with_choices():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


def test_it_replaced_the_generated_methods():
    method = Suggestion.__dict__["get_status_display"]
    assert isinstance(method, partialmethod) and method.func is get_field_display
    assert sum(1 for _ in _fields_with_choices()) > 30


def test_it_returns_what_django_returns_for_every_value_of_every_field():
    compared = 0
    for model, field in _fields_with_choices():
        values = [value for value, _ in field.flatchoices] + [SENTINEL, None, ""]
        for language in ("zh-hans", "en"):
            with translation.override(language):
                for value in values:
                    instance = model()
                    setattr(instance, field.attname, value)
                    ours = getattr(instance, f"get_{field.name}_display")()
                    djangos = models.Model._get_FIELD_display(instance, field)
                    assert ours == djangos, (model, field.name, value, language)
                    assert type(ours) is type(djangos)
                    compared += 1
    assert compared > 500


def test_it_follows_the_active_language():
    suggestion = Suggestion(status=Suggestion._meta.get_field("status").flatchoices[0][0])
    with translation.override("zh-hans"):
        chinese = suggestion.get_status_display()
    with translation.override("en"):
        english = suggestion.get_status_display()
    assert chinese != english
    with translation.override("zh-hans"):
        assert suggestion.get_status_display() == chinese
