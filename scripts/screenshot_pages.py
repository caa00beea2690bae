"""The table of pages the user guide shows (used by scripts/screenshots.py).

Each row is opened as its demo account at the given widths; ``follow`` selectors are followed in turn.
Keep names stable: docs/user-guide.md links to ``docs/images/<name>-<width>.png``.
"""

from __future__ import annotations

from dataclasses import dataclass

PHONE, DESKTOP, BOTH = ("phone",), ("desktop",), ("phone", "desktop")


@dataclass(frozen=True)
class Shot:
    """One page of the table. ``path`` may use {year}, {next_year}, {today} and {last_month}.

    follow: selectors of links followed in turn from ``path`` (their href is opened);
    clip:   only this element (CSS selector) instead of the top of the page;
    start:  begin at this element (CSS selector) instead of the top of the page;
    height: CSS px kept from the top of the page, or from ``start`` (0: one screen);
    pdf:    the last address is a PDF: its first page is rendered.
    """

    name: str
    account: str
    path: str
    caption: str
    widths: tuple[str, ...] = DESKTOP
    follow: tuple[str, ...] = ()
    clip: str = ""
    start: str = ""
    height: int = 0
    pdf: bool = False


# --- the pages ---------------------------------------------------------------------------------
ROSTER_FGQ = "/deputies/roster/?q=fgq"
# The first case of a ledger page (the subject links to the case page).
FIRST_CASE = "[data-testid=petition-table] tbody a[href*='/petitions/']"
# Transferred, its completion limit passed, the unit not yet replied: the written answer waits (a disabled step).
OVERDUE_TRANSFERRED = "/petitions/?status=transferred&clock=completion_overdue"
PAGES: list[Shot] = [
    # name                  account          path                                caption
    # -- everyone
    Shot("login",              "",              "/accounts/login/",                  "登录页", BOTH),
    Shot("password-reset",     "",              "/accounts/password/reset/",         "找回密码"),
    Shot("notifications",      "staff",         "/notifications/",                   "消息", height=760),
    Shot("account-settings",   "staff",         "/account/settings/",                "个人设置"),
    # -- presidium staff and chair
    Shot("home-staff",         "staff",         "/",                                 "人大办工作人员的工作台", height=940),
    Shot("units",              "staff",         "/org/units/",                       "承办单位", height=620),
    Shot("unit-create",        "staff",         "/org/units/new/",                   "新增承办单位"),
    Shot("accounts",           "staff",         "/org/accounts/",                    "账号与角色：不能管理的账号写明原因",
         height=560),
    Shot("account-create",     "staff",         "/org/accounts/new/",                "开设账号"),
    Shot("calendar-month",     "staff",         "/calendar/{year}/10/",              "工作日历（月历）"),
    # a fixed example (STACK-NOTES): 2026-12-25 + 10 working days runs into 2027, unconfirmed in the demo data
    Shot("deadline",           "staff",         "/calendar/deadline/?start=2026-12-25&amount=10&unit=working_days",
         "期限计算：跨入未确认年份，结果为暂定", height=700),
    Shot("deputy-roster",      "staff",         ROSTER_FGQ,                          "代表名册：按拼音首字母查找", height=460),
    Shot("deputy-detail",      "staff",         ROSTER_FGQ,                          "代表信息",
         follow=("table a:text-is('冯国强')",), height=820),
    Shot("roster-import",      "staff",         "/deputies/import/",                 "导入名册", height=620),
    Shot("groups",             "staff",         "/deputies/groups/",                 "代表小组", height=620),
    Shot("station-detail",     "staff",         "/deputies/stations/",               "代表联络站",
         follow=("table a[href*='/deputies/stations/']",), height=760),
    Shot("constituencies",     "staff",         "/deputies/constituencies/",         "选区", height=560),
    Shot("duty-overview",      "staff",         "/deputies/duty/",                   "履职情况与“三不代表”提示", height=900),
    Shot("deputy-archive",     "staff",         ROSTER_FGQ,                          "履职档案",
         follow=("table a:text-is('冯国强')", "a[href$='/archive/']"), height=900),
    Shot("archive-card-pdf",   "staff",         ROSTER_FGQ,                          "履职登记卡（PDF）",
         follow=("table a:text-is('冯国强')", "a[href$='/archive/']", "a[href*='card.pdf']"), pdf=True),
    Shot("proposals-list",     "staff",         "/proposals/items/",                 "议案建议列表", height=900),
    Shot("filter-chips",       "staff",         "/proposals/items/?progress=handling&kind=suggestion",
         "手机上的筛选：条件收起，已选条件显示为标签", PHONE),
    Shot("letters-batch",      "staff",         "/proposals/letters/",               "批量打印交办函", height=700),
    Shot("issuer",             "staff",         "/org/townships/",                   "发文机关设置",
         follow=("table a:text-is('青石镇')", "a[data-testid=issuer-settings]"), height=560),
    Shot("home-chair",         "chair",         "/",                                 "主席的工作台：主席团待决定事项",
         height=880),
    Shot("hearing",            "staff",         "/proposals/hearing/",               "办理进展听取", height=760),
    Shot("figures-staff",      "staff",         "/proposals/figures/",               "办理统计", height=900),
    Shot("report-pdf",         "staff",         "/proposals/report/?start={year}-01-01&end={today}",
         "办理情况报告（PDF）", pdf=True),
    Shot("proposal-settings",  "staff",         "/proposals/categories/",            "建议类别与办理设置", height=760),
    Shot("hand-back-staff",    "staff",         "/proposals/items/?progress=hand_back", "退办申请：同意并改办，或不同意",
         follow=("table a[href*='/proposals/items/']",), height=560),
    Shot("hand-back-approve",  "staff",         "/proposals/items/?progress=hand_back", "同意退办并改办",
         follow=("table a[href*='/proposals/items/']", "a[href$='/approve/']"), height=900),
    # -- deputy (phone)
    Shot("deputy-archive-me",  "deputy",        "/deputies/me/",                     "我的履职档案（手机）", PHONE),
    Shot("deputy-visits",      "deputy",        "/deputies/visits/",                 "我的走访记录（手机）", PHONE),
    Shot("deputy-items",       "deputy",        "/",                                 "我的建议办到哪一步了（手机）", PHONE,
         start="[data-testid=deputy-items]"),
    # -- handling-unit liaison
    Shot("home-liaison",       "liaison",       "/",                                 "承办单位联络员的工作台", height=300),
    Shot("liaison-list",       "liaison",       "/proposals/items/?progress=handling", "本单位办理中的建议", height=700),
    Shot("liaison-contacts",   "liaison",       "/proposals/items/?progress=handling", "联系代表（三见面）（手机）", PHONE,
         follow=("table a[href*='/proposals/items/']",), clip=".card:has([data-testid=contacts])"),
    # -- county
    Shot("home-county",        "county_admin",  "/",                                 "县人大常委会管理员的工作台", height=940),
    Shot("townships",          "county_admin",  "/org/townships/",                   "乡镇概况", height=420),
    Shot("township-detail",    "county_admin",  "/org/townships/",                   "乡镇详情",
         follow=("table a:text-is('青石镇')",), height=760),
    Shot("figures-county",     "reviewer",      "/proposals/figures/",               "全县办理统计", height=900),
    Shot("figures-townships",  "reviewer",      "/proposals/figures/",               "各乡镇办理情况对比",
         start="h2:text-is('各乡镇')", height=190),
    Shot("county-report",      "reviewer",      "/proposals/county-report/",         "全县议案建议办理情况（分乡镇）",
         height=560),
    Shot("calendar-year",      "county_admin",  "/calendar/{year}/",                 "年度安排（已确认）", height=760),
    Shot("calendar-next-year", "county_admin",  "/calendar/{next_year}/",            "下一年度：未确认，可确认", height=620),
    Shot("calendar-day-edit",  "county_admin",  "/calendar/days/edit/?date={next_year}-01-01",
         "本县调整某一天的安排", height=620),
    # -- letters and visits (信访): staff and chair
    Shot("petition-list",        "staff",        "/petitions/?progress=open",         "信访登记台账：筛选、最近到期",
         height=900),
    Shot("petition-detail",      "staff",        OVERDUE_TRANSFERRED,                 "信访件：法定时限、办理步骤、办理记录",
         follow=(FIRST_CASE,), height=1250),
    Shot("petition-answer-pdf",  "staff",        "/petitions/?status=closed",         "答复意见书（PDF）",
         follow=(FIRST_CASE, "[data-testid=notices] li:has-text('答复意见书') a[href$='.pdf']"), pdf=True),
    Shot("petition-transfer-pdf", "staff",       "/petitions/?status=transferred&channel=visit", "转办单（PDF）",
         follow=(FIRST_CASE, "[data-testid=transfer-pdf]"), pdf=True),
    Shot("petition-figures",     "staff",        "/petitions/figures/",               "信访统计：指标、图表、统计口径",
         height=1600),
    Shot("petition-home-staff",  "staff",        "/",                                 "工作台上的信访卡片和图表",
         start="[data-testid=home-cards]", height=1600),
    Shot("reception-days",       "staff",        "/petitions/reception/",             "接待日安排", height=760),
    Shot("reception-arrange",    "staff",        "/petitions/reception/arrange/",     "安排接待日（排班）", height=1300),
    Shot("reception-day",        "staff",        "/petitions/reception/",             "一个接待日：值班代表、签到、当天接待的事项",
         follow=("a.reception-day.border-primary",), height=900),
    Shot("reception-summary",    "staff",        "/petitions/reception/summary/?month={last_month}",
         "接待日月度汇总", height=1100),
    # -- deputy (phone)
    Shot("reception-my-duty",    "deputy",       "/",                                 "我的接待日：当天签到（手机）", PHONE,
         start="[data-testid=my-reception]", height=330),
    # -- the transfer form and the liaison's list and reply: the story's petition_story (screenshots.py)
    # -- the public (no login, phone); the receipt and the case page: petition_story
    Shot("public-index",         "",             "/xinfang/",                         "网上信访与信访查询（手机）", PHONE),
    Shot("public-form",          "",             "/xinfang/new/",                     "网上信访表单（手机）", PHONE,
         height=1600),
    Shot("public-lookup",        "",             "/xinfang/lookup/",                  "信访查询（手机）", PHONE),
    # -- county
    Shot("petition-figures-county", "reviewer",  "/petitions/figures/",               "全县信访统计：各乡镇对比",
         start="h2:text-is('各乡镇')", height=440),
    # -- the change of term (换届): 柳河乡 has opened its 第十九届 half-way (presidium/terms/demo.py)
    Shot("term-steps",           "staff_liuhe",  "/terms/",                           "换届：按顺序完成的五步",
         height=1500),
    Shot("term-switch",          "staff_liuhe",  "/terms/",                           "换届：导入新当选的代表，切换为本届前要先做什么",
         start="#step-import", height=330),
    Shot("term-deputies",        "staff_liuhe",  "/terms/",                           "代表名册：按届次查看",
         follow=("[data-terms] li:first-child a[href*='/deputies/roster/']",), height=700),
    # -- bulletins (简报)
    Shot("bulletin-series",      "staff",        "/bulletins/series/",                "简报系列", height=420),
    Shot("bulletin-issues",      "staff",        "/bulletins/series/",                "一个系列的各期简报：查找、跳号和作废的期号",
         follow=("a.bulletin-masthead-link",), height=900),
    Shot("bulletin-compose",     "staff",        "/bulletins/series/",                "编排一期简报（草稿）",
         follow=("a.bulletin-masthead-link", "tr:has-text('未编号') a[href*='/bulletins/issues/']"), height=1200),
    Shot("bulletin-pdf",         "staff",        "/bulletins/series/",                "印发的简报（PDF）",
         follow=("a.bulletin-masthead-link", "a[href$='/pdf/']"), pdf=True),
    Shot("bulletin-reading",     "deputy",       "/bulletins/",                       "代表阅读简报（手机）", PHONE),
    # -- evaluating units (工作评议): 青石镇's campaigns (evaluations/units/demo.py)
    Shot("evaluation-campaign",  "staff",        "/evaluations/units/",               "一次工作评议：轮次、指标、扣分设置",
         follow=("a:has-text('综合评议')",), height=1500),
    Shot("evaluation-ballot",    "deputy",       "/evaluations/units/vote/",          "代表在手机上评议打分", PHONE,
         follow=("[data-testid=open-rounds] a", "[data-testid=units-to-score] a"), height=1400),
    Shot("evaluation-results",   "staff",        "/evaluations/units/",               "评议结果：得分、扣分、名次和并列",
         follow=("a:has-text('综合评议')", "a[href$='/results/']"), height=1000),
    Shot("evaluation-unit-mine", "liaison",      "/evaluations/units/mine/",          "承办单位看本单位的评议结果和整改事项",
         height=1100),
    # -- county scorecards (乡镇工作考评): the demo county (evaluations/scorecards/demo.py)
    Shot("scorecard-checklist",  "reviewer",     "/evaluations/scorecards/",          "县人大的考评清单：事项、平台指标、各乡镇填报",
         follow=("[data-testid=checklist-table] tbody tr:first-child a.fw-semibold",), height=1300),
    Shot("scorecard-response",   "staff",        "/evaluations/scorecards/",          "乡镇填报：完成情况、佐证材料、平台记录",
         follow=("[data-testid=own-response]",), height=1500),
    Shot("scorecard-comparison", "reviewer",     "/evaluations/scorecards/",          "各乡镇横向比较和图表",
         follow=("[data-testid=checklist-table] tbody tr:nth-child(2) a.fw-semibold", "[data-testid=compare]"),
         height=1400),
    Shot("scorecard-pdf",        "staff",        "/evaluations/scorecards/",          "乡镇考评得分表（PDF）",
         follow=("[data-testid=checklist-table] tbody tr:nth-child(2) [data-testid=own-response]",
                 "a[href$='/scorecard/']"), pdf=True),
    # -- meetings and activities (会议活动): 青石镇's year of meetings (presidium/meetings/demo.py)
    Shot("meeting-list",         "staff",        "/meetings/",                        "会议活动列表：出席情况和法定人数",
         height=900),
    Shot("meeting-detail",       "staff",        "/meetings/?kind=presidium_meeting&status=held",
         "会议页面：法定人数、出席登记、议程和会议成果", follow=("[data-testid=meeting-row] a",), height=1500),
    # two months back: the demo's group activities and inspection fill it (this month has next week's meeting only)
    Shot("meeting-calendar",     "staff",        "/meetings/calendar/",               "会议日历（月历）",
         follow=("a[aria-label='上个月']", "a[aria-label='上个月']"), height=900),
    Shot("meeting-gaps",         "staff",        "/",                                 "工作台：会议活动开展情况",
         start="[data-testid=meeting-gaps]", height=420),
    Shot("meeting-mine",         "deputy",       "/meetings/mine/",                   "我的会议：会前请假（手机）", PHONE,
         height=1100),
    # shows the address once the deputy has generated one (otherwise only the button 生成我的订阅地址)
    Shot("meeting-feed",         "deputy",       "/meetings/feed/",                   "日历订阅（手机）", PHONE),
    # -- votes (表决) and livelihood projects (民生实事项目): presidium/votes/demo.py
    Shot("vote-detail",          "staff",        "/votes/?subject=resolution",        "表决：两次录入、出席情况和结果表述",
         follow=("[data-testid=vote-list] a.fw-semibold",), height=1500),
    Shot("project-list",         "staff",        "/votes/projects/",                  "民生实事项目：票决名次和进度", height=760),
    # no login; the demo's 青石镇 is township 1 on a fresh database (the page has no link in the portal)
    Shot("project-public",       "",             "/public/projects/1/",               "民生实事项目公开页（手机）", PHONE,
         height=1600),
]
# ------------------------------------------------------------------------------------------------
