#!/usr/bin/env python3
"""Screenshots for the Chinese user guide (docs/user-guide.md), taken from a running portal.

    make run                                   # or any server with the demo data (seed_demo)
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 --only units deputy-rate

Two parts, both driven through the pages as the demo accounts (login form, links, buttons):

* ``PAGES``, the table in screenshot_pages.py: pages that are only opened (a path, then links followed by selector);
* ``story()``: the steps the guide walks through — a deputy writes a suggestion on the phone, staff
  register and assign it, the liaison is refused a reply before a consultation, asks for an extension,
  consults and replies, the deputy rates it; a co-signature; a visit with photos; an import with a
  wrong row; a ledger; a roster import's masked preview (discarded); a county 督办意见 sent, answered and
  confirmed, and one left waiting; a petition's register form with its repeats panel (not saved); an online
  petition filed on the phone, accepted by staff and looked up with its query code; a lockout; the English
  switch. **The story adds data** (a suggestion, a visit, an import attempt, a document job, two 督办意见, an
  online petition) every time it runs: run it against the demo database, never
  against a real one. ``--only`` with names from ``PAGES`` alone skips the story.

Files: ``docs/images/<name>-<phone|desktop>.png``; phone = 390 CSS px shown at 2× (780 px wide),
desktop = 1280 px. Reduced to 256 colours. PDFs (交办函, 履职登记卡, 办理情况报告) are rendered by
``pdftoppm`` (Debian: poppler-utils); without it those shots fail and the others go on. Uses Debian's
Chromium (``/usr/bin/chromium``), never a downloaded browser; with Debian's ``chromium-l10n`` the
browser's own controls (date fields, "选择文件") are in Chinese too. No Django import: any server will do.

To add a page, add a row to PAGES (scripts/screenshot_pages.py); keep names stable: the guide links to them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import time
import traceback
from pathlib import Path

from screenshot_camera import (  # noqa: E402 — next to this script
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    WIDTHS,
    Camera,
    log_in,
    pdf_first_page,
)
from screenshot_pages import BOTH, DESKTOP, PAGES, PHONE, Shot  # noqa: F401 — the table, next to this script

# --- the story ----------------------------------------------------------------------------------
# What each chapter of the story writes (each is <name>-phone or <name>-desktop, as its account's
# page is). ``--only`` runs the chapters that write one of the names asked for.
CHAPTER_SHOTS = {
    "suggestion_story": {
        "staff-suggestion-on-behalf", "deputy-suggestion-new", "deputy-suggestion-draft",
        "staff-suggestion-submitted", "staff-register", "staff-assign", "staff-suggestion-assigned",
        "liaison-suggestion-assigned", "liaison-reply-refused", "liaison-extension", "staff-extension-decide",
        "staff-supervise", "liaison-consult", "liaison-reply", "home-deputy", "deputy-cosign",
        "deputy-suggestion-replied", "deputy-rate", "deputy-suggestion-rated", "staff-timeline", "letter-pdf",
    },
    "visit_story": {"deputy-visit-form", "deputy-visit-opinions", "deputy-visit-detail"},
    "import_story": {"unit-import-preview", "unit-ledger-job"},
    "roster_import_story": {"roster-import-preview"},
    "opinion_story": {"opinion-send", "opinion-staff", "opinion-answer", "opinion-reviewer", "opinion-list"},
    "public_story": {"public-page"},
    "petition_story": {"petition-register", "public-receipt", "petition-transfer", "petition-unit-list",
                       "petition-unit-reply", "public-case"},
    "login_story": {"login-failed", "lockout", "home-staff-en"},
}
STORY_SHOTS = set().union(*CHAPTER_SHOTS.values())
GUIDE_TITLE = "关于东风村便民桥加装护栏的建议"
COSIGN_TITLE = "关于红旗村新建文化广场的建议"


def story(cam: Camera) -> None:
    """The chapters in order; one that fails is reported and the next one still runs."""
    for chapter in (suggestion_story, visit_story, import_story, roster_import_story, opinion_story, public_story,
                    petition_story, login_story):
        if cam.wanted is not None and not cam.wanted & CHAPTER_SHOTS[chapter.__name__]:
            continue
        try:
            chapter(cam)
        except Exception:
            cam.failures += 1
            print(f"FAILED {chapter.__name__}:\n{traceback.format_exc()}", file=sys.stderr)


def _pick(page, name: str, label: str) -> None:
    """Choose ``label`` in a searchable picker (presidium.widgets.SearchableSelectMultiple), as a click would."""
    page.locator(f"select[name={name}]").evaluate(
        "(el, label) => { const o = [...el.options].find((o) => o.text.trim() === label);"
        " el.tomselect.addItem(o.value); el.tomselect.close(); el.tomselect.blur(); }", label)


def suggestion_story(cam: Camera) -> None:
    today = dt.date.today()

    # A co-signature to confirm: staff enter a suggestion for another deputy, inviting 冯国强 (the demo deputy).
    staff = cam.page("staff")
    cam.go(staff, "/proposals/new/")
    staff.locator("select[name=lead_deputy]").select_option(label="侯芳春")
    staff.locator("select[name=category]").select_option(label="城乡建设")
    staff.locator("input[name=title]").fill(COSIGN_TITLE)
    staff.locator("textarea[name=content]").fill("红旗村人口多，群众晚饭后没有活动场地，希望利用村部旁闲置地新建文化广场。")
    _pick(staff, "cosigners", "冯国强")
    cam.snap(staff, "staff-suggestion-on-behalf", "人大办代代表录入建议", height=1250)
    _click_and_wait(staff, staff.get_by_test_id("save-draft"))
    _click_and_wait(staff, staff.get_by_test_id("submit"))
    cosign_item = _path(staff.url)

    # 1. The deputy writes a suggestion on the phone.
    deputy = cam.page("deputy", "phone")
    cam.go(deputy, "/proposals/new/")
    deputy.locator("select[name=category]").select_option(label="城乡建设")
    deputy.locator("input[name=title]").fill(GUIDE_TITLE)
    deputy.locator("textarea[name=content]").fill(
        "东风村三组便民桥是群众赶集、学生上学的必经之路，桥两侧没有护栏，雨天湿滑，去年有村民落水受伤。")
    deputy.locator("textarea[name=measures]").fill("建议在汛期前为便民桥两侧加装钢护栏，并设置警示标志。")
    cam.snap(deputy, "deputy-suggestion-new", "代表在手机上提出建议")
    _click_and_wait(deputy, deputy.get_by_test_id("save-draft"))
    item = _path(deputy.url)
    cam.snap(deputy, "deputy-suggestion-draft", "草稿：检查后提交")
    _click_and_wait(deputy, deputy.get_by_test_id("submit"))

    # 2. Staff register and assign it.
    cam.go(staff, item)
    cam.snap(staff, "staff-suggestion-submitted", "人大办收到代表提交的建议", height=700)
    _click_and_wait(staff, staff.get_by_test_id("register"))
    cam.snap(staff, "staff-register", "登记编号", height=520)
    _click_and_wait(staff, staff.get_by_test_id("action-submit"))
    _click_and_wait(staff, staff.get_by_test_id("assign"))
    staff.locator("select[name=lead_unit]").select_option(label="财政所")
    _pick(staff, "co_units", "水利站")
    staff.locator("select[name=supervision_mode]").select_option("follow_up")
    staff.locator("textarea[name=note]").fill("请财政所会同水利站现场查看，汛期前拿出方案。")
    cam.snap(staff, "staff-assign", "交办：主办、协办单位，督办方式，办理期限", height=1400)
    _click_and_wait(staff, staff.get_by_test_id("action-submit"))
    publish = staff.locator("form[action$='/publish/']:has(input[name=public][value='1']) button")
    if publish.count():  # not yet public (a township may publish on assignment by default)
        _click_and_wait(staff, publish)
    cam.snap(staff, "staff-suggestion-assigned", "交办后的建议：期限、提醒、交办函", height=900)

    # 3. The liaison signs for it and tries to reply before meeting the deputy: refused.
    liaison = cam.page("liaison")
    cam.go(liaison, item)
    cam.snap(liaison, "liaison-suggestion-assigned", "联络员收到交办", height=640)
    _click_and_wait(liaison, liaison.get_by_role("button", name="签收"))
    # Before 面商 the reply button is shown disabled, with the reason and what to do first.
    liaison.get_by_test_id("not-yet-reply").scroll_into_view_if_needed()
    cam.snap(liaison, "liaison-reply-refused", "没有面商，“答复代表”暂不可用，并说明先做什么", height=900)

    # 4. It asks for an extension; staff approve it and record a supervision.
    cam.go(liaison, item)
    _click_and_wait(liaison, liaison.get_by_role("link", name="申请延期"))
    liaison.locator("input[name=requested_deadline]").fill((today + dt.timedelta(days=150)).isoformat())
    liaison.locator("textarea[name=reason]").fill("护栏须由水利站出具安全设计，钢材采购需走政府采购程序。")
    liaison.locator("textarea[name=measures]").fill("本月完成现场勘查和设计，下月完成采购，汛期前安装到位。")
    cam.snap(liaison, "liaison-extension", "申请延期（延办反馈书）", height=760)
    _click_and_wait(liaison, liaison.get_by_test_id("action-submit"))
    cam.go(staff, item)
    _click_and_wait(staff, staff.get_by_role("link", name="审批", exact=True))
    staff.locator("input[name=approve][value='1']").check()
    staff.locator("textarea[name=note]").fill("同意。请按措施推进，每月报告进度。")
    cam.snap(staff, "staff-extension-decide", "审批延期申请", height=760)
    _click_and_wait(staff, staff.get_by_test_id("action-submit"))
    _click_and_wait(staff, staff.get_by_role("link", name="登记督办"))
    staff.locator("select[name=kind]").select_option("on_site")
    staff.locator("textarea[name=note]").fill("主席团到东风村三组现场察看便民桥，听取财政所、水利站的办理方案。")
    cam.snap(staff, "staff-supervise", "登记督办", height=680)
    _click_and_wait(staff, staff.get_by_test_id("action-submit"))

    # 5. The liaison meets the deputy, then replies.
    cam.go(liaison, item)
    _click_and_wait(liaison, liaison.get_by_test_id("consult"))
    liaison.locator("select[name=stage]").select_option("after_assignment")
    liaison.locator("select[name=form]").select_option("on_site")
    liaison.locator("input[name=participants]").fill("冯国强代表、财政所所长、水利站技术员")
    liaison.locator("textarea[name=summary]").fill("与代表一起到便民桥现场查看，商定两侧加装钢护栏并设警示牌。")
    liaison.locator("textarea[name=deputy_opinion]").fill("同意方案，希望汛期前完工。")
    cam.snap(liaison, "liaison-consult", "登记面商（三见面）", height=960)
    _click_and_wait(liaison, liaison.get_by_test_id("action-submit"))
    _click_and_wait(liaison, liaison.get_by_test_id("reply"))
    liaison.locator("input[name=result_class][value=A]").check()
    liaison.locator("textarea[name=text]").fill(
        "经与水利站现场勘查，已安排专项资金为便民桥两侧加装钢护栏 42 米，并设置警示标志两块，已于本月完工。")
    liaison.locator("input[name=signed_by]").fill("王建国")
    cam.snap(liaison, "liaison-reply", "答复代表", height=1150)
    _click_and_wait(liaison, liaison.get_by_test_id("action-submit"))

    # 6. The deputy: a reply to rate and a co-signature to confirm.
    cam.go(deputy, "/")
    cam.snap(deputy, "home-deputy", "代表的工作台（手机）")
    cam.go(deputy, cosign_item)
    cam.snap(deputy, "deputy-cosign", "确认联名（附议）")
    _click_and_wait(deputy, deputy.get_by_role("button", name="确认联名"))
    cam.go(deputy, item)
    cam.snap(deputy, "deputy-suggestion-replied", "收到答复")
    _click_and_wait(deputy, deputy.get_by_test_id("rate"))
    deputy.locator("input[name=work_grade][value=satisfied]").check()
    deputy.locator("input[name=result_grade][value=satisfied]").check()
    cam.snap(deputy, "deputy-rate", "评价答复")
    _click_and_wait(deputy, deputy.get_by_test_id("action-submit"))
    cam.snap(deputy, "deputy-suggestion-rated", "评价之后", start=".card:has([data-testid=replies])", height=700)

    # 7. Staff close it; the record of every step and the assignment letter.
    cam.go(staff, item)
    _click_and_wait(staff, staff.get_by_test_id("close"))
    _click_and_wait(staff, staff.get_by_test_id("action-submit"))
    cam.snap(staff, "staff-timeline", "办结后的建议和办理记录", height=1520)
    if cam.wants("letter-pdf", "desktop"):
        _guarded(cam, "letter-pdf", lambda: cam.save("letter-pdf", "desktop", pdf_first_page(cam.fetch(
            staff, staff.locator("a[href$='letter.pdf']").first.get_attribute("href"))), "交办函（PDF）"))


def visit_story(cam: Camera) -> None:
    """A visit with two opinions and two photos, on the phone."""
    deputy = cam.page("deputy", "phone")
    cam.go(deputy, "/deputies/visits/new/")
    deputy.get_by_label("村（社区）/地点").fill("东风村三组")
    deputy.get_by_label("联系选民人数").fill("9")  # first: leaving 户数 raises 人数 to at least 户数
    deputy.get_by_label("走访户数").fill("6")
    opinions = deputy.get_by_test_id("opinion-list")
    opinions.locator("textarea").nth(0).fill("三组到村部的道路雨天积水，希望硬化。")
    opinions.locator("select").nth(0).select_option(label="道路交通与基础设施")
    opinions.locator("input[type=text]").nth(0).fill("三组村民")
    deputy.get_by_role("button", name="再添加一条意见").click()
    opinions.locator("textarea").nth(1).fill("村卫生室降压药经常断供，老人要跑镇上配药。")
    opinions.locator("select").nth(1).select_option(label="医疗卫生")
    deputy.get_by_label("走访情况").fill("入户走访三组 6 户，宣传医保缴费政策，听取群众意见。")
    deputy.get_by_label("跟进与反馈").fill("道路问题已向村委会反映，约定下月回访。")
    deputy.get_by_label("照片").set_input_files(files=[
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": _photo(0)},
        {"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": _photo(1)},
    ])
    cam.snap(deputy, "deputy-visit-form", "登记走访（手机）")
    cam.snap(deputy, "deputy-visit-opinions", "登记选民意见和照片（手机）", scroll="[data-testid=opinion-list]")
    _click_and_wait(deputy, deputy.get_by_test_id("visit-submit"))
    cam.snap(deputy, "deputy-visit-detail", "保存后的走访记录（手机）", height=1400)


def import_story(cam: Camera) -> None:
    """An import with a wrong row (then discarded) and a ledger."""
    staff = cam.page("staff")
    cam.go(staff, "/documents/units/import/")
    template = cam.fetch(staff, staff.get_by_test_id("template-link").get_attribute("href"))
    staff.locator("input[type=file]").set_input_files(files=[{
        "name": "承办单位.xlsx", "buffer": _unit_workbook(template),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    _click_and_wait(staff, staff.get_by_role("button", name="上传并检查"))
    cam.snap(staff, "unit-import-preview", "导入前的检查结果：有错误的行标红", height=900)
    _click_and_wait(staff, staff.get_by_role("button", name="放弃"))
    cam.go(staff, "/documents/units/ledger/")
    _click_and_wait(staff, staff.get_by_role("button", name="开始生成"))
    for _attempt in range(30):
        if staff.locator("a[href*='/download/']").count():
            break
        staff.wait_for_timeout(1000)
        staff.reload(wait_until="networkidle")
    cam.snap(staff, "unit-ledger-job", "承办单位台账已生成", height=520)


def roster_import_story(cam: Camera) -> None:
    """A roster in a township's own layout: the masked preview with 将新建 and an unknown column (then discarded)."""
    staff = cam.page("staff")
    cam.go(staff, "/deputies/import/")
    staff.locator("input[type=file]").set_input_files(files=[{
        "name": "青石镇代表名册.xlsx", "buffer": _roster_workbook(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    _click_and_wait(staff, staff.locator("form:has(input[type=file]) button[type=submit]"))
    for _attempt in range(60):  # a large file is checked in the background; this one is small
        if staff.get_by_test_id("preview-table").count():
            break
        staff.wait_for_timeout(1000)
        staff.reload(wait_until="networkidle")
    cam.snap(staff, "roster-import-preview", "导入名册：检查结果（号码只显示部分，将新建的小组）", height=1100)
    _click_and_wait(staff, staff.get_by_role("button", name="放弃"))


OPINION_UNIT_TITLE = "关于财政所逾期未答复代表建议的督办意见"
OPINION_ITEM_TITLE = "关于逾期建议办理情况的督办意见"


def opinion_story(cam: Camera) -> None:
    """督办意见: the reviewer sends one about a unit, 青石镇's staff answer, the reviewer reads the answer and
    confirms it; a second one, about an item, is left waiting for the township's answer (the chair's desk)."""
    reviewer = cam.page("reviewer")
    cam.go(reviewer, "/proposals/figures/")
    reviewer.locator("select[name=township]").select_option(label="青石镇")
    _click_and_wait(reviewer, reviewer.locator("form.filter-card button[type=submit]"))
    href = reviewer.locator("tr:has-text('财政所') [data-testid=unit-opinion]").first.get_attribute("href")
    cam.go(reviewer, href)
    reviewer.locator("input[name=title]").fill(OPINION_UNIT_TITLE)
    reviewer.locator("textarea[name=content]").fill(
        "财政所本年有建议超过办理期限仍未答复。请督促财政所本月内与代表面商并书面答复，并说明逾期原因。")
    reviewer.locator("input[name=answer_by]").fill((dt.date.today() + dt.timedelta(days=15)).isoformat())
    cam.snap(reviewer, "opinion-send", "发出督办意见", height=720)
    _click_and_wait(reviewer, reviewer.locator("form[enctype] button.btn-portal"))
    opinion = _path(reviewer.url)

    staff = cam.page("staff")
    cam.go(staff, opinion)
    cam.snap(staff, "opinion-staff", "人大办收到的督办意见", height=560)
    _click_and_wait(staff, staff.get_by_test_id("opinion-answer"))
    staff.locator("textarea[name=answer]").fill(
        "已约谈财政所负责人。逾期的两件建议已于本周与领衔代表面商，将在本月二十日前书面答复；"
        "逾期原因是资金须报县财政局审核。")
    cam.snap(staff, "opinion-answer", "答复督办意见", height=720)
    _click_and_wait(staff, staff.locator("form[enctype] button.btn-portal"))

    cam.go(reviewer, opinion)
    cam.snap(reviewer, "opinion-reviewer", "县人大常委会看到乡镇的答复", height=560)
    _click_and_wait(reviewer, reviewer.get_by_test_id("opinion-close"))
    _click_and_wait(reviewer, reviewer.locator("form[enctype] button.btn-portal"))

    _opinion_left_waiting(cam)


def _opinion_left_waiting(cam: Camera) -> None:
    """A second 督办意见, about an overdue item of 青石镇, left for the township to answer; then the list."""
    reviewer = cam.page("reviewer")
    cam.go(reviewer, "/proposals/items/?progress=overdue")
    township = reviewer.locator("select[name=township] option", has_text="青石镇").first.get_attribute("value")
    cam.go(reviewer, f"/proposals/items/?progress=overdue&township={township}")
    cam.go(reviewer, reviewer.locator("table a[href*='/proposals/items/']").first.get_attribute("href"))
    _click_and_wait(reviewer, reviewer.get_by_test_id("send-opinion"))
    reviewer.locator("input[name=title]").fill(OPINION_ITEM_TITLE)
    reviewer.locator("textarea[name=content]").fill("这件建议已超过办理期限。请主席团听取承办单位说明，督促尽快答复代表。")
    _click_and_wait(reviewer, reviewer.locator("form[enctype] button.btn-portal"))
    cam.go(reviewer, "/proposals/opinions/")
    cam.snap(reviewer, "opinion-list", "督办意见列表（县人大常委会）", height=560)


def public_story(cam: Camera) -> None:
    """The 五公开 page as the public sees it: no login, on a computer and on a phone."""
    staff = cam.page("staff")
    cam.go(staff, "/proposals/categories/")
    href = staff.locator("a[href*='/public/']").first.get_attribute("href")
    for width in ("desktop", "phone"):
        visitor = cam.page("", width, tag="public")
        cam.go(visitor, href)
        cam.snap(visitor, "public-page", "五公开页面（不用登录）", height=720 if width == "desktop" else 0)


PETITION_SUBJECT = "红旗村宅基地边界纠纷"  # like the demo's "……宅基地边界纠纷" cases: the repeats panel finds them
ONLINE_SUBJECT = "红旗村四组自来水水压不足"


def petition_story(cam: Camera) -> None:
    """信访: the register form with its repeats panel (typed, never saved); a petitioner files online on the
    phone, gets the receipt with the query code, staff accept it (受理告知书), and the petitioner looks it up.
    Adds one online petition each run (the demo database only)."""
    staff = cam.page("staff")
    cam.go(staff, "/petitions/new/")
    staff.locator("select[name=channel]").select_option("visit")
    staff.locator("input[name=name]").fill("王建华")
    staff.locator("input[name=village]").fill("红旗村")
    staff.locator("input[name=subject]").fill(PETITION_SUBJECT)
    with staff.expect_response(lambda response: "/petitions/new/repeats/" in response.url):
        staff.locator("textarea[name=content]").click()  # leaving the subject asks for the earlier cases
    staff.locator("[data-testid=repeats], [data-testid=no-repeats]").first.wait_for()
    staff.locator("textarea[name=content]").fill("与邻居宅基地界线有争议，多次协商未果，请求镇里调处。")
    cam.snap(staff, "petition-register", "登记信访：可能的重复信访", start="fieldset:has(legend:text-is('信访人'))",
             height=1100)

    visitor = cam.page("", "phone", tag="petitioner")
    cam.go(visitor, "/xinfang/new/")
    visitor.locator("select[name=township]").evaluate(
        "(el) => { el.value = [...el.options].find((o) => o.text.trim() === '青石镇').value; }")
    visitor.locator("input[name=name]").fill("李秀英")
    visitor.locator("input[name=mobile]").fill(f"139{int(time.time()) % 100_000_000:08d}")  # 3 a day per number
    visitor.locator("input[name=village]").fill("红旗村")
    visitor.locator("select[name=category]").select_option("其他")
    visitor.locator("input[name=subject]").fill(ONLINE_SUBJECT)
    visitor.locator("textarea[name=content]").fill("四组地势高，每天早晚用水高峰家里水龙头几乎不出水，已有半年，请求加装加压设施。")
    visitor.wait_for_timeout(6000)  # the form refuses what is sent within 5 seconds of opening it (a script)
    _click_and_wait(visitor, visitor.get_by_test_id("public-submit"))
    number = visitor.get_by_test_id("receipt-number").inner_text().strip()
    code = visitor.get_by_test_id("receipt-code").inner_text().strip()
    cam.snap(visitor, "public-receipt", "信访回执：登记号和查询码（手机）")

    cam.go(staff, "/petitions/?q=" + ONLINE_SUBJECT)
    cam.go(staff, staff.locator("[data-testid=petition-table] tbody a[href*='/petitions/']").first.get_attribute("href"))
    _click_and_wait(staff, staff.get_by_test_id("step-accept"))
    _click_and_wait(staff, staff.get_by_test_id("action-submit"))
    _click_and_wait(staff, staff.get_by_test_id("step-transfer"))
    staff.locator("select[name=unit]").select_option(label="财政所")
    staff.locator("input[name=owner_name]").fill("何静")
    staff.locator("select[name=owner_user]").evaluate(
        "(el) => { el.value = [...el.options].find((o) => o.text.includes('何静')).value; }")
    staff.locator("textarea[name=note]").fill("请会同水利站到红旗村四组现场查看，提出加压供水方案。")
    cam.snap(staff, "petition-transfer", "转办：承办单位、责任人、办结期限", height=900)
    _click_and_wait(staff, staff.get_by_test_id("action-submit"))

    liaison = cam.page("liaison")
    cam.go(liaison, "/petitions/unit/")
    cam.snap(liaison, "petition-unit-list", "交给我单位的信访", height=560)
    cam.go(liaison, liaison.locator("[data-testid=petition-table] tbody a[href*='/petitions/']").first.get_attribute(
        "href"))
    _click_and_wait(liaison, liaison.get_by_test_id("step-unit_reply"))
    liaison.locator("textarea[name=reply]").fill(
        "经与水利站现场查看，四组地势较高，早晚用水高峰水压不足属实。已列入明年一季度农村供水改造计划，加装加压泵。")
    liaison.locator("textarea[name=reply_public]").fill("经现场查看，水压不足属实，已列入明年一季度供水改造计划。")
    cam.snap(liaison, "petition-unit-reply", "联络员回复办理情况", height=900)  # not sent: the case stays with the unit

    cam.go(visitor, "/xinfang/lookup/")
    visitor.locator("input[name=number]").fill(number)
    visitor.locator("input[name=code]").fill(code)
    _click_and_wait(visitor, visitor.get_by_test_id("lookup-submit"))
    cam.snap(visitor, "public-case", "凭查询码查看办理情况（手机）", height=1400)


def login_story(cam: Camera) -> None:
    """A failed login, a lockout (a made-up user name: no demo account is locked) and English."""
    visitor = cam.page("", "desktop", tag="lockout")

    def locked() -> bool:
        return visitor.locator("form input[name=password]").count() == 0

    for suffix in range(int(time.time()) % 90 + 10, 200):  # a name not locked by an earlier run
        username = f"wangxm{suffix}"
        log_in(visitor, cam.base, username, "wrong-password")
        if not locked():
            break
    cam.snap(visitor, "login-failed", "用户名或密码不正确", height=600)
    for _attempt in range(10):
        if locked():
            break
        log_in(visitor, cam.base, username, "wrong-password")
    cam.snap(visitor, "lockout", "连续输错密码后账号被锁定", height=300)
    english = cam.page("staff", "desktop", tag="english")
    cam.go(english, "/")
    _click_and_wait(english, english.locator("button[name=language][value=en]"))
    cam.snap(english, "home-staff-en", "切换到英文后的工作台", height=620)
    _click_and_wait(english, english.locator("button[name=language][value=zh-hans]"))


def _click_and_wait(page, locator) -> None:
    with page.expect_navigation(wait_until="networkidle"):
        locator.click()


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]


def _guarded(cam: Camera, name: str, action) -> None:
    try:
        action()
    except Exception as error:
        cam.failures += 1
        print(f"FAILED {name}: {error}", file=sys.stderr)


def _photo(seed: int) -> bytes:
    """A plain picture standing in for a phone photo: sky, hills, a field and a road."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 900), (150, 190, 225))
    draw = ImageDraw.Draw(image)
    for y in range(0, 420):
        shade = 225 - y // 6
        draw.line([(0, y), (1200, y)], fill=(150 - y // 10, 190 - y // 12, shade))
    hills = [(0, 430), (260, 330 - seed * 30), (520, 420), (820, 300 + seed * 20), (1200, 410), (1200, 900), (0, 900)]
    draw.polygon(hills, fill=(86, 128, 78))
    draw.rectangle([0, 520, 1200, 900], fill=(120, 160, 70))
    draw.polygon([(520, 900), (680, 900), (620, 520), (590, 520)], fill=(170, 160, 145))
    for n in range(3):
        x = 140 + n * 300 + seed * 60
        draw.rectangle([x, 460, x + 120, 540], fill=(235, 230, 220))
        draw.polygon([(x - 10, 460), (x + 60, 420), (x + 130, 460)], fill=(120, 70, 60))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _unit_workbook(template: bytes) -> bytes:
    """The portal's own template with three rows: two right, one with a wrong phone number and no type."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    def label(cell) -> str:  # required columns are marked "*单位名称"
        return str(cell.value or "").lstrip("*").strip()

    header = next(row[0].row for row in sheet.iter_rows() if any(label(cell) == "单位名称" for cell in row))
    columns = {label(cell): cell.column for cell in sheet[header] if cell.value}
    rows = [
        {"单位名称": "财政所", "分管领导": "王建国", "联系人": "何静", "联系电话": "13807941234"},
        {"单位名称": "老年人协会", "单位类型": "其他", "分管领导": "李红梅", "联系人": "张明", "联系电话": "0794-6201234"},
        {"单位名称": "农机服务站", "分管领导": "张志强", "联系人": "刘洋", "联系电话": "138079"},
    ]
    sheet.delete_rows(header + 1, sheet.max_row)  # the template's example row
    for offset, values in enumerate(rows, start=1):
        for label, value in values.items():
            sheet.cell(row=header + offset, column=columns[label], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _id_number(birth: dt.date, sequence: int, *, male: bool) -> str:
    """A made-up resident ID number with a valid check digit (GB 11643), area code of a fictional county."""
    order = sequence * 2 + (1 if male else 0)
    body = f"360429{birth:%Y%m%d}{order:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _roster_workbook() -> bytes:
    """A roster as a township keeps it: a merged title, its own column names and level words, a new group,
    a column the portal does not know."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["青石镇第二十一届人民代表大会代表名册"])
    sheet.merge_cells("A1:J1")
    sheet.append(["序号", "姓名", "性别", "出生年月", "代表层级", "所属代表小组", "手机号码", "身份证号码", "民族",
                  "兼任说明"])
    rows = [
        ("汪秀兰", "女", dt.date(1979, 4, 12), "镇代表", "东风代表小组", "13907945566", True),
        ("陶立新", "男", dt.date(1968, 11, 3), "县乡两级代表", "东风代表小组", "13807941122", True),
        ("黎春生", "男", dt.date(1985, 7, 21), "镇代表", "白沙洲代表小组", "15979461234", False),
    ]
    for number, (name, gender, birth, level, group, mobile, serving) in enumerate(rows, start=1):
        sheet.append([number, name, gender, f"{birth:%Y.%m}", level, group, mobile,
                      _id_number(birth, 40 + number, male=gender == "男"), "汉族", "村党支部书记" if serving else ""])
    for column in "GH":  # as the guide asks: numbers as text
        for cell in sheet[column]:
            cell.number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the running portal, e.g. http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="folder (default docs/images)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these names (PAGES rows or story shots)")
    parser.add_argument("--width", choices=sorted(WIDTHS), action="append", help="phone or desktop (default both)")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    wanted = set(args.only) if args.only else None
    unknown = (wanted or set()) - {row.name for row in PAGES} - STORY_SHOTS
    if unknown:
        parser.error(f"not in PAGES or the story: {', '.join(sorted(unknown))}")
    rows = [row for row in PAGES if wanted is None or row.name in wanted]
    args.out.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                                             env={**os.environ, "LANGUAGE": "zh_CN:zh"})
        cam = Camera(browser, args.url.rstrip("/"), args.out, wanted, args.width or ["phone", "desktop"])
        try:
            if wanted is None or wanted & STORY_SHOTS:
                story(cam)  # first, so that the pages below show what it did
            for row in rows:
                for width in row.widths:
                    if width not in cam.widths:
                        continue
                    try:
                        cam.shoot_row(row, width)
                    except Exception as error:  # one broken page must not stop the others
                        cam.failures += 1
                        print(f"FAILED {row.name}-{width}: {error}", file=sys.stderr)
        finally:
            cam.close()
            browser.close()
    return 1 if cam.failures else 0


if __name__ == "__main__":
    sys.exit(main())
