"""Roster import: the words rosters use, checks the commit would make shown in the preview, personal
data masked (a reveal logged), files not kept, large files checked by a job, the CLI alike."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from deputies.choices import DeputyLevel, DeputyStatus, GroupKind
from deputies.import_checks import name_key, nearest
from deputies.importing import RosterImportSchema, parse_level
from deputies.models import Deputy, DeputyGroup, PersonalDataAccess
from presidium.documents.choices import ImportStatus, JobStatus
from presidium.documents.importing import read_preview
from presidium.documents.models import DocumentJob, ImportBatch
from tests.deputies.conftest import make_id_number
from tests.deputies.test_import import ID_LI, ID_ZHANG, messy_roster
from tests.documents.sheets import replace_member, xlsx_bytes

UPLOAD = reverse("deputies:roster_import")
HEADER = ["姓名", "性别", "出生年月", "代表层级", "所属代表小组", "选区", "手机号码", "身份证号码"]


def roster(rows: list[list], header: list[str] = HEADER) -> bytes:
    return xlsx_bytes([["青石镇人大代表名册"], header, *rows], merges=(f"A1:{chr(64 + len(header))}1",))


@pytest.mark.parametrize(("written", "level"), [
    ("镇代表", DeputyLevel.TOWNSHIP), ("乡代表", DeputyLevel.TOWNSHIP), ("乡镇人大代表", DeputyLevel.TOWNSHIP),
    ("镇人大代表", DeputyLevel.TOWNSHIP), ("乡镇", DeputyLevel.TOWNSHIP), ("镇", DeputyLevel.TOWNSHIP),
    ("县代表", DeputyLevel.COUNTY), ("县人大代表", DeputyLevel.COUNTY), ("驻镇县人大代表", DeputyLevel.COUNTY),
    ("驻乡镇县人大代表", DeputyLevel.COUNTY), ("区人大代表", DeputyLevel.COUNTY), ("县级人大代表", DeputyLevel.COUNTY),
    ("县、镇代表", DeputyLevel.BOTH), ("县乡两级代表", DeputyLevel.BOTH), ("县、乡镇两级人大代表", DeputyLevel.BOTH),
    ("县镇两级人大代表", DeputyLevel.BOTH), ("县，乡代表", DeputyLevel.BOTH), ("两级代表", DeputyLevel.BOTH),
    ("县 镇 代表", DeputyLevel.BOTH), ("county", DeputyLevel.COUNTY),
])
def test_it_understands_the_level_words_rosters_use(written, level):
    assert parse_level(written) == level


@pytest.mark.parametrize("written", ["市人大代表", "村代表", "代表"])
def test_it_refuses_a_level_it_cannot_place_and_says_what_to_write(written):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="镇代表"):
        parse_level(written)


@pytest.mark.parametrize(("a", "b"), [("第一代表小组", "1组"), ("第十二小组", "12组"), ("东风代表小组", "东风小组"),
                                      ("第二十选区", "20选区")])
def test_it_sees_group_names_that_differ_only_in_generic_words(a, b):
    assert name_key(a) == name_key(b)


def test_it_suggests_the_nearest_existing_name_by_words_or_by_sound():
    assert nearest("1组", ["东风代表小组", "第一代表小组"]) == "第一代表小组"
    assert nearest("东丰代表小组", ["东风代表小组", "红旗代表小组"]) == "东风代表小组"  # same pinyin
    assert nearest("光明代表小组", ["东风代表小组"]) is None


def test_it_reads_所属代表小组_and_the_level_words_instead_of_refusing_the_sheet(world):
    rows = [["张三", "男", "1975.03", "镇代表", "东风代表小组", "第一选区", "13812345678", None],
            ["李秀英", "女", "1982.11", "县、镇代表", "东风代表小组", "第一选区", None, None],
            ["王五", "男", "1968.07", "县代表", "红旗代表小组", None, None, None]]
    preview = read_preview(roster(rows), RosterImportSchema(township=world.township))
    assert preview.ok, [row.errors for row in preview.rows]
    assert preview.columns["group"] == "E" and preview.unknown_headers == []
    assert [row.values["level"] for row in preview.rows] == ["township", "both", "county"]
    assert [row.values["group"] for row in preview.rows] == ["东风代表小组"] * 2 + ["红旗代表小组"]


def test_it_lists_an_unrecognised_column_before_the_commit(world, login):
    client = login(world.user("presidium_staff"))
    data = roster([["张三", "男", "1975.03", "镇", "东风代表小组", "第一选区", None, None, "党支部书记"]],
                  header=[*HEADER, "兼任职务说明"])
    page = client.get(client.post(UPLOAD, {"township": world.township.pk,
                                           "file": SimpleUploadedFile("名册.xlsx", data)})["Location"])
    html = page.content.decode()
    assert 'data-testid="unknown-columns"' in html and "兼任职务说明" in html
    assert 'data-testid="commit-button"' in html  # told, and still importable


def test_it_shows_将新建_and_a_close_existing_name_so_a_typo_does_not_make_a_second_group(world):
    DeputyGroup.objects.create(township=world.township, name="第一代表小组", kind=GroupKind.SMALL)
    rows = [["张三", "男", "1975.03", "镇", "1组", "第一选区", None, None],
            ["李四", "男", "1976.03", "镇", "第一代表小组", "第一选区", None, None]]
    preview = read_preview(roster(rows), RosterImportSchema(township=world.township))
    first, second = preview.rows
    assert first.cell_notes == {"group": "将新建", "constituency": "将新建"} and second.cell_notes == {
        "constituency": "将新建"}
    assert any("“1组”系统中没有，将新建" in w and "已有的“第一代表小组”相近" in w for w in first.warnings)
    assert any(note.startswith("将新建代表小组 1 个：1组") for note in preview.notes)
    assert any(note.startswith("将新建选区 1 个：第一选区") for note in preview.notes)
    assert preview.ok  # a warning: the office decides


def test_it_marks_in_the_preview_what_the_commit_would_refuse(world):
    term = world.township.current_term()
    DeputyGroup.objects.create(township=world.township, name="第一大组", kind=GroupKind.BIG)
    Deputy.objects.create(township=world.township, term=term, name="赵离", gender="male",
                          birth_date=dt.date(1970, 1, 5), status=DeputyStatus.RESIGNED,
                          status_since=dt.date(2025, 5, 1))
    rows = [["张三", "男", "1975.03", "镇", "第一大组", None, None, None],
            ["赵离", "男", "1970.01", "镇", None, None, None, None],
            ["周一", "男", "1980.01", "镇", None, "第九选区", None, None],
            ["周二", "男", "1980.02", "镇", None, "第九选区", None, None],
            ["周三", "男", "1980.03", "镇", None, "第九选区", None, None],
            ["周四", "男", "1980.04", "县乡两级", None, "第九选区", None, None],
            ["孙同", "男", "1990.05", "镇", None, None, None, None],
            ["孙同", "男", "1990.05", "镇", None, None, None, None]]
    preview = read_preview(roster(rows), RosterImportSchema(township=world.township))
    errors = {row.number: " ".join(row.errors) for row in preview.rows}
    assert "是代表大组" in errors[3]
    assert "已辞职" in errors[4] or "不能修改离任代表" in errors[4]
    assert all("第九选区" in errors[n] and "超过了每个选区最多 3 名" in errors[n] for n in (5, 6, 7, 8))
    assert "与第 9 行姓名、出生年月相同" in errors[10] and not errors[9]
    assert not preview.ok


def _upload(client, data: bytes, township, name="名册.xlsx"):
    return client.post(UPLOAD, {"township": township.pk, "file": SimpleUploadedFile(name, data)})


def test_it_never_says_importable_when_the_commit_would_fail(world, login):
    """What only the commit's services know (here: a name with a digit) is found by the rehearsal."""
    client = login(world.user("presidium_staff"))
    rows = [["张三", "男", "1975.03", "镇", None, None, None, None], ["李4", "男", "1976.03", "镇", None, None, None, None]]
    html = client.get(_upload(client, roster(rows), world.township)["Location"]).content.decode()
    assert 'class="table-danger" data-row="4"' in html and "姓名应为 2–30 个汉字" in html
    assert 'data-testid="commit-button"' not in html
    assert not Deputy.objects.exists()


