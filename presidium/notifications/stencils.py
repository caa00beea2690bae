"""The e-mail and SMS text of many notifications at once: each template rendered once, then filled per message.

A notification's templates (``templates/notifications/email/*``, ``sms/*``) read four values that change
from message to message — the notification's title and body, the recipient's name and the link — and
nothing else. Rendering a Django template costs a tenth of a millisecond or more; a reminder pass writes
tens of thousands of messages, two or three renders each. A :class:`Stencil` is a template rendered once
with a marker in place of each of the four values; a message is the stencil with each marker replaced by
its value, transformed as the template transforms it at that place (as is, HTML-escaped, or escaped with
its line breaks as ``<br>``), which the stencil learns from a probe value.

A stencil is used only when it reproduces the template exactly: when it is made, a template that reads
anything else (traced), or transforms a value in another way, or renders sample values (with every
character the escapes touch, short and long) differently from the filled stencil, gets no stencil and is
rendered in full for each message. Whether a value is empty may change what the template shows (``{% if
notification.body %}``): a stencil is made for each such shape. Stencils are made per call (a batch), so a
template edited on disk is read as ``render_to_string`` reads it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.template.defaultfilters import linebreaksbr
from django.template.loader import get_template, render_to_string
from django.utils.html import escape

logger = logging.getLogger(__name__)

SLOTS = ("title", "body", "name", "link")  # the values a notification's templates may read
_READABLE = {"notification.title": "title", "notification.body": "body", "recipient.display_name": "name"}
_OPEN, _MID, _CLOSE = "\ue000", "\ue001", "\ue002"  # private-use characters: no escape or filter alters them
_PROBE = "a<b>&\"'\r\nz"
_SAMPLES = (
    {"title": "标题<b>&\"'", "body": "第一行 & <i>\n第二行'\"", "name": "张<三>&", "link": "https://x.invalid/n/1/?a=1&b=2"},
    {"title": "长" * 150 + "<&>", "body": "甲\r\n" * 40 + "<p>", "name": "欧阳" * 10, "link": "/n/987654321/"},
)
_TRANSFORMS: dict[str, Callable[[str], str]] = {
    "as is": str,
    "escaped": escape,
    "escaped, line breaks": lambda value: linebreaksbr(value, autoescape=True),
    "line breaks": lambda value: linebreaksbr(value, autoescape=False),
}


class _Traced:
    """Stands in for the notification or the recipient: answers the slots, notes every attribute read."""

    def __init__(self, prefix: str, values: dict[str, str], reads: set[str]):
        self._prefix, self._values, self._reads = prefix, values, reads

    def __getattr__(self, name: str):
        path = f"{self._prefix}.{name}"
        self._reads.add(path)
        slot = _READABLE.get(path)
        if slot is None:
            raise AttributeError(name)
        return self._values[slot]


def _render(template, values: dict[str, str], portal_name: str, reads: set[str]) -> str:
    context = {"notification": _Traced("notification", values, reads), "recipient": _Traced("recipient", values, reads),
               "link": values["link"], "portal_name": portal_name}
    return template.render(context)


@dataclass(frozen=True)
class Stencil:
    """A template as literal pieces and slots; ``pieces`` alternate text and (slot, transform name)."""

    pieces: tuple

    def fill(self, values: dict[str, str], cache: dict | None = None) -> str:
        out = []
        for piece in self.pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            slot, transform = piece
            if cache is None:
                out.append(_TRANSFORMS[transform](values[slot]))
                continue
            key = (slot, transform, values[slot])
            text = cache.get(key)
            if text is None:
                text = cache[key] = _TRANSFORMS[transform](values[slot])
            out.append(text)
        return "".join(out)


def _markers(shape: tuple[bool, ...], probe: str = "") -> dict[str, str]:
    return {slot: f"{_OPEN}{i}{_MID}{probe}{_CLOSE}" if filled else ""
            for i, (slot, filled) in enumerate(zip(SLOTS, shape, strict=True))}


def make_stencil(template_name: str, shape: tuple[bool, ...], portal_name: str) -> Stencil | None:
    """The stencil of ``template_name`` for values empty or not as ``shape`` says; None if it cannot be trusted."""
    template = get_template(template_name)
    reads: set[str] = set()
    marked = _render(template, _markers(shape), portal_name, reads)
    probed = _render(template, _markers(shape, _PROBE), portal_name, reads)
    if not reads <= set(_READABLE):
        logger.info("%s reads %s: rendered in full", template_name, sorted(reads - set(_READABLE)))
        return None
    pieces: list = []
    rest_marked, rest_probed = marked, probed
    while True:
        start, start_probed = rest_marked.find(_OPEN), rest_probed.find(_OPEN)
        if start < 0 or start_probed < 0:
            if start >= 0 or start_probed >= 0 or rest_marked != rest_probed:
                return None
            pieces.append(rest_marked)
            break
        if rest_marked[:start] != rest_probed[:start_probed]:
            return None
        pieces.append(rest_marked[:start])
        mid, end = rest_marked.find(_MID, start), rest_marked.find(_CLOSE, start)
        mid_probed, end_probed = rest_probed.find(_MID, start_probed), rest_probed.find(_CLOSE, start_probed)
        if min(mid, end, mid_probed, end_probed) < 0 or rest_marked[start:mid] != rest_probed[start_probed:mid_probed]:
            return None
        slot = SLOTS[int(rest_marked[start + 1:mid])]
        seen = rest_probed[mid_probed + 1:end_probed]
        transform = next((name for name, apply in _TRANSFORMS.items() if apply(_PROBE) == seen), None)
        if transform is None:
            return None
        pieces.append((slot, transform))
        rest_marked, rest_probed = rest_marked[end + 1:], rest_probed[end_probed + 1:]
    stencil = Stencil(pieces=tuple(piece for piece in pieces if piece != ""))
    for sample in _SAMPLES:
        values = {slot: sample[slot] if filled else "" for slot, filled in zip(SLOTS, shape, strict=True)}
        if stencil.fill(values) != _render(template, values, portal_name, set()):
            logger.info("%s: the stencil does not reproduce the template; rendered in full", template_name)
            return None
    return stencil


class Stencils:
    """The stencils of one batch of messages, made on first use; a template without one is rendered in full."""

    def __init__(self, portal_name: str):
        self.portal_name = portal_name
        self._made: dict[tuple, Stencil | None] = {}
        self._cache: dict = {}

    def render(self, template_name: str, values: dict[str, str], context: Callable[[], dict]) -> str:
        """``template_name`` filled with ``values``; ``context()`` gives the full context for a full render."""
        if not any(_OPEN in value or _MID in value or _CLOSE in value for value in values.values()):
            shape = tuple(bool(values[slot]) for slot in SLOTS)
            key = (template_name, shape)
            if key not in self._made:
                self._made[key] = make_stencil(template_name, shape, self.portal_name)
            stencil = self._made[key]
            if stencil is not None:
                return stencil.fill(values, self._cache)
        return render_to_string(template_name, context())
