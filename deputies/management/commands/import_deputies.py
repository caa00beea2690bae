"""manage.py import_deputies FILE --township ID_OR_NAME --by USERNAME [--dry-run]

The same import as the web screens (same schema, same checks, same all-or-nothing commit, same
report), for operators loading rosters in bulk. As on the web, a real import is made by a named user
who may administer deputies in that township (``--by``; ``--user`` is accepted as its old name); a
dry run needs nobody. The file is stored as an import batch, which is deleted with its file once committed.
"""

from __future__ import annotations

import argparse

from deputies.importing import roster_import_flow
from presidium.documents.commands import ImportCommand


class Command(ImportCommand):
    help = "从 Excel 导入人大代表名册（与网页导入相同的检查；全部正确才导入）。"
    flow = roster_import_flow

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--user", dest="username", help=argparse.SUPPRESS)

    def finished(self, report, township, *, dry_run: bool) -> None:
        created = report.summary.get("created", 0)
        updated = report.summary.get("updated", 0)
        prefix = "试运行（未保存）：将" if dry_run else "完成："
        self.stdout.write(self.style.SUCCESS(f"{prefix}新增代表 {created} 名，更新 {updated} 名（{township}）。"))
