"""Every state change of the bulletins app: one keyword-only function each, in one transaction, recording who.

Numbers (:func:`issue_sign_off`): the series row and its counter for the year are locked
(``select_for_update``) while the number is given, so two clerks signing off at the same moment get
N and N+1; the partial unique constraints catch anything that slips past. The next number is the
default; a higher one may be given instead (the numbers passed over are recorded as skipped with the
reason); a number already given or passed over is refused — numbers only move forward. The number
within the year restarts every year (the year of the issue's date); the overall number never does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from presidium.bulletins import lifecycle
from presidium.bulletins.choices import DistributionLine, NumberRecordKind, RecipientKind
from presidium.bulletins.models import (
    Article,
    BulletinIssue,
    BulletinNumber,
    BulletinRecipient,
    BulletinSeries,
    BulletinYearCounter,
)
from presidium.bulletins.numbering import overall_after
from presidium.bulletins.richtext import plain_text, sanitize
from presidium.documents.storage import RemoveFilesOnError
from presidium.records import record

SERIES_FIELDS = ("kind", "masthead", "masthead_latin", "compiling_body", "first_overall_number", "number_in_chinese",
                 "overall_in_chinese", "responsible_editor", "contact", "approval_number", "is_active")
ALL_DEPUTIES_LABEL = "全体人大代表"
# Printed in Chinese whoever prints (like every official document).
LINE_LABELS = {DistributionLine.REPORT: "报", DistributionLine.SEND: "送", DistributionLine.ISSUE: "发"}


# --- series -----------------------------------------------------------------------------------------


@transaction.atomic
def series_create(*, county, township=None, by, **fields) -> BulletinSeries:
    """A new masthead of a township (or of the county when ``township`` is None)."""
    if township is not None and township.county_id != county.pk:
        raise ValidationError({"township": _("乡镇不属于所选的县（区）。")})
    series = BulletinSeries(county=county, township=township, created_by=by,
                            **{k: v for k, v in fields.items() if k in SERIES_FIELDS})
    series.full_clean()
    series.save()
    return series


@transaction.atomic
def series_update(*, series: BulletinSeries, by, **fields) -> BulletinSeries:
    """Change a series' masthead and settings. The starting overall number is fixed once an issue is numbered."""
    series = BulletinSeries.objects.select_for_update().get(pk=series.pk)
    if ("first_overall_number" in fields and fields["first_overall_number"] != series.first_overall_number
            and series.last_overall_number):
        raise ValidationError({"first_overall_number": _("本系列已有编号的简报，起始总期号不能再改。")})
    for key, value in fields.items():
        if key in SERIES_FIELDS:
            setattr(series, key, value)
    series.full_clean()
    series.save()
    return series


# --- issues and articles -----------------------------------------------------------------------------


def _editable(issue: BulletinIssue) -> BulletinIssue:
    issue = BulletinIssue.objects.select_for_update(of=("self",)).select_related("series").get(pk=issue.pk)
    if not issue.is_editable:
        raise ValidationError(_("这期简报已签发或作废，内容不能再修改；如需修改，请作废后重新编排。"))
    return issue


@transaction.atomic
def issue_create(*, series: BulletinSeries, by, issue_date, responsible_editor: str = "") -> BulletinIssue:
    """A new draft issue of ``series``; the series' default 责任编辑 unless one is given."""
    if not series.is_active:
        raise ValidationError(_("该简报系列已停用，不能新编简报。"))
    issue = BulletinIssue(series=series, issue_date=issue_date, created_by=by,
                          responsible_editor=(responsible_editor or series.responsible_editor).strip())
    issue.full_clean()
    issue.save()
    return issue


def _split_names(text: str) -> list[str]:
    normalised = (text or "").replace("，", "、").replace(",", "、").replace("；", "、").replace("\n", "、")
    return [name.strip() for name in normalised.split("、") if name.strip()]


