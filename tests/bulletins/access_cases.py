"""Bulletin URLs as every role (collected by tests/test_access_matrix.py).

Township A's staff and chair manage its series; county roles browse the series and read what is
published; the deputy reads township A's published issues (and gets 404 for series pages and drafts,
which they never see); the liaison of a unit that is not on the list sees nothing. Another county's
series and issues are a 404 for everyone.
"""

from __future__ import annotations

from presidium.choices import Role
from tests.access_matrix import COUNTY, STAFF, Case, allow, expect

DEPUTY = Role.DEPUTY.value
LIAISON = Role.UNIT_LIAISON.value


def _series(township):
    from tests.factories import BulletinSeriesFactory

    return BulletinSeriesFactory(township=township)


def _draft(township):
    from tests.factories import BulletinIssueFactory

    return BulletinIssueFactory(series=_series(township))


def _signed(township):
    from tests.factories import signed_off_issue

    return signed_off_issue(series=_series(township))


def _published(township):
    from tests.factories import published_issue

    return published_issue(series=_series(township))


def own_series(w):
    return [_series(w.township).pk]


def other_series(w):
    return [_series(w.foreign_township).pk]


def own_draft(w):
    return [_draft(w.township).pk]


def other_draft(w):
    return [_draft(w.foreign_township).pk]


def own_signed(w):
    return [_signed(w.township).pk]


def other_signed(w):
    return [_signed(w.foreign_township).pk]


def own_published(w):
    return [_published(w.township).pk]


def other_published(w):
    return [_published(w.foreign_township).pk]


def own_article(w):
    return [_draft(w.township).articles.get().pk]


def other_article(w):
    return [_draft(w.foreign_township).articles.get().pk]


MANAGERS = allow(STAFF, default=404)  # drafts: nobody else sees them
BROWSERS = allow((*STAFF, *COUNTY), default=404)
SERIES_MANAGERS = expect(404, presidium_chair=200, presidium_staff=200, county_admin=403, county_reviewer=403)
READERS = allow((*STAFF, *COUNTY, DEPUTY), default=404)

CASES = [
    Case("bulletins:reading", expect(200)),
    Case("bulletins:series_list", allow((*STAFF, *COUNTY))),
    Case("bulletins:series_create", allow((*STAFF, Role.COUNTY_ADMIN.value))),
    Case("bulletins:issue_list", BROWSERS, own=own_series, other=other_series),
    Case("bulletins:series_edit", SERIES_MANAGERS, own=own_series, other=other_series),
    Case("bulletins:issue_create", SERIES_MANAGERS, own=own_series, other=other_series),
    Case("bulletins:issue_detail", READERS, own=own_published, other=other_published),
    Case("bulletins:issue_edit", MANAGERS, own=own_draft, other=other_draft),
    Case("bulletins:article_create", MANAGERS, own=own_draft, other=other_draft),
    Case("bulletins:issue_preview_pdf", MANAGERS, own=own_draft, other=other_draft),
    Case("bulletins:issue_sign_off", MANAGERS, own=own_draft, other=other_draft),
    Case("bulletins:issue_publish", allow(STAFF, default=404, status=302), own=own_signed, other=other_signed,
         method="post"),
    Case("bulletins:issue_void", MANAGERS, own=own_draft, other=other_draft),
    Case("bulletins:issue_pdf", READERS, own=own_published, other=other_published),
    Case("bulletins:issue_docx", MANAGERS, own=own_draft, other=other_draft),
    Case("bulletins:article_edit", MANAGERS, own=own_article, other=other_article),
    Case("bulletins:article_delete", allow(STAFF, default=404, status=302), own=own_article, other=other_article,
         method="post"),
    Case("bulletins:article_move", allow(STAFF, default=404, status=302), own=own_article, other=other_article,
         method="post"),
]
