"""Access-matrix cases for the documents app: imports, document jobs, the unit ledger."""

from presidium.choices import Role
from presidium.documents import services
from presidium.documents.jobs import run_job
from presidium.documents.unit_ledger import KIND as LEDGER
from tests.access_matrix import COUNTY, STAFF, Case, allow, expect
from tests.documents.sheets import unit_sheet, units
from tests.factories import UserFactory

MANAGERS = (*STAFF, Role.COUNTY_ADMIN.value)
REQUESTER_AND_TOWNSHIP_STAFF = {Role.PRESIDIUM_STAFF.value: 200, Role.PRESIDIUM_CHAIR.value: 200}


def _batch(township):
    return [services.import_batch_create(kind="handling_units", township=township, by=None,
                                         content=unit_sheet(units(1)), original_name="单位.xlsx").pk]


def _job(requester, township, *, done=False):
    job = services.document_job_create(kind=LEDGER, params={"township_id": township.pk}, by=requester,
                                       township=township)
    if done:
        run_job(job.pk)
    return [job.pk]


def _own_job(world, **kwargs):
    return _job(world.user(Role.PRESIDIUM_STAFF), world.township, **kwargs)


def _foreign_job(world, **kwargs):
    return _job(UserFactory(), world.foreign_township, **kwargs)


CASES = [
    Case("documents:issuer", expect(404, **dict.fromkeys(MANAGERS, 200), county_reviewer=403),
         own=lambda w: [w.township.pk], other=lambda w: [w.foreign_township.pk],
         note="the 发文机关 and 机关代字: those who manage the township's organisation"),
    Case("documents:job_list", expect(200)),
    Case("documents:job_detail", expect(404, **REQUESTER_AND_TOWNSHIP_STAFF),
         own=_own_job, other=_foreign_job, note="the requester and presidium staff of the job's township"),
    Case("documents:job_status", expect(404, **REQUESTER_AND_TOWNSHIP_STAFF), own=_own_job, other=_foreign_job),
    Case("documents:job_download", expect(404, **REQUESTER_AND_TOWNSHIP_STAFF),
         own=lambda w: _own_job(w, done=True), other=lambda w: _foreign_job(w, done=True)),
    Case("documents:unit_ledger", allow((*STAFF, *COUNTY))),
    Case("documents:unit_import", allow(MANAGERS)),
    Case("documents:unit_import_template", allow(MANAGERS)),
    Case("documents:unit_import_preview", expect(403, **dict.fromkeys(MANAGERS, 200)),
         own=lambda w: _batch(w.township), other=lambda w: _batch(w.foreign_township)),
    Case("documents:unit_import_file", expect(403, **dict.fromkeys(MANAGERS, 200)),
         own=lambda w: _batch(w.township), other=lambda w: _batch(w.foreign_township)),
    Case("documents:unit_import_commit", expect(403, **dict.fromkeys(MANAGERS, 302)), method="post",
         own=lambda w: _batch(w.township), other=lambda w: _batch(w.foreign_township)),
    Case("documents:unit_import_discard", expect(403, **dict.fromkeys(MANAGERS, 302)), method="post",
         own=lambda w: _batch(w.township), other=lambda w: _batch(w.foreign_township)),
    Case("documents:unit_import_reveal", expect(403), method="post", note="units hold no personal data to reveal",
         own=lambda w: _batch(w.township), other=lambda w: _batch(w.foreign_township)),
]
