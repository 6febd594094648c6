"""Published positions with realistic German text, in bulk, for measurements at scale.

`python manage.py generate_positions --count 5000` makes sure the papers labelled
`generiert-00001` … `generiert-05000` exist (idempotent: running it again, or with a
smaller count, adds nothing; a larger count adds only the missing ones). Each paper is
built from a seeded random generator of its number, so the same label always has the
same text: a title, an occasion, a summary and a body of about `words` words in
sections with headings and lists, one or two topics, a publication date going back
from now, and one revision with its HTML (pages never parse a body again).

Written with bulk_create in batches: thousands of papers in seconds to a minute, the
Markdown render being most of it. Not for production data: the papers have no authors
and never went through the workflow (the tests of the workflow do that).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from statements import markdown
from statements.models import Revision, Statement, Topic

PREFIX = "generiert-"
# In every generated paper (the benches search for it as the commonest word).
COMMONEST_WORD = "Landkreis"
# In none of them.
NO_HIT_WORD = "Quantenchromodynamik"

TOPICS = (
    ("wohnen", "Wohnen", "Housing"),
    ("arbeit", "Arbeit", "Work"),
    ("bildung", "Bildung", "Education"),
    ("gesundheit", "Gesundheit", "Health"),
    ("bezahlkarte", "Bezahlkarte", "Payment card"),
    ("abschiebung", "Abschiebung", "Deportation"),
    ("sprache", "Sprache", "Language"),
    ("teilhabe", "Teilhabe", "Participation"),
)

_SUBJECTS = (
    "Der Landkreis Leipzig",
    "Die Ausländerbehörde",
    "Das Jobcenter",
    "Der Kreistag",
    "Die Landesregierung",
    "Die Gemeinde",
    "Das Sozialamt",
    "Der Runde Tisch Migration",
    "Die Beratungsstelle",
    "Die Schulverwaltung",
)
_VERBS = (
    "muss",
    "soll",
    "kann",
    "sollte endlich",
    "will nach eigenen Angaben",
    "darf nicht länger zögern und muss",
)
_ACTIONS = (
    "die dezentrale Unterbringung in Wohnungen ausbauen",
    "die Bargeldgrenze der Bezahlkarte aufheben",
    "Sprachkurse für alle Geflüchteten ohne Wartezeit öffnen",
    "die Arbeitserlaubnis schneller erteilen",
    "die Gesundheitskarte für Asylsuchende einführen",
    "unabhängige Asylverfahrensberatung finanzieren",
    "Familien nicht in Sammelunterkünften am Stadtrand unterbringen",
    "Kindern von Anfang an den Schulbesuch ermöglichen",
    "Abschiebungen aus Schulen und Krankenhäusern ausschließen",
    "Ehrenamtliche in der Begleitung zu Behörden unterstützen",
    "Dolmetschkosten im Gesundheitswesen übernehmen",
    "die Wartezeiten bei der Ausländerbehörde verkürzen",
    "Beschäftigungsduldungen großzügig auslegen",
    "Migrantenorganisationen an Entscheidungen beteiligen",
)
_REASONS = (
    "weil Teilhabe nur gelingt, wenn Menschen ihren Alltag selbst gestalten können",
    "denn die bisherigen Regeln verursachen hohe Verwaltungskosten",
    "da viele Betroffene sonst monatelang ohne Perspektive bleiben",
    "weil Kommunen mit guten Erfahrungen zeigen, dass es funktioniert",
    "denn Integration beginnt am ersten Tag und nicht nach dem Verfahren",
    "weil Ehrenamtliche die Lücken nicht dauerhaft füllen können",
    "da das Grundgesetz die Würde jedes Menschen schützt",
    "weil Arbeitgeber im Landkreis dringend Fachkräfte suchen",
)
_DETAILS = (
    "Im vergangenen Jahr lebten im Landkreis mehr als {n} Menschen in Gemeinschaftsunterkünften.",
    "Nach Auskunft der Beratungsstellen warten Betroffene im Schnitt {n} Tage auf einen Termin.",
    "Mehr als {n} Kinder haben im letzten Schuljahr keinen Platz in einer Regelklasse gefunden.",
    "Die Kosten der Sammelunterbringung liegen pro Person um {n} Euro im Monat höher.",
    "In {n} Gemeinden des Landkreises gibt es keine Beratung in der Herkunftssprache.",
    "Seit Einführung der Bezahlkarte berichten {n} Ratsuchende von Problemen im Alltag.",
)
_HEADINGS = (
    "Ausgangslage",
    "Unsere Forderungen",
    "Begründung",
    "Erfahrungen aus anderen Kommunen",
    "Was der Landkreis jetzt tun kann",
    "Rechtlicher Rahmen",
    "Ausblick",
)
_OCCASIONS = (
    "Sitzung des Kreistags am {d}. {m}",
    "Einführung der Bezahlkarte im Landkreis Leipzig",
    "Haushaltsberatungen des Landkreises",
    "Neues Unterbringungskonzept der Verwaltung",
    "Gespräch mit der Ausländerbehörde am {d}. {m}",
)
_MONTHS = ("Januar", "März", "Mai", "Juni", "September", "November")


def _sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_ACTIONS)}, "
        f"{rng.choice(_REASONS)}."
    )


def text_for(number: int, words: int = 1000) -> dict[str, str]:
    """The fields of paper `number`: the same number always gives the same text."""
    rng = random.Random(number)
    action = rng.choice(_ACTIONS)
    title = f"{action[0].upper()}{action[1:]} ({number})"
    occasion = rng.choice(_OCCASIONS).format(d=rng.randint(1, 28), m=rng.choice(_MONTHS))
    summary = " ".join(_sentence(rng) for _ in range(2)) + f" Der {COMMONEST_WORD} ist gefragt."
    sections, count = [], 0
    while count < words:
        heading = rng.choice(_HEADINGS)
        paragraph = " ".join(
            [_sentence(rng) for _ in range(3)]
            + [rng.choice(_DETAILS).format(n=rng.randint(12, 900))]
        )
        items = "\n".join(f"- {rng.choice(_ACTIONS)}" for _ in range(3))
        section = f"## {heading}\n\n{paragraph}\n\n{items}"
        sections.append(section)
        count += len(section.split())
    body = "\n\n".join(sections)
    return {"title": title[:200], "occasion": occasion, "summary": summary, "body": body}


def generate_positions(
    count: int,
    *,
    words: int = 1000,
    batch: int = 500,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Make sure papers 1 … count exist; returns how many were added."""
    topics = [
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en})[0]
        for slug, name, name_en in TOPICS
    ]
    existing = set(Statement.objects.filter(slug__startswith=PREFIX).values_list("slug", flat=True))
    missing = [n for n in range(1, count + 1) if f"{PREFIX}{n:05d}" not in existing]
    now = timezone.now()
    for start in range(0, len(missing), batch):
        numbers = missing[start : start + batch]
        with transaction.atomic():
            _write_batch(numbers, topics, now=now, words=words)
        if progress:
            progress(f"{start + len(numbers)} / {len(missing)}")
    return len(missing)


