"""Demo posts on the e-mail list, two of them funding hints (idempotent: a post whose
subject exists already is not written again). Written through maillist.services."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from maillist.models import Post, PostType
from maillist.services import post_create

POSTS: tuple[dict[str, Any], ...] = (
    {
        "author": "koordination@example.org",
        "post_type": PostType.MINUTES,
        "title": "Protokoll des Runden Tisches im November",
        "body": "## Anwesend\n\n14 Personen aus 9 Organisationen.\n\n## Beschlüsse\n\n"
        "- Die Stellungnahme zur Unterbringung geht in die Konsultation.\n"
        "- Nächstes Treffen im Landratsamt Borna.",
        "is_public": False,
    },
    {
        "author": "amira@example.org",
        "post_type": PostType.DATE,
        "title": "Infoabend Arbeitsmarktzugang am 15. Januar",
        "body": "Der Migrationsdienst lädt zum Infoabend ein, **18 Uhr**, Volkshochschule Grimma.",
        "is_public": True,
    },
    {
        "author": "jonas@example.org",
        "post_type": PostType.FUNDING,
        "title": "Kleinprojekte Integration 2027",
        "body": "Gefördert werden Begegnungsprojekte in Vereinen und Initiativen.",
        "is_public": True,
        "funder": "Sächsisches Staatsministerium für Soziales",
        "programme": "Integrative Maßnahmen, Teil 2",
        "eligible": "Vereine, Initiativen, Kommunen",
        "amount": "bis 5.000 €",
        "deadline_days": 40,
        "link": "https://example.org/foerderung/integrative-massnahmen",
    },
    {
        "author": "lena@example.org",
        "post_type": PostType.FUNDING,
        "title": "Sprachmittlung im Ehrenamt",
        "body": "Zuschüsse für Schulungen und Fahrtkosten ehrenamtlicher Sprachmittler*innen.",
        "is_public": False,
        "funder": "Landkreis Leipzig",
        "programme": "Ehrenamtsförderung",
        "eligible": "gemeinnützige Träger im Landkreis",
        "amount": "bis 1.500 €",
        "deadline_days": 12,
        "link": "https://example.org/landkreis/ehrenamt",
    },
)


def seed(*, stdout: Any = None, papers: Collection[int] = ()) -> None:
    del papers  # seed_demo's demo papers: the list's demo posts touch no paper
    written = 0
    for entry in POSTS:
        data = dict(entry)
        author = User.objects.filter(email=data.pop("author")).first()
        if author is None or Post.objects.filter(title=data["title"]).exists():
            continue
        days = data.pop("deadline_days", None)
        if days is not None:
            data["deadline"] = timezone.localdate() + timedelta(days=days)
        post_create(author=author, **data)
        written += 1
    if stdout:
        stdout.write(f"maillist: {written} demo posts written")
