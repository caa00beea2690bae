from django import template

register = template.Library()

_STATUS_TONES = {
    "draft": "secondary", "submitted": "info", "registered": "primary", "on_agenda": "primary",
    "not_on_agenda": "dark", "assigned": "warning", "in_handling": "warning", "replied": "info",
    "rated": "success", "rehandling": "danger", "closed": "success", "withdrawn": "secondary",
}
_SATISFACTION_TONES = {"satisfied": "success", "basic": "info", "unsatisfied": "danger"}


@register.filter
def status_tone(status: str) -> str:
    return _STATUS_TONES.get(status, "secondary")


@register.filter
def satisfaction_tone(value: str) -> str:
    return _SATISFACTION_TONES.get(value, "secondary")


@register.filter
def pct(value) -> str:
    """A rate for display: 86.2% or — when there is nothing to divide by."""
    return "—" if value is None else f"{value:g}%"


@register.filter
def days_until(day, today) -> int | None:
    if not day or not today:
        return None
    return (day - today).days


@register.filter
def has_action(actions, key: str) -> bool:
    return key in actions
