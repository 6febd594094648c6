"""Mail backends for tests that need a mail server to misbehave."""

from __future__ import annotations


class DownBackend:
    """A mail server that is down: every send is refused."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def send_messages(self, messages) -> int:
        raise ConnectionRefusedError("SMTP down")
