"""Every state change of motions and suggestions: one keyword-only function each (DESIGN rule 1).

Views, tasks, the demo data and the tests all call these; nothing else writes a status.
"""

from proposals.services.config import (
    attachment_add,
    attachments_add,
    categories_ensure,
    category_create,
    category_update,
    proposal_settings_update,
    suggestion_set_public,
)
from proposals.services.deadlines import recompute_provisional_deadlines, suggestion_recompute_deadline
from proposals.services.handback import (
    suggestion_hand_back_decide,
    suggestion_hand_back_request,
    suggestion_reassign,
)
from proposals.services.handling import (
    co_unit_opinion_submit,
    consultation_record,
    extension_decide,
    extension_request,
    rating_accept_reason,
    reply_promise_kept,
    reply_submit,
    suggestion_accept,
    suggestion_assign,
    suggestion_close,
    suggestion_close_with_reason,
    suggestion_rate,
    supervision_record,
)
from proposals.services.intake import (
    cosignature_confirm,
    cosignature_decline,
    suggestion_convert,
    suggestion_create,
    suggestion_decide_agenda,
    suggestion_draft_from_finding,
    suggestion_draft_from_opinion,
    suggestion_register,
    suggestion_return,
    suggestion_submit,
    suggestion_update,
    suggestion_withdraw,
)
from proposals.services.opinions import (
    supervision_opinion_answer,
    supervision_opinion_close,
    supervision_opinion_send,
)

__all__ = [
    "attachment_add",
    "attachments_add",
    "categories_ensure",
    "category_create",
    "category_update",
    "co_unit_opinion_submit",
    "consultation_record",
    "cosignature_confirm",
    "cosignature_decline",
    "extension_decide",
    "extension_request",
    "proposal_settings_update",
    "rating_accept_reason",
    "recompute_provisional_deadlines",
    "reply_promise_kept",
    "reply_submit",
    "suggestion_accept",
    "suggestion_assign",
    "suggestion_close",
    "suggestion_close_with_reason",
    "suggestion_convert",
    "suggestion_create",
    "suggestion_decide_agenda",
    "suggestion_draft_from_finding",
    "suggestion_draft_from_opinion",
    "suggestion_hand_back_decide",
    "suggestion_hand_back_request",
    "suggestion_rate",
    "suggestion_reassign",
    "suggestion_recompute_deadline",
    "suggestion_register",
    "suggestion_return",
    "suggestion_set_public",
    "suggestion_submit",
    "suggestion_update",
    "suggestion_withdraw",
    "supervision_opinion_answer",
    "supervision_opinion_close",
    "supervision_opinion_send",
    "supervision_record",
]
