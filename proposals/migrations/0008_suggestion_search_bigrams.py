from django.db import migrations

# The suggestions search's bigram index (proposals/search.py): PostgreSQL only. SQLite searches by LIKE alone.
# COST 1000: computing one row's pieces is far dearer than a comparison, so the planner never prefers to compute them
# row by row over a scan when the index can answer.
CREATE = [
    """
    CREATE OR REPLACE FUNCTION proposals_search_bigrams(title text, serial text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000 AS $$
        SELECT coalesce(array_agg(DISTINCT substr(s, i, 2)), '{}')
        FROM (VALUES (title), (serial)) AS texts (s), generate_series(1, char_length(s) - 1) AS i
    $$
    """,
    "CREATE INDEX IF NOT EXISTS suggestion_search_bigrams ON proposals_suggestion "
    "USING gin (proposals_search_bigrams(title, former_serial))",
    "ANALYZE proposals_suggestion",
]
DROP = [
    "DROP INDEX IF EXISTS suggestion_search_bigrams",
    "DROP FUNCTION IF EXISTS proposals_search_bigrams(text, text)",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('proposals', '0007_suggestion_submitted_at_index'),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
