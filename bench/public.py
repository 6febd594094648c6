"""The public reading page under load, next to a static file served by the same server.

Run alone with `python -m bench public` (or `make bench BENCH_ARGS=public`), or through
`make bench`. Seeds 30 published statements (topics, 12 co-signing organisations) in
the bench database, starts gunicorn (DEBUG off) and measures, over loopback:

- the anonymous statement page (served from the public page cache),
- the same page as a conditional GET (304),
- the same page rendered for a signed-in non-member (no page cache: the render path),
- the public list, a search, the Atom feed and the JSON API,
- and a static file through whitenoise in the same run as the baseline.
"""

from __future__ import annotations

from bench import harness

STATEMENTS = 30
ORGANISATIONS = 12


def seed() -> tuple[object, object]:
    from datetime import timedelta

    from django.utils import timezone

    from public.services import cosignature_add
    from statements.models import Statement, Topic
    from tests.factories import (
        OrganisationFactory,
        UserFactory,
        confirm_membership,
        make_statement,
    )

    topics = [
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in (
            ("wohnen", "Wohnen"),
            ("bezahlkarte", "Bezahlkarte"),
            ("arbeit", "Arbeit"),
        )
    ]
    body = "\n\n".join(
        f"## Abschnitt {i}\n\n" + "Der Runde Tisch fordert faire Verfahren und Teilhabe. " * 15
        for i in range(8)
    )
    statements = []
    for i in range(STATEMENTS):
        statement = make_statement(
            state="draft", title=f"Position {i}: Unterbringung und Teilhabe", body=body
        )
        # Volume data: marked published directly; the workflow path is tested elsewhere.
        Statement.objects.filter(pk=statement.pk).update(
            state="published", published_at=timezone.now() - timedelta(days=STATEMENTS - i)
        )
        statement.refresh_from_db()
        statement.topics.add(*topics)
        statements.append(statement)
    target = statements[STATEMENTS // 2]
    signer = UserFactory(display_name="Bench Signer")
    for i in range(ORGANISATIONS):
        organisation = OrganisationFactory(name=f"Bench-Verein {i:02d}")
        confirm_membership(signer, organisation)
        cosignature_add(statement=target, organisation=organisation, actor=signer)
    reader = UserFactory(display_name="Bench Registriert", membership_status="registered")
    return target, reader


def main() -> str:
    harness.setup()
    target, reader = seed()
    url = target.get_absolute_url()

    server = harness.server()
    baseline = harness.static_baseline(server)
    print(baseline.line())

    # One request in-process: the render (cache miss), then the cached copy.
    miss_status, miss_queries = harness.count_queries(url)
    hit_status, hit_queries = harness.count_queries(url)
    assert (miss_status, hit_status) == (200, 200), (miss_status, hit_status)

    # Warm the server's cache and learn the validator for the conditional GET.
    first = harness.http_loop(server, url, n=2, label="warm-up")
    assert first.statuses == {200: 2}, first.statuses
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", url)
    response = conn.getresponse()
    response.read()
    etag = response.getheader("ETag") or ""
    conn.close()

    rows = []
    page = harness.http_loop(
        server, url, n=600, concurrency=4, label="public statement page (anonymous, cached)"
    )
    rows.append(harness.row(page.label, page, baseline, hit_queries))
    conditional = harness.http_loop(
        server,
        url,
        n=600,
        concurrency=4,
        headers={"If-None-Match": etag},
        label="same page, conditional GET (304)",
    )
    rows.append(harness.row(conditional.label, conditional, baseline, 0))
    rendered = harness.http_loop(
        server,
        url,
        n=200,
        concurrency=4,
        headers=harness.session_headers(reader),
        label="same page rendered (signed-in non-member, no page cache)",
    )
    # Session and user are loaded for a signed-in reader, on top of the page's queries.
    rows.append(harness.row(rendered.label, rendered, baseline, miss_queries + 2))
    for path, label in (
        ("/statements/", "public list (cached)"),
        ("/statements/?q=Teilhabe", "search 'Teilhabe' (cached)"),
        ("/statements/feed/", "Atom feed (cached)"),
        ("/api/statements/", "JSON API list (cached)"),
    ):
        stats = harness.http_loop(server, path, n=300, concurrency=4, label=label)
        rows.append(harness.row(label, stats, baseline, 0))
    for r in rows:
        print(r.stats.line())
    ratio = page.per_second / baseline.per_second if baseline.per_second else float("nan")
    print(
        f"public statement page: {page.per_second:.1f}/s, p95 {page.p95:.1f} ms; "
        f"static file: {baseline.per_second:.1f}/s, p95 {baseline.p95:.1f} ms; ratio {ratio:.2f}"
    )
    return harness.section(
        "Public statement page",
        rows,
        notes=(
            f"{STATEMENTS} published statements, the measured one with {ORGANISATIONS} "
            "co-signing organisations, 3 topics and 8 sections of text. Anonymous readers "
            "get the public page cache (one cache read, no SQL); the validator makes repeat "
            "visits a 304. A signed-in non-member gets a fresh rendering "
            f"({miss_queries} queries for the page, plus session and user). "
            "GET over 4 connections; SQL queries counted for one request in-process. "
            f"Ratio of the cached statement page to the static file: {ratio:.2f}."
        ),
    )


if __name__ == "__main__":
    print(main())
