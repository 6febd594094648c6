"""List posts made by the meeting features (issue 18 item 1): when the coordination
sends a meeting's invitation, a "Termin" post; when minutes are approved, a "Protokoll"
post, written from the meeting itself, not retyped.

The meetings app (a layer above) calls these two functions from its services, in its
own transaction, handing over its objects; this module reads their attributes only and
imports nothing of meetings. Each post has an `origin` ("meeting:<pk>:invitation"), so a
second call changes nothing.

Who reads them: a public meeting's invitation is a public post (archive, feed, outside
subscribers who chose "Termin"); a members-only meeting's stays with the members. Minutes:
for a public meeting with a public part, that part as a public post (the full minutes
stay on the meeting's page for members); otherwise the full minutes, members only. The
members already had the meeting's own mail (the invitation with its .ics, "Protokoll
genehmigt"), so these posts are not mailed to them again
(notifications.recipients.list_readers): they are the archive's copy and the outside
subscribers' mail. Written in the site's language (German), as a post is.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.events import EventKind, emit
from core.text import clean_line
from maillist.models import Post, PostState, PostType
from statements.markdown import render


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _post(
    *, origin: str, post_type: str, title: str, body: str, is_public: bool, actor: Any
) -> Post:
    existing = Post.objects.filter(origin=origin).first()
    if existing is not None:
        return existing
    now = timezone.now()
    post = Post.objects.create(
        origin=origin,
        post_type=post_type,
        title=clean_line(title)[:200],
        body=body,
        body_html=render(body),
        is_public=is_public,
        author=actor if getattr(actor, "pk", None) else None,
        sender_name="" if getattr(actor, "pk", None) else _("Koordination"),
        state=PostState.SENT,
        created_at=now,
        sent_at=now,
    )
    emit(EventKind.LIST_POST, actor=actor if getattr(actor, "pk", None) else None, target=post)
    return post


@transaction.atomic
def meeting_invitation_post(*, meeting: Any, actor: Any) -> Post:
    """The "Termin" post for a meeting whose invitation was just sent."""
    with translation.override(settings.LANGUAGE_CODE):
        start = timezone.localtime(meeting.starts_at)
        end = timezone.localtime(meeting.ends_at)
        when = f"{date_format(start, 'l, j. F Y, H:i')}–{date_format(end, 'H:i')}"
        place = meeting.place
        lines = [
            _("Einladung zum Treffen des Runden Tisches Migration."),
            "",
            f"- **{_('Wann')}:** {when}",
            f"- **{_('Wo')}:** {place.name}, {place.address}, {place.town}",
        ]
        if getattr(meeting, "guests_welcome", False) and meeting.is_public:
            lines.append(f"- {_('Gäste sind willkommen.')}")
        lines += [
            "",
            _("Tagesordnung und Anmeldung: %(url)s")
            % {"url": _absolute(meeting.get_absolute_url())},
        ]
        title = _("Einladung: %(meeting)s am %(day)s") % {
            "meeting": meeting.display_title,
            "day": date_format(start, "j. F Y"),
        }
    return _post(
        origin=f"meeting:{meeting.pk}:invitation",
        post_type=PostType.DATE,
        title=title,
        body="\n".join(lines),
        is_public=bool(meeting.is_public),
        actor=actor,
    )


@transaction.atomic
def minutes_post(*, minutes: Any, actor: Any, minutes_url: str) -> Post | None:
    """The "Protokoll" post for approved minutes (None without a text)."""
    meeting = minutes.meeting
    revision = minutes.current_revision
    if revision is None:
        return None
    public = bool(meeting.is_public) and bool(revision.public_body.strip())
    body = revision.public_body if public else revision.body
    with translation.override(settings.LANGUAGE_CODE):
        day = date_format(timezone.localtime(meeting.starts_at), "j. F Y")
        title = _("Protokoll: %(meeting)s am %(day)s") % {
            "meeting": meeting.display_title,
            "day": day,
        }
        if public:
            note = _(
                "Öffentlicher Teil des genehmigten Protokolls. Vollständig für Mitglieder: %(url)s"
            )
        else:
            note = _("Genehmigtes Protokoll. Auf der Website: %(url)s")
        body = f"{body.strip()}\n\n---\n\n{note % {'url': _absolute(minutes_url)}}"
    return _post(
        origin=f"meeting:{meeting.pk}:minutes",
        post_type=PostType.MINUTES,
        title=title,
        body=body,
        is_public=public,
        actor=actor,
    )
