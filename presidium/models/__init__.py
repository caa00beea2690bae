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

__all__ = [
    "County",
    "HandlingUnit",
    "PresidiumMembership",
    "RoleAssignment",
    "Term",
    "Township",
    "User",
    "chinese_ordinal",
]
