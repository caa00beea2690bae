"""PDF rendering with WeasyPrint: a Django template extending ``pdf/base.html`` → bytes.

Fonts come from fontconfig (fonts-noto-cjk: Noto Serif CJK SC for the body, Noto Sans CJK SC for
headings); nothing is fetched from the network. STACK-NOTES: with ``libharfbuzz-subset0`` a page
takes ~0.35 s; big tables are slow (500 rows ≈ 6 s), so PDFs carry summaries and long renders run
as document jobs (:mod:`presidium.documents.jobs`).
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from presidium.documents.excel import attachment_response

logger = logging.getLogger(__name__)
# WeasyPrint logs every rendering step at INFO (and the portal's root logger is at INFO).
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PDF_CONTENT_TYPE = "application/pdf"


def _allowed_roots() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "static", Path(settings.BASE_DIR) / "templates"]
    roots += [Path(p) for p in getattr(settings, "STATICFILES_DIRS", [])]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


@functools.cache
def _fetcher_class():
    # WeasyPrint is imported on first use: web processes that never print do not pay for it.
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Fetches ``data:`` URLs and files under the portal's static and template folders; nothing else.

        A PDF must never reach the network (no http/https/ftp: a slow or hostile host would hang the
        render, and the request would reveal who prints what) nor read arbitrary files on the server.
        """

        def __init__(self, *args, roots: list[Path] | None = None, **kwargs):
            kwargs.setdefault("allowed_protocols", ("data", "file"))
            super().__init__(*args, **kwargs)
            self._roots = roots if roots is not None else _allowed_roots()

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme not in ("data", "file"):
                raise ValueError(f"PDF rendering does not fetch {scheme or 'relative'} URLs: {url[:80]}")
            if scheme == "file":
                path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
                if not any(path.is_relative_to(root) for root in self._roots):
                    raise ValueError(f"PDF rendering may not read {path}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher


def local_only_fetcher(**kwargs):
    """A WeasyPrint URL fetcher that refuses the network and files outside static/ and templates/."""
    return _fetcher_class()(**kwargs)


def render_pdf(template_name: str, context: dict, *, title: str, header: str = "", base_url=None,
               author: str = "", landscape: bool = False) -> bytes:
    """Render ``template_name`` (which extends ``pdf/base.html``) to PDF bytes.

    ``title`` is the document title (shown in the title block and the PDF metadata), ``header`` the
    running header on every page (e.g. "青石镇人大主席团"). ``base_url`` resolves relative links
    (default: the portal's ``static`` folder, so ``<img src="img/seal.png">`` works).
    """
    context = {
        **context,
        "pdf_title": title,
        "pdf_header": header,
        "pdf_author": author or getattr(settings, "PORTAL_NAME", ""),
        "pdf_landscape": landscape,
        "generated_at": timezone.localtime(),
    }
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    # Official documents (交办函, reports, archive cards) are Chinese whatever the reader browses in.
    with translation.override("zh-hans"):
        html = render_to_string(template_name, context)
    if base_url is None:
        base_url = (Path(settings.BASE_DIR) / "static").as_uri() + "/"
    document = HTML(string=html, base_url=str(base_url), url_fetcher=local_only_fetcher())
    return document.write_pdf(font_config=FontConfiguration())


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """A PDF response with a UTF-8 file name; ``inline`` opens it in the browser's viewer."""
    if not filename.lower().endswith(".pdf"):
        filename += ".pdf"
    response = attachment_response(content, filename, PDF_CONTENT_TYPE)
    if inline:
        response["Content-Disposition"] = response["Content-Disposition"].replace("attachment;", "inline;", 1)
    response["Cache-Control"] = "private, no-store"
    return response
