"""The typed text of a reply: the plain body (or the HTML one reduced to text), with
the quoted history, the sign-off and the signature cut off by `mail-parser-reply`
(which knows German clients' "Am … schrieb …:" and Outlook's "Von:/Gesendet:" blocks)."""

from __future__ import annotations

import html
import re
from email.message import EmailMessage

from mailparser_reply import EmailReplyParser

_PARSER_LANGUAGES = ["de", "en"]
# Where a reply in HTML stops and the quoted history starts (Gmail, Outlook, Thunderbird).
_HTML_QUOTE = re.compile(
    r'<(?:div|blockquote)[^>]*(?:class="gmail_quote|id="divRplyFwdMsg|id="appendonsend'
    r'|class="moz-cite-prefix|type="cite)',
    re.IGNORECASE,
)


def _html_to_text(markup: str) -> str:
    cut = _HTML_QUOTE.search(markup)
    if cut:
        markup = markup[: cut.start()]
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", "", markup)
    markup = re.sub(r"(?i)<br\s*/?>", "\n", markup)
    markup = re.sub(r"(?i)</(p|div|li|h\d)>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or lying charset
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if part.get_content_subtype() == "html":
        content = _html_to_text(content)
    return content


def _cut_signature(text: str) -> str:
    """Everything from the standard signature delimiter "-- " on is the signature."""
    lines = text.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        if line in ("-- ", "--"):
            return "\n".join(lines[:index])
    return text


def typed_text(message: EmailMessage) -> str:
    text = _cut_signature(body_text(message))
    parsed = EmailReplyParser(languages=_PARSER_LANGUAGES).read(text=text)
    if not parsed.replies or parsed.replies[0].headers:
        return ""  # nothing above the first quoted header: nothing typed
    reply = parsed.replies[0].body
    lines = reply.split("\n")
    while lines and (lines[-1].startswith(">") or not lines[-1].strip()):
        lines.pop()  # a quoted block at the end without a header line
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
