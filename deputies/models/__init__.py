from deputies.models.duty import Award, DutyPledge, TrainingRecord, VoterReport, YearAssessment
from deputies.models.registry import (
    Constituency,
    Deputy,
    DeputyGroup,
    DeputyStatusChange,
    LiaisonStation,
    PersonalDataAccess,
    StationStaff,
)
from deputies.models.visits import Visit, VisitOpinion, VisitPhoto, VisitTarget, VisitYear

__all__ = [
    "Award",
    "Constituency",
    "Deputy",
    "DeputyGroup",
    "DeputyStatusChange",
    "DutyPledge",
    "LiaisonStation",
    "PersonalDataAccess",
    "StationStaff",
    "TrainingRecord",
    "Visit",
    "VisitOpinion",
    "VisitPhoto",
    "VisitTarget",
    "VisitYear",
    "VoterReport",
    "YearAssessment",
]
