"""Turning a voter's opinion from a visit into something a higher app handles.

The deputies app stands below proposals and petitions, so it cannot create a suggestion draft or a
petition registration itself. Those apps register a conversion in their ``AppConfig.ready()``::

    from deputies.conversions import OpinionConversion, register_opinion_conversion

    register_opinion_conversion(OpinionConversion(
        key="suggestion_draft",
        label=_("转为代表建议草稿"),
        kind_label=_("代表建议草稿"),
        convert=lambda *, opinion, by: suggestion_draft_from_opinion(opinion=opinion, by=by),
        allowed=lambda user, opinion: has_perm(user, "proposals.submit", opinion.visit.township),
        url_for=lambda suggestion: suggestion.get_absolute_url(),
    ))

``convert`` runs inside the transaction of :func:`deputies.services.visit_opinion_convert`, which
then links the opinion to the returned object (``VisitOpinion.converted_to``). The visit page shows
one button per registered conversion the user is allowed; with none registered, no button shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch


@dataclass(frozen=True)
class OpinionConversion:
    key: str
    label: str  # the button: "转为代表建议草稿"
    kind_label: str  # what the opinion became: "代表建议草稿"
    convert: Callable[..., object]  # convert(*, opinion, by) -> the created model instance
    allowed: Callable[[object, object], bool] = lambda user, opinion: True
    url_for: Callable[[object], str] | None = None  # link to the created object
    # Where to go right after converting, when the created object must be reviewed first (a draft to edit).
    review_url_for: Callable[[object], str] | None = None
    icon: str = "arrow-right-circle"
    order: int = 100


_CONVERSIONS: dict[str, OpinionConversion] = {}


def register_opinion_conversion(conversion: OpinionConversion) -> None:
    _CONVERSIONS[conversion.key] = conversion


def unregister_opinion_conversion(key: str) -> None:
    _CONVERSIONS.pop(key, None)


def get_conversion(key: str) -> OpinionConversion | None:
    return _CONVERSIONS.get(key)


def conversions() -> list[OpinionConversion]:
    return sorted(_CONVERSIONS.values(), key=lambda c: (c.order, c.key))


def conversions_for(user, opinion) -> list[OpinionConversion]:
    """The conversions ``user`` may apply to ``opinion`` (none once it is converted)."""
    if opinion.is_converted:
        return []
    return [c for c in conversions() if c.allowed(user, opinion)]


def converted_label(opinion) -> str:
    conversion = get_conversion(opinion.converted_kind)
    return str(conversion.kind_label) if conversion else opinion.converted_kind


def review_url(opinion) -> str:
    """The page to complete what the conversion just created (falls back to the object's own page)."""
    conversion = get_conversion(opinion.converted_kind)
    if conversion and conversion.review_url_for and opinion.converted_to is not None:
        try:
            return conversion.review_url_for(opinion.converted_to)
        except NoReverseMatch:
            pass
    return converted_url(opinion)


def converted_url(opinion) -> str:
    conversion = get_conversion(opinion.converted_kind)
    if not conversion or not conversion.url_for or opinion.converted_to is None:
        return ""
    try:
        return conversion.url_for(opinion.converted_to)
    except NoReverseMatch:
        return ""
