"""The change-of-term URLs as every role (see tests/access_matrix.py): staff and the chair of township A only.

Every step POSTs back to the step page (302) whether the step was taken or refused with a message;
what each step does is tested in tests/terms/test_change_of_term.py and test_views.py.
"""

from __future__ import annotations

from presidium.choices import Role
from tests.access_matrix import STAFF, Case, allow

CA = Role.COUNTY_ADMIN.value
MANAGERS = (CA, *STAFF)


def _own(w):
    return [w.township.pk]


def _other(w):
    return [w.foreign_township.pk]


def _open_data(w):
    return {"start_date": "2026-12-01"}


def _next_term_batch(w):
    from presidium.documents import services as document_services
    from presidium.models import User
    from tests.deputies.test_import import messy_roster
    from tests.factories import PASSWORD

    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "terms_matrix_admin", "tm@example.invalid", PASSWORD)
    batch = document_services.import_batch_create(kind="deputy_roster_next_term", township=w.township, by=admin,
                                                  content=messy_roster(), original_name="新一届名册.xlsx")
    return [batch.pk]


CASES = [
    Case("terms:index", allow(STAFF, status=302)),
    Case("terms:steps", allow(STAFF), own=_own, other=_other),
    Case("terms:open_next", allow(STAFF, status=302), own=_own, other=_other, method="post", data=_open_data),
    Case("terms:mark_not_reelected", allow(STAFF, status=302), own=_own, other=_other, method="post"),
    Case("terms:carry_over", allow(STAFF, status=302), own=_own, other=_other, method="post"),
    Case("terms:switch", allow(STAFF, status=302), own=_own, other=_other, method="post"),
    # the roster import into the next term (the foundation's flow, as deputies:roster_import)
    Case("deputies:roster_import_next_term", allow(MANAGERS)),
    Case("deputies:roster_import_next_term_template", allow(MANAGERS)),
    Case("deputies:roster_import_next_term_preview", allow(MANAGERS), own=_next_term_batch),
    Case("deputies:roster_import_next_term_file", allow(MANAGERS), own=_next_term_batch),
    Case("deputies:roster_import_next_term_commit", allow(MANAGERS, status=302), own=_next_term_batch,
         method="post"),
    Case("deputies:roster_import_next_term_discard", allow(MANAGERS, status=302), own=_next_term_batch,
         method="post"),
    Case("deputies:roster_import_next_term_reveal", allow(MANAGERS), own=_next_term_batch, method="post"),
]
