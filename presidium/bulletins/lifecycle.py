"""The one table of an issue's allowed moves (DESIGN rule 2): draft → signed_off → published, voided from any.

A signed-off issue is not sent back to draft: its number is given and printed on nothing else; to
change it, void it (the number is recorded as voided) and compose a new one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from presidium.bulletins.choices import IssueState as S

SIGN_OFF, PUBLISH, VOID = "sign_off", "publish", "void"

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, SIGN_OFF): S.SIGNED_OFF,
    (S.SIGNED_OFF, PUBLISH): S.PUBLISHED,
    (S.DRAFT, VOID): S.VOIDED,
    (S.SIGNED_OFF, VOID): S.VOIDED,
    (S.PUBLISHED, VOID): S.VOIDED,
}


def refusal_reason(state: str, action: str) -> str | None:
    """Why ``action`` is not possible in ``state`` (None when it is)."""
    if (state, action) in TRANSITIONS:
        return None
    if state == S.VOIDED:
        return _("这期简报已作废，不能再办理。")
    if action == SIGN_OFF:
        return _("只有草稿可以签发；这期简报已签发。")
    if action == PUBLISH:
        return _("请先签发（给出期号），再印发。") if state == S.DRAFT else _("这期简报已印发。")
    return _("这期简报当前不能办理此操作。")


def transition(state: str, action: str) -> str:
    """The state reached by ``action`` from ``state``; a ValidationError saying why when it is not allowed."""
    reason = refusal_reason(state, action)
    if reason:
        raise ValidationError(reason)
    return TRANSITIONS[(state, action)]
