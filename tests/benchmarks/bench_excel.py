"""Benchmark: write 100,000 rows × 10 Chinese columns with write_xlsx, then read them back with the importer.

Run: .venv/bin/python tests/benchmarks/bench_excel.py [--rows 100000]
STACK-NOTES: write-only 14–18 s at ~25–30 MiB. Timings run without tracemalloc (it slows this code
several-fold); memory is the growth of the process's peak RSS. The test suite checks 20k rows for
flat memory with tracemalloc.
"""

from __future__ import annotations

import argparse
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

from django.conf import settings  # noqa: E402

from presidium.documents.excel import Column, write_xlsx  # noqa: E402
from presidium.documents.importing import ImportField, ImportSchema, read_preview  # noqa: E402


def column(n: int) -> Column:
    return Column(f"第{n}列", lambda row: f"青石镇东风村{row}号第{n}列内容")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-read", action="store_true")
    args = parser.parse_args()
    columns = [column(n) for n in range(10)]

    before = peak_mib()
    started = time.perf_counter()
    content = write_xlsx((i for i in range(args.rows)), columns)
    seconds = time.perf_counter() - started
    print(f"write {args.rows} rows × 10 columns: {seconds:6.1f} s, peak RSS +{peak_mib() - before:5.1f} MiB, "
          f"file {len(content) / 2**20:.1f} MiB")
    if args.skip_read:
        return

    # A real import is capped far lower (5,000 rows, 64 MiB unpacked); lift the caps to measure the reader.
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 2**31
    schema = ImportSchema(title="基准", fields=[ImportField(f"c{n}", f"第{n}列") for n in range(10)],
                          max_rows=args.rows)
    before = peak_mib()
    started = time.perf_counter()
    preview = read_preview(io.BytesIO(content), schema, max_bytes=len(content) + 1)
    seconds = time.perf_counter() - started
    print(f"read back with read_preview: {seconds:6.1f} s, peak RSS +{peak_mib() - before:5.1f} MiB "
          f"(holding all {len(preview.rows)} parsed rows), ok={preview.ok}")


if __name__ == "__main__":
    main()
