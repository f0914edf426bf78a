from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "klachtroute.links"
    label = "links"
