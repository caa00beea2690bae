"""Load the demo data: deterministic and idempotent, so running it twice changes nothing.

``--scale county`` / ``--scale province`` then add townships with five years of bulk-built history
(``presidium.scale``) for benchmarks: 20 or 100 townships, about 100 deputies each.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from presidium.registry import demo_steps, scale_steps

SCALES = ("demo", "county", "province")


class Command(BaseCommand):
    help = ("载入演示数据（可重复执行，不会重复创建）。--scale county|province 另外批量生成"
            "县级（20 个乡镇）或省级（100 个乡镇）五年的数据，供性能测试使用。")

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="demo",
                            help="数据规模：demo（默认，三个乡镇一年）、county（20 个乡镇）或 province（100 个乡镇）")
        parser.add_argument("--townships", type=int, help="乡镇总数（含演示的三个），覆盖规模的默认值")
        parser.add_argument("--years", type=int, help="生成几年的数据（默认 5）")
        parser.add_argument("--deputies-per-township", type=int, dest="deputies",
                            help="每个乡镇的代表人数（默认 100）；建议、信访、走访的数量随之增减")
        parser.add_argument("--quiet-accounts", action="store_true", help="不打印演示账号")

    def handle(self, *args, scale: str, townships, years, deputies, quiet_accounts: bool, **options):
        if scale not in SCALES:
            raise CommandError(f"--scale 只能是 {'、'.join(SCALES)} 之一（收到“{scale}”）")
        for name, value, low, high in (("--townships", townships, 1, 103), ("--years", years, 1, 10),
                                       ("--deputies-per-township", deputies, 5, 500)):
            if value is not None and not low <= value <= high:
                raise CommandError(f"{name} 必须是 {low} 到 {high} 之间的整数")
        if scale == "demo" and any(v is not None for v in (townships, years, deputies)):
            raise CommandError("--townships、--years、--deputies-per-township 只与 --scale county 或 province 一起使用")
        started = time.monotonic()
        for step in demo_steps():
            with transaction.atomic():
                step.run(scale=1, stdout=self.stdout)
            self.stdout.write(f"  ✓ {step.key}")
        if scale != "demo":
            self._scale(scale, townships=townships, years=years, deputies=deputies)
        self._snapshots()
        self.stdout.write(f"  用时 {time.monotonic() - started:.0f} 秒")
        if not quiet_accounts:
            from presidium.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

            self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {DEMO_PASSWORD}）："))
            for account in DEMO_ACCOUNTS:
                self.stdout.write(f"  {account.username:<14} {account.real_name}  {account.note}")
            self.stdout.write("  admin          系统管理员（Django 后台 /admin/）")
            if scale != "demo":
                self.stdout.write("  t01_chair / t01_staff / t01_u01 / t01_d0001 …  批量生成的乡镇的账号（tNN 为乡镇序号）")

    def _scale(self, scale: str, **options) -> None:
        from presidium.scale import plan_for
        from presidium.scale.org import build_organisation

        plan = plan_for(scale, stdout=self.stdout, **options)
        self.stdout.write(f"批量生成：{plan.townships} 个乡镇 × {plan.years} 年，每乡镇约 {plan.deputies} 名代表")
        started = time.monotonic()
        build_organisation(plan)
        self.stdout.write(f"  ✓ scale:organisation ({time.monotonic() - started:.0f} s)")
        for step in scale_steps():
            started = time.monotonic()
            step.build(plan)
            self.stdout.write(f"  ✓ scale:{step.key} ({time.monotonic() - started:.0f} s)")
        self._analyze()

    def _snapshots(self) -> None:
        """The county home pages' figures snapshots, over the data just made (after ANALYZE at scale)."""
        from presidium.snapshots import figures_snapshots_refresh_all

        started = time.monotonic()
        done = figures_snapshots_refresh_all()
        self.stdout.write(f"  ✓ figures snapshots: {done} ({time.monotonic() - started:.0f} s)")

    def _analyze(self) -> None:
        """Refresh the planner's statistics and the visibility map after the bulk load (PostgreSQL).

        Autovacuum would get to it in its own time; until then the planner believes the tables are as small
        as before the load and picks nested loops that take seconds (measured: the staff home's count query,
        10 s before ANALYZE, 0.6 s after), and no page is marked all-visible, so a count reads every row from
        the table instead of an index alone (the county suggestions list's count: 33 ms before VACUUM, 7.6 after).
        """
        from django.db import connection

        if connection.vendor != "postgresql":
            return
        started = time.monotonic()
        with connection.cursor() as cursor:
            if connection.in_atomic_block:  # called inside a transaction (a test): VACUUM cannot run there
                cursor.execute("ANALYZE")
                command = "ANALYZE"
            else:  # the portal's tables (the shared catalogues are the superuser's)
                tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
                cursor.execute("VACUUM (ANALYZE) " + ", ".join(connection.ops.quote_name(name) for name in tables))
                command = "VACUUM (ANALYZE)"
        self.stdout.write(f"  ✓ {command} ({time.monotonic() - started:.0f} s)")
