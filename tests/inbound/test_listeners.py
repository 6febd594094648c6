"""The two real inbound paths: `manage.py inbound_mail` (aiosmtpd, SMTP or LMTP) and
`manage.py poll_imap` against a Dovecot the test starts."""

from __future__ import annotations

import os
import shutil
import smtplib
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from discussion.models import Comment
from inbound.models import Decision, InboundMessage
from inbound.smtp import controller
from tests.inbound.conftest import DOMAIN, address_for, raw_reply
from tests.inbound.test_receive import TYPED
from tests.realservices import (
    ROOT,
    free_port,
    require_postgres,
    smtp_server,  # noqa: F401 (fixture)
    unavailable,
    wait_for_port,
)


def _wait_for(predicate, what: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _database_url() -> str:
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    return (
        f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{connection.settings_dict['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_inbound_mail_command_receives_a_reply_over_smtp_and_bounces_a_forgery(
    thread,
    author,
    smtp_server,  # noqa: F811
):
    require_postgres()
    port = free_port()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="rtm_workflow.settings",
        DEBUG="true",
        DATABASE_URL=_database_url(),
        RTM_REPLY_DOMAIN=DOMAIN,
        CELERY_TASK_ALWAYS_EAGER="true",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server.port),
        EMAIL_USE_TLS="false",
        RTM_VAR_DIR=tempfile.mkdtemp(prefix="rtm-inbound-var-"),
    )
    log = tempfile.NamedTemporaryFile(prefix="rtm-inbound-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "inbound_mail", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, timeout=30)
        to = address_for(author, thread)
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            raw = raw_reply("thunderbird_de.eml", to=to, sender=author.email, message_id="s1@mua")
            client.sendmail(author.email, [to], raw)
            forged = to.replace("reply+c", "reply+s", 1)
            raw = raw_reply("gmail_de.eml", to=forged, sender=author.email, message_id="s2@mua")
            client.sendmail(author.email, [forged], raw)
            # Not a reply address: refused in the SMTP dialogue, nothing stored.
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                client.sendmail(author.email, [f"info@{DOMAIN}"], raw)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    output = Path(log.name).read_text(errors="replace")
    assert "inbound_mail: SMTP on" in output, output
    [reply] = Comment.objects.filter(parent=thread)
    assert (reply.author, reply.body) == (author, TYPED["thunderbird_de.eml"])
    assert InboundMessage.objects.get(message_key="<s2@mua>").decision == Decision.FORGED
    bounces = _wait_for(
        lambda: [m for m in smtp_server.messages if m.get("X-RTM-Inbound") == "forged"], "bounce"
    )
    assert bounces[0]["To"] == author.email


@pytest.mark.django_db(transaction=True)
def test_the_listener_speaks_lmtp_for_a_local_mta(thread, author):
    port = free_port()
    server = controller("127.0.0.1", port, lmtp=True)
    server.start()
    try:
        to = address_for(author, thread)
        raw = raw_reply("outlook_de.eml", to=to, sender=author.email, message_id="l1@mua")
        with smtplib.LMTP("127.0.0.1", port) as client:
            assert client.sendmail(author.email, [to], raw) == {}
    finally:
        server.stop()
    [reply] = Comment.objects.filter(parent=thread)
    assert reply.body == TYPED["outlook_de.eml"]


# --- IMAP: a real Dovecot -------------------------------------------------------------


class Dovecot:
    user, password = "antwort", "geheim-imap-2026"

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="rtm-dovecot-"))
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def config(self) -> Path:
        d = self.dir
        d.chmod(0o755)  # Dovecot's own processes (auth, login) read below it
        for sub in ("run", "state", "home"):
            (d / sub).mkdir()
        (d / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}::::::\n")
        if os.geteuid() == 0:
            # Dovecot gives no mail access as root: the mail belongs to nobody.
            uid = gid = 65534
            os.chown(d / "home", uid, gid)
            users = ""
        else:
            import pwd

            uid, gid = os.getuid(), os.getgid()
            name = pwd.getpwuid(uid).pw_name
            users = f"default_internal_user = {name}\ndefault_login_user = {name}\n"
        conf = d / "dovecot.conf"
        conf.write_text(
            f"""protocols = imap
listen = 127.0.0.1
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
first_valid_uid = 1
{users}passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
        )
        return conf

    def start(self) -> None:
        binary = shutil.which("dovecot") or (
            "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
        )
        if binary is None:
            unavailable("needs Dovecot (apt-get install dovecot-imapd)")
        self.proc = subprocess.Popen(
            [binary, "-F", "-c", str(self.config())],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(self.port, timeout=20)
        except TimeoutError as error:
            log = self.dir / "dovecot.log"
            message = log.read_text() if log.exists() else "dovecot did not start"
            raise RuntimeError(message) from error

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        shutil.rmtree(self.dir, ignore_errors=True)

    def client(self):
        import imaplib

        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=20)
        client.login(self.user, self.password)
        return client


@pytest.fixture
def dovecot(settings) -> Iterator[Dovecot]:
    server = Dovecot()
    server.start()
    settings.RTM_IMAP_HOST = "127.0.0.1"
    settings.RTM_IMAP_PORT = server.port
    settings.RTM_IMAP_SSL = False
    settings.RTM_IMAP_USER = server.user
    settings.RTM_IMAP_PASSWORD = server.password
    settings.RTM_IMAP_MAILBOX = "INBOX"
    settings.RTM_IMAP_DONE_MAILBOX = ""
    try:
        yield server
    finally:
        server.stop()


def _append(server: Dovecot, *messages: bytes) -> None:
    client = server.client()
    for raw in messages:
        status, _ = client.append("INBOX", None, None, raw)
        assert status == "OK"
    client.logout()


def _count(server: Dovecot, mailbox: str, criterion: str) -> int:
    client = server.client()
    client.select(mailbox)
    _status, data = client.uid("SEARCH", None, criterion)
    client.logout()
    return len(data[0].split())


@pytest.mark.django_db
def test_poll_imap_processes_each_unseen_reply_once(
    dovecot, thread, author, django_capture_on_commit_callbacks
):
    to = address_for(author, thread)
    good = raw_reply("gmail_de.eml", to=to, sender=author.email, message_id="i1@mua")
    wrong = raw_reply("outlook_de.eml", to=to, sender="x@example.net", message_id="i2@mua")
    _append(dovecot, good, wrong, good)  # the last one: the same message delivered twice

    with django_capture_on_commit_callbacks(execute=True):
        call_command("poll_imap")
    assert [c.body for c in Comment.objects.filter(parent=thread)] == [TYPED["gmail_de.eml"]]
    assert _count(dovecot, "INBOX", "UNSEEN") == 0
    bounced = sorted(m.extra_headers["X-RTM-Inbound"] for m in mail.outbox if m.to != [])
    assert "wrong_sender" in bounced and "replay" in bounced

    # Polling again finds nothing new and creates nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("poll_imap")
    assert Comment.objects.filter(parent=thread).count() == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_poll_imap_moves_processed_mail_when_told(dovecot, thread, author, settings):
    client = dovecot.client()
    assert client.create("Erledigt")[0] == "OK"
    client.logout()
    settings.RTM_IMAP_DONE_MAILBOX = "Erledigt"
    to = address_for(author, thread)
    _append(dovecot, raw_reply("thunderbird_de.eml", to=to, sender=author.email, message_id="m@x"))

    call_command("poll_imap")
    assert _count(dovecot, "INBOX", "ALL") == 0
    assert _count(dovecot, "Erledigt", "ALL") == 1
    assert Comment.objects.filter(parent=thread).count() == 1
