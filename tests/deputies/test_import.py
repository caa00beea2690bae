"""Roster import (代表名册): a messy real-world sheet, preview in Chinese, all-or-nothing, re-import updates."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from deputies.importing import RosterImportSchema, commit_roster
from deputies.models import Constituency, Deputy, DeputyGroup
from presidium.documents.import_flow import run_import
from presidium.documents.importing import read_preview
from presidium.documents.models import ImportBatch
from tests.deputies.conftest import make_id_number
from tests.documents.sheets import xlsx_bytes

ID_ZHANG = make_id_number(dt.date(1975, 3, 17), male=True, sequence=21)
ID_LI = make_id_number(dt.date(1982, 11, 2), male=False, sequence=33)


def messy_roster(*, zhang_phone=13812345678, li_birth="1982年11月", extra_rows=()) -> bytes:
    """What an office sends: a title, a 填报单位 line, a two-row merged header worded its own way,
    dates as Excel dates and as text, phones as numbers, blank rows and a total row at the bottom."""
    rows = [
        ["青石镇第十八届人民代表大会代表名册"],
        ["填报单位：青石镇人大主席团", None, None, None, "填报时间：2026年3月"],
        ["序号", "代表姓名", "性别", "民族", "出生年月", "政治面貌", "学历", "工作单位及职务", "联系方式", None,
         "身份证号", "代表类别", "选区", "所在小组"],
        [None, None, None, None, None, None, None, None, "手机", "家庭住址", None, None, None, None],
        [1, "张  三", "男", "汉", dt.datetime(1975, 3, 1), "中共党员", "大专", "东风村村民委员会主任", zhang_phone,
         "东风村3组", ID_ZHANG, "镇", "第一选区", "东风代表小组"],
        [None] * 14,
        [2, "李秀英", "女", "苗族", li_birth, "群众", "初中", "红旗村种植大户", "13987654321", "", ID_LI,
         "县乡两级", "第一选区", "红旗代表小组"],
        [3, "王建国", "男", "汉族", "1968.07", "党员", "高中", "青石镇中心学校教师", 15870001234, None, None,
         "乡镇人大代表", "第二选区", "东风代表小组"],
        *extra_rows,
        [None] * 14,
        ["合计", "3人"],
        ["填表人：钱晓梅"],
    ]
    return xlsx_bytes(rows, merges=("A1:N1", "I3:J3", "A3:A4", "B3:B4", "C3:C4", "K3:K4"))


def test_it_reads_the_messy_sheet_into_clean_rows(world):
    preview = read_preview(messy_roster(), RosterImportSchema(township=world.township))
    assert preview.header_row == 4 and preview.ok, [r.errors for r in preview.rows]
    zhang, li, wang = (row.values for row in preview.rows)
    assert zhang["name"] == "张三" and zhang["mobile"] == "13812345678" and zhang["ethnicity"] == "01"
    assert zhang["birth_date"] == dt.date(1975, 3, 1) and zhang["level"] == "township"
    assert li["birth_date"] == dt.date(1982, 11, 1) and li["ethnicity"] == "06" and li["level"] == "both"
    assert wang["birth_date"] == dt.date(1968, 7, 1) and wang["affiliation"] == "cpc"
    assert [row.note for row in preview.rows] == ["新增", "新增", "新增"]
    assert any("合计" in note for note in preview.notes)


def test_it_explains_each_bad_row_in_chinese(world):
    bad = [
        [4, "赵敏", "女", "汉", "1990-13-01", "群众", "本科", "村医", 1381234, None, "110105194912310021", "镇",
         "第二选区", "东风代表小组"],
        [5, "钱多", None, "汉", "1980.05", "群众", "本科", "个体", None, None, 1.10105e17, "镇", None, None],
    ]
    preview = read_preview(messy_roster(extra_rows=bad), RosterImportSchema(township=world.township))
    errors = {row.raw["name"]: " ".join(row.errors) for row in preview.rows if row.errors}
    assert "出生年月：" in errors["赵敏"] and "月份不对" in errors["赵敏"]
    assert "应为 11 位" in errors["赵敏"]
    assert "校验位不正确" in errors["赵敏"]
    assert "存成了数字" in errors["钱多"]
    assert not preview.ok


def test_it_commits_all_then_updates_on_reimport_instead_of_duplicating(world):
    staff = world.user("presidium_staff")
    report = run_import(messy_roster(), RosterImportSchema(township=world.township), commit_roster, dry_run=False,
                        by=staff, township=world.township, kind="deputy_roster", filename="名册.xlsx")
    assert report.committed, report.lines()
    assert report.summary["created"] == 3
    zhang = Deputy.objects.get(name="张三")
    assert zhang.birth_date == dt.date(1975, 3, 17)  # the ID number's exact date wins over "1975.03"
    assert zhang.group.name == "东风代表小组" and zhang.constituency.name == "第一选区"
    assert Constituency.objects.get(name="第一选区").seats == 2
    assert DeputyGroup.objects.filter(township=world.township).count() == 2

    again = run_import(messy_roster(zhang_phone="139 0000 1111"), RosterImportSchema(township=world.township),
                       commit_roster, dry_run=False, by=staff, township=world.township, kind="deputy_roster",
                       filename="名册（修订）.xlsx")
    assert again.committed, again.lines()
    assert (again.summary["created"], again.summary["updated"], again.summary["unchanged"]) == (0, 1, 2)
    assert Deputy.objects.count() == 3
    assert Deputy.objects.get(name="张三").mobile == "13900001111"


def test_it_matches_by_name_and_birth_month_when_there_is_no_id_number(world):
    staff = world.user("presidium_staff")
    run_import(messy_roster(), RosterImportSchema(township=world.township), commit_roster, dry_run=False, by=staff,
               township=world.township, kind="deputy_roster", filename="a.xlsx")
    wang = Deputy.objects.get(name="王建国")
    assert not wang.id_number
    preview = read_preview(messy_roster(), RosterImportSchema(township=world.township))
    assert [row.note for row in preview.rows] == ["更新", "更新", "更新"]


def test_it_finds_a_full_constituency_in_the_preview_not_at_the_commit(world):
    """The preview runs the commit's seat check: the row is marked, nothing is offered for import."""
    staff = world.user("presidium_staff")
    full = Constituency.objects.create(township=world.township, name="第二选区", seats=1)
    Deputy.objects.create(township=world.township, term=world.township.current_term(), name="孙立", gender="male",
                          constituency=full)
    preview = read_preview(messy_roster(), RosterImportSchema(township=world.township))
    errors = {row.number: " ".join(row.errors) for row in preview.rows}
    assert "第二选区" in errors[8] and "应选 1 名代表，导入后将有 2 名" in errors[8] and "孙立" in errors[8]
    assert not errors[5] and not preview.ok
    report = run_import(messy_roster(), RosterImportSchema(township=world.township), commit_roster, dry_run=False,
                        by=staff, township=world.township, kind="deputy_roster", filename="b.xlsx")
    assert not report.committed and any("第 8 行" in line and "第二选区" in line for line in report.lines())
    assert Deputy.objects.count() == 1


