from petitions.models.petition import (
    Category,
    Petition,
    PetitionAttachment,
    PetitionClock,
    PetitionDataAccess,
    PetitionEvent,
    PetitionNotice,
    PetitionRepresentative,
    PetitionReview,
    PetitionSequence,
    PetitionTransfer,
    ReturnVisit,
)
from petitions.models.reception import ReceptionDay, ReceptionDuty

__all__ = [
    "Category",
    "Petition",
    "PetitionAttachment",
    "PetitionClock",
    "PetitionDataAccess",
    "PetitionEvent",
    "PetitionNotice",
    "PetitionRepresentative",
    "PetitionReview",
    "PetitionSequence",
    "PetitionTransfer",
    "ReceptionDay",
    "ReceptionDuty",
    "ReturnVisit",
]
