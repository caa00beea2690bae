"""Every state change of the petitions app: one function each, keyword-only, atomic, recording who.

Views, tasks, commands and the demo data call these; nothing else writes a petition's status.
"""

from petitions.services.attachments import (
    attachment_visible,
    check_petition_uploads,
    petition_attachments_add,
)
from petitions.services.handling import (
    petition_accept,
    petition_answer_on_spot,
    petition_close,
    petition_extend,
    petition_key_supervision_set,
    petition_lead_leader_set,
    petition_referral_result_report,
    petition_reject,
    petition_reply,
    petition_return_visit,
    petition_transfer,
    petition_unit_reply,
)
from petitions.services.notices import notice_issue
from petitions.services.registration import (
    Representative,
    categories_ensure,
    category_create,
    category_update,
    petition_data_access_record,
    petition_data_access_record_many,
    petition_link_repeat,
    petition_query_code_renew,
    petition_register,
    petition_update,
)
from petitions.services.review import petition_review_decide, petition_review_request, review_request_refusal

__all__ = [
    "Representative",
    "attachment_visible",
    "check_petition_uploads",
    "categories_ensure",
    "category_create",
    "category_update",
    "notice_issue",
    "petition_accept",
    "petition_answer_on_spot",
    "petition_attachments_add",
    "petition_close",
    "petition_data_access_record",
    "petition_data_access_record_many",
    "petition_extend",
    "petition_key_supervision_set",
    "petition_lead_leader_set",
    "petition_link_repeat",
    "petition_query_code_renew",
    "petition_referral_result_report",
    "petition_register",
    "petition_reject",
    "petition_reply",
    "petition_return_visit",
    "petition_review_decide",
    "petition_review_request",
    "petition_transfer",
    "petition_unit_reply",
    "petition_update",
    "review_request_refusal",
]
