"""manage.py rotate_pii_keys — re-encrypt personal data with the first key of PII_ENCRYPTION_KEYS.

Rotation: put the new key first in PII_ENCRYPTION_KEYS (keep the old one after it), restart, run this
command, then remove the old key and restart again. Values still in plain text are encrypted too.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from deputies.models import Deputy
from presidium.crypto import rotate


class Command(BaseCommand):
    help = "用 PII_ENCRYPTION_KEYS 中的第一个密钥重新加密代表身份证号码（更换密钥时使用）。"

    def handle(self, *args, **options):
        table = Deputy._meta.db_table
        rotated = 0
        quoted = connection.ops.quote_name(table)
        # Read the stored tokens themselves (raw SQL), not the decrypted values, and write new tokens.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT id, id_number FROM {quoted} WHERE id_number <> ''")
            for pk, stored in cursor.fetchall():
                cursor.execute(f"UPDATE {quoted} SET id_number = %s WHERE id = %s", [rotate(stored), pk])
                rotated += 1
        self.stdout.write(self.style.SUCCESS(f"已用新密钥重新加密 {rotated} 名代表的身份证号码。"))
