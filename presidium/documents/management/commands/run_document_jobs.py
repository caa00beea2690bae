"""Run queued document jobs in this process: sites without a Celery worker, or jobs whose enqueue failed."""

from django.core.management.base import BaseCommand

from presidium.documents.jobs import fail_stale_jobs, purge_expired, run_queued_jobs


class Command(BaseCommand):
    help = ("运行排队中的文档任务（没有 Celery 工作进程时使用，或补跑入队失败的任务），把中断的任务标为失败，"
            "并清理过期的文档和未确认的导入文件。")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50, help="本次最多运行的任务数（默认 50）")
        parser.add_argument("--min-age", type=int, default=0,
                            help="只运行排队超过这么多秒的任务（与工作进程并存时避免抢任务，默认 0）")
        parser.add_argument("--keep-days", type=int, default=None,
                            help="文档和未确认的导入文件保留天数（默认取 DOCUMENT_RETENTION_DAYS，30 天）")

    def handle(self, *args, limit: int, min_age: int, keep_days: int | None, **options):
        jobs, batches = purge_expired(days=keep_days)
        if jobs or batches:
            self.stdout.write(f"已清理 {jobs} 个过期文档、{batches} 个未确认的导入批次。")
        stale = fail_stale_jobs()
        if stale:
            self.stdout.write(self.style.WARNING(f"已将 {stale} 个中断的任务标为失败。"))
        jobs = run_queued_jobs(limit=max(1, limit), min_age_seconds=max(0, min_age))
        for job in jobs:
            line = f"  #{job.pk} {job.title}：{job.get_status_display()}"
            if job.error:
                line += f"（{job.error}）"
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"共运行 {len(jobs)} 个任务。"))