@transaction.atomic
def issue_update(*, issue: BulletinIssue, by, issue_date, responsible_editor: str = "",
                 to_all_deputies: bool = False, deputies: Sequence = (), units: Sequence = (),
                 report_to: str = "", send_to: str = "", issue_to: str = "") -> BulletinIssue:
    """Set a draft's date, 责任编辑 and distribution: 报 / 送 / 发 as free text (names separated by 、),
    the chosen units on the 送 line, the chosen deputies (or all deputies) on the 发 line."""
    issue = _editable(issue)
    township_id = issue.series.township_id
    for deputy in deputies:
        if township_id and deputy.township_id != township_id:
            raise ValidationError({"deputies": _("只能分送本乡镇的代表。")})
    for unit in units:
        if township_id and unit.township_id != township_id:
            raise ValidationError({"units": _("只能分送本乡镇的承办单位。")})
    issue.issue_date, issue.responsible_editor = issue_date, (responsible_editor or "").strip()
    issue.to_all_deputies = bool(to_all_deputies and township_id)
    issue.full_clean()
    issue.save(update_fields=["issue_date", "responsible_editor", "to_all_deputies"])
    rows: list[BulletinRecipient] = []

    def add(line, kind, name, **links):
        rows.append(BulletinRecipient(issue=issue, line=line, kind=kind, name=name[:120], position=len(rows), **links))

    for name in _split_names(report_to):
        add(DistributionLine.REPORT, RecipientKind.TEXT, name)
    for unit in units:
        add(DistributionLine.SEND, RecipientKind.UNIT, unit.name, unit=unit)
    for name in _split_names(send_to):
        add(DistributionLine.SEND, RecipientKind.TEXT, name)
    if issue.to_all_deputies:
        add(DistributionLine.ISSUE, RecipientKind.ALL_DEPUTIES, ALL_DEPUTIES_LABEL)
    else:
        for deputy in deputies:
            add(DistributionLine.ISSUE, RecipientKind.DEPUTY, deputy.name, deputy=deputy, user_id=deputy.user_id)
    for name in _split_names(issue_to):
        add(DistributionLine.ISSUE, RecipientKind.TEXT, name)
    issue.recipients.all().delete()
    BulletinRecipient.objects.bulk_create(rows)
    return issue


@transaction.atomic
def article_create(*, issue: BulletinIssue, by, title: str, body: str, source: str = "") -> Article:
    """Add an article at the end of a draft issue; its body is sanitised (no raw HTML kept)."""
    issue = _editable(issue)
    last = issue.articles.aggregate(last=Max("position"))["last"]
    article = Article(issue=issue, position=(last or 0) + 1, updated_by=by)
    return _article_save(article, title=title, body=body, source=source)


def _article_save(article: Article, *, title: str, body: str, source: str) -> Article:
    article.title, article.source = (title or "").strip(), (source or "").strip()
    article.body_html = sanitize(body)
    article.body_text = plain_text(article.body_html)
    if not article.body_text.strip():
        raise ValidationError({"body": _("正文不能为空。")})
    article.full_clean()
    article.save()
    return article


@transaction.atomic
def article_update(*, article: Article, by, title: str, body: str, source: str = "") -> Article:
    _editable(article.issue)
    article.updated_by = by
    return _article_save(article, title=title, body=body, source=source)


@transaction.atomic
def article_delete(*, article: Article, by) -> BulletinIssue:
    issue = _editable(article.issue)
    article.delete()
    return issue


