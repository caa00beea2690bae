"""The access matrix: every URL, tried as every role, on the user's own township and on another.

Each app lists its URLs in ``tests/<app>/access_cases.py`` as ``CASES = [Case(...), ...]``;
``tests/test_access_matrix.py`` collects them all and fails when a named URL of the portal has no
case, so a new screen cannot ship without saying who may open it.

``own`` builds URL arguments for an object in township A (``world.township``); ``other`` builds them
for the same kind of object in a township of another county (``world.foreign_township``), which every
role must get as 404 (or, for list pages without arguments, must not see — that is tested by the apps'
own list tests). Expected statuses per role: 200 shown, 302 redirected (anonymous → login, or a POST
that succeeded), 403 refused, 404 not found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from presidium.choices import Role

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *[r.value for r in Role]]
STAFF = (Role.PRESIDIUM_CHAIR.value, Role.PRESIDIUM_STAFF.value)
COUNTY = (Role.COUNTY_ADMIN.value, Role.COUNTY_REVIEWER.value)


def expect(default: int, *, anonymous: int = 302, **by_role: int) -> dict[str, int]:
    """Expected statuses: ``default`` for every logged-in role unless named, e.g.
    ``expect(403, presidium_staff=200, presidium_chair=200)``."""
    table = dict.fromkeys(ROLES, default)
    table[ANONYMOUS] = anonymous
    unknown = set(by_role) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")
    table.update(by_role)
    return table


def allow(roles, *, default: int = 403, status: int = 200, anonymous: int = 302) -> dict[str, int]:
    """``status`` for ``roles``, ``default`` for everyone else."""
    return expect(default, anonymous=anonymous, **dict.fromkeys(roles, status))


@dataclass
class Case:
    url_name: str
    expected: dict[str, int]
    own: Callable | None = None  # own(world) -> list of URL args (object in township A)
    other: Callable | None = None  # other(world) -> URL args for an object in another county
    method: str = "get"
    data: Callable | None = None  # data(world) -> POST body
    other_expected: int = 404
    note: str = ""
    extra: dict = field(default_factory=dict)
