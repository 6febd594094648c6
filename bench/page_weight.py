"""What a member's phone downloads for one paper (issue 16: ≤ 60 KB compressed without
comments): the page's HTML as the server compresses it, plus every stylesheet and script
the HTML names, gzip-compressed (level 9, as WhiteNoise stores them), for a paper in
consultation with 0 and 300 comments and an accepted paper with its vote result."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from bench import harness
from bench.member_page import _discuss

LIMIT_KB = 60
_ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def asset_sizes(html: str) -> list[tuple[str, int, int]]:
    """(path, bytes, gzip bytes) of every stylesheet and script the page loads."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage

    sizes = []
    for url in dict.fromkeys(_ASSET.findall(html)):  # each once, in order
        # The collected, hashed file the page names (harness.setup ran collectstatic).
        data = Path(staticfiles_storage.path(url.removeprefix(settings.STATIC_URL))).read_bytes()
        sizes.append((url, len(data), len(gzip.compress(data, compresslevel=9))))
    return sizes


def weigh(url: str, user: object) -> dict[str, object]:
    from django.test import Client

    client = Client()
    client.force_login(user)
    html = client.get(url).content.decode()
    plain, packed = harness.page_sizes(url, user)
    assets = asset_sizes(html)
    return {
        "html": (plain, packed),
        "assets": assets,
        "total": (plain + sum(a[1] for a in assets), packed + sum(a[2] for a in assets)),
    }


def main() -> str:
    harness.setup()
    from tests.factories import UserFactory, make_statement
    from voting.services import vote_cast
    from workflow.services import statement_transition

    coordinator = UserFactory(display_name="Kora Koordination", is_coordinator=True)
    people = [UserFactory(display_name=f"Mitglied {i}") for i in range(20)]
    reader = people[0]
    body = "\n\n".join(f"Absatz {i}: " + "Wir fordern faire Verfahren. " * 12 for i in range(12))
    pages = {}
    for total in (0, 300):
        statement = make_statement(
            author=people[1], state="consultation", title=f"{total} Kommentare", body=body
        )
        _discuss(statement, people, total)
        pages[f"consultation, {total} comments"] = statement
    voted = make_statement(author=people[1], state="voting", title="Abgestimmt", body=body)
    for i, person in enumerate([coordinator, *people]):
        vote_cast(statement=voted, voter=person, choice="no" if i % 5 == 0 else "yes")
    statement_transition(statement_id=voted.pk, name="close_vote", actor=coordinator)
    pages["accepted, vote result, 0 comments"] = voted

    lines = [
        "| page | HTML | HTML gzip | CSS + JS | CSS + JS gzip | total | total gzip |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    assets_seen: dict[str, tuple[int, int]] = {}
    for label, statement in pages.items():
        w = weigh(statement.get_absolute_url(), reader)
        html, total = w["html"], w["total"]
        css_js = (sum(a[1] for a in w["assets"]), sum(a[2] for a in w["assets"]))
        for url, size, packed in w["assets"]:
            assets_seen[url] = (size, packed)
        lines.append(
            f"| {label} | {kb(html[0])} | {kb(html[1])} | {kb(css_js[0])} | {kb(css_js[1])} "
            f"| {kb(total[0])} | **{kb(total[1])}** |"
        )
        print(label, total)
    lines += ["", "| file | size | gzip |", "|---|---:|---:|"]
    lines += [f"| `{url}` | {kb(s)} | {kb(p)} |" for url, (s, p) in assets_seen.items()]
    return (
        "## Page weight of the member page (issue 16)\n\n"
        f"Target: ≤ {LIMIT_KB} KB compressed without comments, HTML + every stylesheet and "
        "script the page names (print.css included: browsers fetch it too). HTML as the "
        "server sends it with `Accept-Encoding: gzip`; static files gzip level 9 as WhiteNoise "
        "stores them (browsers with Brotli get less). The favicon (SVG, under 1 KB) and the "
        "inline SVG mark are in these figures only as far as the HTML holds them.\n\n"
        + "\n".join(lines)
        + "\n"
    )


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"
