"""The member page with 10 and with 1,000 comments: its cost must not follow the discussion.

Issue 20 asks for the page with 1,000 comments within 1.5× the page with 10. The two
papers are measured in alternation (10, 1,000, 10, 1,000) and the ratio is taken from
the median latencies; page weights (gzip) are given for 0, 300 and 1,000 comments.
"""

from __future__ import annotations

import statistics

from bench import harness

SIZES = (0, 10, 300, 1000)


def _discuss(statement, people, total: int) -> None:
    from discussion.services import comment_create, comment_reply
    from statements.markdown import blocks

    block_ids = [b.id for b in blocks(statement.current_revision.body)]
    tops = []
    for i in range(total):
        author = people[i % len(people)]
        if i % 3 == 0 or not tops:
            tops.append(
                comment_create(
                    statement=statement,
                    author=author,
                    block_id=block_ids[i % len(block_ids)] if i % 5 else "",
                    body=f"Kommentar {i}: Hier sollten wir genauer formulieren, "
                    "damit die Forderung im Kreistag verstanden wird.",
                )
            )
        else:
            comment_reply(parent=tops[-1], author=author, body=f"Antwort {i}: Einverstanden.")


def main() -> str:
    harness.setup()
    from tests.factories import UserFactory, make_statement

    people = [UserFactory(display_name=f"Mitglied {i}") for i in range(20)]
    reader = people[0]
    body = "\n\n".join(f"Absatz {i}: " + "Wir fordern faire Verfahren. " * 12 for i in range(12))
    papers = {}
    for total in SIZES:
        statement = make_statement(
            author=people[1], state="consultation", title=f"{total} Kommentare", body=body
        )
        _discuss(statement, people, total)
        papers[total] = statement

    server = harness.server()
    baseline = harness.static_baseline(server)
    headers = harness.session_headers(reader)
    sizes = []
    queries = {}
    for total, statement in papers.items():
        url = statement.get_absolute_url()
        status, queries[total] = harness.count_queries(url, user=reader)
        assert status == 200, (url, status)
        plain, packed = harness.page_sizes(url, reader)
        sizes.append(f"{total} comments: {plain / 1024:.0f} KB, {packed / 1024:.1f} KB gzip")
    runs: dict[int, list[harness.Stats]] = {10: [], 1000: []}
    for _round in range(3):
        for total in (10, 1000):
            stats = harness.http_loop(
                server,
                papers[total].get_absolute_url(),
                n=100,
                concurrency=1,
                headers=headers,
                label=f"member page, {total} comments",
            )
            print(stats.line())
            runs[total].append(stats)
    rows = [
        harness.row(f"member page, {total} comments (round {i + 1})", s, baseline, queries[total])
        for total in (10, 1000)
        for i, s in enumerate(runs[total])
    ]
    medians = {t: statistics.median(s.p50 for s in runs[t]) for t in runs}
    ratios = [b.p50 / a.p50 for a, b in zip(runs[10], runs[1000], strict=True)]
    print(baseline.line())
    return harness.section(
        "Member page: 10 vs 1,000 comments",
        rows,
        notes=(
            "A signed-in member reads a paper in consultation (12 paragraphs); comments "
            "written through the services, one in three a thread (four in five of them on a "
            "paragraph), the rest replies. Three alternating rounds of 100 sequential GETs "
            "per paper. Median p50: "
            f"{medians[10]:.1f} ms with 10 comments, {medians[1000]:.1f} ms with 1,000 — "
            f"ratio {medians[1000] / medians[10]:.2f}× (per round: "
            + ", ".join(f"{r:.2f}" for r in ratios)
            + "; target ≤ 1.5×). Page weight as sent: "
            + "; ".join(sizes)
            + "."
        ),
    )
