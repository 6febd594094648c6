"""Demo discussion on the demo papers in draft and consultation (`manage.py seed_demo`).

Idempotent: a paper that already has comments is left alone. Only the papers the
statements and workflow demo data created are touched (seed_demo passes their ids),
looked up by state. Everything goes through the services, like a real user.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from accounts.models import User
from discussion import services
from discussion.models import Comment
from statements import markdown
from statements.models import Statement
from statements.permissions import author_ids
from statements.states import State

EMAILS = ("koordination@example.org", "amira@example.org", "jonas@example.org", "lena@example.org")


def _say(stdout: Any, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def seed(*, stdout: Any = None, papers: Collection[int] = ()) -> None:
    """Comments on the demo papers in draft and consultation (`papers`: seed_demo's ids)."""
    people = {u.email: u for u in User.objects.filter(email__in=EMAILS)}
    coordinator = people.get("koordination@example.org")
    if coordinator is None:
        _say(stdout, "discussion: demo people missing, skipped")
        return
    found = Statement.objects.filter(
        pk__in=papers,
        state__in=(State.DRAFT, State.CONSULTATION),
        current_revision__isnull=False,
    ).select_related("current_revision")
    for statement in found:
        if Comment.objects.filter(statement=statement).exists():
            _say(stdout, f"discussion: {statement.slug} has comments, left alone")
            continue
        if statement.state == State.CONSULTATION:
            _seed_consultation(statement, people, coordinator)
        else:
            _seed_draft(statement, people, coordinator)
        _say(stdout, f"discussion: comments on {statement.slug}")


def _paragraphs(statement: Statement) -> list[markdown.Block]:
    found = markdown.blocks(statement.current_revision.body)
    return [b for b in found if b.kind == "paragraph"] or found


def _an_author(statement: Statement, people: dict[str, User], fallback: User) -> User:
    ids = author_ids(statement)
    return next((u for u in people.values() if u.pk in ids), fallback)


def _someone_else(statement: Statement, people: dict[str, User], fallback: User) -> User:
    ids = author_ids(statement)
    return next(
        (u for e, u in people.items() if u.pk not in ids and e != "koordination@example.org"),
        fallback,
    )


def _seed_consultation(statement: Statement, people: dict[str, User], coordinator: User) -> None:
    blocks = _paragraphs(statement)
    author = _an_author(statement, people, coordinator)
    reader = _someone_else(statement, people, coordinator)
    first = services.comment_create(
        statement=statement,
        author=reader,
        body="Den Absatz finde ich stark. Haben wir dafür eine Quelle aus dem Landkreis?",
        block_id=blocks[0].id if blocks else "",
    )
    services.comment_reply(
        parent=first,
        author=author,
        body=f"Gute Frage, @{coordinator.display_name} hat die Zahlen aus dem Beirat.",
    )
    if len(blocks) > 1:
        services.comment_create(
            statement=statement,
            author=reader,
            body="Vorschlag: etwas konkreter formulieren.",
            block_id=blocks[1].id,
            suggestion_text=blocks[1].source.rstrip()
            + " Wir bitten den Landkreis um ein Gespräch bis Ende des Monats.",
        )
    done = services.comment_create(
        statement=statement,
        author=coordinator,
        body="Bitte vor der Abstimmung noch einmal die Rechtschreibung prüfen.",
    )
    services.comment_resolve(comment=done, actor=author)


def _seed_draft(statement: Statement, people: dict[str, User], coordinator: User) -> None:
    blocks = _paragraphs(statement)
    author = _an_author(statement, people, coordinator)
    services.comment_create(
        statement=statement,
        author=coordinator,
        body="Noch ein Entwurf: bitte an den Beschluss vom letzten Treffen denken.",
        block_id=blocks[0].id if blocks else "",
    )
    services.comment_create(
        statement=statement,
        author=author,
        body="Notiz für uns: Zahlen vor dem Einreichen aktualisieren.",
    )
