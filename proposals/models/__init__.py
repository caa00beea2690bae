from proposals.models.handling import (
    Consultation,
    CoUnit,
    Extension,
    Rating,
    Reply,
    SupervisionAction,
)
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
    "ProposalSettings",
    "Rating",
    "Reply",
    "SerialCounter",
    "Suggestion",
    "SuggestionLog",
    "SupervisionAction",
]
