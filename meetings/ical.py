"""iCalendar (RFC 5545/5546) for meetings and deadlines, built with the icalendar library.

- Each meeting has one UID for life (`meeting-<uuid>@<site>`); its SEQUENCE is the
  meeting's counter, raised by every change a calendar must apply (meetings.services).
  An invitation (METHOD:REQUEST) and a later update or cancellation (METHOD:CANCEL,
  STATUS:CANCELLED) therefore replace the same entry in the reader's calendar.
- Times are written in local time with TZID=Europe/Berlin and one VTIMEZONE with the
  EU rule (last Sunday of March / October) as RRULE, so a program without a time-zone
  database shows 18:00 in January and in July alike.
- Deadlines in the personal feed (consultation and voting) are short events whose UID
  names the paper, the phase and the round, so a moved deadline updates the entry.
- Funding-hint deadlines (maillist) are dates, not moments: all-day events
  (DTSTART;VALUE=DATE) whose UID names the hint (`funding-hint-<pk>@<site>`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting, MeetingStatus

PRODID = "-//Runder Tisch Migration Landkreis Leipzig//RTM Positionen//DE"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.uid}@{_domain()}"


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def berlin_vtimezone() -> icalendar.Timezone:
    """Europe/Berlin as the EU rule since 1996 (what every current date follows)."""
    tz = icalendar.Timezone()
    tz.add("tzid", settings.TIME_ZONE)
    summer = icalendar.TimezoneDaylight()
    summer.add("tzname", "CEST")
    # VTIMEZONE onsets are local wall-clock times by definition (RFC 5545, 3.6.5).
    summer.add("dtstart", dt.datetime(1996, 3, 31, 2, 0))  # noqa: DTZ001
    summer.add("tzoffsetfrom", dt.timedelta(hours=1))
    summer.add("tzoffsetto", dt.timedelta(hours=2))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = icalendar.TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", dt.datetime(1996, 10, 27, 3, 0))  # noqa: DTZ001
    winter.add("tzoffsetfrom", dt.timedelta(hours=2))
    winter.add("tzoffsetto", dt.timedelta(hours=1))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _calendar(name: str, method: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add_component(berlin_vtimezone())
    return cal


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


def _description(meeting: Meeting, agenda: Iterable[str] = ()) -> str:
    place = meeting.place
    where, transit, host = _("Ort"), _("Anreise mit Bus und Bahn"), _("Gastgebende Organisation")
    lines = [meeting.display_title, "", f"{where}: {place.name}, {place.address}, {place.town}"]
    if place.transit:
        lines.append(f"{transit}: {place.transit}")
    lines.append(_("Stufenloser Zugang: ja") if place.step_free else _("Stufenloser Zugang: nein"))
    if place.host_id:
        lines.append(f"{host}: {place.host.name}")
    if meeting.dial_in:
        lines.append(_("Online-Zugang: %(link)s") % {"link": meeting.dial_in})
    if meeting.status == MeetingStatus.CANCELLED:
        lines += ["", _("Abgesagt: %(reason)s") % {"reason": meeting.cancel_reason}]
    elif meeting.change_note:
        lines += ["", _("Geändert: %(reason)s") % {"reason": meeting.change_note}]
    agenda = list(agenda)
    if agenda:
        lines += ["", _("Tagesordnung") + ":"] + [f"{i}. {t}" for i, t in enumerate(agenda, 1)]
    lines += ["", _absolute(meeting.get_absolute_url())]
    return "\n".join(lines)


def meeting_event(
    meeting: Meeting,
    *,
    attendee: Any | None = None,
    agenda: Iterable[str] = (),
    stamp: dt.datetime | None = None,
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp or timezone.now())
    event.add("last-modified", meeting.updated_at)
    event.add("created", meeting.created_at)
    event.add("dtstart", _local(meeting.starts_at))
    event.add("dtend", _local(meeting.ends_at))
    event.add("summary", meeting.display_title)
    place = meeting.place
    event.add("location", f"{place.name}, {place.address}, {place.town}")
    event.add("description", _description(meeting, agenda))
    event.add("url", _absolute(meeting.get_absolute_url()))
    event.add(
        "status",
        {
            MeetingStatus.CANCELLED: "CANCELLED",
            MeetingStatus.PLANNED: "TENTATIVE",
        }.get(meeting.status, "CONFIRMED"),
    )
    event.add("class", "PUBLIC" if meeting.is_public else "PRIVATE")
    if attendee is not None:
        # RFC 5546: a REQUEST names the organiser and the invited person.
        organiser = icalendar.vCalAddress(f"mailto:{_organiser_address()}")
        organiser.params["cn"] = icalendar.vText("RTM Koordination")
        event.add("organizer", organiser)
        person = icalendar.vCalAddress(f"mailto:{attendee.email}")
        person.params["cn"] = icalendar.vText(str(attendee))
        person.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        person.params["rsvp"] = icalendar.vText("FALSE")
        event.add("attendee", person)
    return event


def _organiser_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "positionen@example.org"


def meetings_calendar(meetings: Iterable[Meeting], *, name: str) -> bytes:
    cal = _calendar(name)
    for meeting in meetings:
        cal.add_component(meeting_event(meeting))
    return cal.to_ical()


def invitation(meeting: Meeting, *, attendee: Any, agenda: Iterable[str] = ()) -> bytes:
    """The .ics attached to an invitation, change or cancellation mail (RFC 5546)."""
    method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"
    cal = _calendar(_("Treffen des RTM"), method=method)
    cal.add_component(meeting_event(meeting, attendee=attendee, agenda=agenda))
    return cal.to_ical()


def deadline_event(
    *, uid: str, summary: str, at: dt.datetime, url: str, changed: dt.datetime
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@{_domain()}")
    event.add("dtstamp", timezone.now())
    event.add("last-modified", changed)
    event.add("dtstart", _local(at - dt.timedelta(minutes=30)))
    event.add("dtend", _local(at))
    event.add("summary", summary)
    event.add("url", _absolute(url))
    event.add("description", _absolute(url))
    event.add("transp", "TRANSPARENT")
    return event


def all_day_event(
    *, uid: str, summary: str, day: dt.date, url: str, details: str, changed: dt.datetime
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@{_domain()}")
    event.add("dtstamp", timezone.now())
    event.add("last-modified", changed)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", _absolute(url))
    event.add("description", "\n".join(p for p in (details, _absolute(url)) if p))
    event.add("transp", "TRANSPARENT")
    return event


def personal_calendar(
    *, meetings: Iterable[Meeting], deadlines: Iterable[dict], funding: Iterable[dict] = ()
) -> bytes:
    cal = _calendar(_("RTM: meine Termine"))
    for meeting in meetings:
        cal.add_component(meeting_event(meeting))
    for deadline in deadlines:
        cal.add_component(deadline_event(**deadline))
    for hint in funding:
        cal.add_component(all_day_event(**hint))
    return cal.to_ical()


def feed_url(token: str) -> str:
    return _absolute(reverse("meetings:personal_feed", kwargs={"token": token}))
