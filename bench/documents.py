"""Press documents (issue 19): PDF and DOCX of a 2,000-word position.

Run alone with `python -m bench documents`. Seeds one published position of 2,000 words
(8 sections, a list, 12 co-signing organisations) and measures, in-process:

- generating the PDF (WeasyPrint, PDF/UA-1, fonts embedded), with and without line numbers,
- generating the DOCX,
- serving the kept file on a second request (what every later reader gets),

and the files' sizes and page count. Writes the first page as PNG (pypdfium2, if
installed) to var/screenshots/issue19/pdf-page1.png.
"""

from __future__ import annotations

import io
import statistics
import time
from functools import partial

from bench import harness

RUNS = 2 if harness.QUICK else 5


def seed() -> object:
    from public.services import cosignature_add
    from statements.models import Statement
    from tests.factories import OrganisationFactory, UserFactory, make_statement

    sentence = (
        "Der Runde Tisch Migration fordert faire Verfahren, verlässliche Beratung und "
        "echte Teilhabe für alle Menschen im Landkreis. "
    )  # 16 words
    # 8 sections of 2 + 240 + 4 words: 1,968 words of body, about 2,000 with the title.
    body = "\n\n".join(
        f"## Abschnitt {i}\n\n{sentence * 15}\n\n- erste Forderung\n- zweite Forderung"
        for i in range(1, 9)
    )
    statement = make_statement(
        state="published",
        title="Unterbringung und Teilhabe: Forderungen an den Landkreis",
        body=body,
    )
    coordinator = UserFactory(display_name="Bench Koordination", is_coordinator=True)
    for n in range(12):
        org = OrganisationFactory(name=f"Verein {n:02d} für Integration e. V.")
        cosignature_add(statement=statement, organisation=org, actor=coordinator)
    return Statement.objects.select_related("current_revision").get(pk=statement.pk)


def _timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    value = fn()
    return (time.perf_counter() - t0) * 1000, value


def _read_kept(statement: object, kind: str, numbered: bool) -> bytes:
    from public import documents

    return documents.get_document(statement, kind, numbered=numbered).path.read_bytes()


def main() -> str:
    harness.setup()
    import shutil

    from django.conf import settings
    from pypdf import PdfReader

    from public import documents, record

    statement = seed()
    folder = harness.BENCH_DIR / "documents"
    settings.RTM_DOCUMENTS_DIR = folder
    words = len(record.html_text(statement.current_revision.body_html).split())

    rows = []
    first_pdf = b""
    for label, kind, numbered in (
        ("PDF", "pdf", False),
        ("PDF with line numbers", "pdf", True),
        ("DOCX", "docx", False),
    ):
        cold = []
        for _ in range(RUNS):
            shutil.rmtree(folder, ignore_errors=True)
            ms, doc = _timed(partial(documents.get_document, statement, kind, numbered=numbered))
            cold.append(ms)
        serve = partial(_read_kept, statement, kind, numbered)
        warm = [_timed(serve)[0] for _ in range(RUNS * 4)]
        data = doc.path.read_bytes()
        pages = len(PdfReader(io.BytesIO(data)).pages) if kind == "pdf" else None
        if kind == "pdf" and not numbered:
            first_pdf = data
        rows.append(
            f"| {label} | {statistics.median(cold):.0f} | {max(cold):.0f} | "
            f"{statistics.median(warm):.1f} | {len(data) / 1024:.0f} | {pages or '–'} |"
        )

    screenshot = "not written (pypdfium2 not installed)"
    try:
        import pypdfium2

        out = harness.ROOT / "var" / "screenshots" / "issue19"
        out.mkdir(parents=True, exist_ok=True)
        pdf = pypdfium2.PdfDocument(first_pdf)
        pdf[0].render(scale=1.5).to_pil().save(out / "pdf-page1.png")
        screenshot = "var/screenshots/issue19/pdf-page1.png"
    except ImportError:
        pass

    lines = [
        "## Press documents: PDF and DOCX of a 2,000-word position (issue 19)",
        "",
        f"One published position of {words} words (8 sections with lists), 12 co-signing "
        "organisations, QR code, content hash. Generated in-process (no HTTP), "
        f"{RUNS} cold runs each (the kept file deleted before each); a later request "
        "reads the kept file (`RTM_DOCUMENTS_DIR`), which is what every reader after the "
        "first gets. The public page itself is unchanged in cost: still one cache read and "
        "no SQL for anonymous readers; a fresh rendering has one query more (the adopted "
        f"ballot). First page of the PDF: {screenshot}.",
        "",
        "| document | generate p50 ms | generate max ms | kept file ms | size KiB | pages |",
        "|---|---:|---:|---:|---:|---:|",
        *rows,
    ]
    return "\n".join(lines) + "\n"
