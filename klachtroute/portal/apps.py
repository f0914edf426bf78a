from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "klachtroute.portal"
    label = "portal"
