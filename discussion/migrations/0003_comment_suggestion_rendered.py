from django.db import migrations, models

BATCH = 200


def store_rendered_diffs(apps, schema_editor):
    """Compute each existing suggestion's formatted diff once (bounded, statements.diff)."""
    from statements.diff import html_diff
    from statements.markdown import render

    Comment = apps.get_model("discussion", "Comment")
    rows = (
        Comment.objects.exclude(suggestion_status="")
        .filter(deleted_at__isnull=True)
        .only("pk", "block_source", "suggestion_text")
    )
    batch = []
    for comment in rows.iterator(chunk_size=BATCH):
        diff = html_diff(render(comment.block_source), render(comment.suggestion_text))
        comment.suggestion_rendered = [[op, text] for op, text in diff.segments]
        batch.append(comment)
        if len(batch) >= BATCH:
            Comment.objects.bulk_update(batch, ["suggestion_rendered"])
            batch = []
    if batch:
        Comment.objects.bulk_update(batch, ["suggestion_rendered"])


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0002_comment_suggestion_diff"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="suggestion_rendered",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(store_rendered_diffs, migrations.RunPython.noop, elidable=True),
    ]
