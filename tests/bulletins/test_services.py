"""Composing, publishing and voiding issues: lifecycle, sanitised articles, frozen distribution, notifications."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pdfplumber
import pytest
from django.core.exceptions import ValidationError

from presidium.bulletins import lifecycle, services
from presidium.bulletins.choices import IssueState
from presidium.bulletins.documents import issue_docx
from presidium.bulletins.models import BulletinRecipient
from presidium.notifications.models import Notification
from tests.factories import (
    BulletinIssueFactory,
    BulletinSeriesFactory,
    DeputyFactory,
    HandlingUnitFactory,
    TownshipFactory,
    UserFactory,
    signed_off_issue,
)

pytestmark = pytest.mark.django_db

ALL_STATES = list(IssueState.values)
ACTIONS = [lifecycle.SIGN_OFF, lifecycle.PUBLISH, lifecycle.VOID]


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_it_allows_exactly_the_moves_of_the_table(state, action):
    allowed = (state, action) in lifecycle.TRANSITIONS
    assert (lifecycle.refusal_reason(state, action) is None) == allowed
    if not allowed:
        with pytest.raises(ValidationError):
            lifecycle.transition(state, action)


def test_it_walks_draft_to_published_and_refuses_going_back():
    issue = signed_off_issue()
    with pytest.raises(ValidationError, match="已签发"):
        services.issue_sign_off(issue=issue, by=None)
    issue = services.issue_publish(issue=issue, by=None)
    with pytest.raises(ValidationError, match="已印发"):
        services.issue_publish(issue=issue, by=None)
    issue = services.issue_void(issue=issue, by=None, reason="误发")
    assert issue.state == IssueState.VOIDED


def test_it_publishes_only_signed_off_issues():
    issue = BulletinIssueFactory()
    with pytest.raises(ValidationError, match="请先签发"):
        services.issue_publish(issue=issue, by=None)
    issue.refresh_from_db()
    assert issue.state == IssueState.DRAFT and not issue.pdf


def test_it_keeps_no_raw_html_in_an_article():
    issue = BulletinIssueFactory(articles=0)
    article = services.article_create(
        issue=issue, by=None, title="标题", source="镇人大办",
        body='<p style="color:red" onclick="x()">正文<script>alert(1)</script><strong>重点</strong></p>'
             '<img src="http://evil/x.png"><a href="javascript:alert(1)">链接</a><h3>一、小标题</h3>')
    assert "<script" not in article.body_html and "onclick" not in article.body_html
    assert "style=" not in article.body_html and "<img" not in article.body_html and "href" not in article.body_html
    assert "<strong>重点</strong>" in article.body_html and "<h3>一、小标题</h3>" in article.body_html
    assert "正文" in article.body_text and "alert" not in article.body_text


def test_it_turns_plain_lines_into_paragraphs_and_refuses_an_empty_body():
    issue = BulletinIssueFactory(articles=0)
    article = services.article_create(issue=issue, by=None, title="标题", body="第一段\n\n第二段 <不是标签>")
    assert article.body_html == "<p>第一段</p><p>第二段 &lt;不是标签&gt;</p>"
    with pytest.raises(ValidationError):
        services.article_create(issue=issue, by=None, title="空", body="<script>x</script>")
    assert issue.articles.count() == 1


def test_it_reorders_articles():
    issue = BulletinIssueFactory(articles=3)
    first, second, third = issue.articles.order_by("position")
    services.article_move(article=third, by=None, up=True)
    assert list(issue.articles.order_by("position").values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]
    services.article_move(article=first, by=None, up=True)  # already first: stays
    assert list(issue.articles.order_by("position").values_list("pk", flat=True))[0] == first.pk


def test_it_refuses_to_edit_a_signed_off_issue():
    issue = signed_off_issue()
    article = issue.articles.get()
    with pytest.raises(ValidationError, match="不能再修改"):
        services.article_update(article=article, by=None, title="改", body="改")
    with pytest.raises(ValidationError, match="不能再修改"):
        services.article_create(issue=issue, by=None, title="新", body="新")


def _pdf_text(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_it_publishes_a_pdf_with_the_chinese_text_and_number_and_freezes_the_distribution():
    """Read back: masthead, 第 11 期, 总第六百六十一期, the Chinese date, 供稿, 送 line, 责任编辑; SHA-256 stored;
    the names printed are those of the day; deputies with accounts are notified, once."""
    township = TownshipFactory(name="青石镇")
    series = BulletinSeriesFactory(township=township, masthead="联络动态", compiling_body="青石镇人大主席团编",
                                   first_overall_number=651, kind="liaison", contact="0731—85309270")
    for day in range(1, 11):
        services.issue_sign_off(issue=BulletinIssueFactory(series=series, issue_date=dt.date(2026, 5, day)), by=None)
    issue = BulletinIssueFactory(series=series, issue_date=dt.date(2026, 5, 30), articles=0)
    services.article_create(issue=issue, by=None, title="华容县人大常委会采取季度清单 精准指导乡镇人大工作",
                            body="为了破解目前乡镇人大工作瓶颈，推动新时代乡镇人大工作发展。", source="华容县人大常委会联工委")
    reader = UserFactory(username="reader")
    deputy = DeputyFactory(township=township, name="王建国", user=reader)
    silent = DeputyFactory(township=township, name="李秀英")
    unit = HandlingUnitFactory(township=township, name="镇财政所")
    services.issue_update(issue=issue, by=None, issue_date=issue.issue_date, responsible_editor="石韧",
                          deputies=[deputy, silent], units=[unit], send_to="县人大常委会联工委", report_to="县人大常委会")
    services.issue_sign_off(issue=issue, by=None)
    issue = services.issue_publish(issue=issue, by=None)

    content = issue.pdf.read()
    assert hashlib.sha256(content).hexdigest() == issue.pdf_sha256
    text = _pdf_text(content).replace(" ", "")
    for expected in ("联络动态", "第11期", "总第六百六十一期", "青石镇人大主席团编", "二〇二六年五月三十日",
                     "华容县人大常委会采取季度清单", "（供稿：华容县人大常委会联工委）", "报：县人大常委会",
                     "送：镇财政所、县人大常委会联工委", "发：王建国、李秀英", "责任编辑：石韧", "—1—"):
        assert expected in text, expected
    assert "样稿" not in text

    from deputies import services as deputy_services
    from presidium import services as floor_services

    deputy_services.deputy_update(deputy=deputy, by=None, name="王建军")
    floor_services.handling_unit_update(unit=unit, by=None, name="镇财政和审计所")
    assert set(BulletinRecipient.objects.filter(issue=issue).values_list("name", flat=True)) >= {"王建国", "镇财政所"}
    notes = Notification.objects.filter(recipient=reader)
    assert notes.count() == 1 and "联络动态" in notes.get().title and "第 11 期" in notes.get().title


def test_it_notifies_all_serving_deputies_with_accounts_when_sent_to_all():
    township = TownshipFactory()
    series = BulletinSeriesFactory(township=township)
    users = [UserFactory() for _ in range(3)]
    for user in users:
        DeputyFactory(township=township, user=user)
    DeputyFactory(township=township)  # no account: nobody to tell
    DeputyFactory(township=TownshipFactory(), user=UserFactory())  # another township
    issue = BulletinIssueFactory(series=series)
    services.issue_update(issue=issue, by=None, issue_date=issue.issue_date, to_all_deputies=True)
    issue = services.issue_publish(issue=services.issue_sign_off(issue=issue, by=None), by=None)
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(u.pk for u in users)
    text = _pdf_text(issue.pdf.read()).replace(" ", "")
    assert "发：全体人大代表" in text


def test_it_marks_the_preview_as_a_draft():
    from presidium.bulletins.documents import issue_pdf

    issue = BulletinIssueFactory()
    # The watermark is rotated, so its two characters come out on separate text lines.
    draft = _pdf_text(issue_pdf(issue, draft=True)).replace(" ", "")
    final = _pdf_text(issue_pdf(issue, draft=False)).replace(" ", "")
    assert "样" in draft and "样" not in final and "人大信息" in draft


def test_it_offers_the_issue_as_a_word_file():
    from docx import Document

    issue = signed_off_issue()
    document = Document(io.BytesIO(issue_docx(issue)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "人大信息" in text and "第 1 期" in text and "（供稿：镇人大办）" in text and "责任编辑：李编辑" in text


def test_it_refuses_recipients_of_another_township():
    issue = BulletinIssueFactory()
    stranger = DeputyFactory(township=TownshipFactory())
    with pytest.raises(ValidationError):
        services.issue_update(issue=issue, by=None, issue_date=issue.issue_date, deputies=[stranger])
    assert not issue.recipients.exists()


@pytest.mark.parametrize("paragraphs", [1, 12, 14, 17])
def test_the_imprint_sits_at_the_foot_of_the_last_page_and_never_over_the_text(paragraphs):
    """版记 (报/送/发, 责任编辑) at the bottom of the last page, GB/T 9704 §8; when the text leaves too little
    room on its last page the imprint goes to a page of its own, never on top of the text."""
    from presidium.bulletins.documents import issue_pdf

    issue = BulletinIssueFactory(articles=0)
    services.article_create(issue=issue, by=None, title="代表联络站工作情况",
                            body="\n\n".join(["各代表联络站按月开展接待选民活动，收集意见建议，逐条登记交办。" * 3]
                                             * paragraphs), source="镇人大办")
    services.issue_update(issue=issue, by=None, issue_date=issue.issue_date, responsible_editor="石韧",
                          send_to="县人大常委会联工委", report_to="县人大常委会")
    with pdfplumber.open(io.BytesIO(issue_pdf(issue, draft=False))) as pdf:
        last = pdf.pages[-1]
        words = last.extract_words()
        editor = next(w for w in words if w["text"].startswith("责任编辑"))
        report = next(w for w in words if w["text"].startswith("报："))
        body_bottom = max((w["bottom"] for w in words if w["top"] < report["top"] - 1), default=0)
        # The imprint's last row ends within 45 mm (the margin and page number) of the page's foot …
        assert last.height - editor["bottom"] < 45 / 25.4 * 72
        # … and its first row starts below the last line of text on that page.
        assert report["top"] > body_bottom
