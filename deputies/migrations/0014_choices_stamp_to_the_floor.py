"""The options' stamp moves to the floor (presidium 0005), which the proposals' and petitions' lists share: the
deputies' own stamp, its function and its triggers (0013) are dropped, and the groups', stations' and
constituencies' tables get the floor's triggers."""

import importlib

from django.db import migrations

from presidium.choice_rows import add_stamp_triggers, drop_stamp_triggers

TABLES = ("deputies_deputygroup", "deputies_liaisonstation", "deputies_constituency")


def _stamp_0013():
    return importlib.import_module("deputies.migrations.0013_choices_stamp")


def forward(apps, schema_editor):
    _stamp_0013().drop_triggers(apps, schema_editor)  # its triggers on its six tables, and its function
    add_stamp_triggers(schema_editor, TABLES)


def backward(apps, schema_editor):
    drop_stamp_triggers(schema_editor, TABLES)
    _stamp_0013().create_triggers(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("deputies", "0013_choices_stamp"),
        ("presidium", "0005_choices_stamp"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="ChoicesStamp"),
    ]
