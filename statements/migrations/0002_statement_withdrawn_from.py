from django.db import migrations, models


def backfill(apps, schema_editor):  # noqa: ANN001, ANN201
    """Withdrawn papers learn the state they were withdrawn from, from the audit trail.

    Without an audit row the paper is treated as withdrawn from draft: hidden from
    members rather than shown (the safe side).
    """
    Statement = apps.get_model("statements", "Statement")
    AuditEntry = apps.get_model("workflow", "AuditEntry")
    for statement in Statement.objects.filter(state="withdrawn").only("pk"):
        entry = (
            AuditEntry.objects.filter(statement_id=statement.pk, to_state="withdrawn")
            .order_by("-created_at", "-pk")
            .first()
        )
        Statement.objects.filter(pk=statement.pk).update(
            withdrawn_from=entry.from_state if entry else "draft"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0001_initial"),
        ("workflow", "0002_audit_scheduled_for"),
    ]

    operations = [
        migrations.AddField(
            model_name="statement",
            name="withdrawn_from",
            field=models.CharField(
                blank=True,
                choices=[
                    ("draft", "Entwurf"),
                    ("consultation", "Konsultation"),
                    ("voting", "Abstimmung"),
                    ("accepted", "angenommen"),
                    ("rejected", "abgelehnt"),
                    ("published", "veröffentlicht"),
                    ("withdrawn", "zurückgezogen"),
                    ("retracted", "widerrufen"),
                ],
                max_length=50,
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
