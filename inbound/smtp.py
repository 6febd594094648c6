"""The SMTP/LMTP listener for hosts that run their own MX: the MX (or its LMTP
delivery) hands mail for reply+…@RTM_REPLY_DOMAIN here; each message goes to receive().
The same listener takes the list's addresses (maillist/inbound.py): a member's personal
posting address becomes a post, bounces@ counts hard bounces. One listener, one port."""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import logging
import sys
from importlib.metadata import distribution
from pathlib import Path
from typing import Any

from django.db import close_old_connections, connections

from inbound.services import receive
from inbound.tokens import token_in_address
from maillist.inbound import BOUNCE_LOCAL, LOCAL, InboundRefused, bounces_record, post_from_mail

logger = logging.getLogger(__name__)


def _aiosmtpd() -> tuple[Any, Any]:
    """aiosmtpd's Controller and LMTP classes. aiosmtpd imports `public` (the atpublic
    package), a name our own app `public` holds; before importing aiosmtpd our module is
    given atpublic's two decorators, loaded from atpublic's file under another name."""
    ours = importlib.import_module("public")
    if not hasattr(ours, "public"):
        init = Path(str(distribution("atpublic").locate_file("public/__init__.py")))
        spec = importlib.util.spec_from_file_location(
            "_atpublic", init, submodule_search_locations=[str(init.parent)]
        )
        assert spec is not None and spec.loader is not None
        atpublic = importlib.util.module_from_spec(spec)
        sys.modules["_atpublic"] = atpublic
        spec.loader.exec_module(atpublic)
        ours.public = atpublic.public  # type: ignore[attr-defined]
        ours.private = atpublic.private  # type: ignore[attr-defined]
    from aiosmtpd.controller import Controller
    from aiosmtpd.lmtp import LMTP

    return Controller, LMTP


def _process(raw: bytes, recipients: list[str]) -> None:
    close_old_connections()
    try:
        receive(raw, envelope_recipients=recipients)
    finally:
        connections.close_all()  # this executor thread's own connections


def _is_list_address(address: str) -> bool:
    local = address.split("@", 1)[0].lower()
    return local == BOUNCE_LOCAL or local.startswith(LOCAL + "+")


def _list_mail(raw: bytes, recipient: str) -> str | None:
    """Hand one list address's message to maillist; the refusal's reason, or None."""
    close_old_connections()
    try:
        if recipient.lower().startswith(BOUNCE_LOCAL + "@"):
            bounces_record(raw=raw)  # a delivery status notification
        else:
            post_from_mail(raw=raw, recipient=recipient)
    except InboundRefused as refusal:
        return str(refusal.message)
    finally:
        connections.close_all()
    return None


class Handler:
    async def handle_RCPT(  # aiosmtpd's hook names
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list
    ) -> str:
        # Unknown recipients are refused here, never bounced later (no backscatter).
        if token_in_address(address) is None and not _is_list_address(address):
            return "550 5.1.1 No such reply address"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        loop = asyncio.get_running_loop()
        replies = [r for r in envelope.rcpt_tos if token_in_address(r) is not None]
        for recipient in [r for r in envelope.rcpt_tos if r not in replies]:
            refusal = await loop.run_in_executor(None, _list_mail, raw, recipient)
            if refusal is not None:
                return f"550 5.7.1 {refusal}"
        if not replies:
            return "250 OK"
        try:
            # The ORM is synchronous: run the service outside the event loop.
            await loop.run_in_executor(None, _process, raw, replies)
        except Exception:
            logger.exception("inbound: message from %s could not be processed", envelope.mail_from)
            return "451 4.3.0 Temporary failure, please retry"
        return "250 Message accepted"


def controller(host: str, port: int, *, lmtp: bool = False) -> Any:
    controller_class, lmtp_class = _aiosmtpd()
    cls = controller_class
    if lmtp:

        class LMTPController(controller_class):  # type: ignore[misc, valid-type]
            def factory(self) -> Any:
                return lmtp_class(self.handler, **self.SMTP_kwargs)

        cls = LMTPController
    # The message as received (bytes), size limited like an ordinary MX.
    return cls(Handler(), hostname=host, port=port, decode_data=False, data_size_limit=25_000_000)
