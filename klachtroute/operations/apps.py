from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "klachtroute.operations"
    label = "operations"
