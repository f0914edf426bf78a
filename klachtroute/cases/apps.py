from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "klachtroute.cases"
    label = "cases"

    def ready(self):
        # Imported here: an app's models load only after every AppConfig is made.
        from . import outbox

        outbox.register()
