"""The transition table as data: what each step in a paper's life means to people.

statements/transitions.py declares the state machine itself (django-fsm methods with
sources, targets, conditions and permissions). This module holds, for each of those
methods, everything else the code needs to know: how the interface names it, what the
confirmation page explains, what the person is told afterwards, how the timeline
records it, whether a note is required, whether the system (Celery beat) may take it,
which event it emits and which deadline it sets. tests/workflow/test_spec.py fails when
a transition exists on one side only or its spec is incomplete.

`Decision` names the entries a paper's trail holds besides transitions (urgent track,
embargo, shortened deadlines, co-signing); `AUDIT_CHOICES` is both together, the
choices of `AuditEntry.transition`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.events import EventKind


class Transition(models.TextChoices):
    """The paper's state transitions; each value names a django-fsm method on Statement.

    The label is what buttons and confirmation pages call the step. Declared in the
    order the diagram and the panel list them.
    """

    SUBMIT = "submit", _("In die Konsultation geben")
    BACK_TO_DRAFT = "back_to_draft", _("Zurück in den Entwurf")
    OPEN_VOTE = "open_vote", _("Abstimmung eröffnen")
    CLOSE_VOTE = "close_vote", _("Abstimmung schließen")
    PUBLISH = "publish", _("Veröffentlichen")
    REVISE = "revise", _("Überarbeiten (neue Runde)")
    WITHDRAW = "withdraw", _("Zurückziehen")
    RETRACT = "retract", _("Widerrufen")


class Decision(models.TextChoices):
    """Same-state entries in a paper's trail: decisions that do not move it.

    The label is how the timeline (and the admin) names the entry.
    """

    MARK_URGENT = "mark_urgent", _("Eilverfahren angeordnet")
    UNMARK_URGENT = "unmark_urgent", _("Eilverfahren aufgehoben")
    # scheduled_for holds the publication time; NULL means the embargo was lifted.
    SCHEDULE_PUBLICATION = "schedule_publication", _("Veröffentlichung geplant")
    # A coordinator set a deadline below the group minimum; note = the reason,
    # scheduled_for = the deadline.
    SHORTEN_CONSULTATION = "shorten_consultation", _("Konsultation verkürzt")
    SHORTEN_VOTING = "shorten_voting", _("Abstimmung verkürzt")
    # A coordinator moved a running vote's deadline later; note = the reason,
    # scheduled_for = the new deadline.
    EXTEND_VOTING = "extend_voting", _("Abstimmung verlängert")
    # Co-signing in an organisation's name (public app); the note names the organisation.
    COSIGN = "cosign", _("Mitzeichnung eingetragen")
    COSIGN_REVOKE = "cosign_revoke", _("Mitzeichnung zurückgezogen")


@dataclass(frozen=True, kw_only=True)
class DeadlineRule:
    """The deadline a transition sets, and how short a coordinator alone may make it."""

    option: str  # the TransitionOptions attribute and form field carrying a chosen deadline
    form_label: Promise
    default_setting: str  # RTM_*_DAYS: the group's default length
    # RTM_URGENT_*_DAYS: the default for urgent papers and the minimum for every paper
    # (only a coordinator, with a reason, goes shorter).
    urgent_setting: str
    too_short: Promise  # told to a non-coordinator below the minimum (%(days)s)
    shortened_entry: Decision  # the trail entry when a coordinator goes below it


@dataclass(frozen=True, kw_only=True)
class TransitionSpec:
    """Everything about one transition that is not the state machine itself.

    No defaults: a new transition must state every field.
    """

    explanation: Promise  # the confirmation page
    done: Promise  # the success message afterwards
    audit_label: Promise  # how the timeline names the entry
    note_required: bool  # a reason is mandatory (it is stored on the paper too)
    system_allowed: bool  # beat (actor None) may take it once its deadline passed
    event: EventKind | None  # emitted in the same transaction (None: nobody is notified)
    setback: bool  # undoes progress or ends the paper: a secondary button
    condition_message: Promise | None  # why the transition's conditions= refuse it
    deadline: DeadlineRule | None


TRANSITIONS: dict[Transition, TransitionSpec] = {
    Transition.SUBMIT: TransitionSpec(
        explanation=_(
            "Alle Mitglieder werden benachrichtigt und können die Stellungnahme bis zum Ende "
            "der Konsultation lesen und kommentieren."
        ),
        done=_("Die Konsultation hat begonnen."),
        audit_label=_("in die Konsultation gegeben"),
        note_required=False,
        system_allowed=False,
        event=EventKind.CONSULTATION_OPENED,
        setback=False,
        condition_message=_(
            "Titel, Zusammenfassung und Text müssen ausgefüllt sein, bevor die Konsultation "
            "beginnt."
        ),
        deadline=DeadlineRule(
            option="consultation_ends_at",
            form_label=_("Ende der Konsultation"),
            default_setting="RTM_CONSULTATION_DAYS",
            urgent_setting="RTM_URGENT_CONSULTATION_DAYS",
            too_short=_("Die Konsultation dauert mindestens %(days)s Tage."),
            shortened_entry=Decision.SHORTEN_CONSULTATION,
        ),
    ),
    Transition.BACK_TO_DRAFT: TransitionSpec(
        explanation=_(
            "Die Konsultation endet. Nur Autorinnen, Autoren und die Koordination sehen den "
            "Entwurf wieder. Bitte begründen Sie den Schritt."
        ),
        done=_("Die Stellungnahme ist wieder ein Entwurf."),
        audit_label=_("zurück in den Entwurf"),
        note_required=True,
        system_allowed=False,
        event=None,
        setback=True,
        condition_message=None,
        deadline=None,
    ),
    Transition.OPEN_VOTE: TransitionSpec(
        explanation=_(
            "Der Text wird in der aktuellen Fassung eingefroren und kann nicht mehr bearbeitet "
            "werden. Die Stimmberechtigten werden jetzt festgelegt und benachrichtigt."
        ),
        done=_("Die Abstimmung ist eröffnet."),
        # Context: notifications names its event kind with the same German words.
        audit_label=pgettext_lazy("audit log", "Abstimmung eröffnet"),
        note_required=False,
        system_allowed=False,
        event=EventKind.VOTING_OPENED,
        setback=False,
        condition_message=None,
        deadline=DeadlineRule(
            option="voting_ends_at",
            form_label=_("Ende der Abstimmung"),
            default_setting="RTM_VOTING_DAYS",
            urgent_setting="RTM_URGENT_VOTING_DAYS",
            too_short=_("Die Abstimmung dauert mindestens %(days)s Tage."),
            shortened_entry=Decision.SHORTEN_VOTING,
        ),
    ),
    Transition.CLOSE_VOTE: TransitionSpec(
        explanation=_(
            "Die Abstimmung endet jetzt. Das Ergebnis wird nach der Entscheidungsregel der "
            "Stellungnahme ermittelt und allen Mitgliedern mitgeteilt."
        ),
        done=_("Die Abstimmung ist geschlossen."),
        audit_label=_("Abstimmung geschlossen"),
        note_required=False,
        system_allowed=True,  # at the ballot's deadline
        event=EventKind.VOTING_RESULT,
        setback=False,
        condition_message=_(
            "Die Abstimmung kann vor Ablauf der Frist nur geschlossen werden, wenn alle "
            "Stimmberechtigten abgestimmt haben."
        ),
        deadline=None,
    ),
    Transition.PUBLISH: TransitionSpec(
        explanation=_(
            "Die Stellungnahme erscheint öffentlich auf der Website und im Feed; Abonnentinnen "
            "und Abonnenten werden benachrichtigt."
        ),
        done=_("Die Stellungnahme ist veröffentlicht."),
        audit_label=_("veröffentlicht"),
        note_required=False,
        system_allowed=True,  # at the scheduled time (publish_at)
        event=EventKind.PUBLISHED,
        setback=False,
        condition_message=None,
        deadline=None,
    ),
    Transition.REVISE: TransitionSpec(
        explanation=_(
            "Eine neue Runde beginnt: Die Stellungnahme wird wieder ein Entwurf. Die bisherige "
            "Abstimmung bleibt im Protokoll erhalten."
        ),
        done=_("Eine neue Runde hat begonnen; die Stellungnahme ist wieder ein Entwurf."),
        audit_label=_("neue Runde begonnen"),
        note_required=False,
        system_allowed=False,
        event=None,
        setback=False,
        condition_message=None,
        deadline=None,
    ),
    Transition.WITHDRAW: TransitionSpec(
        explanation=_(
            "Die Stellungnahme wird endgültig zurückgezogen. Bitte geben Sie einen Grund an."
        ),
        done=_("Die Stellungnahme wurde zurückgezogen."),
        audit_label=_("zurückgezogen"),
        note_required=True,
        system_allowed=False,
        event=None,
        setback=True,
        condition_message=None,
        deadline=None,
    ),
    Transition.RETRACT: TransitionSpec(
        explanation=_(
            "Die öffentliche Seite bleibt erreichbar, wird aber als widerrufen gekennzeichnet, "
            "mit Ihrer Begründung."
        ),
        done=_("Die Stellungnahme wurde widerrufen."),
        audit_label=_("widerrufen"),
        note_required=True,
        system_allowed=False,
        event=None,
        setback=True,
        condition_message=None,
        deadline=None,
    ),
}

# The urgent track's page title and button, and what each decision tells the person.
DECISION_TITLES: dict[Decision, Promise] = {
    Decision.MARK_URGENT: _("Eilverfahren anordnen"),
    Decision.UNMARK_URGENT: _("Eilverfahren aufheben"),
}
DECISION_DONE: dict[Decision, Promise] = {
    Decision.MARK_URGENT: _("Das Eilverfahren ist angeordnet."),
    Decision.UNMARK_URGENT: _("Das Eilverfahren ist aufgehoben."),
    Decision.SCHEDULE_PUBLICATION: _("Die Veröffentlichung ist geplant."),
}
# Timeline wording of entries whose time belongs in the label.
AUDIT_LABELS_UNTIL: dict[Decision, Promise] = {
    Decision.SHORTEN_CONSULTATION: _("Konsultation verkürzt bis %(when)s"),
    Decision.SHORTEN_VOTING: _("Abstimmung verkürzt bis %(when)s"),
    Decision.EXTEND_VOTING: _("Abstimmung verlängert bis %(when)s"),
}
AUDIT_LABEL_SCHEDULE_LIFTED = _("Geplante Veröffentlichung aufgehoben")

AUDIT_CHOICES: list[tuple[str, Promise]] = [
    *((t.value, spec.audit_label) for t, spec in TRANSITIONS.items()),
    *Decision.choices,
]
# Same-state entries that never count as "the step just done" (see services._was_just_done).
SHORTENED_ENTRIES = frozenset(
    spec.deadline.shortened_entry for spec in TRANSITIONS.values() if spec.deadline
)


def spec_for(name: str) -> TransitionSpec:
    """The spec of transition `name`; ValueError for anything that is not one."""
    return TRANSITIONS[Transition(name)]


def audit_label(action: str, scheduled_for: datetime | None) -> str:
    """How the timeline names an entry (an unknown action shows its raw name)."""
    if action in AUDIT_LABELS_UNTIL and scheduled_for is not None:
        when = date_format(timezone.localtime(scheduled_for), "DATETIME_FORMAT")
        return str(AUDIT_LABELS_UNTIL[Decision(action)]) % {"when": when}
    if action == Decision.SCHEDULE_PUBLICATION and scheduled_for is None:
        return str(AUDIT_LABEL_SCHEDULE_LIFTED)
    if action in Transition.values:
        return str(TRANSITIONS[Transition(action)].audit_label)
    if action in Decision.values:
        return str(Decision(action).label)
    return action
