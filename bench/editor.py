"""The co-writing pages: editor, history and diff of a paper with many revisions,
and the live preview (htmx POST) of a long text."""

from __future__ import annotations

from bench import harness

REVISIONS = 200
COAUTHORS = 30


def main() -> str:
    harness.setup()
    from statements.models import Coauthorship
    from statements.services import TextFields, revision_save
    from tests.factories import UserFactory, make_statement

    people = [UserFactory(display_name=f"Autorin {i}") for i in range(COAUTHORS + 1)]
    creator = people[0]
    paragraphs = [
        f"Absatz {i}: " + "Wir fordern faire Verfahren im Landkreis. " * 10 for i in range(15)
    ]
    body = "\n\n".join(paragraphs)
    small = make_statement(author=creator, title="Eine Fassung", body=body)
    big = make_statement(author=creator, title="Zweihundert Fassungen", body=body)
    for person in people[1:]:
        Coauthorship.objects.create(statement=big, user=person, added_by=creator)
    base = big.current_revision_id
    for i in range(REVISIONS - 1):
        paragraphs[i % len(paragraphs)] += f" Ergänzung {i}."
        revision = revision_save(
            statement_id=big.pk,
            author=people[i % len(people)],
            text=TextFields(big.title, big.occasion, big.summary, "\n\n".join(paragraphs)),
            message=f"Änderung {i}",
            base_revision_id=base,
        )
        base = revision.pk

    server = harness.server()
    baseline = harness.static_baseline(server)
    headers = harness.session_headers(creator)
    rows = []
    pages = [
        (small.get_absolute_url() + "edit/", "editor, 1 revision"),
        (
            big.get_absolute_url() + "edit/",
            f"editor, {REVISIONS} revisions, {COAUTHORS} co-authors",
        ),
        (big.get_absolute_url() + "history/", f"history, {REVISIONS} revisions"),
        (big.get_absolute_url() + f"diff/1/{REVISIONS}/", "word diff, first vs. last revision"),
    ]
    for url, label in pages:
        status, queries = harness.count_queries(url, user=creator)
        assert status == 200, (url, status)
        stats = harness.http_loop(server, url, n=200, concurrency=2, headers=headers, label=label)
        print(stats.line())
        rows.append(harness.row(label, stats, baseline, queries))

    from urllib.parse import urlencode

    preview_url = big.get_absolute_url() + "preview/"
    payload = urlencode({"body": body}).encode()
    post_headers = harness.session_headers(creator, csrf=True)
    status, queries = harness.count_queries(
        preview_url, user=creator, method="post", data={"body": body}
    )
    stats = harness.http_loop(
        server,
        preview_url,
        n=200,
        concurrency=2,
        method="POST",
        body=payload,
        headers=post_headers,
        label="live preview (POST, 15 paragraphs)",
    )
    print(stats.line())
    rows.append(harness.row("live preview (POST, 15 paragraphs)", stats, baseline, queries))
    print(baseline.line())
    return harness.section(
        "Co-writing: editor, history, diff, live preview",
        rows,
        notes=(
            f"A paper with {REVISIONS} revisions by {COAUTHORS + 1} authors (15 paragraphs of "
            "about 60 words) against a paper with one revision. The editor and history pages "
            "keep a constant number of SQL queries; the diff compares line by line first and "
            "word by word only inside changed stretches. GET/POST over 2 connections."
        ),
    )
