"""The voting deadline lives on the ballot only (issue 14): copy Statement.voting_ends_at.

Before this, beat, the system's permission to close and the workflow panel read
`Statement.voting_ends_at`, while casting and reminders read `Ballot.closes_at`; both
were set from the same value when the vote opened. Where they differ on an open ballot,
the statement's value wins: it is what beat would have closed the vote at and what the
panel showed. statements/0003 then removes the statement's field.

Reversed, the open ballots' deadlines are copied back onto their papers.
"""

from __future__ import annotations

from django.db import migrations


def copy_to_ballots(apps, schema_editor):  # noqa: ANN001, ANN201
    Ballot = apps.get_model("voting", "Ballot")
    open_ballots = Ballot.objects.filter(
        closed_at__isnull=True,
        statement__state="voting",
        statement__voting_ends_at__isnull=False,
    ).select_related("statement")
    for ballot in open_ballots:
        if ballot.closes_at != ballot.statement.voting_ends_at:
            ballot.closes_at = ballot.statement.voting_ends_at
            ballot.save(update_fields=["closes_at"])


def copy_to_statements(apps, schema_editor):  # noqa: ANN001, ANN201
    Ballot = apps.get_model("voting", "Ballot")
    Statement = apps.get_model("statements", "Statement")
    for ballot in Ballot.objects.filter(closed_at__isnull=True, statement__state="voting"):
        Statement.objects.filter(pk=ballot.statement_id).update(voting_ends_at=ballot.closes_at)


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0002_statement_withdrawn_from"),
        ("voting", "0003_alter_ballot_revision"),
    ]

    operations = [migrations.RunPython(copy_to_ballots, copy_to_statements)]
