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
    if not harness.wrk_available():
        return (
            "## Public pages under load\n\nSkipped: `wrk` is not installed "
            "(Debian: `apt-get install wrk`).\n"
        )
    target, reader = seed()
    url = target.get_absolute_url()
    server = harness.server()

    # One request in-process: the render (cache miss), then the cached copy.
    miss_status, miss_queries = harness.count_queries(url)
    hit_status, hit_queries = harness.count_queries(url)
    assert (miss_status, hit_status) == (200, 200), (miss_status, hit_status)

    # Warm the server's cache (both the canonical and the early copy) and learn the validator.
    import http.client

    etag = ""
    for _ in range(3):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", url)
        response = conn.getresponse()
        response.read()
        etag = response.getheader("ETag") or ""
        conn.close()
    signed_in = harness.session_headers(reader)
    figures = [
        harness.Figure("trivial WSGI app (2nd baseline)", "/", server=harness.trivial_server()),
        harness.Figure("public statement page (anonymous, cached)", url, queries=hit_queries),
        harness.Figure(
            "same page, conditional GET (304)", url, headers={"If-None-Match": etag}, queries=0
        ),
        harness.Figure(
            "same page rendered (signed-in non-member, no page cache)",
            url,
            headers=signed_in,
            # Session and user are loaded for a signed-in reader, on top of the page's.
            queries=miss_queries + 2,
        ),
        harness.Figure("public list (cached)", "/statements/", queries=0),
        harness.Figure("search 'Teilhabe' (cached)", "/statements/?q=Teilhabe", queries=0),
        harness.Figure("Atom feed (cached)", "/statements/feed/", queries=0),
        harness.Figure("JSON API list (cached)", "/api/statements/", queries=0),
    ]
    harness.interleaved(server, figures)
    trivial, page, conditional, rendered, *_ = figures
    page_ratio = page.median(page.ratios)
    cached_cpu = [f for f in figures[1:] if f is not rendered]
    worst_cpu = max(f.median(f.cpu_ratios) for f in cached_cpu)
    rendered_cpu = rendered.median(rendered.cpu_ratios)
    page_vs_trivial = page.median(
        [r.per_second / t.per_second for r, t in zip(page.runs, trivial.runs, strict=True)]
    )
    print(f"cached statement page / static file: {page_ratio:.2f} (target >= 0.6)")
    return "\n".join(
        [
            "## Public pages under load: cached, conditional and rendered (issue 20)",
            "",
            f"{STATEMENTS} published statements, the measured one with {ORGANISATIONS} "
            "co-signing organisations, 3 topics and 8 sections of text; "
            f"{harness.database_label()}. Load from `wrk` (a separate process, 1 thread, "
            f"{harness.WRK_CONNECTIONS} connections, {harness.WRK_SECONDS:g} s per run) "
            f"against gunicorn with {server.workers} sync workers; {harness.ROUNDS} rounds, "
            "each figure measured right after its own static-file run (a CSS file through "
            "WhiteNoise in the same server), the order reversed every other round. Server "
            "CPU is the gunicorn workers' user+system time (/proc/PID/stat) during the run "
            "divided by the requests answered. Anonymous readers without a session cookie get "
            "the cached page from public/middleware.py before session and auth; the signed-in "
            f"reader gets a fresh rendering ({miss_queries} queries for the page, plus "
            "session and user). SQL queries counted for one request in-process.",
            "",
            harness.figures_table(figures),
            "Against the issue's targets (medians of the rounds, spread min–max):",
            "",
            f"- Cached statement page ≥ 0.6× the static file's rate: **{page_ratio:.2f}×** "
            f"({page.spread(page.ratios)}) {harness.verdict(page_ratio >= 0.6)}; "
            f"{page_vs_trivial:.2f}× the trivial WSGI app.",
            f"- Public pages as served to anonymous readers (cached) ≤ 6× a static file's "
            f"server CPU per request: worst **{worst_cpu:.1f}×** "
            f"{harness.verdict(worst_cpu <= 6)}.",
            f"- A fresh rendering of the statement page (signed-in reader, no page cache) costs "
            f"**{rendered_cpu:.1f}×** the static file's server CPU "
            f"({rendered.median([r.cpu_per_request_ms for r in rendered.runs]):.1f} ms) "
            f"{harness.verdict(rendered_cpu <= 6)} against the same 6× bound.",
            "",
        ]
    )


if __name__ == "__main__":
    print(main())
