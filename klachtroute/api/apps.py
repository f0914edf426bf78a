from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "klachtroute.api"
    label = "api"
