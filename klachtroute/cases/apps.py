from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "klachtroute.cases"
    label = "cases"
