"""Demo papers in every state of the workflow (`manage.py seed_demo`).

Every paper is written and moved through the real services, so the audit trail,
ballots and notifications look like real use. Idempotent: a paper whose slug
exists is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from statements.models import Statement
from statements.services import TextFields, legacy_slug_base, slug_base, statement_create
from voting.testing import cast_votes_for_outcome
from workflow.services import (
    TransitionError,
    TransitionOptions,
    statement_mark_urgent,
    statement_schedule_publication,
    statement_transition,
)

COORDINATOR = "koordination@example.org"


@dataclass(frozen=True)
class DemoPaper:
    author: str
    title: str
    occasion: str
    summary: str
    body: str
    # Steps as (transition, actor e-mail or "author", note); "votes:yes"/"votes:no" casts votes.
    steps: tuple[tuple[str, str, str], ...]
    urgent_reason: str = ""
    publish_in_days: int = 0


PAPERS = (
    DemoPaper(
        author="lena@example.org",
        title="Keine Abschiebungen aus Schulen und Kitas",
        occasion="Abholung einer Schülerin aus dem Unterricht in Markkleeberg",
        summary=(
            "Der Runde Tisch Migration fordert, dass Schulen, Kitas und Horte keine Orte von "
            "Abschiebungen sein dürfen."
        ),
        body=(
            "Im vergangenen Monat wurde eine Schülerin während des Unterrichts von der Polizei "
            "abgeholt. Mitschülerinnen und Lehrkräfte waren Zeugen.\n\n"
            "## Unsere Forderungen\n\n"
            "- Keine Abholungen aus Schulen, Kitas und Horten.\n"
            "- Ein Erlass des Landkreises, der Bildungseinrichtungen als Schutzräume benennt.\n"
        ),
        steps=(),
    ),
    DemoPaper(
        author="amira@example.org",
        title="Mindeststandards für Gemeinschaftsunterkünfte im Landkreis Leipzig",
        occasion="Neue Ausschreibung des Landkreises für den Betrieb von Gemeinschaftsunterkünften",
        summary=(
            "Der Runde Tisch Migration fordert verbindliche Mindeststandards für Privatsphäre, "
            "Gewaltschutz und Beratung in allen Gemeinschaftsunterkünften."
        ),
        body=(
            "Die Unterkünfte in Borna, Grimma und Wurzen unterscheiden sich stark. In manchen "
            "Zimmern leben vier Menschen auf zwölf Quadratmetern.\n\n"
            "## Was wir fordern\n\n"
            "- Abschließbare Zimmer und getrennte Sanitärräume.\n"
            "- Ein Gewaltschutzkonzept in jeder Unterkunft.\n"
            "- Unabhängige Sozialberatung vor Ort.\n"
        ),
        steps=(("submit", "author", ""),),
        urgent_reason="Der Kreistag entscheidet schon in zwei Wochen über die Ausschreibung.",
    ),
    DemoPaper(
        author="jonas@example.org",
        title="Sprachkurse ab dem ersten Tag für alle Geflüchteten",
        occasion="Kürzung der Mittel für Integrationskurse im Bundeshaushalt",
        summary=(
            "Der Runde Tisch Migration fordert Sprachkurse vom ersten Tag an, unabhängig von "
            "Herkunftsland und Bleibeperspektive."
        ),
        body=(
            "Wer Deutsch lernt, findet schneller Arbeit, Freundschaften und den Weg zu Ämtern. "
            "Im Landkreis warten viele Menschen monatelang auf einen Kursplatz.\n\n"
            "## Unsere Forderungen\n\n"
            "- Kursplätze für alle, auch mit Kinderbetreuung.\n"
            "- Fahrtkosten im ländlichen Raum übernehmen.\n"
        ),
        steps=(("submit", "author", ""), ("open_vote", COORDINATOR, "")),
    ),
    DemoPaper(
        author="amira@example.org",
        title="Arbeitsmarktzugang erleichtern: Beschäftigungsverbote abbauen",
        occasion="Gespräch mit dem Jobcenter Landkreis Leipzig",
        summary=(
            "Der Runde Tisch Migration fordert, Arbeitsverbote und lange Zustimmungsverfahren "
            "abzubauen, damit Geflüchtete schnell arbeiten können."
        ),
        body=(
            "Betriebe in der Region suchen Fachkräfte und Auszubildende. Gleichzeitig dürfen "
            "viele Geflüchtete nicht arbeiten oder warten Monate auf eine Erlaubnis.\n\n"
            "## Was wir fordern\n\n"
            "- Beschäftigungserlaubnisse innerhalb von zwei Wochen.\n"
            "- Anerkennung ausländischer Abschlüsse beschleunigen.\n"
        ),
        steps=(
            ("submit", "author", ""),
            ("open_vote", COORDINATOR, ""),
            ("votes:yes", "", ""),
            ("close_vote", COORDINATOR, ""),
        ),
        publish_in_days=3,
    ),
    DemoPaper(
        author="jonas@example.org",
        title="Sammelunterkunft Borna sofort schließen",
        occasion="Bericht über Schimmel in der Unterkunft Borna",
        summary="Der Runde Tisch Migration fordert die sofortige Schließung der Unterkunft.",
        body=(
            "Die Zustände in der Unterkunft sind unhaltbar.\n\n"
            "Wir fordern die sofortige Schließung und dezentrale Unterbringung aller "
            "Bewohnerinnen und Bewohner.\n"
        ),
        steps=(
            ("submit", "author", ""),
            ("open_vote", COORDINATOR, ""),
            ("votes:no", "", ""),
            ("close_vote", COORDINATOR, ""),
        ),
    ),
    DemoPaper(
        author="lena@example.org",
        title="Gesundheitskarte für Geflüchtete im Landkreis Leipzig einführen",
        occasion="Beschluss des Sozialausschusses zur Gesundheitsversorgung",
        summary=(
            "Der Runde Tisch Migration fordert die elektronische Gesundheitskarte ab Ankunft, "
            "statt Krankenscheinen vom Sozialamt."
        ),
        body=(
            "Heute müssen Asylsuchende vor jedem Arztbesuch einen Krankenschein beim Sozialamt "
            "holen. Das kostet Zeit, verzögert Behandlungen und belastet die Verwaltung.\n\n"
            "## Unsere Forderung\n\n"
            "Der Landkreis tritt der Rahmenvereinbarung zur Gesundheitskarte bei, wie es andere "
            "sächsische Kommunen bereits getan haben.\n"
        ),
        steps=(
            ("submit", "author", ""),
            ("open_vote", COORDINATOR, ""),
            ("votes:yes", "", ""),
            ("close_vote", COORDINATOR, ""),
            ("publish", COORDINATOR, "Beschlossen in der Sitzung des Runden Tisches."),
        ),
    ),
    DemoPaper(
        author="amira@example.org",
        title="Gemeinsame Erklärung zur Bezahlkarte im Kreistag",
        occasion="Anfrage einer Kreistagsfraktion zur Bezahlkarte",
        summary="Entwurf einer gemeinsamen Erklärung mit den Wohlfahrtsverbänden.",
        body="Die Bezahlkarte schränkt den Alltag ein.\n\nWir bitten um eine Anhörung.\n",
        steps=(
            ("submit", "author", ""),
            (
                "withdraw",
                "author",
                "Die Wohlfahrtsverbände veröffentlichen eine eigene Erklärung, die wir "
                "mitzeichnen.",
            ),
        ),
    ),
    DemoPaper(
        author="jonas@example.org",
        title="Ehrenamtspauschale für Sprachmittlerinnen und Sprachmittler",
        occasion="Haushaltsberatungen des Landkreises",
        summary=(
            "Der Runde Tisch Migration fordert eine Aufwandsentschädigung für ehrenamtliche "
            "Sprachmittlung bei Behörden und Ärzten."
        ),
        body=(
            "Ohne Sprachmittlung funktionieren viele Termine bei Ämtern und in Praxen nicht.\n\n"
            "Die Ehrenamtlichen tragen Fahrtkosten und Zeitaufwand selbst.\n"
        ),
        steps=(
            ("submit", "author", ""),
            ("open_vote", COORDINATOR, ""),
            ("votes:yes", "", ""),
            ("close_vote", COORDINATOR, ""),
            ("publish", COORDINATOR, ""),
            (
                "retract",
                COORDINATOR,
                "Die genannten Zahlen zum Haushalt waren veraltet; eine korrigierte Fassung folgt.",
            ),
        ),
    ),
)


def _cast_votes(statement: Statement, adopt: bool) -> None:
    cast_votes_for_outcome(statement=statement, adopt=adopt)


def _seed_paper(paper: DemoPaper, people: dict[str, User]) -> Statement | None:
    author = people.get(paper.author)
    coordinator = people.get(COORDINATOR)
    if author is None or coordinator is None:
        return None
    statement = statement_create(
        author=author,
        text=TextFields(
            title=paper.title, occasion=paper.occasion, summary=paper.summary, body=paper.body
        ),
        message="Erste Fassung",
    )
    if paper.urgent_reason:
        statement_mark_urgent(
            statement_id=statement.pk, actor=coordinator, reason=paper.urgent_reason
        )
    for name, who, note in paper.steps:
        if name.startswith("votes:"):
            _cast_votes(statement, adopt=name == "votes:yes")
            continue
        actor = author if who == "author" else people[who]
        statement_transition(
            statement_id=statement.pk,
            name=name,
            actor=actor,
            note=note,
            options=TransitionOptions(),
        )
    if paper.publish_in_days:
        statement_schedule_publication(
            statement_id=statement.pk,
            actor=coordinator,
            publish_at=timezone.now() + timedelta(days=paper.publish_in_days),
        )
    return statement


def demo_statement_ids() -> set[int]:
    """The papers this module made (demo slug and demo author), see statements.demo."""
    found: set[int] = set()
    for paper in PAPERS:
        found.update(
            Statement.objects.filter(
                slug__in={slug_base(paper.title), legacy_slug_base(paper.title)},
                created_by__email=paper.author,
            ).values_list("pk", flat=True)
        )
    return found


def seed(*, stdout: Any = None) -> None:
    people = {user.email: user for user in User.objects.filter(email__endswith="@example.org")}
    made = existing = 0
    for paper in PAPERS:
        slugs = {slug_base(paper.title), legacy_slug_base(paper.title)}
        if Statement.objects.filter(slug__in=slugs).exists():
            existing += 1
            continue
        try:
            with transaction.atomic():  # a paper is made completely or not at all
                if _seed_paper(paper, people) is not None:
                    made += 1
        except TransitionError as exc:
            if stdout is not None:
                stdout.write(f"workflow: {paper.title!r} stopped early: {exc.message}")
    if stdout is not None:
        # A second `make run` should read as "all there", not as "nothing was made".
        stdout.write(
            f"workflow: {made + existing} demo papers along the state table "
            f"({made} new, {existing} already there)"
        )
