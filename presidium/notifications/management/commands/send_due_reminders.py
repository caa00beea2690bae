"""Run one reminder pass (what Celery beat does every 10 minutes) and print what it did."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from presidium.notifications.reminders import send_due_reminders


class Command(BaseCommand):
    help = "发送到期提醒（一次），并列出处理结果。没有 Redis/Celery 时由 cron 每 10 分钟运行。"

    def handle(self, *args, **options):
        def report(reminder, outcome, due_at):
            due = timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"  {reminder.content_type.app_label}.{reminder.content_type.model}#{reminder.object_id}"
                              f"  {reminder.kind}  到期 {due}  → {outcome.label}")

        sent = send_due_reminders(report=report)
        self.stdout.write(self.style.SUCCESS(f"本次发送提醒 {sent} 条。"))
