"""``get_FOO_display()`` without rebuilding the field's choices on every call.

Django's ``Model._get_FIELD_display`` builds ``dict(make_hashable(field.flatchoices))`` on every call.
``make_hashable`` hashes each label, and hashing a lazy label (``TextChoices`` with ``gettext_lazy``)
translates it: a suggestion's status (12 choices) cost 60–80 µs a call, 30 calls a list page for the
status alone. At start-up (``PresidiumConfig.ready``) the ``get_FOO_display`` methods that Django
generated for fields with fixed choices are replaced by one that builds that dictionary once per field
and keeps the labels lazy, so the text still follows the active language. Methods a model defines
itself, and fields whose choices are a callable, keep Django's behaviour.
"""

from __future__ import annotations

from functools import partialmethod

from django.apps import apps
from django.db import models
from django.db.models.fields import Field
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS = "_portal_choice_labels"


def labels_of(field: Field) -> dict:
    """Value → label (lazy) of a field with fixed choices, as Django's method builds it, built once."""
    try:
        return field.__dict__[_LABELS]
    except KeyError:
        labels = dict(make_hashable(field.flatchoices))
        field.__dict__[_LABELS] = labels
        return labels


def get_field_display(instance: models.Model, field: Field) -> str:
    """What ``Model._get_FIELD_display`` returns, with the field's choices read once."""
    value = getattr(instance, field.attname)
    return force_str(labels_of(field).get(make_hashable(value), value), strings_only=True)


def _generated_by_django(method, field: Field) -> bool:
    return (
        isinstance(method, partialmethod)
        and method.func is models.Model._get_FIELD_display
        and method.keywords == {"field": field}
    )


def install() -> int:
    """Point every installed model's generated ``get_FOO_display`` at :func:`get_field_display`."""
    installed = 0
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            if not field.choices or isinstance(field.choices, CallableChoiceIterator):
                continue
            if _generated_by_django(model.__dict__.get(name), field):
                setattr(model, name, partialmethod(get_field_display, field=field))
                installed += 1
    return installed
