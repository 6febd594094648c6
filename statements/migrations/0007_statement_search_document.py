"""A stored search vector per paper with its own GIN index (PostgreSQL only).

`search_document` is a generated column: PostgreSQL computes it from title (weight A),
summary (B) and body (C) with the German configuration whenever a row is written, so
no code path can forget it. Search filters and ranks on it (statements/search.py), which
no longer recomputes `to_tsvector` per row, and the planner uses the GIN index at any
table size. The column is not a model field: SQLite (`make run`) has no tsvector, and
there the search is a substring match and this migration does nothing.
"""

from django.db import migrations

COLUMN = "search_document"
INDEX = "statements_statement_search_gin"

CREATE = [
    f"""
    ALTER TABLE statements_statement ADD COLUMN IF NOT EXISTS {COLUMN} tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('german'::regconfig, COALESCE("title", '')), 'A')
        || setweight(to_tsvector('german'::regconfig, COALESCE("summary", '')), 'B')
        || setweight(to_tsvector('german'::regconfig, COALESCE("body", '')), 'C')
    ) STORED
    """,
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON statements_statement USING GIN ({COLUMN})",
]
DROP = [
    f"DROP INDEX IF EXISTS {INDEX}",
    f"ALTER TABLE statements_statement DROP COLUMN IF EXISTS {COLUMN}",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("statements", "0006_revision_merge_credits")]

    operations = [migrations.RunPython(create, drop)]
