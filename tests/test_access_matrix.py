"""Every URL as every role, on the user's own township and on another county's (see access_matrix.py)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from presidium.access import forget_scope
from tests.access_matrix import ANONYMOUS, ROLES, Case

# URL names that are not the portal's own screens.
NOT_OURS = {"set_language"}
NOT_OURS_NAMESPACES = {"admin"}


def _all_cases() -> list[Case]:
    cases = []
    root = Path(tests.__file__).parent
    for module in pkgutil.iter_modules([str(root)]):
        if not module.ispkg:
            continue
        try:
            cases_module = importlib.import_module(f"tests.{module.name}.access_cases")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{module.name}.access_cases":
                raise
            continue
        cases.extend(cases_module.CASES)
    return cases


CASES = _all_cases()


def _named_urls(resolver=None, namespace=None) -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in NOT_OURS_NAMESPACES:
                continue
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            names |= _named_urls(pattern, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if name not in NOT_OURS:
                names.add(name)
    return names


def test_it_has_a_case_for_every_named_url():
    """A new screen cannot ship without saying, in the matrix, who may open it."""
    covered = {case.url_name for case in CASES}
    missing = sorted(_named_urls() - covered)
    assert not missing, f"URLs without an access-matrix case: {missing}"


def _request(client, case: Case, args, world):
    url = reverse(case.url_name, args=args)
    if case.method == "post":
        return client.post(url, case.data(world) if case.data else {})
    return client.get(url)


def _user_for(world, role: str):
    return None if role == ANONYMOUS else world.user(role)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.url_name)
def test_it_answers_each_role_as_the_matrix_says(case: Case, world, client):
    failures = []
    # Another county's object is a 404 for everyone, before any action could change it: build it once.
    # A GET changes nothing a later role's answer depends on, so its own-township object is built once
    # too; a POST may move the object (a lifecycle step), so each role gets a fresh one.
    other_args = case.other(world) if case.other is not None else None
    shared_args = (case.own(world) if case.own else []) if case.method != "post" else None
    for role in ROLES:
        user = _user_for(world, role)
        client.logout()
        if user is not None:
            forget_scope(user)
            client.force_login(user)
        args = shared_args if shared_args is not None else (case.own(world) if case.own else [])
        response = _request(client, case, args, world)
        if response.status_code != case.expected[role]:
            failures.append(f"{role}: own township → {response.status_code}, expected {case.expected[role]}")
        if other_args is not None and user is not None:
            response = _request(client, case, other_args, world)
            if response.status_code != case.other_expected:
                failures.append(f"{role}: another county → {response.status_code}, expected {case.other_expected}")
    assert not failures, f"{case.url_name}:\n  " + "\n  ".join(failures)
