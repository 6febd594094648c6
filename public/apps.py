from django.apps import AppConfig


class PublicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "public"
    verbose_name = "Öffentlichkeit"

    def ready(self) -> None:
        # Replies to a position's mail become answers (inbound reply target "a").
        from public.answers import register_target

        register_target()

        # The publication page's addressee choice (workflow cannot import public).
        from public import publish_dispatch

        publish_dispatch.register()
