"""Plain-language versions and translations of a published paper (issue 19)."""

from __future__ import annotations

import io
import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from pypdf import PdfReader

from statements import companions
from statements.models import Companion
from workflow.services import statement_transition

pytestmark = pytest.mark.django_db

ARABIC = (
    "# موقف المائدة المستديرة\n\nنطالب بدورات لغة مجانية للجميع.\n\n"
    "- النقطة الأولى\n- النقطة الثانية"
)
PLAIN = (
    "Der Runde Tisch will mehr Sprach-Kurse.\n\nDie Kurse sollen nichts kosten.\n\n"
    "Alle sollen mitmachen."
)


@pytest.fixture(autouse=True)
def _documents_dir(settings, tmp_path):
    settings.RTM_DOCUMENTS_DIR = tmp_path / "documents"


@pytest.fixture
def arabic(published, member):
    return companions.companion_save(
        statement=published,
        actor=member,
        kind="translation",
        language_code="ar",
        title="موقف بشأن بطاقة الدفع",
        body=ARABIC,
    )


def test_unreviewed_version_is_not_public(published, arabic):
    client = Client()
    assert client.get(f"/statements/{published.slug}/fassung/ar/").status_code == 404
    assert client.get(f"/statements/{published.slug}/fassung/ar/pdf/").status_code == 404
    page = client.get(published.get_absolute_url()).content.decode()
    assert "fassung/ar" not in page and "hreflang" not in page


def test_writer_cannot_approve_own_version(published, arabic, member):
    with pytest.raises(companions.CompanionError) as refused:
        companions.companion_approve(companion_id=arabic.pk, actor=member)
    assert refused.value.status == 403
    arabic.refresh_from_db()
    assert arabic.reviewed_at is None
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Companion.objects.filter(pk=arabic.pk).update(reviewed_by=member)


def test_writer_cannot_approve_through_the_view(published, arabic, member):
    client = Client()
    client.force_login(member)
    url = f"/statements/{published.slug}/fassungen/{arabic.pk}/freigeben/"
    assert client.post(url).status_code == 403
    assert Companion.objects.get(pk=arabic.pk).reviewed_at is None


def test_approved_version_is_public_labelled_and_linked(published, arabic, author):
    client = Client()
    client.force_login(author)
    url = f"/statements/{published.slug}/fassungen/{arabic.pk}/freigeben/"
    assert client.post(url).status_code == 302
    visitor = Client()
    page = visitor.get(f"/statements/{published.slug}/fassung/ar/").content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert author.display_name in page  # the reviewer's label
    assert (
        f'hreflang="ar" href="http://testserver/statements/{published.slug}/fassung/ar/"' in page
        or re.search(r'hreflang="ar"', page)
    )
    assert f'hreflang="{published.language}"' in page
    original = visitor.get(published.get_absolute_url()).content.decode()
    assert 'rel="alternate" hreflang="ar"' in original
    assert f"/statements/{published.slug}/fassung/ar/" in original


def test_retraction_retracts_versions(published, arabic, author, coordinator):
    companions.companion_approve(companion_id=arabic.pk, actor=author)
    statement_transition(
        statement_id=published.pk, name="retract", actor=coordinator, note="Überholt"
    )
    arabic.refresh_from_db()
    assert arabic.retracted_at is not None
    page = Client().get(f"/statements/{published.slug}/fassung/ar/").content.decode()
    assert "widerrufen" in page


def test_arabic_pdf_is_right_to_left_with_text(published, arabic, author):
    companions.companion_approve(companion_id=arabic.pk, actor=author)
    response = Client().get(f"/statements/{published.slug}/fassung/ar/pdf/?zeilen=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert author.display_name in text
    # Arabic letters came out as text (the font has the glyphs), not as empty boxes.
    assert re.search(r"[\u0600-\u06FF\uFE70-\uFEFF]{3}", text)


def test_language_not_configured_is_refused(published, member, settings):
    settings.RTM_COMPANION_LANGUAGES = ["en"]
    with pytest.raises(companions.CompanionError):
        companions.companion_save(
            statement=published,
            actor=member,
            kind="translation",
            language_code="ar",
            title="x",
            body="y",
        )
    client = Client()
    client.force_login(member)
    assert client.get(f"/statements/{published.slug}/fassungen/ar/schreiben/").status_code == 404


def test_member_writes_plain_version_through_the_form(published, member):
    client = Client()
    client.force_login(member)
    url = f"/statements/{published.slug}/fassungen/einfach/schreiben/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Mehr Sprach-Kurse", "body": PLAIN})
    assert response.status_code == 302
    overview = client.get(f"/statements/{published.slug}/fassungen/").content.decode()
    assert "Wiener Sachtextformel" in overview and "Noch nicht geprüft" in overview
    # An empty text keeps the title and says what is missing.
    bad = client.post(url, {"title": "Behalten", "body": ""})
    assert bad.status_code == 400 and "Behalten" in bad.content.decode()


def test_readability_values_are_sane():
    easy = companions.readability(PLAIN)
    hard = companions.readability(
        "Die Implementierung einer kommunalen Integrationsstrategie erfordert eine "
        "umfassende interinstitutionelle Koordinierung sämtlicher beteiligter "
        "Verwaltungseinheiten unter Berücksichtigung haushaltsrechtlicher Rahmenbedingungen."
    )
    assert easy is not None and hard is not None
    assert 1 <= easy.wiener <= 8 and easy.amstad >= 50
    assert hard.wiener >= 14 and hard.amstad < 30
    assert companions.readability("Zu kurz") is None


def test_readability_shown_to_authors_only(published, author, member):
    client = Client()
    client.force_login(author)
    assert "Wiener Sachtextformel" in client.get(published.get_absolute_url()).content.decode()
    client.force_login(member)
    assert "Wiener Sachtextformel" not in client.get(published.get_absolute_url()).content.decode()


def test_data_export_lists_written_and_approved_versions(published, arabic, member, author):
    from statements.export import user_data

    companions.companion_approve(companion_id=arabic.pk, actor=author)
    [written] = user_data(member)["companion_versions"]
    assert written["language"] == "ar" and written["written"] and written["body"] == ARABIC
    [approved] = user_data(author)["companion_versions"]
    assert approved["approved"] and not approved["written"]
