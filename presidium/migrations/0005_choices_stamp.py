"""The stamp of the rows the lists' options are read from (``presidium.choice_rows``), the PostgreSQL function that
writes it, and its triggers on the floor's tables (townships, their county, terms, handling units). The deputies'
stamp (deputies 0013) moves here: deputies 0014 puts its triggers on this one."""

from django.db import migrations, models

from presidium.choice_rows import PG_FUNCTION, add_stamp_triggers, drop_stamp_triggers

TABLES = ("presidium_county", "presidium_township", "presidium_term", "presidium_handlingunit")


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
    add_stamp_triggers(schema_editor, TABLES)
    if vendor in ("postgresql", "sqlite"):
        apps.get_model("presidium", "ChoicesStamp").objects.using(schema_editor.connection.alias).update_or_create(
            id=1, defaults={"value": 1})


def drop(apps, schema_editor):
    drop_stamp_triggers(schema_editor, TABLES)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS presidium_choices_stamp_write()")


class Migration(migrations.Migration):

    dependencies = [
        ("presidium", "0004_figures_snapshot_township"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChoicesStamp",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("value", models.BigIntegerField()),
            ],
            options={"verbose_name": "选项数据戳", "verbose_name_plural": "选项数据戳"},
        ),
        migrations.RunPython(create, drop),
    ]
