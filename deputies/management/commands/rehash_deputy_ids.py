"""manage.py rehash_deputy_ids — recompute the ID-number lookup digests after the HMAC key changed.

The digest (``Deputy.id_number_digest``) is keyed by ``DEPUTIES_ID_HMAC_KEY`` (or ``SECRET_KEY``);
after rotating that key, exact lookups (import matching, duplicate checks) find nothing until the
digests are recomputed. Bulk update on purpose: the digest is derived data, not a change of record.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from deputies.models import Deputy
from deputies.pii import id_number_digest


class Command(BaseCommand):
    help = "更换身份证号码摘要密钥后，重新计算全部代表的身份证号码摘要。"

    def handle(self, *args, **options):
        changed = 0
        with transaction.atomic():
            for deputy in Deputy.objects.exclude(id_number="").only("pk", "id_number", "id_number_digest").iterator():
                digest = id_number_digest(deputy.id_number)
                if digest != deputy.id_number_digest:
                    Deputy.objects.filter(pk=deputy.pk).update(id_number_digest=digest)
                    changed += 1
        self.stdout.write(self.style.SUCCESS(f"已重新计算 {changed} 名代表的身份证号码摘要。"))
