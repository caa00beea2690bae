"""A/B of the visits ledger export in one process: the writer and the view at an old commit against the work tree.

    .venv/bin/python scripts/export_ab.py --old 8b55d27 --rounds 5

Loads ``presidium/documents/excel.py`` and ``deputies/views/visits.py`` as they were at ``--old`` (``git show``) beside
the current ones and exports ``/deputies/visits/?export=xlsx`` as county_admin through the test client, alternating
old / old view with the new writer / new, each round in the reverse order of the last. Prints each variant's CPU
(``time.process_time``) and wall medians and file size, and whether the files' parts are byte-identical uncompressed
(docProps/core.xml holds the time it was written). Run against the configured database (``DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import bench  # noqa: E402


def _old_module(name: str, rev: str, path: str, folder: Path):
    source = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True).stdout
    file = folder / f"{name}.py"
    file.write_bytes(source)
    spec = importlib.util.spec_from_file_location(name, file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _parts(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", required=True, help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    bench.setup_django()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    import presidium.views.lists as lists
    from deputies.views.visits import VisitListView

    settings.EXPORT_JOB_THRESHOLD = 10**9  # the file itself, not the job that would write it in a worker
    with tempfile.TemporaryDirectory() as folder:
        old_excel = _old_module("old_excel", args.old, "presidium/documents/excel.py", Path(folder))
        old_view = _old_module("old_visits", args.old, "deputies/views/visits.py", Path(folder)).VisitListView

    def code(write, view):
        return {"write": write, "visible_queryset": view.visible_queryset, "export_rows": view.export_rows,
                "export_columns": view.export_columns}

    variants = {"old": code(old_excel.write_xlsx, old_view), "new writer, old view": code(lists.write_xlsx, old_view),
                "new": code(lists.write_xlsx, VisitListView)}
    client = Client()
    client.force_login(bench.Context().users["county_admin"])
    url = reverse("deputies:visit_list")
    client.get(url)  # warm up
    cpu, wall, files = ({name: [] for name in variants} for _ in range(3))
    for round_ in range(args.rounds):
        for name, parts in (list(variants.items()) if round_ % 2 == 0 else list(variants.items())[::-1]):
            lists.write_xlsx = parts["write"]
            for attribute in ("visible_queryset", "export_rows", "export_columns"):
                setattr(VisitListView, attribute, parts[attribute])
            started, started_wall = time.process_time(), time.perf_counter()
            response = client.get(url + "?export=xlsx")
            cpu[name].append(time.process_time() - started)
            wall[name].append(time.perf_counter() - started_wall)
            assert response.status_code == 200, response.status_code
            files[name] = response.content
        print(round_, {name: round(values[-1], 2) for name, values in cpu.items()}, flush=True)  # noqa: T201
    reference = _parts(files["old"])
    for name, values in cpu.items():
        differ = sorted(part for part, data in _parts(files[name]).items() if reference.get(part) != data)
        print(f"{name}: CPU median {statistics.median(values):.2f} s (min {min(values):.2f}), wall median "  # noqa: T201
              f"{statistics.median(wall[name]):.2f} s, {len(files[name]) / 1e6:.2f} MB, parts differing from old: "
              f"{differ}")


if __name__ == "__main__":
    main()
