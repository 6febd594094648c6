"""The most expensive member pages we know how to make, next to normal ones (issue 13).

The worst paper: a 100,000-character body (the editor's limit) whose rest after twelve
normal paragraphs is runs of `[`, `![` and `[[a]` (markdown-it scans forward from every
unmatched bracket), one long paragraph with three 20,000-character suggestions on it (the
most the suggestion limit allows there), and three comments of 10,000 brackets. Next to it:
a diff between two wholly different 100 KB revisions, and the live preview of the bracket
body (against a normal paper's body, and against normal text of the same 100 KB). Each is
timed in-process (Django's test client, no HTTP server: a request of the old code outlived
gunicorn's 30 s worker timeout) as the median of a few requests.
"""

from __future__ import annotations

import random
import signal
import statistics
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from bench import harness

BODY_LIMIT = 100_000
SUGGESTION = 20_000
# 3 × 6,700 > 20,000: the suggestion limit lets a suggestion on this paragraph be that long.
LONG_PARAGRAPH = 6_700
COMMENT = 10_000
FORM = "application/x-www-form-urlencoded"
REQUESTS = 5
# A request of the old code took minutes; past this the bench records "gave up".
GIVE_UP_SECONDS = 60

# Measured with this module on the code before the bounds (commit 4d54ed9, same machine,
# sqlite, load average ~5 from other work): the old code is gone, so its numbers live here.
BEFORE = (
    "**Before the bounds** (commit 4d54ed9, same inputs, load average ~5): paper page "
    "40.7 ms normal against 37,659 ms worst (**ratio 924**); diff 56.9 ms against more "
    "than 60 s, given up (ratio > 1,000); live preview 31.6 ms against 23,147 ms "
    "(ratio 733; the same-size row was added afterwards). Bracket floods now parse in linear "
    "time, at about the cost per character of other dense markup such as `*_*_…`, which is "
    "what the last row shows. After, this run:"
)

_WORDS = (
    "Wir fordern faire Verfahren im Landkreis Leipzig für alle Geflüchteten und Menschen "
    "mit Migrationsgeschichte Beratung Unterkunft Teilhabe Sprache Arbeit Schule Kita "
    "Gesundheit Bezahlkarte Bargeld Integration Beirat Verwaltung Ehrenamt Initiative "
    "Kirchgemeinde Wohlfahrtsverband Runder Tisch Stellungnahme Absatz Kreistag Behörde"
).split()


