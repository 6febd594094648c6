from django.apps import AppConfig


class PublicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "public"
    verbose_name = "Öffentlichkeit"

    def ready(self) -> None:
        # The publication page's addressee choice (workflow cannot import public).
        from public import publish_dispatch

        publish_dispatch.register()
