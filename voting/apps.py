from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Abstimmungen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from voting import checks  # noqa: F401 - registers the system check
