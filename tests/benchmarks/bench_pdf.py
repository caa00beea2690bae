"""Benchmark: PDF rendering time for one page and a 500-row table (STACK-NOTES: ~0.35 s and ~6 s), the handling
report (办理情况报告) split into query, template, layout and PDF-writing time, and the Excel export at two sizes.

Run: .venv/bin/python tests/benchmarks/bench_pdf.py [--rows 500] [--report-items 132] [--township ID]
     [--export-rows 20000 100000]
Not a test: wall-clock depends on the machine; this prints seconds (wall and this process's CPU, which a loaded
machine inflates less) and peak memory. Without ``--township`` the report is a report-shaped document of
``--report-items`` rows; with it, the township's real report for this year (queries included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from presidium.documents.excel import Column, write_xlsx  # noqa: E402
from presidium.documents.official import Heading, OfficialDocument, Paragraph, Table  # noqa: E402
from presidium.documents.pdf import render_pdf  # noqa: E402


def rows(count: int) -> list[dict]:
    kinds = ["政府办公室/部门", "站所", "村（社区）", "企事业单位"]
    return [{"name": f"青石镇{'东风红旗新华光明'[n % 4]}村第{n}村民小组", "kind": kinds[n % 4], "leader": "王建国",
             "contact": "李红梅", "phone": "13812345678", "status": "已办结" if n % 3 else "办理中"}
            for n in range(count)]


def render(count: int) -> tuple[float, bytes]:
    context = {"rows": rows(count), "subtitle": "（基准测试）", "signer": "青石镇人大主席团",
               "intro": "本文件用于测量渲染时间。" * 10}
    started = time.perf_counter()
    content = render_pdf("pdf/examples/sample.html", context, title="承办单位名单", header="青石镇人大主席团")
    return time.perf_counter() - started, content


UNIT_NAMES = ["财政所", "农业站", "派出所", "卫生院", "自然资源所"]


def report_shaped(items: int) -> OfficialDocument:
    """A handling report's shape: summary, a per-unit table of 15 units, then one row per item."""
    units = [[f"青石镇{UNIT_NAMES[n % 5]}{n}", 5, "80.0%", "80.0%", "80.0%", "60.0%",
              n % 2, "—"] for n in range(15)]
    table = [[f"2026-{n}", f"关于加强青石镇第{n}村饮水安全和道路硬化建设的建议", "王建国", "青石镇财政所", "2026-05-01",
              "已答复", "A", "满意"] for n in range(items)]
    return OfficialDocument(
        title="青石镇代表议案建议办理情况报告", issuer="青石镇人大主席团", masthead=False,
        subtitle="（2026年1月1日—2026年12月1日）", signature="青石镇人大主席团", date=dt.date(2026, 12, 1),
        blocks=[Heading("一、总体情况"), Paragraph(f"本期共收到代表议案建议{items}件。" * 5),
                Heading("二、各承办单位办理情况"),
                Table(["承办单位", "交办", "办复率", "见面率", "满意率", "解决率", "逾期", "评先资格"], units,
                      widths=[5, 1.6, 2, 2, 2, 2, 1.6, 2.2]),
                Heading("三、议案建议办理情况一览"),
                Table(["编号", "标题", "领衔", "主办单位", "期限", "状态", "结果", "满意度"], table,
                      widths=[3.2, 5.6, 2.2, 3.6, 3.4, 2.8, 2, 2.4])])


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def handling_report(items: int, township_id: int | None) -> None:
    """The report's time by phase: building the document (queries), the template, WeasyPrint's layout, the PDF."""
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone, translation
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from presidium.documents.official import MASTHEAD_RED
    from presidium.documents.pdf import local_only_fetcher

    if township_id:
        from presidium.models import Township
        from proposals.documents import handling_report_document

        township = Township.objects.get(pk=township_id)
        year = timezone.localdate().year
        with CaptureQueriesContext(connection) as queries:
            document, wall, cpu = timed(lambda: handling_report_document(township, dt.date(year, 1, 1),
                                                                         timezone.localdate()))
        print(f"report document ({len(queries)} queries): {wall:6.2f} s wall {cpu:6.2f} s CPU")
    else:
        document = report_shaped(items)
    context = {"documents": [document], "masthead_red": MASTHEAD_RED, "pdf_title": document.title,
               "generated_at": timezone.localtime()}
    with translation.override("zh-hans"):
        html, wall, cpu = timed(lambda: render_to_string("pdf/official_document.html", context))
    print(f"report template:           {wall:6.2f} s wall {cpu:6.2f} s CPU")
    rendered, wall, cpu = timed(lambda: HTML(string=html, url_fetcher=local_only_fetcher())
                                .render(font_config=FontConfiguration()))
    print(f"report layout ({len(rendered.pages)} pages):   {wall:6.2f} s wall {cpu:6.2f} s CPU")
    content, wall, cpu = timed(rendered.write_pdf)
    print(f"report PDF writing:        {wall:6.2f} s wall {cpu:6.2f} s CPU  {len(content) / 1024:.0f} KiB")


def export(rows: int) -> None:
    """The visits ledger's shape (11 columns, two long texts) written with write_xlsx."""
    columns = [Column("乡镇", "t", 10), Column("代表", "d", 10), Column("代表小组", "g", 14), Column("走访日期", "on", 12),
               Column("村（社区）/地点", "p", 18), Column("走访方式", "m", 10), Column("户数", "h", 8),
               Column("人数", "n", 8), Column("走访情况", "s", 30), Column("选民意见", "o", 50),
               Column("跟进与反馈", "f", 30)]

    def visits():
        for n in range(rows):
            yield {"t": "青石镇", "d": "王建国", "g": "第一代表小组", "on": dt.date(2025, 1 + n % 12, 1 + n % 28),
                   "p": f"东风村{n % 9}组", "m": "入户走访", "h": n % 17, "n": n % 31,
                   "s": f"第{n}次走访，了解饮水安全、道路硬化和医保缴费的情况。", "o": "1. 希望修通村道\n2. 希望解决水压不足",
                   "f": "已转交镇政府办理" if n % 2 else ""}

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = io.BytesIO()
    _, wall, cpu = timed(lambda: write_xlsx(visits(), columns, title="走访选民记录", out=out))
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    print(f"export {rows} rows: {wall:6.2f} s wall {cpu:6.2f} s CPU  {len(out.getvalue()) / 2**20:.1f} MiB file, "
          f"peak RSS +{grown:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--report-items", type=int, default=132)
    parser.add_argument("--township", type=int, help="a township's real handling report (needs its data)")
    parser.add_argument("--export-rows", type=int, nargs="*", default=[20_000, 100_000])
    args = parser.parse_args()
    render(1)  # warm up: font discovery and template loading happen once per process
    seconds, content = render(5)
    print(f"1 page:      {seconds:6.2f} s  {len(content) / 1024:7.0f} KiB")
    seconds, content = render(args.rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.rows} rows:  {seconds:6.2f} s  {len(content) / 1024:7.0f} KiB  (process peak RSS {peak:.0f} MiB)")
    handling_report(args.report_items, args.township)
    for rows in args.export_rows:
        export(rows)


if __name__ == "__main__":
    main()
