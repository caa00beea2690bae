"""Delete notification rows past their retention (what Celery beat does every night)."""

from django.core.management.base import BaseCommand, CommandError

from presidium.notifications.retention import purge_expired


class Command(BaseCommand):
    help = ("删除超过保留期限的站内消息、已发送的邮件短信和已结束的到期提醒。"
            "保留天数取 NOTIFICATION_RETENTION_DAYS 和 OUTBOX_RETENTION_DAYS。没有 Redis/Celery 时由 cron 每天运行。")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")
        parser.add_argument("--batch", type=int, default=2000, help="每批删除的条数（默认 2000）")

    def handle(self, *args, dry_run: bool, batch: int, **options):
        if batch < 1:
            raise CommandError("--batch 必须是正整数")
        result = purge_expired(batch=batch, dry_run=dry_run)
        verb = "将删除" if dry_run else "已删除"
        self.stdout.write(self.style.SUCCESS(
            f"{verb}：站内消息 {result.notifications} 条，发件箱 {result.outbox} 条，"
            f"到期提醒 {result.reminders} 条，提醒记录 {result.ledger} 条。"))
