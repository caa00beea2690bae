"""Template side of :mod:`presidium.idempotency` and of ``static/js/upload.js``.

``{% submit_once_token %}`` goes right after ``{% csrf_token %}``; ``{% submit_once_end %}`` after the last
field (so after every file input), before the buttons. Both render nothing unless the view issued a
``form_token``. The end piece also holds the (hidden) progress bar that upload.js fills, with its texts.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from presidium.idempotency import END_FIELD, TOKEN_FIELD

register = template.Library()


@register.simple_tag(takes_context=True)
def submit_once_token(context) -> str:
    token = context.get("form_token")
    if not token:
        return ""
    return render_to_string("components/submit_once_token.html", {"name": TOKEN_FIELD, "token": token})


@register.simple_tag(takes_context=True)
def submit_once_end(context) -> str:
    return render_to_string("components/submit_once_end.html",
                            {"name": END_FIELD, "issued": bool(context.get("form_token"))})
