"""The PDFs scripts/bench.py times: the county summary (全县汇总) and the township's handling report, at the budget's
size (the shortest period to today with 132 items) and over two years (docs/performance.md, "The method")."""

from __future__ import annotations

import datetime as dt
import io
import statistics
import time

SUMMARY_PDF_MAX_S = 20.0
HANDLING_REPORT_MAX_S = 2.0
REPORT_ITEMS = 132  # the budget's handling report


def time_get(client, url: str, times: int) -> tuple[list[float], object]:
    seconds, response = [], None
    for _ in range(times):
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            response = b"".join(response.streaming_content)
        seconds.append(time.perf_counter() - started)
    return seconds, response


def pdf_pages(content: bytes) -> int | None:
    try:
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(content)).pages)
    except Exception:  # noqa: BLE001 — a count is a nicety; the time is the measure
        return None


def run_pdfs(ctx, times: int) -> dict:
    from django.test import Client
    from django.urls import reverse
    from django.utils.http import urlencode

    results = {}
    checklist = ctx.first_pk("evaluations.Checklist", state__in=["published", "closed"])
    if checklist and ctx.users.get("county_admin"):
        client = Client()
        client.force_login(ctx.users["county_admin"])
        url = reverse("scorecards:summary_document", args=[checklist])
        client.get(url)  # warm up: fonts
        seconds, response = time_get(client, url, times)
        results["county_summary_pdf"] = {
            "url": url, "status": response.status_code, "median_s": statistics.median(seconds),
            "max_s": max(seconds), "pages": pdf_pages(response.content),
            "verdict": "PASS" if max(seconds) <= SUMMARY_PDF_MAX_S else "MISS"}
    else:
        results["county_summary_pdf"] = {"error": "no published scorecards checklist"}
    if ctx.township_id and ctx.users.get("staff"):
        from proposals.models import Suggestion
        from proposals.selectors import in_period

        client = Client()
        client.force_login(ctx.users["staff"])
        township_items = Suggestion.objects.filter(township_id=ctx.township_id)
        today = dt.date.today()
        # The budget's report holds 132 items: the shortest period ending today with at least that many (a week
        # longer at a time), then the long report of last year and this one (every item of two years).
        start = today - dt.timedelta(days=7)
        while in_period(township_items, start, today).count() < REPORT_ITEMS and start.year >= ctx.year - 5:
            start -= dt.timedelta(days=7)
        for key, first in (("handling_report_pdf", start), ("handling_report_two_years_pdf", dt.date(ctx.year - 1, 1, 1))):
            url = reverse("proposals:report") + "?" + urlencode({"township": ctx.township_id,
                                                                 "start": first.isoformat(), "end": today.isoformat()})
            client.get(url)
            seconds, response = time_get(client, url, times)
            results[key] = {
                "url": url, "status": response.status_code,
                "items_in_report": in_period(township_items, first, today).count(),
                "median_s": statistics.median(seconds), "max_s": max(seconds), "pages": pdf_pages(response.content)}
            if key == "handling_report_pdf":
                results[key]["verdict"] = "PASS" if statistics.median(seconds) < HANDLING_REPORT_MAX_S else "MISS"
    return results
