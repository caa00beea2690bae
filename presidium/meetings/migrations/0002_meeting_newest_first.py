"""The meeting list's order as an index: a page of 30 reads 30 rows instead of sorting a county's meetings."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0001_meetings_invitations_outcomes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["-starts_at", "-id"], name="meeting_newest_first"),
        ),
    ]
