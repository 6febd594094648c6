"""import_mbox: an archive of 200+ messages in mixed encodings, written here with the
standard library, imported twice gives the same archive."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime, timedelta
from email.charset import BASE64, QP, Charset
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from maillist.models import Post
from notifications.models import Notification

pytestmark = pytest.mark.django_db

START = datetime(2019, 1, 7, 9, 30, tzinfo=UTC)
NAMES = ["Jürgen Müller", "Ayşe Yılmaz", "Zoë Weiß", "Ole Krüger"]


def _text(body: str, charset: str, encoding: str | None) -> MIMEText:
    if encoding is None:  # 8bit in the declared charset
        part = MIMEText(body, "plain", charset)
        return part
    cs = Charset(charset)
    cs.body_encoding = {"qp": QP, "base64": BASE64}[encoding]
    part = MIMEText("", "plain")
    part.set_payload(body, cs)
    return part


def build_message(i: int):
    """Message i: the encodings cycle, every fifth is a reply, every seventh multipart."""
    name = NAMES[i % len(NAMES)]
    charset, encoding = [
        ("utf-8", "qp"),
        ("utf-8", "base64"),
        ("iso-8859-1", "qp"),
        ("iso-8859-1", None),
        ("utf-8", None),
    ][i % 5]
    body = f"Nachricht {i}: Grüße aus Grimma, Übergangswohnheim, Straße {i}.\n"
    if i % 7 == 0:
        message = MIMEMultipart("alternative")
        message.attach(_text(body, charset, encoding))
        message.attach(MIMEText(f"<p>{body}</p>", "html", "utf-8"))
    else:
        message = _text(body, charset, encoding)
    subject = f"Sitzung Nr. {i}: Förderung für Vereine"
    message["Subject"] = Header(subject, charset).encode() if i % 2 else subject
    message["From"] = formataddr((name, f"person{i % 4}@example.org"), charset="utf-8")
    message["To"] = "verteiler@example.org"
    message["Date"] = format_datetime(START + timedelta(hours=i))
    if i % 11 != 3:  # a few messages have no Message-ID at all
        message["Message-ID"] = f"<msg{i}@list.example.org>"
    if i % 5 == 4 and i > 4:
        parent = i - 4
        message["In-Reply-To"] = f"<msg{parent}@list.example.org>"
        message["References"] = f"<msg{parent - 1}@list.example.org> <msg{parent}@list.example.org>"
    return message


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "verteiler.mbox"
    box = mailbox.mbox(str(path))
    for i in range(210):
        box.add(build_message(i))
    box.flush()
    box.close()
    return path


def snapshot():
    return sorted(
        Post.objects.values_list(
            "message_id", "title", "sender_name", "sent_at", "body", "parent__message_id"
        )
    )


def test_importing_twice_gives_the_same_archive(archive):
    out = StringIO()
    call_command("import_mbox", str(archive), stdout=out)
    assert "210 messages imported" in out.getvalue()
    first = snapshot()
    call_command("import_mbox", str(archive), stdout=(out := StringIO()))
    assert "0 messages imported, 210 already" in out.getvalue()
    assert snapshot() == first and len(first) == 210
    assert not Notification.objects.exists()  # the old archive is never mailed again


@pytest.mark.parametrize("i", [0, 1, 2, 3, 4, 7, 9])
def test_every_encoding_is_decoded(archive, i):
    call_command("import_mbox", str(archive), stdout=StringIO())
    post = Post.objects.get(sent_at=START + timedelta(hours=i))
    assert post.title == f"Sitzung Nr. {i}: Förderung für Vereine"
    assert post.sender_name == NAMES[i % 4]
    assert post.body.strip() == f"Nachricht {i}: Grüße aus Grimma, Übergangswohnheim, Straße {i}."
    assert post.imported and not post.is_public


def test_threads_follow_in_reply_to(archive, client_for, member):
    call_command("import_mbox", str(archive), stdout=StringIO())
    reply = Post.objects.get(message_id="<msg9@list.example.org>")
    assert reply.parent.message_id == "<msg5@list.example.org>"
    page = client_for(member).get(reply.parent.get_absolute_url()).text
    assert reply.title in page  # the parent lists its replies
    # Imported posts are members-only.
    assert client_for(None).get(reply.get_absolute_url()).status_code == 404


def test_a_message_without_message_id_is_still_imported_once(archive):
    call_command("import_mbox", str(archive), stdout=StringIO())
    call_command("import_mbox", str(archive), stdout=StringIO())
    assert Post.objects.filter(message_id__endswith="@import.invalid>").count() == len(
        [i for i in range(210) if i % 11 == 3]
    )


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_mbox", str(tmp_path / "nope.mbox"))


def test_the_archive_lists_imported_posts_for_members(archive, client_for, member):
    call_command("import_mbox", str(archive), stdout=StringIO())
    page = client_for(member).get(reverse("maillist:archive")).text
    assert "Sitzung Nr. 209" in page and "Ayşe Yılmaz" in page
