"""A GIN index for the German full-text search on public statements (PostgreSQL only).

The indexed expression is exactly the one public.search builds with Django's
SearchVector (title weight A, summary B, body C, config "german"), so the planner
can use it. On SQLite the search falls back to icontains and nothing is created.
"""

from django.db import migrations

INDEX_NAME = "public_statement_fts_de"

CREATE = f"""
CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON statements_statement USING GIN ((
    setweight(to_tsvector('german'::regconfig, COALESCE("title", '')), 'A')
    || setweight(to_tsvector('german'::regconfig, COALESCE("summary", '')), 'B')
    || setweight(to_tsvector('german'::regconfig, COALESCE("body", '')), 'C')
))
"""
DROP = f"DROP INDEX IF EXISTS {INDEX_NAME}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0001_initial"),
        ("statements", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
