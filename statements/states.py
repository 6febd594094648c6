from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    CONSULTATION = "consultation", _("Konsultation")
    VOTING = "voting", _("Abstimmung")
    ACCEPTED = "accepted", _("angenommen")
    REJECTED = "rejected", _("abgelehnt")
    PUBLISHED = "published", _("veröffentlicht")
    WITHDRAWN = "withdrawn", _("zurückgezogen")
    RETRACTED = "retracted", _("widerrufen")


# From consultation on, every member may read the paper (a withdrawn paper stays
# readable to members if it was withdrawn from one of these states, see
# permissions.can_view_internal).
MEMBER_VISIBLE_STATES = frozenset(
    {
        State.CONSULTATION,
        State.VOTING,
        State.ACCEPTED,
        State.REJECTED,
        State.PUBLISHED,
        State.RETRACTED,
    }
)
PUBLIC_STATES = frozenset({State.PUBLISHED, State.RETRACTED})
# Once voting opened the text is frozen at the revision voted on.
EDITABLE_STATES = frozenset({State.DRAFT, State.CONSULTATION})
