from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "klachtroute.intake"
    label = "intake"
