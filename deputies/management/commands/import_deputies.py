"""manage.py import_deputies FILE --township ID_OR_NAME [--dry-run] [--user USERNAME]

The same import as the web screens (same schema, same checks, same all-or-nothing commit), for
operators loading rosters in bulk. Prints the same report and the numbers created and updated.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deputies.importing import RosterImportSchema, commit_roster, roster_import_flow
from presidium.documents.import_flow import run_import
from presidium.models import Township, User


class Command(BaseCommand):
    help = "从 Excel 导入人大代表名册（与网页导入相同的检查；全部正确才导入）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="名册文件（.xlsx）")
        parser.add_argument("--township", required=True, help="乡镇的编号（ID）或名称")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告将新增、更新多少名代表，不保存")
        parser.add_argument("--user", default="", help="记为导入人的用户名（可选）")

    def handle(self, *args, file: str, township: str, dry_run: bool, user: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        target = self._township(township)
        by = None
        if user:
            by = User.objects.filter(username=user, is_active=True).first()
            if by is None:
                raise CommandError(f"没有用户名为“{user}”的有效账号。")
        with path.open("rb") as handle:
            report = run_import(handle, RosterImportSchema(township=target), commit_roster, dry_run=dry_run, by=by,
                                township=target, kind=roster_import_flow.kind, filename=path.name)
        for line in report.lines():
            self.stdout.write(line)
        created = report.summary.get("created", 0)
        updated = report.summary.get("updated", 0)
        if not report.ok:
            raise CommandError("导入失败，没有保存任何数据。")
        prefix = "试运行（未保存）：将" if dry_run else "完成："
        self.stdout.write(self.style.SUCCESS(f"{prefix}新增代表 {created} 名，更新 {updated} 名（{target}）。"))

    @staticmethod
    def _township(value: str) -> Township:
        value = value.strip()
        if value.isdigit():
            township = Township.objects.filter(pk=int(value)).first()
            if township is None:
                raise CommandError(f"没有编号为 {value} 的乡镇。")
            return township
        matches = list(Township.objects.filter(name=value).select_related("county"))
        if not matches:
            raise CommandError(f"没有名为“{value}”的乡镇。")
        if len(matches) > 1:
            listed = "、".join(f"{t.county}{t.name}（编号 {t.pk}）" for t in matches)
            raise CommandError(f"有多个名为“{value}”的乡镇：{listed}。请改用编号。")
        return matches[0]