def test_it_masks_the_roster_preview_and_logs_a_reveal_and_a_download(world, login):
    staff = world.user("presidium_staff")
    client = login(staff)
    response = _upload(client, messy_roster(), world.township)
    batch = ImportBatch.objects.get(pk=int(re.search(r"/(\d+)/$", response["Location"]).group(1)))
    html = client.get(response["Location"]).content.decode()
    assert ID_ZHANG not in html and ID_LI not in html and "13812345678" not in html and "东风村3组" not in html
    assert ID_ZHANG[:6] + "********" + ID_ZHANG[-4:] in html and "138****5678" in html
    assert ID_ZHANG not in str(batch.check_result) and "13812345678" not in str(batch.check_result)
    assert 'data-testid="reveal-button"' in html
    assert not PersonalDataAccess.objects.exists()

    revealed = client.post(reverse("deputies:roster_import_reveal", args=[batch.pk])).content.decode()
    assert ID_ZHANG in revealed and "13812345678" in revealed and 'data-testid="revealed"' in revealed
    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.purpose, entry.township, entry.row_count) == (staff, "import", world.township, 3)

    original = client.get(reverse("deputies:roster_import_file", args=[batch.pk]))
    assert hashlib.sha256(b"".join(original.streaming_content)).hexdigest() == batch.sha256
    assert PersonalDataAccess.objects.filter(purpose="import_file", user=staff, row_count=3).exists()


