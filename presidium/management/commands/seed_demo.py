"""Load the demo data: deterministic and idempotent, so running it twice changes nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from presidium.registry import demo_steps


class Command(BaseCommand):
    help = "载入演示数据（可重复执行，不会重复创建）。--scale N 生成约 N 倍的数据，供性能测试使用。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="数据规模倍数（默认 1）")
        parser.add_argument("--quiet-accounts", action="store_true", help="不打印演示账号")

    def handle(self, *args, scale: int, quiet_accounts: bool, **options):
        if scale < 1 or scale > 100:
            raise CommandError("--scale 必须是 1 到 100 之间的整数")
        for step in demo_steps():
            with transaction.atomic():
                step.run(scale=scale, stdout=self.stdout)
            self.stdout.write(f"  ✓ {step.key}")
        if not quiet_accounts:
            from presidium.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

            self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {DEMO_PASSWORD}）："))
            for account in DEMO_ACCOUNTS:
                self.stdout.write(f"  {account.username:<14} {account.real_name}  {account.note}")
            self.stdout.write("  admin          系统管理员（Django 后台 /admin/）")
