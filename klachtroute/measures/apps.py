from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "klachtroute.measures"
    label = "measures"
