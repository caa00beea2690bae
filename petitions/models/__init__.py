from petitions.models.petition import (
    RUNNING_DUTY_DUE,
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
    "RUNNING_DUTY_DUE",
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
