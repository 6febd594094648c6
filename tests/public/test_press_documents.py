"""Press documents (PDF, DOCX), the checkable record and the journalist's public page."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document as DocxDocument
from pypdf import PdfReader

from public import documents, record
from public.models import CoSignature
from tests.factories import OrganisationFactory, make_statement
from voting.models import Ballot

pytestmark = pytest.mark.django_db

BODY = (
    "Die Bezahlkarte schränkt Geflüchtete ein, weil sie Bargeld begrenzt.\n\n"
    "Wir fordern:\n\n- Bargeld ohne Grenze\n- Überweisungen ins Inland\n\n"
    "Der Kreistag möge beschließen."
)


@pytest.fixture(autouse=True)
def _documents_dir(settings, tmp_path):
    settings.RTM_DOCUMENTS_DIR = tmp_path / "documents"
    settings.RTM_PRESS_NAME = "Pressestelle RTM"
    settings.RTM_PRESS_PHONE = "+49 341 000000"


@pytest.fixture
def paper(author, coordinator):
    published = make_statement(author=author, state="published", body=BODY)
    org = OrganisationFactory(name="Netzwerk Asyl Borna e. V.")
    CoSignature.objects.create(statement=published, organisation=org)
    return published


def _pdf(client: Client, paper, query: str = "") -> bytes:
    response = client.get(f"/statements/{paper.slug}/pdf/{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_holds_title_decision_cosigners_and_hash(paper):
    pdf = _pdf(Client(), paper)
    text = _text(pdf)
    flat = " ".join(text.split())
    assert paper.title in flat
    ballot = Ballot.objects.get(statement=paper, outcome="adopted")
    assert "Online-Abstimmung" in flat and f"{ballot.count_yes} Ja" in flat
    assert "Netzwerk Asyl Borna e. V." in flat
    digest = record.revision_hash(paper.current_revision)
    assert digest in text.replace("\n", "").replace(" ", "")
    assert "Pressestelle RTM" in flat
    reader = PdfReader(io.BytesIO(pdf))
    assert documents.ATTACHMENT_NAME in reader.attachments
    assert reader.trailer["/Root"].get("/MarkInfo")  # tagged (PDF/UA-1)


def test_pdf_is_generated_once_per_version(paper, settings):
    client = Client()
    _pdf(client, paper)
    files = list(settings.RTM_DOCUMENTS_DIR.rglob("*.pdf"))
    assert len(files) == 1
    before = files[0].stat().st_mtime_ns
    _pdf(client, paper)
    assert [f.stat().st_mtime_ns for f in settings.RTM_DOCUMENTS_DIR.rglob("*.pdf")] == [before]
    # A new co-signer is printed: a new file.
    CoSignature.objects.create(
        statement=paper, organisation=OrganisationFactory(name="Flüchtlingsrat")
    )
    assert "Flüchtlingsrat" in _text(_pdf(client, paper))
    assert len(list(settings.RTM_DOCUMENTS_DIR.rglob("*.pdf"))) == 2


def test_pdf_with_line_numbers(paper):
    text = _text(_pdf(Client(), paper, "?zeilen=1"))
    assert paper.title in " ".join(text.split())


def test_docx_opens_and_holds_the_title(paper):
    response = Client().get(f"/statements/{paper.slug}/docx/")
    assert response.status_code == 200
    doc = DocxDocument(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    assert paper.title in texts
    assert "Netzwerk Asyl Borna e. V." in texts


def test_documents_of_unpublished_papers_are_404(in_consultation):
    for kind in ("pdf", "docx"):
        assert Client().get(f"/statements/{in_consultation.slug}/{kind}/").status_code == 404
    assert Client().get(f"/statements/{in_consultation.slug}/verify/").status_code == 404
    assert Client().get(f"/statements/{in_consultation.slug}/wortlaut.txt").status_code == 404


def test_canonical_form():
    assert record.canonicalise("  A\r\n\r\nb\t c  ") == "A b c"
    assert record.content_hash("Ba\u0308r") == record.content_hash("B\u00e4r")
    assert record.content_hash("Ja, nein") != record.content_hash("Ja nein")


def _verify(client: Client, paper, **data):
    return client.post(f"/statements/{paper.slug}/verify/", data)


def test_verify_text_matches_and_a_changed_comma_is_rejected(paper):
    client = Client()
    wording = client.get(f"/statements/{paper.slug}/wortlaut.txt").content.decode()
    page = _verify(client, paper, text=wording.replace("\n", "\r\n  "))
    assert page.status_code == 200
    assert "Übereinstimmung: Der Wortlaut entspricht" in page.content.decode()
    changed = wording.replace("ein, weil", "ein weil")
    assert changed != wording
    page = _verify(client, paper, text=changed)
    assert "Keine Übereinstimmung" in page.content.decode()
    assert record.content_hash(changed) in page.content.decode()


def test_verify_pdf_matches_and_a_foreign_pdf_does_not(paper):
    client = Client()
    pdf = _pdf(client, paper)
    upload = io.BytesIO(pdf)
    upload.name = "stellungnahme.pdf"
    page = _verify(client, paper, pdf=upload)
    assert "Übereinstimmung: Der Wortlaut entspricht" in page.content.decode()
    from weasyprint import HTML

    other = io.BytesIO(HTML(string="<p>Etwas anderes</p>").write_pdf())
    other.name = "x.pdf"
    page = _verify(client, paper, pdf=other)
    assert page.status_code == 400 and "keinen Wortlaut" in page.content.decode()
    junk = io.BytesIO(b"%PDF-1.7 not really")
    junk.name = "junk.pdf"
    assert _verify(client, paper, pdf=junk).status_code == 400


def test_verify_needs_exactly_one_input_and_keeps_the_text(paper):
    page = _verify(Client(), paper)
    assert page.status_code == 400
    assert "entweder einen Text" in page.content.decode()


def test_verify_is_rate_limited(paper, settings):
    settings.RTM_RATE_LIMITS = {**settings.RTM_RATE_LIMITS, "verify": "2/m"}
    client = Client()
    codes = [_verify(client, paper, text="x").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_verify_post_needs_csrf(paper):
    client = Client(enforce_csrf_checks=True)
    assert _verify(client, paper, text="x").status_code == 403


def test_public_page_for_journalists(paper):
    html = Client().get(paper.get_absolute_url()).content.decode()
    assert f"/statements/{paper.slug}/pdf/" in html
    assert f"/statements/{paper.slug}/docx/" in html
    assert record.revision_hash(paper.current_revision) in html
    assert "Online-Abstimmung" in html
    assert "Zitieren" in html and "Stellungnahme vom" in html
    assert "Pressestelle RTM" in html
    assert "/subscribe/" in html and "/statements/feed/about/" in html
    assert "<script" not in html.split("</header>")[-1].split("<footer")[0]


def test_feed_about_page_explains_and_links_the_raw_feed():
    response = Client().get("/statements/feed/about/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/statements/feed/"' in html and "Feedreader" in html
    assert Client().get("/statements/feed/")["Content-Type"].startswith("application/atom+xml")


def test_feed_and_api_link_the_pdf(paper):
    feed = Client().get("/statements/feed/").content.decode()
    assert 'rel="enclosure"' in feed and f"/statements/{paper.slug}/pdf/" in feed
    data = Client().get(f"/api/statements/{paper.slug}/").json()
    assert data["documents"]["pdf"].endswith(f"/statements/{paper.slug}/pdf/")
    assert data["content_hash"] == record.revision_hash(paper.current_revision)


def test_home_newest_exclude_retracted_but_archive_keeps_them(paper, coordinator):
    from tests.public.conftest import walk

    walk(paper, ["retract"], coordinator=coordinator)
    home = Client().get("/").content.decode()
    assert paper.title not in home
    archive = Client().get("/statements/").content.decode()
    assert paper.title in archive
