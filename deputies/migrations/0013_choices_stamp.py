"""The stamp of the rows the deputies lists' options are read from, and the triggers that write it."""

from django.db import migrations, models

# the tables 0013 stamped (the stamp moved to the floor in 0014)
STAMPED_TABLES = ("presidium_county", "presidium_township", "presidium_term", "deputies_deputygroup",
                  "deputies_liaisonstation", "deputies_constituency")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION deputies_choices_stamp_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deputies_choicesstamp (id, value) VALUES (1, floor(random() * 9.0e18)::bigint)
    ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value;
    RETURN NULL;
END
$$;
"""


def create_triggers(apps, schema_editor):
    """A new random stamp (never an old one again, even after a rollback) on every write to a stamped table: on
    PostgreSQL once per statement, on SQLite (whose triggers are per row) once per row."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        for table in STAMPED_TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_choices_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION deputies_choices_stamp_write()")
    elif vendor == "sqlite":
        for table in STAMPED_TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_choices_stamp_{event.lower()} AFTER {event} ON {table} BEGIN "
                    f"INSERT OR REPLACE INTO deputies_choicesstamp (id, value) VALUES (1, random()); END")
    # another database: no triggers and no stamp row; the options are then read on every request
    if vendor in ("postgresql", "sqlite"):
        apps.get_model("deputies", "ChoicesStamp").objects.using(schema_editor.connection.alias).update_or_create(
            id=1, defaults={"value": 1})


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in STAMPED_TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_choices_stamp ON {table}")
        elif vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_choices_stamp_{event}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS deputies_choices_stamp_write()")


class Migration(migrations.Migration):

    dependencies = [
        ("deputies", "0012_visit_year"),
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
        migrations.RunPython(create_triggers, drop_triggers),
    ]
