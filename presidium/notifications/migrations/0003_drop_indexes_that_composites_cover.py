"""Drop four single-column indexes that a composite index beginning with the same column already serves.

Each index is written for every row a reminder pass inserts or updates. Only the indexes go (``DROP INDEX``):
Django's own ``AlterField`` would also drop and re-add each foreign key, re-validating every row of the table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# (table, index Django named for the foreign key, its column)
DROPPED = [
    ("notifications_notification", "notifications_notification_content_type_id_74ab3a2c", "content_type_id"),
    ("notifications_notification", "notifications_notification_recipient_id_d055f3f0", "recipient_id"),
    ("notifications_reminder", "notifications_reminder_content_type_id_30954261", "content_type_id"),
    ("notifications_reminderledger", "notifications_reminderledger_content_type_id_8b5d95d1", "content_type_id"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('notifications', '0002_outbox_letters_written_when_sent'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(f'DROP INDEX IF EXISTS "{index}"', f'CREATE INDEX "{index}" ON "{table}" ("{column}")')
                for table, index, column in DROPPED
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='notification',
                    name='content_type',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='相关对象类型'),
                ),
                migrations.AlterField(
                    model_name='notification',
                    name='recipient',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='接收人'),
                ),
                migrations.AlterField(
                    model_name='reminder',
                    name='content_type',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='对象类型'),
                ),
                migrations.AlterField(
                    model_name='reminderledger',
                    name='content_type',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='对象类型'),
                ),
            ],
        ),
    ]
