from django.apps import AppConfig


class MaillistConfig(AppConfig):
    name = "maillist"
