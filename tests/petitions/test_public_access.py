"""The public pages and notice downloads as every role (the cases of access_cases_public.py), on their own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from presidium.access import forget_scope
from tests.access_matrix import ANONYMOUS, ROLES
from tests.petitions.access_cases_public import CASES


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.url_name)
def test_it_answers_each_role_as_the_public_cases_say(case, world, client):
    failures = []
    other_args = case.other(world) if case.other is not None else None
    shared = (case.own(world) if case.own else []) if case.method != "post" else None
    for role in ROLES:
        user = None if role == ANONYMOUS else world.user(role)
        client.logout()
        if user is not None:
            forget_scope(user)
            client.force_login(user)
        args = shared if shared is not None else (case.own(world) if case.own else [])
        url = reverse(case.url_name, args=args)
        response = (client.post(url, case.data(world) if case.data else {}) if case.method == "post"
                    else client.get(url))
        if response.status_code != case.expected[role]:
            failures.append(f"{role}: own → {response.status_code}, expected {case.expected[role]}")
        if other_args is not None and user is not None:
            status = client.get(reverse(case.url_name, args=other_args)).status_code
            if status != case.other_expected:
                failures.append(f"{role}: another county → {status}, expected {case.other_expected}")
    assert not failures, f"{case.url_name}:\n  " + "\n  ".join(failures)


def test_it_turns_huge_ids_away_as_not_found(world, client):
    client.force_login(world.user("presidium_staff"))
    for name in ("notice_pdf", "notice_docx", "transfer_pdf", "transfer_docx"):
        assert client.get(reverse(f"petition_notices:{name}", args=[2**63 + 5])).status_code == 404


def test_it_points_the_public_from_the_login_page_to_the_petition_pages(client, db):
    """A petitioner who lands on the portal's login finds the way to file or look up without an account."""
    from django.urls import reverse

    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("petitions_public:index")}"' in page and "网上信访" in page
    assert client.get(reverse("petitions_public:index")).status_code == 200