def test_it_saves_nothing_when_one_row_fails_at_commit(world):
    """A rule broken between preview and commit (the constituency filled meanwhile) rolls everything back."""
    from presidium.documents import services as document_services
    from presidium.documents.import_flow import commit_preview

    staff = world.user("presidium_staff")
    full = Constituency.objects.create(township=world.township, name="第二选区", seats=1)
    preview = read_preview(messy_roster(), RosterImportSchema(township=world.township))
    assert preview.ok, [row.errors for row in preview.rows]
    Deputy.objects.create(township=world.township, term=world.township.current_term(), name="孙立", gender="male",
                          constituency=full)
    batch = document_services.import_batch_create(kind="deputy_roster", township=world.township, by=staff,
                                                  content=messy_roster(), original_name="b.xlsx")
    report = commit_preview(batch=batch, preview=preview, commit=commit_roster, by=staff)
    assert not report.committed
    assert any("第 8 行" in e and "第二选区" in e for e in report.errors), report.errors
    assert Deputy.objects.count() == 1
    assert not DeputyGroup.objects.exists()


def test_it_runs_from_the_command_line_with_a_dry_run(world, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(messy_roster())
    out = io.StringIO()
    call_command("import_deputies", str(path), "--township", "甲镇", "--dry-run", stdout=out)
    assert "将新增代表 3 名，更新 0 名" in out.getvalue()
    assert not Deputy.objects.exists()
    with pytest.raises(CommandError, match="--by"):  # as on the web, a real import is made by someone
        call_command("import_deputies", str(path), "--township", "甲镇", stdout=io.StringIO())
    with pytest.raises(CommandError, match="无权"):
        call_command("import_deputies", str(path), "--township", "甲镇", "--by", "deputy_a", stdout=io.StringIO())
    assert not Deputy.objects.exists()
    out = io.StringIO()
    call_command("import_deputies", str(path), "--township", str(world.township.pk), "--user", "staff_a", stdout=out)
    assert "新增代表 3 名" in out.getvalue()
    assert "将新建代表小组 2 个：东风代表小组、红旗代表小组" in out.getvalue()  # the web preview's notes, too
    assert Deputy.objects.count() == 3
    batch = ImportBatch.objects.get(kind="deputy_roster", status="committed")
    assert batch.uploaded_by.username == "staff_a" and not batch.file  # the roster file is not kept
    with pytest.raises(CommandError):
        call_command("import_deputies", str(path), "--township", "不存在镇", stdout=io.StringIO())


def test_it_refuses_a_broken_sheet_from_the_command_line(world, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(messy_roster(extra_rows=[[9, "周末", "男", "汉", "1999.13", "群众"]]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_deputies", str(path), "--township", "甲镇", "--by", "staff_a", stdout=out)
    assert "第 9 行" in out.getvalue()
    assert not Deputy.objects.exists()


def test_it_imports_through_the_web_flow_and_offers_a_template(world, login):
    client = login(world.user("presidium_staff"))
    template = client.get(reverse("deputies:roster_import_template"))
    headers = [c.value for c in load_workbook(io.BytesIO(template.content)).active[2]]
    assert "*姓名" in headers and "身份证号码" in headers
    upload = SimpleUploadedFile("名册.xlsx", messy_roster())
    response = client.post(reverse("deputies:roster_import"), {"township": world.township.pk, "file": upload})
    assert response.status_code == 302
    preview = client.get(response.url)
    assert "可以导入" in preview.content.decode()
    batch = ImportBatch.objects.get(kind="deputy_roster")
    committed = client.post(reverse("deputies:roster_import_commit", args=[batch.pk]))
    assert committed.status_code == 302
    assert Deputy.objects.filter(township=world.township).count() == 3
    assert login(world.user("county_reviewer")).get(reverse("deputies:roster_import")).status_code == 403


def test_it_answers_another_countys_batch_with_404_to_those_who_may_import(world, login):
    from presidium.documents import services as document_services

    batch = document_services.import_batch_create(kind="deputy_roster", township=world.foreign_township, by=None,
                                                  content=messy_roster(), original_name="名册.xlsx")
    for role in ("county_admin", "presidium_staff"):
        client = login(world.user(role))
        assert client.get(reverse("deputies:roster_import_preview", args=[batch.pk])).status_code == 404
        assert client.post(reverse("deputies:roster_import_commit", args=[batch.pk])).status_code == 404
    assert not Deputy.objects.exists()