def _write_batch(numbers: list[int], topics: list[Topic], *, now, words: int) -> None:
    texts = {n: text_for(n, words) for n in numbers}
    statements = Statement.objects.bulk_create(
        Statement(
            slug=f"{PREFIX}{n:05d}",
            state="published",
            language="de",
            published_at=now - timedelta(hours=7 * n),
            created_at=now - timedelta(hours=7 * n + 400),
            updated_at=now - timedelta(hours=7 * n),
            **texts[n],
        )
        for n in numbers
    )
    revisions = []
    for statement, n in zip(statements, numbers, strict=True):
        body_html, blocks = markdown.parse(texts[n]["body"])
        revisions.append(
            Revision(
                statement=statement,
                number=1,
                body_html=body_html,
                blocks=[block.stored() for block in blocks],
                message="Erste Fassung",
                created_at=statement.created_at,
                **texts[n],
            )
        )
    Revision.objects.bulk_create(revisions)
    for statement, revision in zip(statements, revisions, strict=True):
        statement.current_revision = revision
    Statement.objects.bulk_update(statements, ["current_revision"], batch_size=500)
    through = Statement.topics.through
    links = []
    for statement, n in zip(statements, numbers, strict=True):
        rng = random.Random(-n)
        for topic in rng.sample(topics, rng.choice((1, 2))):
            links.append(through(statement_id=statement.pk, topic_id=topic.pk))
    through.objects.bulk_create(links)
