from presidium.models.org import (
    County,
    HandlingUnit,
    PresidiumMembership,
    RoleAssignment,
    Term,
    Township,
    User,
    chinese_ordinal,
)
from presidium.models.snapshots import FiguresSnapshot
from presidium.models.stamps import ChoicesStamp
from presidium.models.submissions import FormSubmission

__all__ = [
    "ChoicesStamp",
    "County",
    "FiguresSnapshot",
    "FormSubmission",
    "HandlingUnit",
    "PresidiumMembership",
    "RoleAssignment",
    "Term",
    "Township",
    "User",
    "chinese_ordinal",
]
