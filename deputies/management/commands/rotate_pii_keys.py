"""manage.py rotate_pii_keys — re-encrypt personal data with the first key of PII_ENCRYPTION_KEYS.

Rotation: put the new key first in PII_ENCRYPTION_KEYS (keep the old one after it), restart, run this
command, then remove the old key and restart again. Values still in plain text are encrypted too.

Every ``EncryptedCharField`` of every model is rotated (deputies' ID numbers, petitioners' phones, ID
numbers, addresses and query codes, …): a column left behind would be unreadable once the old key is gone.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from deputies.models import Deputy
from presidium.crypto import EncryptedCharField, rotate


def encrypted_columns() -> list[tuple[type, list]]:
    """(model, its encrypted fields) for every concrete model that has any, the deputies' register first."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
        if fields:
            found.append((model, fields))
    return sorted(found, key=lambda pair: (pair[0] is not Deputy, pair[0]._meta.label))


class Command(BaseCommand):
    help = "用 PII_ENCRYPTION_KEYS 中的第一个密钥重新加密所有加密保存的个人信息（更换密钥时使用）。"

    def handle(self, *args, **options):
        quote = connection.ops.quote_name
        # Read the stored tokens themselves (raw SQL), not the decrypted values, and write new tokens.
        with transaction.atomic(), connection.cursor() as cursor:
            for model, fields in encrypted_columns():
                table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
                rows = 0
                for field in fields:
                    column = quote(field.column)
                    cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''")
                    for key, stored in cursor.fetchall():
                        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [rotate(stored), key])
                        rows += 1
                if model is Deputy:
                    self.stdout.write(self.style.SUCCESS(f"已用新密钥重新加密 {rows} 名代表的身份证号码。"))
                elif rows:
                    self.stdout.write(self.style.SUCCESS(
                        f"已用新密钥重新加密“{model._meta.verbose_name}”中的 {rows} 个值。"))
