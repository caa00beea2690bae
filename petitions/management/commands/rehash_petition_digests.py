"""manage.py rehash_petition_digests — recompute the petitioners' look-up digests after the HMAC key changed.

The digests of phones, ID numbers and query codes (repeat look-ups, the public look-up) are keyed by
``DEPUTIES_ID_HMAC_KEY`` (or ``SECRET_KEY``); after that key changes they find nothing until recomputed from
the encrypted values. Bulk update on purpose: a digest is derived data, not a change of record.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from petitions.access import id_number_digest, mobile_digest, query_code_digest
from petitions.models import Petition


class Command(BaseCommand):
    help = "更换摘要密钥后，重新计算全部信访件的电话、身份证号码和查询码摘要。"

    def handle(self, *args, **options):
        changed = 0
        fields = ("pk", "mobile", "mobile_digest", "id_number", "id_number_digest", "query_code", "query_code_digest")
        with transaction.atomic():
            for petition in Petition.objects.only(*fields).iterator():
                digests = {"mobile_digest": mobile_digest(petition.mobile),
                           "id_number_digest": id_number_digest(petition.id_number),
                           "query_code_digest": query_code_digest(petition.query_code)}
                if any(getattr(petition, name) != value for name, value in digests.items()):
                    Petition.objects.filter(pk=petition.pk).update(**digests)
                    changed += 1
        self.stdout.write(self.style.SUCCESS(f"已重新计算 {changed} 件信访件的查找摘要。"))
