"""Demo topics and draft statements with several revisions (`manage.py seed_demo`).

Idempotent: topics are looked up by name, papers by slug; what exists is left alone.
Every topic and text goes through the services, like a real edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.models import User
from statements.models import Statement, Topic
from statements.services import (
    TextFields,
    coauthor_add,
    legacy_slug_base,
    revision_save,
    slug_base,
    statement_create,
    topic_create,
)

# (name, English name); topic_create makes the slug from the name ("asyl", ...).
TOPICS = [
    ("Asyl", "Asylum"),
    ("Arbeit", "Work"),
    ("Bildung", "Education"),
    ("Gesundheit", "Health"),
    ("Wohnen", "Housing"),
    ("Bezahlkarte", "Payment card"),
    ("Teilhabe", "Participation"),
    ("Sprache", "Language"),
    ("Familiennachzug", "Family reunification"),
    ("Beratung", "Counselling"),
]


@dataclass(frozen=True)
class Step:
    author: str  # e-mail of a demo member
    message: str
    title: str
    occasion: str
    summary: str
    body: str


@dataclass(frozen=True)
class Paper:
    creator: str
    coauthors: tuple[str, ...]
    topics: tuple[str, ...]
    steps: tuple[Step, ...]


_CARD_OCCASION = "Einführung der Bezahlkarte für Geflüchtete im Landkreis Leipzig"
_CARD_TITLE = "Bezahlkarte im Landkreis Leipzig: Bargeldgrenze aufheben"
_CARD_SUMMARY_1 = (
    "Der Runde Tisch Migration fordert den Landkreis auf, die Bargeldgrenze der Bezahlkarte "
    "aufzuheben."
)
_CARD_SUMMARY_2 = (
    "Der Runde Tisch Migration fordert den Landkreis Leipzig auf, die Bargeldgrenze von "
    "50 Euro aufzuheben und Überweisungen ohne Einzelfreigabe zu ermöglichen."
)
_CARD_BODY_1 = """\
Seit diesem Frühjahr erhalten Asylsuchende im Landkreis Leipzig ihre Leistungen über eine \
Bezahlkarte. Bargeld können sie nur bis 50 Euro im Monat abheben.

Aus unserer Beratungspraxis in Borna, Grimma und Wurzen wissen wir: Viele Dinge des Alltags \
lassen sich nur bar bezahlen – der Schulausflug, der Flohmarkt, das Vereinsessen.

## Unsere Forderungen

- Die Bargeldgrenze wird aufgehoben.
- Überweisungen, etwa an Anwält*innen oder Sportvereine, sind ohne Einzelantrag möglich.
"""
_CARD_BODY_2 = _CARD_BODY_1.replace(
    "das Vereinsessen.",
    "das Vereinsessen, der Beitrag für die Kleiderkammer. Familien mit Kindern trifft die "
    "Grenze besonders hart.",
)
_CARD_BODY_3 = (
    _CARD_BODY_2
    + """
## Was andere Landkreise tun

Mehrere Kommunen in Sachsen und anderen Bundesländern haben die Bargeldgrenze angehoben oder \
gestaffelt nach Haushaltsgröße festgelegt. Das Sozialgericht hat pauschale Grenzen ohne Blick \
auf den Einzelfall bereits beanstandet.
"""
)
_CARD_BODY_4 = (
    _CARD_BODY_3.replace(
        "- Die Bargeldgrenze wird aufgehoben.",
        "- Die Bargeldgrenze wird aufgehoben, mindestens aber nach Haushaltsgröße gestaffelt.",
    )
    + """
Wir bieten dem Sozialamt an, die Erfahrungen der Beratungsstellen in einem gemeinsamen \
Gespräch vorzustellen. Kontakt: rundertischmigrationlkl@gmx.de
"""
)

_HOUSING_TITLE = "Wohnungen statt Sammelunterkünfte"
_HOUSING_OCCASION = "Kreistagsbeschluss zur Erweiterung der Gemeinschaftsunterkunft in Borna"
_HOUSING_BODY_1 = """\
Der Kreistag will die Gemeinschaftsunterkunft in Borna um 120 Plätze erweitern. Wir halten \
das für den falschen Weg.

Menschen, die dauerhaft bleiben, brauchen eine eigene Wohnung: Ruhe zum Lernen, Privatsphäre, \
Nachbarschaft. In Sammelunterkünften fehlt all das.

## Vorschläge

1. Leerstehende Wohnungen der kommunalen Wohnungsgesellschaften werden gezielt angemietet.
2. Familien mit Kindern und kranke Menschen ziehen zuerst um.
"""
_HOUSING_BODY_2 = _HOUSING_BODY_1.replace(
    "2. Familien mit Kindern und kranke Menschen ziehen zuerst um.",
    "2. Familien mit Kindern, Schwangere und kranke Menschen ziehen zuerst um.\n"
    "3. Ehrenamtliche Wohnungspat*innen werden vom Landkreis unterstützt.",
)
_HOUSING_BODY_3 = _HOUSING_BODY_2.replace(
    "In Sammelunterkünften fehlt all das.",
    "In Sammelunterkünften fehlt all das; die Gewaltschutzkonzepte greifen dort nur unvollständig.",
)

_LANGUAGE_TITLE = "Sprachkurse ab dem ersten Tag"
_LANGUAGE_OCCASION = "Kürzung der Bundesmittel für Integrationskurse"
_LANGUAGE_BODY_1 = """\
Der Bund kürzt die Mittel für Integrations- und Berufssprachkurse. Im Landkreis Leipzig \
warten schon heute viele Menschen monatelang auf einen Kursplatz.

Sprache ist der Schlüssel zu Arbeit, Ausbildung und Teilhabe. Wer früh Deutsch lernt, \
findet schneller Arbeit.

