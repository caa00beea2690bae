"""Document jobs: queued after commit, run eagerly or by the command, failures shown, files kept private."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from openpyxl import load_workbook

from presidium.choices import Role
from presidium.documents import services, tasks
from presidium.documents.choices import IMPORT_TRANSITIONS, JOB_TRANSITIONS, ImportStatus, JobStatus
from presidium.documents.jobs import job_start, purge_expired, register_job, run_job, run_queued_jobs
from presidium.documents.models import DocumentJob, ImportBatch
from presidium.documents.unit_ledger import KIND as LEDGER
from presidium.documents.unit_ledger import handling_unit_ledger
from tests.factories import HandlingUnitFactory

LEDGER_URL = reverse("documents:unit_ledger")


@register_job("test_failing", title="测试：会失败的文档")
def _failing(job, params, progress):
    progress(1, 3)
    raise ValueError("模板“代表档案卡”缺少照片栏")


@register_job("test_counting", title="测试：计数")
def _counting(job, params, progress):
    for n in range(1, 2001):
        progress(n, 2000)
    return "计数.txt", b"2000"


def _start_ledger(client, township, capture):
    with capture(execute=True):
        response = client.post(LEDGER_URL, {"township": township.pk})
    assert response.status_code == 302
    return DocumentJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def test_it_generates_the_unit_ledger_end_to_end(world, login, django_capture_on_commit_callbacks):
    HandlingUnitFactory(township=world.township, name="东风村", kind="village", contact_phone="13812345678")
    client = login(world.user(Role.PRESIDIUM_STAFF))
    assert client.get(LEDGER_URL).status_code == 200
    job = _start_ledger(client, world.township, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE and job.township == world.township
    assert (job.progress, job.total) == (2, 2)
    assert job.file_name.startswith("甲镇承办单位台账-") and job.file_name.endswith(".xlsx")
    assert job.result.name.startswith("jobs/") and "甲镇" not in job.result.name

    page = client.get(reverse("documents:job_detail", args=[job.pk])).content.decode()
    assert 'data-status="done"' in page and "hx-trigger" not in page and job.file_name in page

    download = client.get(reverse("documents:job_download", args=[job.pk]))
    assert download.status_code == 200 and "filename*=utf-8''" in download["Content-Disposition"].lower()
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet["A1"].value.startswith("甲镇承办单位台账")
    assert [c.value for c in sheet[2]][:3] == ["序号", "单位名称", "单位类型"]
    assert {sheet.cell(row=r, column=2).value for r in (3, 4)} == {"财政所", "东风村"}
    assert "乙镇财政所" not in {sheet.cell(row=r, column=2).value for r in range(3, sheet.max_row + 1)}


def test_it_shows_a_failing_jobs_error(world, login, django_capture_on_commit_callbacks):
    staff = world.user(Role.PRESIDIUM_STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="test_failing", params={}, by=staff, township=world.township)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert job.error == "生成失败：ValueError：模板“代表档案卡”缺少照片栏"
    assert not job.result
    client = login(staff)
    page = client.get(reverse("documents:job_status", args=[job.pk])).content.decode()
    assert "模板“代表档案卡”缺少照片栏" in page and "hx-trigger" not in page
    assert client.get(reverse("documents:job_download", args=[job.pk])).status_code == 404


def test_it_keeps_a_job_to_its_requester_and_their_townships_staff(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.user(Role.PRESIDIUM_STAFF))
    job = _start_ledger(client, world.township, django_capture_on_commit_callbacks)
    urls = [reverse(name, args=[job.pk]) for name in
            ("documents:job_detail", "documents:job_status", "documents:job_download")]
    allowed = {Role.PRESIDIUM_STAFF: 200, Role.PRESIDIUM_CHAIR: 200, Role.COUNTY_ADMIN: 404,
               Role.COUNTY_REVIEWER: 404, Role.DEPUTY: 404, Role.UNIT_LIAISON: 404}
    for role, status in allowed.items():
        client.force_login(world.user(role))
        assert [client.get(url).status_code for url in urls] == [status] * 3, role
    client.force_login(world.other_staff)
    assert [client.get(url).status_code for url in urls] == [404] * 3
    listing = client.get(reverse("documents:job_list")).content.decode()
    assert "甲镇承办单位台账" not in listing


def test_it_polls_while_running_and_stops_when_done(world, login):
    staff = world.user(Role.PRESIDIUM_STAFF)
    job = services.document_job_create(kind=LEDGER, params={"township_id": world.township.pk}, by=staff,
                                       township=world.township)
    client = login(staff)
    url = reverse("documents:job_status", args=[job.pk])
    queued = client.get(url).content.decode()
    assert f'hx-get="{url}"' in queued and 'hx-trigger="every 2s"' in queued and "<progress" in queued
    services.document_job_claim(job_id=job.pk)
    services.document_job_progress(job=job, done=30, total=120, message="正在写入")
    running = client.get(url).content.decode()
    assert 'value="30" max="120"' in running and "25%" in running and "正在写入" in running
    assert 'style="' not in running  # CSP: no inline styles, the bar is a <progress>
    run_job(job.pk)  # already running: left alone
    assert DocumentJob.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_it_answers_the_status_page_in_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    staff = world.user(Role.PRESIDIUM_STAFF)
    client = login(staff)
    job = services.document_job_create(kind="test_counting", params={}, by=staff, township=world.township)
    url = reverse("documents:job_status", args=[job.pk])
    client.get(url)
    with django_assert_max_num_queries(8) as queued:
        client.get(url)
    bound = len(queued)
    for _ in range(30):
        services.document_job_create(kind="test_counting", params={}, by=staff, township=world.township)
    run_job(job.pk)
    with django_assert_max_num_queries(bound):
        assert 'data-status="done"' in client.get(url).content.decode()
    with django_assert_max_num_queries(bound + 4):  # the full page: the frame's own queries on top
        client.get(reverse("documents:job_detail", args=[job.pk]))


def test_it_lists_jobs_in_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    staff = world.user(Role.PRESIDIUM_STAFF)
    client = login(staff)
    services.document_job_create(kind=LEDGER, params={}, by=staff, township=world.township)
    client.get(reverse("documents:job_list"))
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("documents:job_list"))
    bound = len(few)
    for _ in range(25):
        services.document_job_create(kind=LEDGER, params={}, by=world.user(Role.PRESIDIUM_CHAIR),
                                     township=world.township)
    with django_assert_max_num_queries(bound):
        page = client.get(reverse("documents:job_list") + "?status=queued").content.decode()
    assert page.count("承办单位台账") >= 26


def test_it_writes_the_ledger_in_a_constant_number_of_queries(world, django_assert_max_num_queries):
    job = services.document_job_create(kind=LEDGER, params={}, by=None, township=world.township)
    calls = []

    def run():
        return handling_unit_ledger(job, {"township_id": world.township.pk}, lambda *a: calls.append(a))

    with django_assert_max_num_queries(6) as few:
        run()
    bound = len(few)
    for n in range(40):
        HandlingUnitFactory(township=world.township, name=f"单位{n}")
    with django_assert_max_num_queries(bound):
        name, content = run()
    assert load_workbook(io.BytesIO(content)).active.max_row == 2 + 41


def test_it_survives_a_broker_outage_and_the_command_runs_the_job_later(world, login, monkeypatch,
                                                                          django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_document_job, "delay", broker_down)
    client = login(world.user(Role.PRESIDIUM_STAFF))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LEDGER_URL, {"township": world.township.pk})
    assert response.status_code == 302  # the request succeeds; the row waits
    job = DocumentJob.objects.get()
    assert job.status == JobStatus.QUEUED
    out = io.StringIO()
    call_command("run_document_jobs", stdout=out)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and "共运行 1 个任务" in out.getvalue()


def test_it_returns_quietly_for_a_missing_or_finished_job(world):
    assert run_job(987654) is None
    job = services.document_job_create(kind="test_counting", params={}, by=None, township=None)
    done = run_job(job.pk)
    assert done.status == JobStatus.DONE and done.progress == 2000 and done.result.read() == b"2000"
    assert run_job(job.pk) is None
    assert run_queued_jobs() == []


def test_it_marks_stale_running_jobs_failed(world):
    job = services.document_job_create(kind="test_counting", params={}, by=None, township=None)
    services.document_job_claim(job_id=job.pk)
    DocumentJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - dt.timedelta(hours=1))
    call_command("run_document_jobs", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "中断" in job.error


def test_it_purges_old_documents_and_unconfirmed_uploads(world, django_capture_on_commit_callbacks):
    from tests.documents.sheets import unit_sheet, units

    old = timezone.now() - dt.timedelta(days=31)
    stale_job = run_job(services.document_job_create(kind="test_counting", params={}, by=None, township=None).pk)
    fresh_job = run_job(services.document_job_create(kind="test_counting", params={}, by=None, township=None).pk)
    DocumentJob.objects.filter(pk=stale_job.pk).update(created_at=old)
    upload = services.import_batch_create(kind="handling_units", township=world.township, by=None,
                                          content=unit_sheet(units(1)), original_name="a.xlsx")
    kept = services.import_batch_create(kind="handling_units", township=world.township, by=None,
                                        content=unit_sheet(units(1)), original_name="b.xlsx")
    ImportBatch.objects.filter(pk__in=[upload.pk, kept.pk]).update(created_at=old)
    ImportBatch.objects.filter(pk=kept.pk).update(status=ImportStatus.COMMITTED, committed_at=old)
    storage = stale_job.result.storage
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired(days=30) == (1, 1)
    assert not DocumentJob.objects.filter(pk=stale_job.pk).exists() and not storage.exists(stale_job.result.name)
    assert DocumentJob.objects.filter(pk=fresh_job.pk).exists() and storage.exists(fresh_job.result.name)
    upload.refresh_from_db()
    assert upload.status == ImportStatus.DISCARDED and not upload.file
    assert storage.exists(kept.file.name)  # a committed import keeps its source sheet


def test_it_records_an_unknown_job_kind_as_a_failure(world):
    job = DocumentJob.objects.create(kind="no_such_kind")
    assert run_job(job.pk).error == "未知的文档类型“no_such_kind”。"


def test_it_refuses_to_start_an_unregistered_kind(world):
    with pytest.raises(ValueError, match="unknown document job kind"):
        job_start(kind="no_such_kind", params={}, by=None)


def test_it_refuses_the_ledger_to_roles_without_a_township_view(world, client):
    for role, status in ((Role.DEPUTY, 403), (Role.UNIT_LIAISON, 403), (Role.COUNTY_REVIEWER, 200)):
        client.force_login(world.user(role))
        assert client.get(LEDGER_URL).status_code == status
    client.force_login(world.user(Role.PRESIDIUM_STAFF))
    response = client.post(LEDGER_URL, {"township": world.other_township.pk})
    assert response.status_code == 200 and not DocumentJob.objects.exists()


# --- lifecycles: every allowed and every forbidden transition -------------------------------------
def _job_in(status: str) -> DocumentJob:
    if status == JobStatus.DONE:  # the database insists that a done job has its file
        return DocumentJob.objects.create(kind="test_counting", status=status, result="jobs/x.txt",
                                          finished_at=timezone.now())
    return DocumentJob.objects.create(kind="test_counting", status=status)


def _job_to(job: DocumentJob, target: str) -> None:
    if target == JobStatus.RUNNING:
        services.document_job_claim(job_id=job.pk)
    elif target == JobStatus.DONE:
        services.document_job_finish(job=job, filename="x.txt", content=b"x")
    elif target == JobStatus.FAILED:
        services.document_job_fail(job=job, error="测试")


@pytest.mark.parametrize("source", list(JobStatus))
@pytest.mark.parametrize("target", [s for s in JobStatus if s != JobStatus.QUEUED])
def test_it_allows_exactly_the_job_transitions_in_the_table(world, source, target):
    job = _job_in(source)
    _job_to(job, target)
    job.refresh_from_db()
    expected = target if target in JOB_TRANSITIONS[source] else source
    assert job.status == expected


def _batch_to(batch: ImportBatch, target: str) -> None:
    from django.core.exceptions import ValidationError

    from presidium.documents.importing import ImportPreview, ImportRow

    preview = ImportPreview(rows=[ImportRow(3, {}, {})], header_row=2, columns={}, missing=[],
                            unknown_headers=[], sheet_name="S")
    try:
        if target == ImportStatus.COMMITTED:
            services.import_batch_commit(batch=batch, preview=preview, commit=lambda *a: {}, by=None)
        elif target == ImportStatus.FAILED:
            services.import_batch_fail(batch=batch, by=None, error="测试")
        elif target == ImportStatus.DISCARDED:
            services.import_batch_discard(batch=batch, by=None)
    except ValidationError:
        pass


@pytest.mark.parametrize("source", list(ImportStatus))
@pytest.mark.parametrize("target", [s for s in ImportStatus if s != ImportStatus.PREVIEWED])
def test_it_allows_exactly_the_import_transitions_in_the_table(world, source, target):
    batch = ImportBatch.objects.create(kind="handling_units", sha256="0" * 64, status=source,
                                       committed_at=timezone.now() if source == ImportStatus.COMMITTED else None)
    _batch_to(batch, target)
    batch.refresh_from_db()
    expected = target if target in IMPORT_TRANSITIONS[source] else source
    assert batch.status == expected
