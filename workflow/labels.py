"""What the interface calls each transition, and what it tells the user."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TRANSITION_LABELS = {
    "submit": _("In die Konsultation geben"),
    "back_to_draft": _("Zurück in den Entwurf"),
    "open_vote": _("Abstimmung eröffnen"),
    "close_vote": _("Abstimmung schließen"),
    "publish": _("Veröffentlichen"),
    "revise": _("Überarbeiten (neue Runde)"),
    "withdraw": _("Zurückziehen"),
    "retract": _("Widerrufen"),
    "mark_urgent": _("Eilverfahren anordnen"),
    "unmark_urgent": _("Eilverfahren aufheben"),
}

TRANSITION_EXPLANATIONS = {
    "submit": _(
        "Alle Mitglieder werden benachrichtigt und können die Stellungnahme bis zum Ende der "
        "Konsultation lesen und kommentieren."
    ),
    "back_to_draft": _(
        "Die Konsultation endet. Nur Autorinnen, Autoren und die Koordination sehen den Entwurf "
        "wieder. Bitte begründen Sie den Schritt."
    ),
    "open_vote": _(
        "Der Text wird in der aktuellen Fassung eingefroren und kann nicht mehr bearbeitet werden. "
        "Die Stimmberechtigten werden jetzt festgelegt und benachrichtigt."
    ),
    "close_vote": _(
        "Die Abstimmung endet jetzt. Das Ergebnis wird nach der Entscheidungsregel der "
        "Stellungnahme ermittelt und allen Mitgliedern mitgeteilt."
    ),
    "publish": _(
        "Die Stellungnahme erscheint öffentlich auf der Website und im Feed; Abonnentinnen und "
        "Abonnenten werden benachrichtigt."
    ),
    "revise": _(
        "Eine neue Runde beginnt: Die Stellungnahme wird wieder ein Entwurf. Die bisherige "
        "Abstimmung bleibt im Protokoll erhalten."
    ),
    "withdraw": _(
        "Die Stellungnahme wird endgültig zurückgezogen. Bitte geben Sie einen Grund an."
    ),
    "retract": _(
        "Die öffentliche Seite bleibt erreichbar, wird aber als widerrufen gekennzeichnet, mit "
        "Ihrer Begründung."
    ),
}

TRANSITION_DONE = {
    "submit": _("Die Konsultation hat begonnen."),
    "back_to_draft": _("Die Stellungnahme ist wieder ein Entwurf."),
    "open_vote": _("Die Abstimmung ist eröffnet."),
    "close_vote": _("Die Abstimmung ist geschlossen."),
    "publish": _("Die Stellungnahme ist veröffentlicht."),
    "schedule": _("Die Veröffentlichung ist geplant."),
    "revise": _("Eine neue Runde hat begonnen; die Stellungnahme ist wieder ein Entwurf."),
    "withdraw": _("Die Stellungnahme wurde zurückgezogen."),
    "retract": _("Die Stellungnahme wurde widerrufen."),
    "mark_urgent": _("Das Eilverfahren ist angeordnet."),
    "unmark_urgent": _("Das Eilverfahren ist aufgehoben."),
}

# How the timeline names each audit entry.
AUDIT_LABELS = {
    "submit": _("in die Konsultation gegeben"),
    "back_to_draft": _("zurück in den Entwurf"),
    # Context: notifications names its event kind with the same German words.
    "open_vote": pgettext_lazy("audit log", "Abstimmung eröffnet"),
    "close_vote": _("Abstimmung geschlossen"),
    "publish": _("veröffentlicht"),
    "revise": _("neue Runde begonnen"),
    "withdraw": _("zurückgezogen"),
    "retract": _("widerrufen"),
    "mark_urgent": _("Eilverfahren angeordnet"),
    "unmark_urgent": _("Eilverfahren aufgehoben"),
    "schedule_publication": _("Veröffentlichung geplant"),
    # Co-signing in an organisation's name (public app); the note names the organisation.
    "cosign": _("Mitzeichnung eingetragen"),
    "cosign_revoke": _("Mitzeichnung zurückgezogen"),
}

# Deadlines a coordinator set below the group minimum (the entry's note is the reason).
AUDIT_LABELS_UNTIL = {
    "shorten_consultation": _("Konsultation verkürzt bis %(when)s"),
    "shorten_voting": _("Abstimmung verkürzt bis %(when)s"),
}

# A schedule entry without a time means the embargo was lifted.
AUDIT_LABEL_SCHEDULE_LIFTED = _("Geplante Veröffentlichung aufgehoben")