def test_it_deletes_the_uploaded_roster_when_the_batch_is_committed(world, login, django_capture_on_commit_callbacks):
    client = login(world.user("presidium_staff"))
    batch_id = int(re.search(r"/(\d+)/$", _upload(client, messy_roster(), world.township)["Location"]).group(1))
    batch = ImportBatch.objects.get(pk=batch_id)
    storage, name = batch.file.storage, batch.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("deputies:roster_import_commit", args=[batch_id]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and Deputy.objects.count() == 3
    assert not batch.file and not storage.exists(name) and batch.check_result == {}
    assert batch.sha256 and batch.summary["created"] == 3  # the record stays
    assert client.get(reverse("deputies:roster_import_file", args=[batch_id])).status_code == 404


def test_it_purges_abandoned_uploads_after_a_day_from_the_command_and_on_the_beat(world, login,
                                                                                  django_capture_on_commit_callbacks):
    from celery.schedules import crontab

    from config.celery import app
    from presidium.documents import services

    staff = world.user("presidium_staff")
    old = services.import_batch_create(kind="deputy_roster", township=world.township, by=staff,
                                       content=messy_roster(), original_name="旧.xlsx")
    fresh = services.import_batch_create(kind="deputy_roster", township=world.township, by=staff,
                                         content=messy_roster(), original_name="新.xlsx")
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    storage, old_name = old.file.storage, old.file.name
    out = __import__("io").StringIO()
    call_command("purge_import_files", "--dry-run", stdout=out)
    assert "将放弃 1 个" in out.getvalue() and storage.exists(old_name)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_import_files", stdout=out)
    assert "已放弃 1 个" in out.getvalue()
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == ImportStatus.DISCARDED and not old.file and not storage.exists(old_name)
    assert fresh.status == ImportStatus.PREVIEWED and storage.exists(fresh.file.name)
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert schedule["documents.purge_import_files"] == crontab(hour=3, minute=50)
    app.loader.import_default_modules()
    assert "documents.purge_import_files" in app.tasks


def test_it_checks_a_large_file_as_a_document_job_that_the_preview_polls(world, login, settings,
                                                                         django_capture_on_commit_callbacks):
    settings.IMPORT_CHECK_IN_JOB_BYTES = 1024  # every roster counts as large here
    client = login(world.user("presidium_staff"))
    response = _upload(client, messy_roster(), world.township)
    batch = ImportBatch.objects.get(pk=int(re.search(r"/(\d+)/$", response["Location"]).group(1)))
    job = batch.job
    assert job.kind == "import_check" and job.status == JobStatus.QUEUED and not batch.check_result

    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-check-status"' in page and 'data-testid="commit-button"' not in page
    status_url = response["Location"] + "?check=status"
    fragment = client.get(status_url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in fragment.content.decode() and fragment["Cache-Control"] == "no-store"
    assert client.post(reverse("deputies:roster_import_commit", args=[batch.pk]), follow=True).status_code == 200
    assert not Deputy.objects.exists()  # not before the check is done

    from presidium.documents.jobs import run_job

    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.file_name == "名册-检查结果.xlsx"
    done = client.get(status_url, headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="commit-button"' in html and "张三" in html and ID_ZHANG not in html

    settings.IMPORT_CHECK_IN_REQUEST_ROWS = 2  # and a commit of more rows than that runs as a job too
    client.post(reverse("deputies:roster_import_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.job.kind == "import_commit" and batch.status == ImportStatus.PREVIEWED
    assert "正在后台导入" in client.get(response["Location"]).content.decode() and not Deputy.objects.exists()
    run_job(batch.job_id)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and Deputy.objects.count() == 3 and not batch.file
    assert batch.job.status == JobStatus.DONE and batch.job.file_name == "名册-导入结果.xlsx"
    assert client.get(status_url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_it_shows_why_a_check_job_failed_and_offers_no_commit(world, login, settings):
    settings.IMPORT_CHECK_IN_JOB_BYTES = 0
    client = login(world.user("presidium_staff"))
    broken = replace_member(messy_roster(), "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row r='1'>")
    response = _upload(client, broken, world.township)
    batch = ImportBatch.objects.get(pk=int(re.search(r"/(\d+)/$", response["Location"]).group(1)))
    from presidium.documents.jobs import run_job

    run_job(batch.job_id)
    assert DocumentJob.objects.get(pk=batch.job_id).status == JobStatus.FAILED
    html = client.get(response["Location"]).content.decode()
    assert "无法读取该文件" in html and 'data-testid="commit-button"' not in html
    assert 'data-testid="import-check-status"' not in html


def test_it_previews_a_growing_roster_in_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.user("presidium_staff"))

    def rows(count):
        return [[f"代表{chr(0x4e00 + n)}{chr(0x4e00 + n)}", "男", "1975.03", "镇", "东风代表小组", None,
                 None, make_id_number(dt.date(1975, 3, 1), sequence=n + 1)] for n in range(count)]

    small = _upload(client, roster(rows(3)), world.township)["Location"]
    large = _upload(client, roster(rows(60)), world.township)["Location"]
    client.get(small)
    with django_assert_max_num_queries(14) as few:
        assert client.get(small).status_code == 200
    with django_assert_max_num_queries(len(few)):
        assert client.get(large).status_code == 200