Wir fordern den Landkreis auf, eigene niedrigschwellige Kurse zu fördern – auch für \
Menschen ohne Bleibeperspektive und mit Kinderbetreuung während des Kurses.
"""
_LANGUAGE_BODY_2 = _LANGUAGE_BODY_1.replace(
    "findet schneller Arbeit.",
    "findet schneller Arbeit und kann Kinder in Kita und Schule begleiten. Die "
    "Deutschkurs-Cafés in Naunhof und Wurzen zeigen, was mit wenig Geld möglich ist.",
)

PAPERS = [
    Paper(
        creator="amira@example.org",
        coauthors=("jonas@example.org", "lena@example.org"),
        topics=("bezahlkarte", "asyl", "teilhabe"),
        steps=(
            Step(
                "amira@example.org",
                "Erste Fassung",
                _CARD_TITLE,
                _CARD_OCCASION,
                _CARD_SUMMARY_1,
                _CARD_BODY_1,
            ),
            Step(
                "jonas@example.org",
                "Beispiele aus der Beratung ergänzt",
                _CARD_TITLE,
                _CARD_OCCASION,
                _CARD_SUMMARY_1,
                _CARD_BODY_2,
            ),
            Step(
                "lena@example.org",
                "Abschnitt zu anderen Landkreisen",
                _CARD_TITLE,
                _CARD_OCCASION,
                _CARD_SUMMARY_2,
                _CARD_BODY_3,
            ),
            Step(
                "amira@example.org",
                "Forderung präzisiert, Gesprächsangebot",
                _CARD_TITLE,
                _CARD_OCCASION,
                _CARD_SUMMARY_2,
                _CARD_BODY_4,
            ),
        ),
    ),
    Paper(
        creator="jonas@example.org",
        coauthors=("lena@example.org",),
        topics=("wohnen", "asyl", "gesundheit"),
        steps=(
            Step(
                "jonas@example.org",
                "Entwurf nach dem Treffen in Grimma",
                _HOUSING_TITLE,
                _HOUSING_OCCASION,
                "Wir fordern dezentrale Unterbringung in Wohnungen.",
                _HOUSING_BODY_1,
            ),
            Step(
                "lena@example.org",
                "Wohnungspatenschaften ergänzt",
                _HOUSING_TITLE,
                _HOUSING_OCCASION,
                "Wir fordern dezentrale Unterbringung in Wohnungen.",
                _HOUSING_BODY_2,
            ),
            Step(
                "jonas@example.org",
                "Gewaltschutz erwähnt",
                _HOUSING_TITLE,
                _HOUSING_OCCASION,
                "Wir fordern, Geflüchtete in Wohnungen statt in Sammelunterkünften unterzubringen.",
                _HOUSING_BODY_3,
            ),
        ),
    ),
    Paper(
        creator="lena@example.org",
        coauthors=("amira@example.org",),
        topics=("sprache", "bildung", "arbeit"),
        steps=(
            Step(
                "lena@example.org",
                "Erste Fassung",
                _LANGUAGE_TITLE,
                _LANGUAGE_OCCASION,
                "Der RTM fordert Sprachkurse für alle ab dem ersten Tag.",
                _LANGUAGE_BODY_1,
            ),
            Step(
                "amira@example.org",
                "Beispiele aus Naunhof und Wurzen",
                _LANGUAGE_TITLE,
                _LANGUAGE_OCCASION,
                "Der RTM fordert Sprachkurse für alle ab dem ersten Tag.",
                _LANGUAGE_BODY_2,
            ),
        ),
    ),
]


def _say(stdout: Any, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def seed(*, stdout: Any = None) -> None:
    for name, name_en in TOPICS:
        if not Topic.objects.filter(name=name).exists():
            topic_create(name=name, name_en=name_en)
    people = {u.email: u for u in User.objects.filter(email__in=_emails())}
    for paper in PAPERS:
        _seed_paper(paper, people, stdout)


def demo_statement_ids() -> set[int]:
    """The papers this module made: a demo slug *and* the demo creator (a paper a person
    wrote under the same title is theirs, not the demo's)."""
    found: set[int] = set()
    for paper in PAPERS:
        title = paper.steps[0].title
        found.update(
            Statement.objects.filter(
                slug__in={slug_base(title), legacy_slug_base(title)},
                created_by__email=paper.creator,
            ).values_list("pk", flat=True)
        )
    return found


def _emails() -> set[str]:
    return {e for p in PAPERS for e in (p.creator, *p.coauthors)}


def _seed_paper(paper: Paper, people: dict[str, User], stdout: Any) -> None:
    first = paper.steps[0]
    slug = slug_base(first.title)
    if Statement.objects.filter(slug__in={slug, legacy_slug_base(first.title)}).exists():
        _say(stdout, f"statements: {slug} exists, left alone")
        return
    if paper.creator not in people:
        _say(stdout, f"statements: demo member {paper.creator} missing, {slug} skipped")
        return
    statement = statement_create(
        author=people[paper.creator],
        text=TextFields(first.title, first.occasion, first.summary, first.body),
        message=first.message,
        topics=Topic.objects.filter(slug__in=paper.topics),
    )
    for email in paper.coauthors:
        if email in people:
            coauthor_add(statement=statement, user=people[email], added_by=people[paper.creator])
    revision_id = statement.current_revision_id
    for step in paper.steps[1:]:
        revision = revision_save(
            statement_id=statement.pk,
            author=people.get(step.author),
            text=TextFields(step.title, step.occasion, step.summary, step.body),
            message=step.message,
            base_revision_id=revision_id,
        )
        revision_id = revision.pk
    _say(stdout, f"statements: {statement.slug} with {len(paper.steps)} revisions")
