"""Turning a finding of an inspection or survey (视察调研意见) into something a sibling app handles.

The meetings app does not import the proposals app. An app that can take a finding registers a
conversion in its ``AppConfig.ready()``, as the deputies app's visit opinions do::

    register_finding_conversion(FindingConversion(
        key="suggestion", label=_("转为代表建议"), kind_label=_("代表建议"),
        convert=lambda *, outcome, by: ...,   # returns the created object, inside the meetings service's transaction
        allowed=lambda user, outcome: ..., url_for=lambda obj: obj.get_absolute_url(),
    ))

:func:`presidium.meetings.services.outcomes.outcome_convert` runs it and links the finding to the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch


@dataclass(frozen=True)
class FindingConversion:
    key: str
    label: str
    kind_label: str
    convert: Callable[..., object]  # convert(*, outcome, by) -> the created model instance
    allowed: Callable[[object, object], bool] = lambda user, outcome: True
    url_for: Callable[[object], str] | None = None
    icon: str = "arrow-right-circle"
    order: int = 100


_CONVERSIONS: dict[str, FindingConversion] = {}


def register_finding_conversion(conversion: FindingConversion) -> None:
    _CONVERSIONS[conversion.key] = conversion


def unregister_finding_conversion(key: str) -> None:
    _CONVERSIONS.pop(key, None)


def get_conversion(key: str) -> FindingConversion | None:
    return _CONVERSIONS.get(key)


def conversions_for(user, outcome) -> list[FindingConversion]:
    if outcome.follow_up:
        return []
    return sorted((c for c in _CONVERSIONS.values() if c.allowed(user, outcome)), key=lambda c: (c.order, c.key))


def converted_url(outcome) -> str:
    conversion = get_conversion(outcome.follow_up)
    if not conversion or not conversion.url_for or outcome.converted_to is None:
        return ""
    try:
        return conversion.url_for(outcome.converted_to)
    except NoReverseMatch:
        return ""
