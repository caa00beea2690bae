"""The options' stamp moves to the floor (presidium 0005), which the proposals' and petitions' lists share: the
deputies' own stamp, its function and its triggers (0013) are dropped, and the groups', stations' and
constituencies' tables get the floor's triggers."""

import importlib

from django.db import migrations

from presidium.choice_rows import add_stamp_triggers, drop_stamp_triggers

TABLES = ("deputies_deputygroup", "deputies_liaisonstation", "deputies_constituency")
# 0013's triggers were on these and on the three floor tables the floor now stamps itself
OLD_TABLES = ("presidium_county", "presidium_township", "presidium_term", *TABLES)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in OLD_TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_choices_stamp ON {table}")
        elif vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_choices_stamp_{event}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS deputies_choices_stamp_write()")
    add_stamp_triggers(schema_editor, TABLES)


def backward(apps, schema_editor):
    drop_stamp_triggers(schema_editor, TABLES)
    importlib.import_module("deputies.migrations.0013_choices_stamp").create_triggers(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("deputies", "0013_choices_stamp"),
        ("presidium", "0005_choices_stamp"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="ChoicesStamp"),
    ]
