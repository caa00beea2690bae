"""A base for ``manage.py import_<something> FILE --township … [--dry-run]`` commands.

Subclass with ``flow = <an ImportFlow>``; the command runs :func:`run_import` (the same preview and
commit code the web screens use) and prints the same report. It exits non-zero when nothing was
imported, so scripts notice.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from presidium import access
from presidium.documents.import_flow import run_import
from presidium.models import Township, User


def find_township(value: str) -> Township:
    """A township by id, or by name (which must be unambiguous)."""
    queryset = Township.objects.select_related("county")
    if value.isdigit():
        township = queryset.filter(pk=int(value)).first()
        if township:
            return township
    matches = list(queryset.filter(name=value.strip()))
    if not matches:
        raise CommandError(f"找不到乡镇“{value}”（可以用名称或编号）。")
    if len(matches) > 1:
        choices = "、".join(f"{t.county}{t.name}（编号 {t.pk}）" for t in matches)
        raise CommandError(f"有多个乡镇叫“{value}”：{choices}。请用编号指定。")
    return matches[0]


class ImportCommand(BaseCommand):
    flow = None  # an ImportFlow

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .xlsx 文件")
        parser.add_argument("--township", required=True, help="乡镇名称或编号")
        parser.add_argument("--by", dest="username", help="以哪个用户的名义导入（记入修改记录；正式导入时必填）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并演练，不保存任何数据")
        parser.add_argument("--sheet", help="工作表名称（默认自动选择）")

    def handle(self, *args, file: str, township: str, username: str | None, dry_run: bool, sheet: str | None,
               **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file}")
        place = find_township(township)
        by = None
        if username:
            by = User.objects.filter(username=username, is_active=True).first()
            if by is None:
                raise CommandError(f"找不到启用中的用户“{username}”。")
            if not access.has_perm(by, self.flow.action, place):
                raise CommandError(f"用户“{username}”无权在{place}执行此导入。")
        elif not dry_run:
            raise CommandError("正式导入请用 --by 指定操作人（试运行可以不指定）。")
        with path.open("rb") as handle:
            report = run_import(handle, self.flow.get_schema(place), self.flow.commit, dry_run=dry_run, by=by,
                                township=place, kind=self.flow.kind, filename=path.name, sheet=sheet)
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok or (not dry_run and not report.committed):
            raise CommandError("没有导入任何数据。")
        if report.batch is not None and report.batch.pk:
            self.stdout.write(self.style.SUCCESS(f"导入批次编号：{report.batch.pk}"))
        self.finished(report, place, dry_run=dry_run)

    def finished(self, report, township: Township, *, dry_run: bool) -> None:
        """A last line of the command's own (the report has been printed and the import succeeded)."""
