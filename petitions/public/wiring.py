"""What the public petitions package plugs into the deputies app (called from its ``AppConfig.ready()``):
the "转为信访登记" conversion of a visit opinion (:mod:`petitions.conversion`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _petition_url(petition) -> str:
    return petition.get_absolute_url()


def _edit_url(petition) -> str:
    return reverse("petitions:edit", args=[petition.pk])


def register() -> None:
    from deputies.conversions import OpinionConversion, register_opinion_conversion
    from petitions.conversion import may_convert, petition_from_opinion

    register_opinion_conversion(OpinionConversion(
        key="petition_registration", label=_("转为信访登记"), kind_label=_("信访登记"),
        convert=lambda *, opinion, by: petition_from_opinion(opinion=opinion, by=by),
        allowed=may_convert, url_for=_petition_url, review_url_for=_edit_url, icon="envelope-paper", order=20,
    ))
