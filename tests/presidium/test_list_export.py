"""Long list exports run as a document job with progress; short ones download at once (issue 8).

The threshold is ``EXPORT_JOB_THRESHOLD`` (2,000 rows by default); the tests lower it so a few rows
stand for a county's thousands.
"""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from presidium.choices import Role
from presidium.documents.choices import JobStatus
from presidium.documents.models import DocumentJob
from tests.factories import DeputyFactory, HandlingUnitFactory, VisitFactory, VisitOpinionFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _job_from(response) -> DocumentJob:
    assert response.status_code == 302, response.status_code
    return DocumentJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def _sheet(job) -> list[tuple]:
    with job.result.open("rb") as handle:
        return list(load_workbook(io.BytesIO(handle.read()), read_only=True).active.iter_rows(values_only=True))


def test_it_downloads_a_short_export_at_once(world, login, settings):
    settings.EXPORT_JOB_THRESHOLD = 5
    response = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("presidium:unit_list"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert not DocumentJob.objects.exists()


def test_it_turns_a_long_export_into_a_job_with_progress(world, login, settings,
                                                         django_capture_on_commit_callbacks):
    settings.EXPORT_JOB_THRESHOLD = 2
    for n in range(3):
        HandlingUnitFactory(township=world.township, name=f"村委会{n}")
    HandlingUnitFactory(township=world.other_township, name="乙镇的村")  # not the staff's: not exported
    client = login(world.user(Role.PRESIDIUM_STAFF))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("presidium:unit_list"), {"export": "xlsx", "q": ""})
    job = _job_from(response)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and (job.progress, job.total) == (4, 4)
    assert job.requested_by == world.user(Role.PRESIDIUM_STAFF) and job.township is None
    assert job.title == "承办单位（Excel）" and job.file_name.startswith("承办单位-")
    rows = _sheet(job)
    assert rows[1][:2] == ("乡镇", "单位名称") and len(rows) == 2 + 4
    assert {row[1] for row in rows[2:]} == {"财政所", "村委会0", "村委会1", "村委会2"}

    page = client.get(reverse("documents:job_detail", args=[job.pk])).content.decode()
    assert job.file_name in page and "已转为后台生成" in page
    # the file is the requester's: another staff member of the same township does not see the job
    other = login(world.users[Role.PRESIDIUM_CHAIR.value])
    assert other.get(reverse("documents:job_download", args=[job.pk])).status_code == 404


def test_it_exports_exactly_the_filtered_rows_in_the_job(world, login, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_JOB_THRESHOLD = 1
    for n in range(3):
        HandlingUnitFactory(township=world.township, name=f"水利站{n}", kind="station")
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("presidium:unit_list"),
                                                               {"export": "xlsx", "q": "水利站"})
    job = _job_from(response)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert sorted(row[1] for row in _sheet(job)[2:]) == ["水利站0", "水利站1", "水利站2"]


def test_it_fails_the_job_when_the_requester_may_no_longer_export(world, login, settings,
                                                                   django_capture_on_commit_callbacks):
    """The job replays the request as the requester: a role taken away in the meantime means no file."""
    from tests.factories import proposals_suggestion

    settings.EXPORT_JOB_THRESHOLD = 0
    proposals_suggestion(world.township, status_to="submitted")
    staff = world.user(Role.PRESIDIUM_STAFF)
    client = login(staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(reverse("proposals:list"), {"export": "xlsx"})
    job = _job_from(response)
    staff.role_assignments.all().delete()
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "无权导出" in job.error and not job.result


def test_it_starts_a_visits_export_job_in_a_constant_number_of_queries(world, login, settings,
                                                                       django_capture_on_commit_callbacks,
                                                                       django_assert_max_num_queries):
    """A county's visits: starting the job and running it cost the same queries for 3 rows as for 12."""
    settings.EXPORT_JOB_THRESHOLD = 2
    client = login(world.user(Role.COUNTY_REVIEWER))

    def add(n):
        for i in range(n):
            township = world.township if i % 2 else world.other_township
            visit = VisitFactory(deputy=DeputyFactory(township=township))
            VisitOpinionFactory(visit=visit)

    def export():
        with django_capture_on_commit_callbacks(execute=True):
            return _job_from(client.get(reverse("deputies:visit_list"), {"export": "xlsx"}))

    add(3)
    with django_assert_max_num_queries(60) as few:
        first = export()
    add(9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        second = export()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == JobStatus.DONE
    assert (first.total, second.total) == (3, 12) and len(_sheet(second)) == 2 + 12
