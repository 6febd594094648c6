"""A member reading a paper in consultation with 300 comments (threads, paragraph anchors)."""

from __future__ import annotations

from bench import harness

COMMENTS = 300


def main() -> str:
    harness.setup()
    from discussion.services import comment_create, comment_reply
    from statements.markdown import blocks
    from tests.factories import UserFactory, make_statement

    people = [UserFactory(display_name=f"Mitglied {i}") for i in range(20)]
    reader = people[0]
    body = "\n\n".join(f"Absatz {i}: " + "Wir fordern faire Verfahren. " * 12 for i in range(12))
    small = make_statement(
        author=people[1], state="consultation", title="Drei Kommentare", body=body
    )
    big = make_statement(
        author=people[1], state="consultation", title="Dreihundert Kommentare", body=body
    )
    for statement, total in ((small, 3), (big, COMMENTS)):
        block_ids = [b.id for b in blocks(statement.current_revision.body)]
        tops = []
        for i in range(total):
            author = people[i % len(people)]
            if i % 3 == 0 or not tops:
                tops.append(
                    comment_create(
                        statement=statement,
                        author=author,
                        block_id=block_ids[i % len(block_ids)],
                        body=f"Kommentar {i}: Hier sollten wir genauer formulieren.",
                    )
                )
            else:
                comment_reply(parent=tops[-1], author=author, body=f"Antwort {i}: Einverstanden.")

    server = harness.server()
    baseline = harness.static_baseline(server)
    headers = harness.session_headers(reader)
    rows = []
    sizes = []
    for statement, label in ((small, "3 comments"), (big, f"{COMMENTS} comments")):
        url = statement.get_absolute_url()
        status, queries = harness.count_queries(url, user=reader)
        assert status == 200, (url, status)
        plain, packed = harness.page_sizes(url, reader)
        sizes.append(f"{label}: {plain / 1024:.0f} KB, {packed / 1024:.0f} KB gzip-compressed")
        stats = harness.http_loop(
            server,
            url,
            n=200,
            concurrency=2,
            headers=headers,
            label=f"member's statement page, {label}",
        )
        print(stats.line())
        rows.append(harness.row(f"member's statement page, {label}", stats, baseline, queries))
    print(baseline.line())
    return harness.section(
        "Member's statement page with 300 comments",
        rows,
        notes=(
            "A signed-in member reads a paper in consultation (12 paragraphs) with its "
            "discussion: one in three comments anchored to a paragraph, the rest replies. "
            "GET over 2 connections; SQL queries counted for one request in-process. "
            "Page weight as sent to a browser without/with `Accept-Encoding: gzip`: "
            + "; ".join(sizes)
            + "."
        ),
    )
