from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "klachtroute.procedures"
    label = "procedures"
    verbose_name = _("Klachtenprocedures")

    def ready(self) -> None:
        # A broken preset must stop the application at start, not surface mid-complaint.
        from django.core.exceptions import ImproperlyConfigured

        from .presets import PresetError, load_presets

        try:
            load_presets()
        except PresetError as exc:
            raise ImproperlyConfigured(f"Procedure preset error: {exc}") from exc
