"""Text that is stored for everyone to read later — timelines, notifications, e-mail — in the portal's language.

A service runs in whatever language the acting user browses in, so ``_("交办给 %(unit)s") % {...}``
inside it would store English when an English-speaking clerk clicks. Stored text is a record, like a
ledger or a PDF, and is written in ``settings.LANGUAGE_CODE`` (Chinese) whoever acted. A service builds
such text with :func:`record`, which defers both the translation and the formatting; whoever stores it
(``notify()``, ``proposals.services.common.log``) calls :func:`as_stored` to turn it into a string under
the portal's language::

    from django.utils.translation import gettext_lazy as _l
    title = record(_l("交办给 %(unit)s"), {"unit": unit.name})

Message ids stay extractable because they are wrapped in ``gettext_lazy`` at the call site. Parameters
may themselves be lazy (a choice's label): they are rendered in the same language.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise, lazy


def _render(message, params: Mapping | None) -> str:
    text = str(message)
    if not params:
        return text
    return text % {key: str(value) if isinstance(value, Promise) else value for key, value in params.items()}


_lazy_render = lazy(_render, str)


def record(message, params: Mapping | None = None) -> Promise:
    """``message % params``, translated and formatted only when it is stored (see the module docstring)."""
    return _lazy_render(message, dict(params) if params else None)


def as_stored(text) -> str:
    """The string to store for ``text`` (a plain string, a lazy translation or a :func:`record`)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def label(instance, field_name: str):
    """The lazy label of a choice field's value, for :func:`record` parameters.

    ``instance.get_FOO_display()`` translates at once, in the actor's language; this label is
    translated when the record is stored.
    """
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    return dict(field.flatchoices).get(value, value)
