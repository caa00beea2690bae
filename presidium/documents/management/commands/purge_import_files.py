"""Discard import batches left unconfirmed past IMPORT_FILE_RETENTION_HOURS, deleting their files (nightly)."""

from django.core.management.base import BaseCommand, CommandError

from presidium.documents.retention import purge_import_files


class Command(BaseCommand):
    help = ("放弃上传后超过 IMPORT_FILE_RETENTION_HOURS 小时（默认 24）仍未确认的导入批次，并删除上传的文件"
            "（其中有个人信息）。没有 Redis/Celery 时由 cron 每天运行。")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")
        parser.add_argument("--hours", type=int, default=None, help="保留小时数（默认取 IMPORT_FILE_RETENTION_HOURS）")

    def handle(self, *args, dry_run: bool, hours: int | None, **options):
        if hours is not None and hours < 1:
            raise CommandError("--hours 必须是正整数")
        result = purge_import_files(hours=hours, dry_run=dry_run)
        verb = "将放弃" if dry_run else "已放弃"
        self.stdout.write(self.style.SUCCESS(f"{verb} {result.batches} 个未确认的导入批次并删除其文件。"))
