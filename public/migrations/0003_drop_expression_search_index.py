"""Drop the GIN expression index of 0002: search reads the stored column of
statements/0007, which has its own index; the old one only slowed every write."""

from django.db import migrations

INDEX_NAME = "public_statement_fts_de"
RECREATE = f"""
CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON statements_statement USING GIN ((
    setweight(to_tsvector('german'::regconfig, COALESCE("title", '')), 'A')
    || setweight(to_tsvector('german'::regconfig, COALESCE("summary", '')), 'B')
    || setweight(to_tsvector('german'::regconfig, COALESCE("body", '')), 'C')
))
"""


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


def recreate_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RECREATE)


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0002_statement_search_index"),
        ("statements", "0007_statement_search_document"),
    ]

    operations = [migrations.RunPython(drop_index, recreate_index)]
