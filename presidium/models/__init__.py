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
from presidium.models.submissions import FormSubmission

__all__ = [
    "County",
    "FormSubmission",
    "HandlingUnit",
    "PresidiumMembership",
    "RoleAssignment",
    "Term",
    "Township",
    "User",
    "chinese_ordinal",
]
