"""A subject line that survives header folding.

Django encodes a non-ASCII subject with email.header.Header but without the header's
name, so the first encoded word fills a whole line and the generator folds it onto the
next: "Subject: \\n =?utf-8?…". Readers unfold that to a subject starting with a space
(issue 16). Encoding with header_name="Subject" leaves room for the name on line one.
"""

from __future__ import annotations

from email.header import Header
from email.message import Message
from typing import Any

from django.core.mail import EmailMessage


def with_folded_subject(message: EmailMessage) -> EmailMessage:
    """`message`, whose MIME form carries its subject folded after "Subject: "."""
    build = message.message

    def folded(*args: Any, **kwargs: Any) -> Any:
        mime = build(*args, **kwargs)
        subject = " ".join(str(message.subject).split())
        try:
            subject.encode("ascii")
        except UnicodeEncodeError:
            del mime["Subject"]
            # Message.__setitem__: Django's own would turn the Header back into a string.
            Message.__setitem__(mime, "Subject", Header(subject, "utf-8", header_name="Subject"))
        return mime

    message.message = folded  # type: ignore[method-assign]
    return message
