"""Benchmark: PDF rendering time for one page and for a 500-row table (STACK-NOTES: ~0.35 s and ~6 s).

Run: .venv/bin/python tests/benchmarks/bench_pdf.py [--rows 500]
Not a test: wall-clock depends on the machine; this prints seconds and peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500)
    args = parser.parse_args()
    render(1)  # warm up: font discovery and template loading happen once per process
    seconds, content = render(5)
    print(f"1 page:      {seconds:6.2f} s  {len(content) / 1024:7.0f} KiB")
    seconds, content = render(args.rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.rows} rows:  {seconds:6.2f} s  {len(content) / 1024:7.0f} KiB  (process peak RSS {peak:.0f} MiB)")


if __name__ == "__main__":
    main()
