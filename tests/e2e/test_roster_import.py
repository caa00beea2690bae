"""The roster import in a real browser: upload, a preview that masks personal data and says what it
will create, a logged reveal, then the commit — on a phone and on a desktop."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_width, assert_styled, login_as

pytestmark = pytest.mark.e2e


def _roster(path) -> str:
    from tests.deputies.conftest import make_id_number
    from tests.documents.sheets import with_formulas, xlsx_bytes

    header = ["序号", "姓名", "性别", "出生年月", "代表层级", "所属代表小组", "选区", "手机号码", "身份证号码", "兼任说明"]
    rows = [[1, "路试一", "男", "1975.03", "镇代表", "试点1组", None, "13800001111",
             make_id_number(dt.date(1975, 3, 8), sequence=71), "无"],
            [2, "路试二", "女", "1980.06", "县、镇代表", "试点1组", None, None,
             make_id_number(dt.date(1980, 6, 9), male=False, sequence=72), None]]
    data = with_formulas(xlsx_bytes([["青石镇代表名册（试）"], header, *rows], merges=("A1:J1",)),
                         {"H4": ("\"139\"&\"00002222\"", "13900002222")})
    path.write_bytes(data)
    return str(path)


def test_it_imports_a_roster_with_a_masked_preview_and_a_logged_reveal(open_page, tmp_path):
    from deputies.models import Deputy, PersonalDataAccess

    file = _roster(tmp_path / "名册.xlsx")
    for width in ("phone", "desktop"):
        page = open_page(width)
        login_as(page, "staff")
        page.goto("/deputies/import/")
        page.set_input_files("input[type=file]", file)
        with page.expect_navigation():
            page.locator("form:has(input[type=file]) button[type=submit]").click()
        expect(page.get_by_test_id("preview-table")).to_contain_text("138****1111")
        expect(page.get_by_test_id("preview-table")).not_to_contain_text("13800001111")
        expect(page.get_by_test_id("unknown-columns")).to_contain_text("兼任说明")
        expect(page.get_by_test_id("cell-note").first).to_contain_text("将新建")
        expect(page.get_by_test_id("row-warnings").first).to_contain_text("是公式")
        assert_styled(page)
        assert_fits_width(page)
        if width == "desktop":
            page.get_by_test_id("reveal-button").click()
            expect(page.get_by_test_id("revealed")).to_be_visible()
            expect(page.get_by_test_id("preview-table")).to_contain_text("13800001111")
            assert PersonalDataAccess.objects.filter(purpose="import").count() == 1
            page.on("dialog", lambda dialog: dialog.accept())
            with page.expect_navigation():
                page.get_by_test_id("commit-button").click()
            expect(page.locator(".alert-success, .alert")).to_contain_text(["导入完成"])
    assert Deputy.objects.filter(name__startswith="路试").count() == 2
