from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "klachtroute.organisation"
    label = "organisation"
