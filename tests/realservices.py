"""Real services for tests: PostgreSQL checks, private Redis, a Celery worker, SMTP.

On a laptop without the services the tests that need them skip; in CI
(`RTM_REQUIRE_SERVICES=1`, set by .ci/run) a missing service is a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIRE = os.environ.get("RTM_REQUIRE_SERVICES", "") in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    """Skip locally, fail in CI."""
    if REQUIRE:
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


def require_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL=postgres://...)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


class PrivateRedis:
    """A redis-server of our own on a free port, so tests may stop and start it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="rtm-redis-")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if not binary:
            unavailable("redis-server is not installed")
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)


@dataclass
class SmtpSink:
    """What a real SMTP server (aiosmtpd) received."""

    port: int
    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.messages) < count:
            time.sleep(0.05)
        return list(self.messages)

    def recipients(self) -> list[str]:
        return [rcpt for _frm, rcpts in self.envelopes for rcpt in rcpts]


def _aiosmtpd_controller():
    """Import aiosmtpd's Controller despite our app named `public`.

    aiosmtpd does `from public import public` (the atpublic package), but our own
    `public` app shadows that module name. Lend our module atpublic's two decorators,
    loaded from atpublic's files under another name, before importing aiosmtpd.
    """
    import importlib
    import importlib.util
    from importlib.metadata import distribution

    ours = importlib.import_module("public")
    if not hasattr(ours, "public"):
        init = Path(str(distribution("atpublic").locate_file("public/__init__.py")))
        spec = importlib.util.spec_from_file_location(
            "_atpublic", init, submodule_search_locations=[str(init.parent)]
        )
        atpublic = importlib.util.module_from_spec(spec)
        sys.modules["_atpublic"] = atpublic
        spec.loader.exec_module(atpublic)
        ours.public = atpublic.public
        ours.private = atpublic.private
    from aiosmtpd.controller import Controller

    return Controller


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpSink]:
    """A real SMTP server on a free port; Django's mail goes to it over a socket."""
    Controller = _aiosmtpd_controller()

    port = free_port()
    sink = SmtpSink(port=port)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            sink.messages.append(message_from_bytes(envelope.original_content or envelope.content))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        controller.stop()


def shared_redis_url() -> str:
    """The machine's Redis (CI) on a database number tests may flush."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    return f"{base}/9"


def require_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not available here"
        unavailable(f"Redis at {url} unreachable: {exc}")


class WorkerProcess:
    """A real `celery worker` subprocess against a real broker and the test database."""

    def __init__(
        self,
        broker_url: str,
        extra_env: dict[str, str] | None = None,
        beat: bool = False,
        concurrency: int = 1,
        queues: str = "celery,mail",
    ) -> None:
        self.queues = queues
        self.broker_url = broker_url
        self.extra_env = extra_env or {}
        self.beat = beat
        self.concurrency = concurrency
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="rtm-worker-", suffix=".log", delete=False)

    def env(self) -> dict[str, str]:
        from django.conf import settings
        from django.db import connection

        db = settings.DATABASES["default"]
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="rtm_workflow.settings",
            DEBUG="true",
            DATABASE_URL=(
                f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
                f"{db['PORT'] or 5432}/{connection.settings_dict['NAME']}"
            ),
            CELERY_BROKER_URL=self.broker_url,
            REDIS_URL=self.broker_url,
            CELERY_TASK_ALWAYS_EAGER="false",
            RTM_VAR_DIR=tempfile.mkdtemp(prefix="rtm-worker-var-"),
        )
        env.update(self.extra_env)
        return env

    def start(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "rtm_workflow",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={self.concurrency}",
            "--pool=prefork",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            self.queues,
            "-n",
            f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
        ]
        if self.beat:
            cmd.append("--beat")
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("celery worker exited:\n" + self.output())
            if b"ready." in Path(self.log.name).read_bytes():
                return
            time.sleep(0.1)
        raise TimeoutError("celery worker did not become ready:\n" + self.output())

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-5000:]

    def kill(self) -> None:
        """SIGKILL the whole worker process group (main process and children)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def use_real_broker(settings):
    """Make this test process publish tasks to a real broker instead of running them eagerly."""
    from rtm_workflow.celery import app

    def configure(url: str) -> None:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = url
        app.conf.update(task_always_eager=False, broker_url=url)
        app._pool = None  # drop pooled connections to the old broker
        app.amqp._producer_pool = None  # and the producers bound to them

    yield configure
    app.conf.update(task_always_eager=True, broker_url=settings.CELERY_BROKER_URL)
    app._pool = None
    app.amqp._producer_pool = None


class ControllableSmtp:
    """A real SMTP server (aiosmtpd) whose behaviour a test switches at any moment.

    mode "ok" accepts; "hang" takes the whole message and never answers its end (the
    client must time out); "421" answers MAIL with 421 (busy, closing); recipients in
    `refuse` get 550. Everything the server took in full is in `received` (also the
    messages it then never answered), the ones it confirmed in `confirmed`.
    """

    def __init__(self, hostname: str = "127.0.0.1") -> None:
        # Another address than loopback: the scale test's hosts in network namespaces.
        self.hostname = hostname
        self.port = free_port()
        self.mode = "ok"
        self.refuse: set[str] = set()
        self.received: list[Message] = []
        self.confirmed: list[Message] = []
        self.controller = None

    def start(self) -> None:
        import asyncio

        Controller = _aiosmtpd_controller()
        server = self

        class Handler:
            async def handle_MAIL(self, srv, session, envelope, address, options):
                if server.mode == "421":
                    return "421 4.3.2 Service not available, try again later"
                envelope.mail_from = address
                return "250 OK"

            async def handle_RCPT(self, srv, session, envelope, address, options):
                if address in server.refuse:
                    return "550 5.1.1 No such user here"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, srv, session, envelope):
                message = message_from_bytes(envelope.original_content or envelope.content)
                server.received.append(message)
                if server.mode == "hang":
                    await asyncio.sleep(3600)
                server.confirmed.append(message)
                return "250 OK"

        self.controller = Controller(Handler(), hostname=self.hostname, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def configure(self, settings) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", self.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def controllable_smtp(settings) -> Iterator[ControllableSmtp]:
    server = ControllableSmtp()
    server.start()
    server.configure(settings)
    try:
        yield server
    finally:
        server.stop()
