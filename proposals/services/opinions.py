"""督办意见: the county sends a written opinion to a township about an item or a unit; the township answers;
the county acknowledges the answer. Moves follow ``proposals.lifecycle.OPINION_TRANSITIONS``.

Who may: sending and acknowledging are county roles of the township's county (``OPINION_SEND``);
answering is the township's chair or staff (``OPINION_ANSWER``). Each step is told to the other side.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from presidium.access import has_perm
from presidium.models import HandlingUnit, User
from presidium.notifications.services import notify
from presidium.records import record
from proposals.access import OPINION_ANSWER, OPINION_SEND
from proposals.choices import OpinionAction, SuggestionStatus
from proposals.lifecycle import opinion_transition
from proposals.models import Suggestion, SupervisionOpinion
from proposals.selectors import township_presidium
from proposals.services.common import clean_text, log

KIND_SENT = "proposals.opinion_sent"
KIND_ANSWERED = "proposals.opinion_answered"
KIND_CLOSED = "proposals.opinion_closed"


@transaction.atomic
def supervision_opinion_send(*, by: User, title: str, content: str, suggestion: Suggestion | None = None,
                             unit: HandlingUnit | None = None, answer_by: dt.date | None = None) -> SupervisionOpinion:
    """督办意见: a county reviewer writes to a township about one item or one unit; its chair and staff are told."""
    if (suggestion is None) == (unit is None):
        raise ValidationError(_("督办意见须针对一件议案建议或一个承办单位。"))
    township = suggestion.township if suggestion is not None else unit.township
    if not has_perm(by, OPINION_SEND, township):
        raise PermissionDenied(_("只有本县人大常委会可以向乡镇发出督办意见。"))
    if suggestion is not None and suggestion.status in (SuggestionStatus.DRAFT, SuggestionStatus.WITHDRAWN):
        raise ValidationError(_("草稿或已撤回的议案建议不能督办。"))
    title, content = clean_text(title), clean_text(content)
    errors = {}
    if not title:
        errors["title"] = _("请填写标题。")
    if not content:
        errors["content"] = _("请写明督办意见：要求乡镇做什么、何时答复。")
    if answer_by is not None and answer_by < timezone.localdate():
        errors["answer_by"] = _("答复期限不能早于今天。")
    if errors:
        raise ValidationError(errors)
    opinion = SupervisionOpinion(township=township, suggestion=suggestion, unit=unit, title=title, content=content,
                                 answer_by=answer_by, sent_by=by)
    opinion._history_user = by
    opinion.full_clean()
    opinion.save()
    if suggestion is not None:
        log(suggestion, event="county_opinion", by=by, title=record(_l("县人大常委会发出督办意见：%(t)s"), {"t": title}),
            note=content)
    notify(recipients=township_presidium(township.pk),
           title=record(_l("县人大常委会督办意见：%(t)s"), {"t": title}),
           body=content, url=opinion.get_absolute_url(), kind=KIND_SENT, target=opinion, by=by)
    return opinion


def _lock(opinion: SupervisionOpinion) -> SupervisionOpinion:
    return (SupervisionOpinion.objects.select_for_update(of=("self",))
            .select_related("township", "suggestion", "unit", "sent_by").get(pk=opinion.pk))


def _move(opinion: SupervisionOpinion, action: OpinionAction) -> str:
    step = opinion_transition(opinion.status, action)
    opinion.status = step.to
    return step.to


@transaction.atomic
def supervision_opinion_answer(*, opinion: SupervisionOpinion, by: User, answer: str) -> SupervisionOpinion:
    """The township's presidium answers the county in writing; the sender is told."""
    opinion = _lock(opinion)
    if not has_perm(by, OPINION_ANSWER, opinion.township):
        raise PermissionDenied(_("只有收到督办意见的乡镇人大主席团可以答复。"))
    answer = clean_text(answer)
    if not answer:
        raise ValidationError({"answer": _("请写明答复：已采取的措施、进展和下一步安排。")})
    _move(opinion, OpinionAction.ANSWER)
    opinion.answer, opinion.answered_by, opinion.answered_at = answer, by, timezone.now()
    opinion._history_user = by
    opinion.full_clean()
    opinion.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    if opinion.suggestion_id:
        log(opinion.suggestion, event="county_opinion_answered", by=by,
            title=record(_l("答复县人大常委会督办意见：%(t)s"), {"t": opinion.title}), note=answer)
    notify(recipients=[opinion.sent_by],
           title=record(_l("%(township)s已答复督办意见：%(t)s"), {"township": opinion.township.name, "t": opinion.title}),
           body=answer, url=opinion.get_absolute_url(), kind=KIND_ANSWERED, target=opinion, by=by)
    return opinion


@transaction.atomic
def supervision_opinion_close(*, opinion: SupervisionOpinion, by: User, note: str = "") -> SupervisionOpinion:
    """The county acknowledges the township's answer, which closes the opinion; the township is told."""
    opinion = _lock(opinion)
    if not has_perm(by, OPINION_SEND, opinion.township):
        raise PermissionDenied(_("只有本县人大常委会可以确认督办意见的答复。"))
    _move(opinion, OpinionAction.CLOSE)
    opinion.closing_note, opinion.closed_by, opinion.closed_at = clean_text(note), by, timezone.now()
    opinion._history_user = by
    opinion.full_clean()
    opinion.save(update_fields=["status", "closing_note", "closed_by", "closed_at"])
    notify(recipients=township_presidium(opinion.township_id),
           title=record(_l("县人大常委会已确认督办意见的答复：%(t)s"), {"t": opinion.title}),
           body=opinion.closing_note, url=opinion.get_absolute_url(), kind=KIND_CLOSED, target=opinion, by=by)
    return opinion
