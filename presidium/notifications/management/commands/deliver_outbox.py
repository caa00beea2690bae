"""Deliver due e-mails and SMS from the outbox once (what Celery beat does every minute)."""

from django.core.management.base import BaseCommand, CommandError

from presidium.notifications.outbox import deliver_due_outbox


class Command(BaseCommand):
    help = "发送发件箱中到期的邮件和短信（一次）。没有 Redis/Celery 时由 cron 每分钟运行。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=100, help="每批取出的条数（默认 100）")
        parser.add_argument("--budget", type=float, default=120, help="最长运行秒数（默认 120）")

    def handle(self, *args, batch: int, budget: float, **options):
        if batch < 1:
            raise CommandError("--batch 必须是正整数")
        result = deliver_due_outbox(batch=batch, budget_seconds=budget)
        style = self.style.ERROR if result.failed else self.style.SUCCESS
        self.stdout.write(style(str(result)))