@transaction.atomic
def article_move(*, article: Article, by, up: bool) -> Article:
    """Swap the article with the one before (``up``) or after it; the positions are renumbered 1..n."""
    issue = _editable(article.issue)
    articles = list(issue.articles.order_by("position", "pk"))
    index = next(i for i, a in enumerate(articles) if a.pk == article.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(articles):
        articles[index], articles[other] = articles[other], articles[index]
    for position, item in enumerate(articles, start=1):
        item.position = position
    Article.objects.bulk_update(articles, ["position"])
    return next(a for a in articles if a.pk == article.pk)


# --- numbering, publishing, voiding --------------------------------------------------------------------


@transaction.atomic
def issue_sign_off(*, issue: BulletinIssue, by, number: int | None = None, skip_reason: str = "") -> BulletinIssue:
    """签发: give the issue its number in the year of its date and its overall number, under a row lock.

    ``number`` None takes the next one. A higher number is allowed with ``skip_reason``: the numbers
    passed over are recorded as skipped. A number at or below the last one given (or passed over) this
    year is refused with a message.
    """
    issue = BulletinIssue.objects.select_for_update().get(pk=issue.pk)
    new_state = lifecycle.transition(issue.state, lifecycle.SIGN_OFF)
    if not issue.articles.exists():
        raise ValidationError(_("这期简报还没有文章，不能签发。"))
    series = BulletinSeries.objects.select_for_update().get(pk=issue.series_id)
    year = issue.issue_date.year
    BulletinYearCounter.objects.get_or_create(series=series, year=year)
    counter = BulletinYearCounter.objects.select_for_update().get(series=series, year=year)
    following = counter.last_number + 1
    if number is None:
        number = following
    if number < 1:
        raise ValidationError({"number": _("期号须为正整数。")})
    if number < following:
        raise ValidationError({"number": _("%(year)s年第 %(n)s 期已经用过或已跳过，期号只能向后编；下一期应为第 %(next)s 期。")
                               % {"year": year, "n": number, "next": following}})
    skip_reason = (skip_reason or "").strip()
    if number > following and not skip_reason:
        raise ValidationError({"skip_reason": _("跳过第 %(a)s 至 %(b)s 期，请说明原因（将留档）。")
                               % {"a": following, "b": number - 1}})
    overall = overall_after(series, counter.last_number, number)
    skipped = [BulletinNumber(series=series, year=year, number=n, kind=NumberRecordKind.SKIPPED,
                              overall_number=overall_after(series, counter.last_number, n),
                              reason=skip_reason[:200], issue=issue, recorded_by=by)
               for n in range(following, number)]
    BulletinNumber.objects.bulk_create(skipped)
    counter.last_number = number
    counter.save(update_fields=["last_number"])
    series.last_overall_number = overall
    series.save(update_fields=["last_overall_number"])
    issue.state, issue.year, issue.number, issue.overall_number = new_state, year, number, overall
    issue.signed_off_at, issue.signed_off_by = timezone.now(), by
    issue.signer_name = (getattr(by, "real_name", "") or str(by or ""))[:50]
    issue.full_clean()
    issue.save(update_fields=["state", "year", "number", "overall_number", "signed_off_at", "signed_off_by",
                              "signer_name"])
    return issue


def _audience(issue: BulletinIssue) -> list:
    """The accounts told of a published issue: the deputies on its list, or all serving deputies."""
    from deputies.models import Deputy
    from deputies.selectors import serving

    if issue.to_all_deputies and issue.series.township_id:
        deputies = serving(Deputy.objects.filter(township_id=issue.series.township_id, user__isnull=False))
        return list(deputies.select_related("user").order_by("pk"))
    return []


@transaction.atomic
def issue_publish(*, issue: BulletinIssue, by) -> BulletinIssue:
    """印发: render and store the PDF with its SHA-256, freeze the distribution list with the names as they
    are today, and notify the deputies on it who have accounts."""
    from presidium.bulletins.documents import issue_pdf
    from presidium.notifications.services import notify

    issue = BulletinIssue.objects.select_for_update(of=("self",)).select_related("series__township", "series__county").get(
        pk=issue.pk)
    new_state = lifecycle.transition(issue.state, lifecycle.PUBLISH)
    recipients = list(issue.recipients.select_related("deputy", "unit"))
    for row in recipients:  # frozen: the printed name is the one of this day
        if row.deputy_id:
            row.name, row.user_id = row.deputy.name, row.deputy.user_id
        elif row.unit_id:
            row.name = row.unit.name
    BulletinRecipient.objects.bulk_update(recipients, ["name", "user"])
    audience = _audience(issue)
    extra = [BulletinRecipient(issue=issue, line=DistributionLine.ISSUE, kind=RecipientKind.DEPUTY, deputy=d,
                               user_id=d.user_id, name=d.name, position=10_000 + i) for i, d in enumerate(audience)]
    # All deputies print as one line ("全体人大代表"); the rows per deputy are who it went to, not printed.
    BulletinRecipient.objects.bulk_create(extra)
    issue.published_at, issue.published_by = timezone.now(), by
    issue.state = new_state
    content = issue_pdf(issue)
    with RemoveFilesOnError() as written:
        issue.pdf.save(f"{issue.file_stem}.pdf", ContentFile(content), save=False)
        written.append((issue.pdf.storage, issue.pdf.name))
        issue.pdf_sha256 = hashlib.sha256(content).hexdigest()
        issue.full_clean()
        issue.save(update_fields=["state", "published_at", "published_by", "pdf", "pdf_sha256"])
        users = {row.user_id for row in [*recipients, *extra] if row.user_id}
        if users:
            from presidium.models import User

            notify(recipients=User.objects.filter(pk__in=sorted(users)).order_by("pk"),
                   title=record(_l("新简报：%(masthead)s %(number)s"),
                                {"masthead": issue.series.masthead, "number": issue.number_text}),
                   body=record(_l("%(owner)s印发了《%(masthead)s》%(number)s，请在“简报”中阅读。"),
                               {"owner": issue.series.owner_name, "masthead": issue.series.masthead,
                                "number": issue.number_text}),
                   url=issue_url(issue), kind="bulletins.published", target=issue, by=by, channels=())
    return issue


@transaction.atomic
def issue_store_deferred_pdf(*, issue: BulletinIssue, by) -> BulletinIssue:
    """The PDF of a published issue loaded in bulk (``pdf_deferred``), rendered and stored on first use.

    The issue is published, so its articles and frozen distribution list no longer change: the PDF is the
    one publication would have stored. Rendered once, under a row lock; later calls return the stored file.
    ``by`` is whoever first asked for it (the issue's publisher stays on record).
    """
    from presidium.bulletins.documents import issue_pdf

    issue = BulletinIssue.objects.select_for_update(of=("self",)).select_related(
        "series__township", "series__county").get(pk=issue.pk)
    if not issue.pdf_deferred:
        return issue
    content = issue_pdf(issue)
    with RemoveFilesOnError() as written:
        issue.pdf.save(f"{issue.file_stem}.pdf", ContentFile(content), save=False)
        written.append((issue.pdf.storage, issue.pdf.name))
        issue.pdf_sha256 = hashlib.sha256(content).hexdigest()
        issue.pdf_deferred = False
        issue.full_clean()
        issue.save(update_fields=["pdf", "pdf_sha256", "pdf_deferred"])
    return issue


def issue_url(issue: BulletinIssue) -> str:
    from django.urls import reverse

    return reverse("bulletins:issue_detail", args=[issue.pk])


@transaction.atomic
def issue_void(*, issue: BulletinIssue, by, reason: str) -> BulletinIssue:
    """作废 with a reason. A numbered issue's number is recorded as voided: it is never given again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写作废原因。")})
    issue = BulletinIssue.objects.select_for_update().get(pk=issue.pk)
    new_state = lifecycle.transition(issue.state, lifecycle.VOID)
    if issue.number:
        BulletinNumber.objects.create(series_id=issue.series_id, year=issue.year, number=issue.number,
                                      overall_number=issue.overall_number, kind=NumberRecordKind.VOIDED,
                                      reason=reason[:200], issue=issue, recorded_by=by)
    issue.state, issue.voided_at, issue.voided_by, issue.void_reason = new_state, timezone.now(), by, reason[:200]
    issue.save(update_fields=["state", "voided_at", "voided_by", "void_reason"])
    return issue


def recipients_of_lines(issue: BulletinIssue, recipients: Iterable[BulletinRecipient] | None = None) -> dict:
    """The printed 报 / 送 / 发 lines: {line label: "A、B、C"}, in 报, 送, 发 order, empty lines left out."""
    rows = list(recipients if recipients is not None else issue.recipients.all())
    lines = {}
    for line in DistributionLine:
        names = [r.name for r in rows if r.line == line and r.position < 10_000]
        if names:
            lines[LINE_LABELS[line]] = "、".join(dict.fromkeys(names))
    return lines
