"""Recompute every county's and every township's figures snapshots once (what Celery beat does every 10 minutes)."""

from django.core.management.base import BaseCommand

from presidium.snapshots import figures_snapshots_refresh_all


class Command(BaseCommand):
    help = "重新统计各县、各乡镇的统计快照（一次）。没有 Redis/Celery 时由 cron 每 10 分钟运行。"

    def handle(self, *args, **options):
        done = figures_snapshots_refresh_all()
        self.stdout.write(self.style.SUCCESS(f"已更新 {done} 个统计快照"))
