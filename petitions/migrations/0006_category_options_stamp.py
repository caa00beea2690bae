"""The floor's options stamp (``presidium.choice_rows``) on the 信访类别: a new or renamed category shows in the
list's filter card at once, and the card is otherwise kept."""

from django.db import migrations

from presidium.choice_rows import stamp_tables


class Migration(migrations.Migration):

    dependencies = [
        ("petitions", "0005_clock_running_duty_due"),
        ("presidium", "0005_choices_stamp"),
    ]

    operations = [
        stamp_tables("petitions_category"),
    ]
