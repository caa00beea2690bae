from django import template

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

