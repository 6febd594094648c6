"""The people, papers and objects the authorization matrix runs against."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from accounts.models import Invitation
from tests.factories import (
    OrganisationFactory,
    TopicFactory,
    UserFactory,
    confirm_membership,
    make_statement,
)

ROLES = ("visitor", "registered", "member", "author", "coauthor", "coordinator", "suspended")
STATES = (
    "draft",
    "consultation",
    "voting",
    "accepted",
    "rejected",
    "published",
    "retracted",
    "withdrawn",
)


@dataclass
class World:
    users: dict[str, Any]
    statements: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, role: str, *, csrf: bool = False) -> Client:
        key = f"{role}:{csrf}"
        if key not in self.clients:
            client = Client(enforce_csrf_checks=csrf)
            client.raise_request_exception = False  # a 500 is an answer the matrix reports
            if self.users[role] is not None:
                client.force_login(self.users[role])
            self.clients[key] = client
        return self.clients[key]


def build_world() -> World:
    from accounts.services import admission_request_create
    from discussion.services import comment_create, comment_report
    from statements.markdown import blocks

    author = UserFactory(display_name="Anna Autorin")
    coauthor = UserFactory(display_name="Carl Koautor")
    users = {
        "visitor": None,
        "registered": UserFactory(display_name="Rita Registriert", membership_status="registered"),
        "member": UserFactory(display_name="Mia Mitglied"),
        "author": author,
        "coauthor": coauthor,
        "coordinator": UserFactory(display_name="Kora Koordination", is_coordinator=True),
        "suspended": UserFactory(display_name="Sven Gesperrt", membership_status="suspended"),
    }
    statements = {
        state: make_statement(
            author=author, coauthors=[coauthor], state=state, title=f"Matrix {state}"
        )
        for state in STATES
    }
    consultation = statements["consultation"]
    block = blocks(consultation.current_revision.body)[0]
    comment = comment_create(
        statement=consultation,
        author=users["member"],
        body="Ein Vorschlag.",
        block_id=block.id,
        suggestion_text="Ein besserer erster Absatz.",
    )
    report = comment_report(comment=comment, reporter=coauthor, reason="Bitte prüfen.")
    applicant = UserFactory(display_name="Bea Bewerberin", membership_status="registered")
    admission = admission_request_create(
        user=applicant, organisation_text="Initiative", reason="Ich arbeite mit Geflüchteten."
    )
    from notifications.models import Notification

    notification = Notification.objects.filter(recipient=author, channel="inapp").first()
    # "member" is the organisation's contact; the co-author has asked to belong to it.
    from accounts.services import organisation_membership_request

    organisation = OrganisationFactory()
    confirm_membership(users["member"], organisation, contact=True)
    membership_request = organisation_membership_request(user=coauthor, organisation=organisation)
    assert notification is not None, "the comment should have notified the author in the app"
    place, meeting_public, meeting_internal, token = _meetings(
        users["coordinator"], users["member"]
    )
    list_posts = _list_posts(users)
    objects = {
        **list_posts,
        "comment": comment,
        "report": report,
        "admission": admission,
        "organisation": organisation,
        "membership_request": membership_request,
        "invitation": Invitation.objects.create(email="eingeladen@example.org"),
        "topic": TopicFactory(),
        # Topic feeds exist only for topics some public paper carries.
        "public_topic": _public_topic(statements["published"]),
        "notification": notification,
        "place": place,
        "meeting_public": meeting_public,
        "meeting_internal": meeting_internal,
        "calendar_token": token,
        "agenda_item": meetings_agenda_item(users["coordinator"], meeting_internal),
    }
    return World(users=users, statements=statements, objects=objects)


def _list_posts(users: dict[str, Any]) -> dict[str, Any]:
    """E-mail list posts: one members-only, one public, one held for approval (by "member")."""
    from maillist.services import post_create, type_setting_save

    def write(post_type: str, *, public: bool) -> Any:
        return post_create(
            author=users["member"],
            post_type=post_type,
            title="Verteiler",
            body="Text",
            is_public=public,
        )

    posts = {
        "list_post_members": write("information", public=False),
        "list_post_public": write("funding", public=True),
    }
    type_setting_save(post_type="topic", approval_required=True, by=users["coordinator"])
    posts["list_post_held"] = write("topic", public=True)
    from maillist.models import ListSubscriber

    posts["list_subscriber"] = ListSubscriber.objects.create(email="extern@example.org")
    return posts


def _public_topic(statement: Any) -> Any:
    topic = TopicFactory()
    statement.topics.add(topic)
    return topic


def _meetings(coordinator: Any, member: Any) -> tuple[Any, Any, Any, Any]:
    import datetime as dt

    from django.utils import timezone

    from meetings import services as meetings

    place = meetings.place_save(
        actor=coordinator,
        fields=meetings.PlaceFields(name="Bürgerhaus", town="Borna", address="Markt 1"),
    )
    start = timezone.now() + dt.timedelta(days=10)
    public, internal = (
        meetings.meeting_plan(
            actor=coordinator,
            fields=meetings.MeetingFields(
                starts_at=start, minutes=120, place_id=place.pk, is_public=is_public
            ),
        )
        for is_public in (True, False)
    )
    return place, public, internal, meetings.calendar_token_for(user=member)


def meetings_agenda_item(coordinator: Any, meeting: Any) -> Any:
    from meetings import services as meetings

    item = meetings.agenda_draft(actor=coordinator, meeting_id=meeting.pk)[0]
    meetings.minutes_draft(actor=coordinator, meeting_id=meeting.pk)
    return item
