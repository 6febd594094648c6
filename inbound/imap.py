"""Polling a mailbox (for a group whose reply address is a mailbox at a provider):
fetch the unseen messages, hand each to receive(), then mark it seen and, when
RTM_IMAP_DONE_MAILBOX is set, move it there. Idempotent: a message is flagged only
after it was processed, and processing the same Message-ID again creates nothing."""

from __future__ import annotations

import imaplib
import logging
import re

from django.conf import settings

from inbound.services import receive

logger = logging.getLogger(__name__)


def _quote(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def connect() -> imaplib.IMAP4:
    cls = imaplib.IMAP4_SSL if settings.RTM_IMAP_SSL else imaplib.IMAP4
    client = cls(settings.RTM_IMAP_HOST, settings.RTM_IMAP_PORT, timeout=30)
    client.login(settings.RTM_IMAP_USER, settings.RTM_IMAP_PASSWORD)
    return client


def _can_move(client: imaplib.IMAP4) -> bool:
    status, data = client.capability()  # after login: the full list
    words = b" ".join(d for d in data if isinstance(d, bytes)).decode(errors="replace")
    return status == "OK" and re.search(r"\bMOVE\b", words) is not None


def poll(client: imaplib.IMAP4 | None = None) -> int:
    """Process every unseen message once; returns how many were processed."""
    own = client is None
    client = client or connect()
    processed = 0
    try:
        status, _data = client.select(_quote(settings.RTM_IMAP_MAILBOX))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot select {settings.RTM_IMAP_MAILBOX}")
        status, data = client.uid("SEARCH", None, "UNSEEN")
        uids = data[0].split() if status == "OK" and data and data[0] else []
        for uid in uids:
            status, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
            if status != "OK" or raw is None:
                continue
            try:
                receive(raw)
            except Exception:
                # Left unseen: tried again at the next poll (replays create nothing).
                logger.exception("inbound: message uid %s could not be processed", uid)
                continue
            processed += 1
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            done = settings.RTM_IMAP_DONE_MAILBOX
            if done:
                if _can_move(client):
                    client.uid("MOVE", uid, _quote(done))
                else:
                    client.uid("COPY", uid, _quote(done))
                    client.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
        if settings.RTM_IMAP_DONE_MAILBOX and processed:
            client.expunge()
    finally:
        if own:
            try:
                client.logout()
            except (OSError, imaplib.IMAP4.error):
                pass
    return processed
