"""Import flow: all-or-nothing commits, the unit import from upload to commit, permissions, the command."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from presidium import services
from presidium.choices import HandlingUnitKind, Role
from presidium.documents.choices import ImportStatus
from presidium.documents.import_flow import rehearse_commit, row_error, run_import
from presidium.documents.importing import read_preview
from presidium.documents.jobs import run_queued_jobs
from presidium.documents.models import ImportBatch
from presidium.models import HandlingUnit
from presidium.unit_import import UnitImportSchema, commit_units, unit_import_flow
from tests.documents.sheets import UNIT_HEADER, unit_sheet, units, xlsx_bytes
from tests.factories import HandlingUnitFactory

UPLOAD_URL = reverse("documents:unit_import")


def _upload(client, data: bytes, township, name="承办单位.xlsx"):
    return client.post(UPLOAD_URL, {"township": township.pk, "file": SimpleUploadedFile(name, data)})


def _batch_id(response) -> int:
    return int(re.search(r"/(\d+)/$", response["Location"]).group(1))


# --- run_import: the one code path ---------------------------------------------------------------
def test_it_saves_nothing_when_one_row_is_bad(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    rows = [*units(3), ["坏单位", "火星站", "", "", "123"]]
    report = run_import(io.BytesIO(unit_sheet(rows)), UnitImportSchema(township=world.township), commit_units,
                        dry_run=False, by=staff, township=world.township, kind="handling_units", filename="a.xlsx")
    assert not report.ok and not report.committed
    assert HandlingUnit.objects.filter(name__startswith="测试站").count() == 0
    assert report.batch.status == ImportStatus.FAILED
    text = report.as_text()
    assert "第 6 行：单位类型：“火星站”不是可选的值" in text
    assert "第 6 行：联系电话：手机号码“123”" in text
    assert "没有导入任何数据" in text


def test_it_rolls_back_everything_when_the_commit_fails_midway(world):
    staff = world.user(Role.PRESIDIUM_STAFF)

    def commit_then_fail(preview, batch, by):
        for row in preview.rows:
            if row.number == 5:
                raise row_error(row, "这个单位已被合并，请核对。")
            services.handling_unit_create(township=batch.township, by=by, name=row.values["name"],
                                          kind=row.values["kind"])
        return {"created": len(preview.rows)}

    report = run_import(io.BytesIO(unit_sheet(units(4))), UnitImportSchema(township=world.township),
                        commit_then_fail, dry_run=False, by=staff, township=world.township, kind="handling_units")
    assert report.errors == ["第 5 行：这个单位已被合并，请核对。"]
    assert not report.committed
    assert not HandlingUnit.objects.filter(name__startswith="测试站").exists()  # rows 3 and 4 rolled back too
    batch = ImportBatch.objects.get(pk=report.batch.pk)
    assert batch.status == ImportStatus.FAILED and "第 5 行" in batch.error and batch.committed_at is None


def test_it_rolls_back_and_reports_a_bug_in_a_commit_function(world, caplog):
    def buggy(preview, batch, by):
        services.handling_unit_create(township=batch.township, by=by, name="半途单位", kind="station")
        return {"created": 1 / 0}

    report = run_import(io.BytesIO(unit_sheet(units(1))), UnitImportSchema(township=world.township), buggy,
                        dry_run=False, by=None, township=world.township, kind="handling_units")
    assert report.errors == ["导入时发生内部错误，已全部撤销。请联系系统管理员。"]
    assert not HandlingUnit.objects.filter(name="半途单位").exists()
    assert ImportBatch.objects.get().status == ImportStatus.FAILED
    assert "ZeroDivisionError" in caplog.text


def test_it_dry_runs_without_saving_or_storing_anything(world):
    report = run_import(io.BytesIO(unit_sheet(units(3))), UnitImportSchema(township=world.township), commit_units,
                        dry_run=True, by=None, township=world.township, kind="handling_units")
    assert report.ok and not report.committed
    assert report.summary == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0}
    assert not HandlingUnit.objects.filter(name__startswith="测试站").exists()
    assert not ImportBatch.objects.exists()
    assert "试运行（未保存）：数据行 3，新增 3，更新 0，无变化 0" in report.as_text()


def test_it_updates_by_name_on_reimport_and_keeps_what_blank_cells_leave(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    schema = UnitImportSchema(township=world.township)
    first = run_import(io.BytesIO(unit_sheet([["财政所", "站所", "王建国", "", ""], ["东风村", "", "", "", ""]])),
                       schema, commit_units, dry_run=False, by=staff, township=world.township, kind="handling_units")
    assert first.committed and first.summary == {"rows": 2, "created": 1, "updated": 1, "unchanged": 0}
    village = HandlingUnit.objects.get(township=world.township, name="东风村")
    assert village.kind == HandlingUnitKind.VILLAGE  # guessed from the name for a new unit
    world.unit.refresh_from_db()
    services.handling_unit_update(unit=world.unit, by=staff, contact_person="赵会计")

    again = run_import(io.BytesIO(unit_sheet([["财政所", "", "", "", "13812345678"], ["东风村", "村", "", "", ""]])),
                       UnitImportSchema(township=world.township), commit_units, dry_run=False, by=staff,
                       township=world.township, kind="handling_units")
    assert again.summary == {"rows": 2, "created": 0, "updated": 1, "unchanged": 1}
    world.unit.refresh_from_db()
    assert (world.unit.contact_person, world.unit.contact_phone, world.unit.responsible_leader) == (
        "赵会计", "13812345678", "王建国")
    assert HandlingUnit.objects.filter(township=world.township, name="财政所").count() == 1


def test_it_reimports_its_own_ledger_without_changing_anything(world):
    from presidium.documents.jobs import run_job
    from presidium.documents.services import document_job_create
    from presidium.documents.unit_ledger import KIND

    HandlingUnitFactory(township=world.township, name="东风村", kind="village", contact_phone="0794-6200022",
                        is_active=False)
    job = run_job(document_job_create(kind=KIND, params={"township_id": world.township.pk}, by=None,
                                      township=world.township).pk)
    staff = world.user(Role.PRESIDIUM_STAFF)
    report = run_import(job.result.open("rb"), UnitImportSchema(township=world.township), commit_units,
                        dry_run=False, by=staff, township=world.township, kind="handling_units")
    assert report.preview.unknown_headers == []
    assert report.summary == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2}


def test_it_requires_a_type_for_a_new_unit_it_cannot_guess_and_flags_duplicates(world):
    sheet = unit_sheet([["新设办公室", "", "", "", ""], ["财政所", "", "", "", ""], ["东风村", "", "", "", ""],
                        ["东风村", "村", "", "", ""]])
    preview = run_import(io.BytesIO(sheet), UnitImportSchema(township=world.township), commit_units,
                         dry_run=True, by=None, township=world.township).preview
    assert [row.errors for row in preview.rows] == [
        ["单位类型：新增的单位必须填写单位类型。"], [], [], ["与第 5 行重复（单位名称相同）。"]]
    assert [row.note for row in preview.rows[1:3]] == ["更新", "新增"]


# --- the web flow -------------------------------------------------------------------------------
def test_it_imports_units_from_upload_to_commit(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    page = client.get(UPLOAD_URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'type="hidden" name="township"' in body  # one township: nothing to choose
    assert reverse("documents:unit_import_template") in body

    data = unit_sheet(units(3))
    response = _upload(client, data, world.township)
    assert response.status_code == 302
    batch = ImportBatch.objects.get(pk=_batch_id(response))
    assert (batch.status, batch.township, batch.original_name, batch.kind) == (
        ImportStatus.PREVIEWED, world.township, "承办单位.xlsx", "handling_units")
    assert len(batch.sha256) == 64 and batch.file.name.startswith("imports/")

    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "测试站0" in html and "13800000000" in html and 'data-testid="commit-button"' in html
    assert "新增" in html
    assert not HandlingUnit.objects.filter(name__startswith="测试站").exists()  # nothing before the commit

    commit_url = reverse("documents:unit_import_commit", args=[batch.pk])
    done = client.post(commit_url, follow=True)
    assert "导入完成：数据行 3，新增 3，更新 0，无变化 0。" in done.content.decode()
    assert HandlingUnit.objects.filter(township=world.township, name__startswith="测试站").count() == 3
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and batch.committed_by == world.user(Role.PRESIDIUM_STAFF)
    assert batch.summary == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0}

    twice = client.post(commit_url, follow=True)
    assert "不能再次导入" in twice.content.decode()
    assert HandlingUnit.objects.filter(name__startswith="测试站").count() == 3

    again = client.get(_upload(client, data, world.township)["Location"]).content.decode()  # the same bytes
    assert "同一个文件已于" in again and "更新 3" in again


def test_it_shows_each_rows_errors_and_refuses_to_commit(world, login):
    client = login(world.user(Role.PRESIDIUM_CHAIR))
    response = _upload(client, unit_sheet([*units(2), ["", "站所", "", "", ""], ["坏单位", "火星", "", "", "12"]]),
                       world.township)
    html = client.get(response["Location"]).content.decode()
    assert 'class="table-danger" data-row="5"' in html and "单位名称：不能为空。" in html
    assert "单位类型：“火星”不是可选的值" in html and "联系电话：手机号码“12”" in html
    assert 'data-testid="commit-button"' not in html
    assert '<div class="count text-danger" data-testid="error-count">2</div>' in html
    only_errors = client.get(response["Location"] + "?only=errors").content.decode()
    assert "测试站0" not in only_errors and "坏单位" in only_errors

    refused = client.post(reverse("documents:unit_import_commit", args=[_batch_id(response)]), follow=True)
    assert "导入失败，没有保存任何数据" in refused.content.decode()
    assert not HandlingUnit.objects.filter(name__startswith="测试站").exists()


def test_it_shows_missing_columns(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    response = _upload(client, xlsx_bytes([["联系人", "联系电话"], ["李红梅", "13812345678"]]), world.township)
    html = client.get(response["Location"]).content.decode()
    assert "缺少必填列：单位名称。" in html and 'data-testid="commit-button"' not in html


@pytest.mark.parametrize(("data", "message"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "旧版 Excel 文件（.xls）"),
    (b"not a spreadsheet", "不是 Excel 工作簿"),
])
def test_it_refuses_a_bad_file_at_upload_and_stores_nothing(world, login, data, message):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    response = _upload(client, data, world.township, name="名单.xls")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_it_refuses_an_oversized_upload(world, login, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    response = _upload(login(world.user(Role.PRESIDIUM_STAFF)), unit_sheet(units(100)), world.township)
    assert response.status_code == 200 and "文件太大" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_it_discards_a_batch_and_deletes_its_file(world, login, django_capture_on_commit_callbacks):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    batch = ImportBatch.objects.get(pk=_batch_id(_upload(client, unit_sheet(units(1)), world.township)))
    storage, name = batch.file.storage, batch.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:unit_import_discard", args=[batch.pk]))
    assert response["Location"] == UPLOAD_URL
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DISCARDED and not batch.file and not storage.exists(name)
    assert client.post(reverse("documents:unit_import_commit", args=[batch.pk])).status_code == 302
    assert not HandlingUnit.objects.filter(name__startswith="测试站").exists()


def test_it_serves_the_template_and_the_original_file(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    template = client.get(reverse("documents:unit_import_template"))
    assert template.status_code == 200 and "filename*=UTF-8''" in template["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[2]][:2] == ["*单位名称", "单位类型"]
    assert sheet["B3"].value == "站所"

    data = unit_sheet(units(1))
    batch_id = _batch_id(_upload(client, data, world.township))
    original = client.get(reverse("documents:unit_import_file", args=[batch_id]))
    assert b"".join(original.streaming_content) == data


# --- permissions --------------------------------------------------------------------------------
def test_it_refuses_deputies_and_keeps_other_townships_out(world, login, client):
    staff_client = login(world.user(Role.PRESIDIUM_STAFF))
    batch_id = _batch_id(_upload(staff_client, unit_sheet(units(1)), world.township))
    preview_url = reverse("documents:unit_import_preview", args=[batch_id])
    commit_url = reverse("documents:unit_import_commit", args=[batch_id])

    client.force_login(world.user(Role.DEPUTY))
    assert client.get(UPLOAD_URL).status_code == 403
    assert client.get(preview_url).status_code == 403
    assert client.post(commit_url).status_code == 403

    client.force_login(world.other_staff)  # staff of township B in the same county
    assert client.get(preview_url).status_code == 404
    assert client.post(commit_url).status_code == 404
    page = client.get(UPLOAD_URL).content.decode()
    assert f'value="{world.other_township.pk}"' in page and world.township.name not in page
    response = _upload(client, unit_sheet(units(1)), world.township)  # township A is not offered
    assert response.status_code == 200 and "township" in response.context["form"].errors
    assert ImportBatch.objects.count() == 1
    assert not HandlingUnit.objects.filter(name__startswith="测试站").exists()


def test_it_lets_a_county_admin_choose_among_the_countys_townships(world, login):
    client = login(world.user(Role.COUNTY_ADMIN))
    html = client.get(UPLOAD_URL).content.decode()
    assert world.township.name in html and world.other_township.name in html
    assert world.foreign_township.name not in html
    response = _upload(client, unit_sheet(units(1)), world.other_township)
    client.post(reverse("documents:unit_import_commit", args=[_batch_id(response)]))
    assert HandlingUnit.objects.get(name="测试站0").township == world.other_township


# --- query counts -------------------------------------------------------------------------------
def test_it_previews_in_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    small = _upload(client, unit_sheet(units(3)), world.township)["Location"]
    large = _upload(client, unit_sheet(units(300)), world.township)["Location"]
    batch = ImportBatch.objects.get(pk=int(re.search(r"/(\d+)/$", large).group(1)))
    assert batch.job is not None  # 300 rows: checked by a document job, not in the request
    run_queued_jobs()
    client.get(small)  # warm the session and scope caches alike
    with django_assert_max_num_queries(12) as small_queries:
        assert client.get(small).status_code == 200
    bound = len(small_queries)
    with django_assert_max_num_queries(bound):
        assert "测试站299" in client.get(large).content.decode()


def test_it_lists_recent_batches_in_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    _upload(client, unit_sheet(units(1)), world.township)
    with django_assert_max_num_queries(12) as few:
        client.get(UPLOAD_URL)
    bound = len(few)  # now: the next request resets the connection's query log
    for n in range(12):
        _upload(client, unit_sheet(units(1, start=n)), world.township)
    with django_assert_max_num_queries(bound):
        assert client.get(UPLOAD_URL).status_code == 200


# --- the command line ---------------------------------------------------------------------------
def test_it_imports_from_the_command_line_with_the_same_report(world, tmp_path):
    path = tmp_path / "单位.xlsx"
    path.write_bytes(unit_sheet(units(2)))
    out = io.StringIO()
    call_command("import_units", str(path), "--township", "甲镇", "--dry-run", stdout=out)
    assert "试运行（未保存）：数据行 2，新增 2" in out.getvalue()
    assert not HandlingUnit.objects.filter(name__startswith="测试站").exists()

    with pytest.raises(CommandError, match="--by"):
        call_command("import_units", str(path), "--township", "甲镇", stdout=io.StringIO())
    with pytest.raises(CommandError, match="无权"):
        call_command("import_units", str(path), "--township", "甲镇", "--by", "deputy_a", stdout=io.StringIO())

    out = io.StringIO()
    call_command("import_units", str(path), "--township", str(world.township.pk), "--by", "staff_a", stdout=out)
    assert "已导入：数据行 2，新增 2" in out.getvalue()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.COMMITTED and batch.uploaded_by.username == "staff_a"

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(unit_sheet([["", "站所", "", "", ""]], header=UNIT_HEADER))
    out = io.StringIO()
    with pytest.raises(CommandError, match="没有导入任何数据"):
        call_command("import_units", str(bad), "--township", "甲镇", "--by", "staff_a", stdout=out)
    assert "第 3 行：单位名称：不能为空。" in out.getvalue()


def test_it_refuses_a_commit_of_a_preview_with_errors_at_the_service(world):
    from presidium.documents.services import import_batch_commit

    report = run_import(io.BytesIO(unit_sheet([["", "站所", "", "", ""]])), UnitImportSchema(), commit_units,
                        dry_run=True, by=None, township=world.township)
    with pytest.raises(ValidationError, match="还有错误"):
        import_batch_commit(batch=report.batch, preview=report.preview, commit=commit_units, by=None)


def test_it_mounts_the_unit_flow_under_documents():
    assert unit_import_flow.url() == "/documents/units/import/"
    assert unit_import_flow.url("_preview", 7) == "/documents/units/import/7/"


# --- the check: rehearsing the commit, storing the result, deleting the file ---------------------
def _rehearsed(world, commit):
    preview = read_preview(unit_sheet(units(3)), UnitImportSchema(township=world.township))
    batch = ImportBatch(kind="handling_units", township=world.township)
    rehearse_commit(preview=preview, batch=batch, commit=commit, by=world.user(Role.PRESIDIUM_STAFF))
    return preview


def test_it_puts_what_the_rehearsed_commit_refuses_on_its_row_and_writes_nothing(world):
    def refuse_row_4(preview, batch, by):
        for row in preview.rows:
            services.handling_unit_create(township=batch.township, by=by, name=row.values["name"],
                                          kind=row.values["kind"])
            if row.number == 4:
                raise row_error(row, "这个单位已被合并，请核对。")
        return {"created": len(preview.rows)}

    preview = _rehearsed(world, refuse_row_4)
    assert [row.errors for row in preview.rows] == [[], ["这个单位已被合并，请核对。"], []]
    assert not preview.ok and preview.expected == {}
    assert not HandlingUnit.objects.filter(name__startswith="测试站").exists()


def test_it_refuses_the_sheet_when_the_rehearsal_fails_without_a_row_or_with_a_bug(world, caplog):
    def refuse_sheet(preview, batch, by):
        raise ValidationError("本乡镇的承办单位名单已锁定。")

    def bug(preview, batch, by):
        raise KeyError("oops")

    assert _rehearsed(world, refuse_sheet).problems == ["本乡镇的承办单位名单已锁定。"]
    broken = _rehearsed(world, bug)
    assert broken.problems == ["检查时发生内部错误，请联系系统管理员。"] and not broken.ok
    assert "commit function failed while checking" in caplog.text


def test_it_shows_the_rehearsed_counts_and_deletes_the_file_once_committed(world, login,
                                                                          django_capture_on_commit_callbacks):
    HandlingUnitFactory(township=world.township, name="测试站0")
    client = login(world.user(Role.PRESIDIUM_STAFF))
    response = _upload(client, unit_sheet(units(3)), world.township)
    batch = ImportBatch.objects.get(pk=_batch_id(response))
    assert batch.check_result["expected"] == {"rows": 3, "created": 2, "updated": 1, "unchanged": 0}
    assert "导入后将：数据行 3，新增 2，更新 1，无变化 0" in client.get(response["Location"]).content.decode()
    storage, name = batch.file.storage, batch.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:unit_import_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and not batch.file and not storage.exists(name)
    assert batch.check_result == {} and batch.summary["created"] == 2
