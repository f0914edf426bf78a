from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "klachtroute.reports"
    label = "reports"
