"""Django's ``i18n`` template library with a ``{% translate %}`` that remembers its output per language.

``settings.TEMPLATES`` registers this module under the label ``i18n``, so ``{% load i18n %}`` in every
template (and in third-party ones) loads it. Everything is Django's library except ``translate`` and
its old name ``trans``.

Why: a list page renders 250–400 ``{% translate '…' %}`` tags, most of them inside the row loop (the
``data-label`` of each cell). Django's tag looks the message up on every render: the active translation
through ``asgiref.local.Local``, the catalogue, then localising and escaping the result — about 7 µs a
tag on this machine against 1.8 µs for a plain ``{{ variable }}`` (docs/performance.md, third round).
A tag whose message is a string constant (no variable, no filter, no variable context) gives the same
output for a given language and autoescape setting, so the node keeps that output once it has rendered
it: the next renders cost one ``get_language()`` and a dictionary lookup.

Tags with a variable (``{% translate some_var %}``), filters, or a context that is a variable render
exactly as Django's do. The compiled templates (and so the remembered outputs) live as long as the
process, as the message catalogues do: both are read once at start.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, Variable, render_value_in_context
from django.templatetags import i18n as django_i18n
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


def _constant(expression: FilterExpression | None) -> bool:
    """A filter expression with no filters whose value is a string literal in the template."""
    if expression is None:
        return True
    var = expression.var
    if expression.filters:
        return False
    return isinstance(var, str) or (isinstance(var, Variable) and var.lookups is None and var.literal is not None)


class CachedTranslateNode(django_i18n.TranslateNode):
    """``{% translate 'constant' %}``: renders as Django's node, once per (language, autoescape)."""

    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        self.outputs: dict[tuple[str | None, bool], str] = {}

    def translated(self, context) -> str:
        """The tag's text as Django's ``TranslateNode.render`` computes it (before ``as``)."""
        self.filter_expression.var.translate = not self.noop
        if self.message_context:
            self.filter_expression.var.message_context = self.message_context.resolve(context)
        value = render_value_in_context(self.filter_expression.resolve(context), context)
        is_safe = isinstance(value, SafeData)
        value = value.replace("%%", "%")
        return mark_safe(value) if is_safe else value

    def render(self, context):
        key = (get_language(), context.autoescape)
        try:
            value = self.outputs[key]
        except KeyError:
            value = self.outputs[key] = self.translated(context)
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    """Django's ``{% translate %}``, remembered per language when its message is a constant."""
    node = django_i18n.do_translate(parser, token)
    if _constant(node.filter_expression) and _constant(node.message_context):
        return CachedTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)
    return node
