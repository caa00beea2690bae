"""The public petition pages and the notice downloads in the access matrix (see tests/access_matrix.py).

p-public's cases: ``tests/petitions/access_cases.py`` (p-staff's) adds ``CASES`` from here to its own, and
``tests/petitions/test_public_access.py`` runs them on their own as well.

The public pages answer everyone, logged in or not: no login, nothing personal on them. The case page
and the review request need a look-up first (number + query code) and otherwise send the visitor to
the look-up form. The notices are for the township's staff and the unit the case was transferred to:
the county's roles see the case but do not send its notices (403); the deputy did not raise it and
does not see it (404); another county's notice is a 404 for everyone.
"""

from __future__ import annotations

import datetime as dt

from presidium.choices import Role
from tests.access_matrix import STAFF, Case, allow, expect

LIAISON = Role.UNIT_LIAISON.value
DEPUTY = Role.DEPUTY.value
NOTICE_ROLES = allow((*STAFF, LIAISON)) | {DEPUTY: 404}


def _own_transfer(w):
    from tests.petitions.public_flow import transferred

    _petition, transfer = transferred(w)
    return transfer


def _foreign_transfer(w):
    from petitions.models import PetitionNotice
    from tests.factories import PetitionFactory, PetitionTransferFactory

    petition = PetitionFactory(township=w.foreign_township, status="transferred", accepted_on=dt.date(2026, 9, 28),
                               current_unit=w.foreign_unit)
    transfer = PetitionTransferFactory(petition=petition, unit=w.foreign_unit)
    PetitionNotice.objects.create(petition=petition, kind="transfer", issued_on=dt.date(2026, 9, 28),
                                  addressee=w.foreign_unit.name, body="转办", transfer=transfer)
    return transfer


def _notice_id(build):
    return lambda w: [build(w).notices.get(kind="transfer").pk]


def _transfer_id(build):
    return lambda w: [build(w).pk]


PUBLIC = expect(200, anonymous=200)
NO_GRANT = expect(302, anonymous=302)

CASES = [
    Case("petitions_public:index", PUBLIC, note="public: what the petitioner can do, the time limits"),
    Case("petitions_public:create", PUBLIC, note="网上信访: public, no login"),
    Case("petitions_public:receipt", PUBLIC, note="shows a receipt only to the browser that just filed"),
    Case("petitions_public:lookup", PUBLIC, note="信访查询 form"),
    Case("petitions_public:case", NO_GRANT, note="without a look-up: back to the look-up form"),
    Case("petitions_public:review_request", NO_GRANT, method="post", data=lambda w: {"reason": "不服"},
         note="without a look-up: back to the look-up form, nothing saved"),
    Case("petitions_public:leave", NO_GRANT, method="post"),
    Case("petition_notices:notice_pdf", NOTICE_ROLES, own=_notice_id(_own_transfer),
         other=_notice_id(_foreign_transfer)),
    Case("petition_notices:notice_docx", NOTICE_ROLES, own=_notice_id(_own_transfer),
         other=_notice_id(_foreign_transfer)),
    Case("petition_notices:transfer_pdf", NOTICE_ROLES, own=_transfer_id(_own_transfer),
         other=_transfer_id(_foreign_transfer)),
    Case("petition_notices:transfer_docx", NOTICE_ROLES, own=_transfer_id(_own_transfer),
         other=_transfer_id(_foreign_transfer)),
]
