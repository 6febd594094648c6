from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Abstimmungen")
    default_auto_field = "django.db.models.BigAutoField"