def _prose(rng: random.Random, chars: int) -> str:
    words: list[str] = []
    size = 0
    while size < chars:
        word = rng.choice(_WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[: chars - 1].rstrip() + "."


def normal_body() -> str:
    return "\n\n".join(
        f"Absatz {i}: " + "Wir fordern faire Verfahren. " * 12 + "[Quelle](https://example.org)."
        for i in range(12)
    )


def worst_body(rng: random.Random) -> tuple[str, str]:
    """(body, the long paragraph the suggestions replace), exactly BODY_LIMIT characters."""
    long_paragraph = _prose(rng, LONG_PARAGRAPH)
    head = normal_body() + "\n\n" + long_paragraph + "\n\n"
    rest = BODY_LIMIT - len(head) - 4
    third = rest // 3
    body = head + "[" * third + "\n\n" + "![" * (third // 2) + "\n\n"
    body += ("[[a]" * BODY_LIMIT)[: BODY_LIMIT - len(body)]
    return body, long_paragraph


class _GaveUp(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _GaveUp


def timed(call: Callable[[], Any], *, requests: int = REQUESTS) -> tuple[float | None, int]:
    """(median seconds, requests made); None once a request outlives GIVE_UP_SECONDS."""
    times: list[float] = []
    spent_until = time.monotonic() + GIVE_UP_SECONDS
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for _ in range(requests):
            signal.alarm(GIVE_UP_SECONDS)
            started = time.perf_counter()
            try:
                response = call()
            except _GaveUp:
                return None, len(times) + 1
            finally:
                signal.alarm(0)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
            if time.monotonic() > spent_until:
                break
    finally:
        signal.signal(signal.SIGALRM, previous)
    return statistics.median(times), len(times)


def main() -> str:
    harness.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from discussion.services import comment_create
    from statements.models import Statement
    from statements.services import TextFields, revision_save
    from tests.factories import UserFactory, make_statement

    rng = random.Random(13)
    author = UserFactory(display_name="Bench Autorin")
    reader = UserFactory(display_name="Bench Leserin")

    def setup_paper(title: str, body: str) -> Statement:
        return make_statement(author=author, state="consultation", title=title, body=body)

    def block_of(statement: Statement, text: str) -> str:
        from statements import markdown

        return next(
            b.id for b in markdown.blocks(statement.current_revision.body) if b.source == text
        )

    started = time.monotonic()
    normal = setup_paper("Normale Stellungnahme", normal_body())
    first = normal_body().split("\n\n")[0]
    comment_create(
        statement=normal,
        author=reader,
        body="Bitte genauer.",
        block_id=block_of(normal, first),
        suggestion_text=first.replace("faire", "schnelle und faire"),
    )
    for i in range(3):
        comment_create(statement=normal, author=reader, body=f"Kommentar {i}: Einverstanden.")

    body, long_paragraph = worst_body(rng)
    worst = setup_paper("Schlimmste Stellungnahme", body)
    long_id = block_of(worst, long_paragraph)
    for _ in range(3):
        comment_create(
            statement=worst,
            author=reader,
            body="Neufassung.",
            block_id=long_id,
            suggestion_text=_prose(rng, SUGGESTION),
        )
    for opener in ("[", "![", "[[a]"):
        comment_create(
            statement=worst, author=reader, body=(opener * COMMENT)[:COMMENT], throttle=False
        )

    def second_revision(statement: Statement, new_body: str) -> None:
        statement.refresh_from_db()
        revision_save(
            statement_id=statement.pk,
            author=author,
            text=TextFields(statement.title, statement.occasion, statement.summary, new_body),
            message="Neufassung",
            base_revision_id=statement.current_revision_id,
        )

    normal_diff = setup_paper("Normaler Vergleich", normal_body())
    second_revision(normal_diff, normal_body().replace("Absatz 3: Wir", "Absatz 3: Auch wir"))
    big_diff = setup_paper("Großer Vergleich", _prose(rng, BODY_LIMIT))
    second_revision(
        big_diff, "\n\n".join(_prose(rng, 5_000) for _ in range(BODY_LIMIT // 5_000 - 1))
    )
    setup_seconds = time.monotonic() - started
    long_normal = "\n\n".join(
        _prose(rng, 800) + " [Quelle](https://example.org)." for _ in range(BODY_LIMIT // 830)
    )[:BODY_LIMIT]

    client = Client()
    client.force_login(reader)
    editor = Client()
    editor.force_login(author)
    preview_url = worst.get_absolute_url() + "preview/"
    pairs = [
        (
            "paper page (member, consultation)",
            lambda: client.get(normal.get_absolute_url()),
            lambda: client.get(worst.get_absolute_url()),
        ),
        (
            "diff between two revisions",
            lambda: editor.get(normal_diff.get_absolute_url() + "diff/1/2/"),
            lambda: editor.get(big_diff.get_absolute_url() + "diff/1/2/"),
        ),
        (
            "live preview (POST)",
            lambda: editor.post(preview_url, urlencode({"body": normal_body()}), FORM),
            lambda: editor.post(preview_url, urlencode({"body": body}), FORM),
        ),
        (
            "live preview, against normal text of the same 100 KB",
            lambda: editor.post(preview_url, urlencode({"body": long_normal}), FORM),
            lambda: editor.post(preview_url, urlencode({"body": body}), FORM),
        ),
    ]
    lines = [
        "| page | normal: median ms | worst: median ms | worst: SQL queries | ratio worst/normal |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, normal_call, worst_call in pairs:
        normal_s, _ = timed(normal_call)
        worst_s, made = timed(worst_call)
        with CaptureQueriesContext(connection) as queries:
            if worst_s is not None:
                worst_call()
        if worst_s is None:
            worst_cell, ratio = f"> {GIVE_UP_SECONDS * 1000:,} (gave up)", "–"
            queries_cell = "–"
        else:
            worst_cell = f"{worst_s * 1000:.1f}"
            ratio = f"{worst_s / normal_s:.1f}" if normal_s else "–"
            queries_cell = str(len(queries.captured_queries))
        print(f"{label}: normal {normal_s}, worst {worst_s} ({made} requests)", flush=True)
        lines.append(
            f"| {label} | {normal_s * 1000:.1f} | {worst_cell} | {queries_cell} | {ratio} |"
        )

    notes = (
        "What an attacker can make a member's page cost, next to a normal page. "
        + (__doc__ or "").split("\n\n", 1)[1].replace("\n", " ").strip()
        + f" Setting up the papers took {setup_seconds:.1f} s (every text is parsed once, "
        "when it is written). " + BEFORE
    )
    return "\n".join(
        ["## Worst case: pathological input against a normal page", "", notes, "", *lines, ""]
    )
