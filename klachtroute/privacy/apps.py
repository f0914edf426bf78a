from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "klachtroute.privacy"
    label = "privacy"
