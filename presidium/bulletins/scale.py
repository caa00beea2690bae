"""The bulletins step of ``seed_demo --scale``: per built township a 人大信息 series with about twelve issues a year
and a quarterly 督查通报, five years of them, in bulk.

Numbers are given as ``issue_sign_off`` gives them: within the year from 1 and overall from the series'
``first_overall_number`` on; the year counters (``BulletinYearCounter``) and ``last_overall_number`` are set to
the last number given, so an issue signed off later through the service continues after them. A voided issue
keeps its number and leaves a ``BulletinNumber`` record (作废), now and then a number is skipped with the reason
(跳号), as the services record them. Issues of past months are published with their distribution list frozen
(报 / 送 / 发, and one row per serving deputy with an account when it goes to all deputies); this month's are
signed off or drafts.

No PDF is rendered here (a few hundred per township would take minutes): published issues are marked
``pdf_deferred`` and the download renders and stores the PDF the first time it is asked for
(:func:`services.issue_store_deferred_pdf`). The issue page needs no file. Nobody is notified: this is history.
"""

from __future__ import annotations

import datetime as dt

from presidium.bulletins.choices import (
    BulletinKind,
    DistributionLine,
    IssueState,
    NumberRecordKind,
    RecipientKind,
)
from presidium.bulletins.demo import DRAFT_ARTICLE, NEWS_ISSUES
from presidium.bulletins.models import (
    Article,
    BulletinIssue,
    BulletinNumber,
    BulletinRecipient,
    BulletinSeries,
    BulletinYearCounter,
)
from presidium.bulletins.richtext import plain_text, sanitize
from presidium.bulletins.services import ALL_DEPUTIES_LABEL
from presidium.scale import ScalePlan, ScaleTownship

SUPERVISION_ARTICLES = [
    ("关于代表建议办理情况的督查通报",
     "按照年度督查计划，{t}人大主席团对本季度代表建议办理情况开展专项督查。\n"
     "督查发现，大部分承办单位能够按期答复，但仍有个别单位答复内容空泛、落实措施不具体。\n"
     "主席团要求相关单位限期整改，并将整改情况书面报送人大办。", "{t}人大办"),
    ("关于民生实事项目推进情况的督查通报",
     "{t}人大主席团组织部分代表对本年度民生实事项目推进情况进行督查，逐个项目查看现场、核对进度。\n"
     "对进度滞后的项目，督查组当场反馈意见，要求责任单位倒排工期、挂图作战。", "{t}人大办"),
]
SERIES = [  # kind, masthead, issues per year, first overall number, article sets
    (BulletinKind.NEWS, "人大信息", 12, 41, [*NEWS_ISSUES, [DRAFT_ARTICLE]]),
    (BulletinKind.SUPERVISION, "督查通报", 4, 1, [[a] for a in SUPERVISION_ARTICLES]),
]


def build_bulletins(plan: ScalePlan) -> None:
    """The ``bulletins`` scale step (order 60): each built township without a series gets its series and issues."""
    for built in plan.each_township("bulletins", lambda t: BulletinSeries.objects.filter(township=t).exists()):
        _build_township(plan, built)


