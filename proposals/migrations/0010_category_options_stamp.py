"""The floor's options stamp (``presidium.choice_rows``) on the 建议类别: a new or renamed category shows in the
list's filter card at once, and the card is otherwise kept."""

from django.db import migrations

from presidium.choice_rows import stamp_tables


class Migration(migrations.Migration):

    dependencies = [
        ("proposals", "0009_suggestion_open_deadline_index"),
        ("presidium", "0005_choices_stamp"),
    ]

    operations = [
        stamp_tables("proposals_category"),
    ]
