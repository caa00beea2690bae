from proposals.models.handling import (
    Consultation,
    CoUnit,
    Extension,
    HandBackRequest,
    Rating,
    Reply,
    SupervisionAction,
)
from proposals.models.opinion import SupervisionOpinion
from proposals.models.suggestion import (
    Attachment,
    Category,
    Cosignature,
    ProposalSettings,
    SerialCounter,
    Suggestion,
    SuggestionLog,
)

__all__ = [
    "Attachment",
    "Category",
    "Consultation",
    "CoUnit",
    "Cosignature",
    "Extension",
    "HandBackRequest",
    "ProposalSettings",
    "Rating",
    "Reply",
    "SerialCounter",
    "Suggestion",
    "SuggestionLog",
    "SupervisionAction",
    "SupervisionOpinion",
]
