from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "klachtroute.letters"
    label = "letters"
