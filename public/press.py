"""What a journalist needs around a public position: share links and the /verify/ check."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from public import documents, record
from statements.models import Statement

VERIFY_TEXT_MAX = 200_000


def share_links(title: str, url: str) -> list[tuple[str, str]]:
    """(label, href) pairs: plain links, no script and nothing loaded from elsewhere."""
    text = f"{title} {url}"
    return [
        (_("E-Mail"), "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote)),
        (
            "Bluesky",
            "https://bsky.app/intent/compose?" + urlencode({"text": text}, quote_via=quote),
        ),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": text}, quote_via=quote)),
        (
            "Telegram",
            "https://t.me/share/url?" + urlencode({"url": url, "text": title}, quote_via=quote),
        ),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
    ]


class VerifyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text einfügen"),
        required=False,
        max_length=VERIFY_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=False,
    )
    pdf = forms.FileField(
        label=gettext_lazy("oder PDF-Datei hochladen"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_pdf(self) -> object:
        upload = self.cleaned_data.get("pdf")
        if upload is not None and upload.size > settings.RTM_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Die Datei ist zu groß."))
        return upload

    def clean(self) -> dict:
        data = super().clean()
        has_text = bool((data.get("text") or "").strip())
        if has_text == bool(data.get("pdf")):
            raise forms.ValidationError(
                _("Bitte fügen Sie entweder einen Text ein oder laden Sie eine PDF-Datei hoch.")
            )
        return data


@dataclass(frozen=True)
class Outcome:
    matched: record.AdoptedVersion | None
    checked_hash: str
    source: str  # "text" or "pdf"
    error: str = ""


def _letters(text: str) -> str:
    """Only the letters: line numbers, list markers, hyphen-free wraps and spacing of a
    PDF's visible text do not matter, the words do."""
    return "".join(ch for ch in record.canonicalise(text) if ch.isalpha())


def check(statement: Statement, form: VerifyForm) -> Outcome:
    """Compare a pasted text, or an uploaded PDF, with the adopted versions.

    A PDF matches when its embedded canonical text (documents.ATTACHMENT_NAME) is an
    adopted version's and its visible text carries the same title and wording (letters
    compared, so that a PDF whose embedded copy was kept but whose visible text was
    replaced does not pass).
    """
    upload = form.cleaned_data.get("pdf")
    if not upload:
        text = form.cleaned_data["text"]
        return Outcome(record.match(statement, text), record.content_hash(text), "text")
    data = upload.read()
    if not data.startswith(b"%PDF-"):
        return Outcome(None, "", "pdf", _("Das ist keine PDF-Datei."))
    try:
        embedded, visible = documents.embedded_text(data)
    except Exception:  # noqa: BLE001 - any malformed upload: a form error, never a 500
        return Outcome(None, "", "pdf", _("Die PDF-Datei konnte nicht gelesen werden."))
    if embedded is None:
        return Outcome(
            None, "", "pdf", _("Diese PDF-Datei enthält keinen Wortlaut dieser Plattform.")
        )
    version = record.match(statement, embedded)
    if version is not None:
        shown = _letters(visible)
        title = _letters(version.revision.title)
        body = _letters(record.html_text(version.revision.body_html))
        if title not in shown or body not in shown:
            version = None
    return Outcome(version, record.content_hash(embedded), "pdf")
