"""Vote submission: members POST their vote to an open ballot (the no-JS form path)."""

from __future__ import annotations

from bench import harness

VOTERS = 200


def main() -> str:
    harness.setup()
    from tests.factories import UserFactory, make_statement
    from voting.selectors import open_ballot_for

    voters = [UserFactory(display_name=f"Wählerin {i}") for i in range(VOTERS)]
    statement = make_statement(author=voters[0], state="voting", title="Abstimmung Benchmark")
    assert open_ballot_for(statement) is not None
    from django.urls import reverse

    url = reverse("voting:vote", kwargs={"slug": statement.slug})
    headers = [harness.session_headers(v, csrf=True) for v in voters]
    choices = ["yes", "no", "abstain"]

    status, queries = harness.count_queries(
        url, user=voters[-1], method="post", data={"choice": "yes", "reason": ""}
    )
    assert status in (200, 302), status

    server = harness.server()
    baseline = harness.static_baseline(server)
    stats = harness.http_loop(
        server,
        url,
        method="POST",
        n=VOTERS * 2,
        concurrency=2,
        headers=lambda i: headers[i % VOTERS],
        body=lambda i: f"choice={choices[i % 3]}&reason=".encode(),
        label="vote submission (POST, redirect)",
    )
    print(stats.line())
    print(baseline.line())
    assert set(stats.statuses) <= {302}, stats.statuses
    return harness.section(
        "Vote submission",
        [harness.row(f"POST vote, {VOTERS} voters, each votes twice", stats, baseline, queries)],
        notes=(
            f"{VOTERS} eligible members vote on an open ballot through the form (no htmx): "
            "each request checks the voter, writes or changes one vote row and redirects. "
            "Every voter votes twice, so half the requests change an existing vote."
        ),
    )
