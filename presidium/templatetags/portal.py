from django import template

from presidium.kept import KeptStore

register = template.Library()


@register.filter
def previous_section(items, index):
    """The section of the nav item before ``index`` (to print a section heading once)."""
    return items[index - 1].section if index > 0 else None


@register.simple_tag(takes_context=True)
def querystring_without(context, *names):
    """The current query string minus ``names`` (for pagination links that keep the filters)."""
    params = context["request"].GET.copy()
    for name in names:
        params.pop(name, None)
    encoded = params.urlencode()
    return f"&{encoded}" if encoded else ""


@register.filter
def bs_field(bound_field, size="sm"):
    """Render a form field's widget with the right Bootstrap class (select vs input vs check)."""
    from django import forms

    widget = bound_field.field.widget
    suffix = f" form-select-{size}" if size else ""
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.NullBooleanSelect):
        css = "form-select" + suffix
    else:
        css = "form-control" + (f" form-control-{size}" if size else "")
    if bound_field.errors:
        css += " is-invalid"
    return bound_field.as_widget(attrs={"class": css})



# --- the filter card of a list (components/filter_form.html) -----------------------------------------------------
FILTER_CARD = "components/_filter_card.html"
_CARDS: KeptStore[str] = KeptStore(64)  # a county roster's card is ~80 KB (its 1,100 options)


@register.simple_tag(takes_context=True)
def filter_card(context):
    """The list's filter card (``components/_filter_card.html``), rendered from the context.

    A FilterSet that can name everything its card depends on gives a key (``presidium.filters.PortalFilterSet
    .kept_card_key``: the deputies lists, the suggestions, the petitions); its card is then kept per process under
    that key and rendered once, not on every request — a county roster's card (1,100 options, the chips, a dozen
    fields) took 6-10 ms of a 40 ms page, a county suggestions card (800 units, 400 categories) 10-16 ms. Any other
    FilterSet's card is rendered every time."""
    template = context.template.engine.get_template(FILTER_CARD)

    def render() -> str:
        with context.push():  # as {% include %}: what the card sets ({% … as chips %}) stays in it
            return template.render(context)

    key_of = getattr(context.get("filter"), "kept_card_key", None)
    key = key_of(context) if key_of is not None else None
    if key is None:
        return render()
    return _CARDS.get(key, render)


def forget_filter_cards() -> None:
    """Drop every kept filter card (tests)."""
    _CARDS.clear()