def _build_township(plan: ScalePlan, built: ScaleTownship) -> None:
    from deputies.models import Deputy
    from deputies.selectors import serving

    township, staff, today = built.township, built.staff, plan.today
    rng = plan.rng("bulletins", built.prefix)
    audience = list(serving(Deputy.objects.filter(township=township, user__isnull=False))
                    .order_by("pk").values_list("pk", "user_id", "name"))
    units = built.units[:2]
    bodies: dict[tuple, tuple[str, str]] = {}

    def body(text: str) -> tuple[str, str]:
        if text not in bodies:
            html = sanitize(text)
            bodies[text] = (html, plain_text(html))
        return bodies[text]

    first_day = plan.at(dt.date(plan.first_year, 1, 2))
    series_rows = plan.bulk(BulletinSeries, [
        BulletinSeries(county_id=township.county_id, township=township, kind=kind, masthead=masthead,
                       compiling_body=f"{township.name}人大主席团编", first_overall_number=first,
                       responsible_editor="钱晓梅", contact="0794—8530 9270", created_by=staff, created_at=first_day)
        for kind, masthead, _n, first, _a in SERIES])
    issues, plans, records, counters = [], [], [], []
    for series, (_kind, _masthead, per_year, _first, article_sets) in zip(series_rows, SERIES, strict=True):
        overall = series.first_overall_number - 1
        for year in plan.year_list:
            number = 0
            for n in range(per_year):
                month = 1 + n * 12 // per_year
                day = dt.date(year, month, min(28, 8 + rng.randint(0, 18)))
                this_month = (day.year, day.month) == (today.year, today.month)
                if this_month:
                    day = min(day, today)
                if day > today:
                    break
                if this_month:
                    state = IssueState.SIGNED_OFF  # signed off, to be printed in a day or two
                elif rng.random() < 0.03:
                    state = IssueState.VOIDED
                else:
                    state = IssueState.PUBLISHED
                if state != IssueState.DRAFT and n == 3 and rng.random() < 0.1:
                    number += 1  # a number passed over on purpose
                    overall += 1
                    records.append((series, BulletinNumber(series=series, year=year, number=number,
                                                           overall_number=overall, kind=NumberRecordKind.SKIPPED,
                                                           reason="该期为纸质印发", recorded_by=staff)))
                issue = BulletinIssue(series=series, state=state, issue_date=day, responsible_editor="钱晓梅",
                                      to_all_deputies=True, created_by=staff, created_at=plan.at(day - dt.timedelta(days=5)))
                if state != IssueState.DRAFT:
                    number += 1
                    overall += 1
                    issue.year, issue.number, issue.overall_number = year, number, overall
                    issue.signed_off_at, issue.signed_off_by = plan.at(day - dt.timedelta(days=1), 16), staff
                    issue.signer_name = (built.chair.real_name if built.chair else staff.real_name)[:50]
                if state == IssueState.PUBLISHED:
                    issue.published_at, issue.published_by, issue.pdf_deferred = plan.at(day, 10), staff, True
                if state == IssueState.VOIDED:
                    issue.voided_at, issue.voided_by = plan.at(day, 9), staff
                    issue.void_reason = "文章数据有误，重新编排"
                issues.append(issue)
                plans.append(article_sets[(n + year) % len(article_sets)])
            if year == today.year:  # the next issue, being put together
                issues.append(BulletinIssue(series=series, state=IssueState.DRAFT, issue_date=today,
                                            responsible_editor="钱晓梅", to_all_deputies=True, created_by=staff,
                                            created_at=plan.at(today, 8)))
                plans.append(article_sets[-1])
            if number:
                counters.append(BulletinYearCounter(series=series, year=year, last_number=number))
        series.last_overall_number = overall
    issues = plan.bulk(BulletinIssue, issues)
    BulletinSeries.objects.bulk_update(series_rows, ["last_overall_number"])
    plan.bulk(BulletinYearCounter, counters)
    for issue in issues:
        if issue.state == IssueState.VOIDED:
            records.append((issue.series, BulletinNumber(
                series=issue.series, year=issue.year, number=issue.number, overall_number=issue.overall_number,
                kind=NumberRecordKind.VOIDED, reason=issue.void_reason, issue=issue, recorded_by=staff,
                recorded_at=issue.voided_at)))
    for _series, record in records:
        record.recorded_at = record.recorded_at or plan.at(dt.date(record.year, 4, 1))
    plan.bulk(BulletinNumber, [record for _s, record in records])
    articles, recipients = [], []
    for issue, article_set in zip(issues, plans, strict=True):
        for position, (title, text, source) in enumerate(article_set, start=1):
            html, plain = body(text.format(t=township.name))
            articles.append(Article(issue=issue, position=position, title=title.format(t=township.name)[:120],
                                    body_html=html, body_text=plain, source=source.format(t=township.name),
                                    updated_by=staff, updated_at=issue.created_at))
        rows = [(DistributionLine.REPORT, RecipientKind.TEXT, "县人大常委会", None)]
        rows += [(DistributionLine.SEND, RecipientKind.UNIT, unit.name, unit) for unit in units]
        rows += [(DistributionLine.SEND, RecipientKind.TEXT, name, None) for name in ("镇党委", "镇人民政府")]
        rows += [(DistributionLine.ISSUE, RecipientKind.ALL_DEPUTIES, ALL_DEPUTIES_LABEL, None)]
        recipients += [BulletinRecipient(issue=issue, line=line, kind=kind, name=name, unit=unit, position=n)
                       for n, (line, kind, name, unit) in enumerate(rows)]
        if issue.state == IssueState.PUBLISHED:  # frozen: who it went to, not printed
            recipients += [BulletinRecipient(issue=issue, line=DistributionLine.ISSUE, kind=RecipientKind.DEPUTY,
                                             deputy_id=pk, user_id=user_id, name=name, position=10_000 + i)
                           for i, (pk, user_id, name) in enumerate(audience)]
    plan.bulk(Article, articles)
    plan.bulk(BulletinRecipient, recipients)
