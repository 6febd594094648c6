from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    AdmissionRequest,
    Language,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    User,
)
from accounts.services import (
    ACTIVE_MEMBERSHIP,
    DisplayNameTaken,
    display_name_taken,
    signup_complete,
)
from core.text import clean_line, name_key
from core.widgets import LanguageSelect

INVITATION_SESSION_KEY = "rtm_invitation_token"
# Each language named in itself, whatever the interface language is.
LANGUAGE_CHOICES = Language.choices


class DisplayNameMixin:
    """clean_display_name for every form that sets a display name (sign-up, profile, admin):
    cleaned like every name (core.text.clean_line), and refused while another person has a
    name that looks the same. The services check again under the unique constraint."""

    def _display_name_owner_id(self) -> int | None:
        instance = getattr(self, "instance", None)
        return instance.pk if instance is not None else None

    def clean_display_name(self) -> str:
        name = clean_line(self.cleaned_data["display_name"])  # type: ignore[attr-defined]
        if not name_key(name):
            raise forms.ValidationError(_("Bitte geben Sie einen Anzeigenamen an."))
        if display_name_taken(name, exclude_user_id=self._display_name_owner_id()):
            raise forms.ValidationError(DisplayNameTaken.message)
        return name


class SignupExtraForm(DisplayNameMixin, forms.Form):
    """Extra fields on allauth's sign-up form (accounts.signup.SignupForm builds on it)."""

    display_name = forms.CharField(
        label=_("Anzeigename"),
        max_length=80,
        help_text=_("So sehen andere Mitglieder Sie, z. B. Vor- und Nachname."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # The language of the page the person signs up from (a callable: read per request).
    language = forms.ChoiceField(
        label=_("Sprache"),
        choices=LANGUAGE_CHOICES,
        initial=translation.get_language,
        widget=LanguageSelect,
    )

    def signup(self, request, user) -> None:  # allauth's hook signature
        signup_complete(
            user=user,
            display_name=self.cleaned_data["display_name"],
            language=self.cleaned_data["language"],
            invitation_token=request.session.get(INVITATION_SESSION_KEY),
        )
        # Only now: if the name was taken meanwhile, the form comes back with the
        # invitation still remembered.
        request.session.pop(INVITATION_SESSION_KEY, None)


class AdmissionRequestForm(forms.ModelForm):
    class Meta:
        model = AdmissionRequest
        fields = ["organisation_text", "reason"]
        labels = {
            "organisation_text": _("Für welche Organisation sind Sie aktiv?"),
            "reason": _("Warum möchten Sie mitmachen?"),
        }
        help_texts = {
            "organisation_text": _("Leer lassen, wenn Sie als Privatperson mitmachen."),
        }

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError(
                _("Bitte schreiben Sie ein paar Worte (mindestens 10 Zeichen).")
            )
        return reason


class AdmissionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[("admit", _("Aufnehmen")), ("decline", _("Ablehnen"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Nachricht an die Person"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("message") or "").strip():
            self.add_error("message", _("Bitte begründen Sie eine Ablehnung kurz."))
        return data


class ProfileForm(DisplayNameMixin, forms.ModelForm):
    """Name, language, and the organisations the person says they belong to.

    A tick is a request for membership; each organisation shows its status (angefragt,
    bestätigt, abgelehnt), and only a confirmed one lets the person co-sign in its name.
    """

    language = forms.ChoiceField(
        label=_("Sprache"), choices=LANGUAGE_CHOICES, widget=LanguageSelect
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisationen"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Ein Häkchen fragt die Zugehörigkeit an; die Koordination oder die "
            "Ansprechperson der Organisation bestätigt sie. Erst dann können Sie für die "
            "Organisation mitzeichnen. Fehlt Ihre Organisation? Die Koordination kann sie "
            "anlegen."
        ),
    )

    class Meta:
        model = User
        fields = ["display_name", "language"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        memberships: dict[int, OrganisationMembership] = {}
        if self.instance.pk:
            memberships = {
                m.organisation_id: m
                for m in OrganisationMembership.objects.filter(user=self.instance)
            }
        self.memberships = memberships
        field = self.fields["organisations"]
        field.initial = [pk for pk, m in memberships.items() if m.status in ACTIVE_MEMBERSHIP]
        field.label_from_instance = self._label

    def _label(self, organisation: Organisation) -> str:
        membership = self.memberships.get(organisation.pk)
        if membership is None:
            return organisation.name
        status = membership.get_status_display()
        if membership.is_contact:
            status = _("%(status)s, Ansprechperson") % {"status": status}
        return f"{organisation.name} ({status})"

    @property
    def requested_new(self) -> bool:
        """Whether saving asks for a membership the person did not have (or had declined)."""
        active = {pk for pk, m in self.memberships.items() if m.status in ACTIVE_MEMBERSHIP}
        return any(o.pk not in active for o in self.cleaned_data.get("organisations", []))


class OrganisationForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("Art"), choices=OrganisationKind.choices)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "kind", "website"]

    def clean_name(self) -> str:
        name = clean_line(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(self.fields["name"].error_messages["required"])
        others = Organisation.objects.filter(name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Eine Organisation mit diesem Namen gibt es schon."))
        return name


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    message = forms.CharField(
        label=_("Persönliche Nachricht (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Ihr Passwort zur Bestätigung"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Das Passwort stimmt nicht."))
        return password
