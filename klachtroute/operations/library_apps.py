"""The libraries' apps under Dutch names: the admin (/beheer/) shows an app by its
verbose_name, each model by its verbose names and each column and field by the field's
verbose_name, and theirs are English. INSTALLED_APPS names these classes; `ready` gives
the libraries' models and fields Dutch labels (translated back to English in locale/en)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig
from django_tasks_db.apps import TasksAppConfig


def _label(app_config, labels: dict) -> None:
    """labels: {model name: (verbose name, plural, {field name: verbose name})}."""
    for model_name, (singular, plural, fields) in labels.items():
        meta = app_config.get_model(model_name)._meta
        meta.verbose_name, meta.verbose_name_plural = singular, plural
        for field_name, label in fields.items():
            meta.get_field(field_name).verbose_name = label


_ATTEMPT = {
    "id": _("Nummer"),
    "user_agent": _("Browser"),
    "ip_address": _("IP-adres"),
    "username": _("Gebruikersnaam"),
    "http_accept": _("HTTP-accept"),
    "path_info": _("Pad"),
    "attempt_time": _("Tijdstip van de poging"),
}


class AxesConfig(AxesAppConfig):
    verbose_name = _("Inlogpogingen")

    def ready(self):
        super().ready()
        from axes.admin import AccessAttemptAdmin, IsLockedOutFilter

        _label(
            self,
            {
                "AccessAttempt": (
                    _("inlogpoging"),
                    _("inlogpogingen"),
                    {
                        **_ATTEMPT,
                        "get_data": _("GET-gegevens"),
                        "post_data": _("POST-gegevens"),
                        "failures_since_start": _("Mislukte inlogpogingen"),
                    },
                ),
                "AccessLog": (
                    _("inlogregistratie"),
                    _("inlogregistraties"),
                    {
                        **_ATTEMPT,
                        "logout_time": _("Tijdstip van uitloggen"),
                        "session_hash": _("Hash van de sessiesleutel (sha256)"),
                    },
                ),
                "AccessFailureLog": (
                    _("mislukte inlogpoging"),
                    _("mislukte inlogpogingen"),
                    {**_ATTEMPT, "locked_out": _("Geblokkeerd")},
                ),
            },
        )
        IsLockedOutFilter.title = _("Geblokkeerd")
        AccessAttemptAdmin.status.short_description = _("Toestand")  # type: ignore[attr-defined]


class TotpConfig(TotpAppConfig):
    verbose_name = _("Tweestapsverificatie")

    def ready(self):
        super().ready()
        _label(
            self,
            {
                "TOTPDevice": (
                    _("authenticator-app"),
                    _("authenticator-apps"),
                    {
                        "id": _("Nummer"),
                        "user": _("Gebruiker"),
                        "name": _("Naam"),
                        "confirmed": _("Bevestigd"),
                        "throttling_failure_timestamp": _("Tijdstip van de laatste fout"),
                        "throttling_failure_count": _("Aantal fouten"),
                        "created_at": _("Aangemaakt op"),
                        "last_used_at": _("Laatst gebruikt op"),
                        "key": _("Sleutel"),
                        "step": _("Stap (seconden)"),
                        "t0": _("Begintijd (t0)"),
                        "digits": _("Aantal cijfers"),
                        "tolerance": _("Tolerantie"),
                        "drift": _("Afwijking"),
                        "last_t": _("Laatst gebruikte tijdstap"),
                    },
                ),
            },
        )


class TasksConfig(TasksAppConfig):
    verbose_name = _("Achtergrondtaken")

    def ready(self):
        super().ready()
        _label(
            self,
            {
                "DBTaskResult": (
                    _("achtergrondtaak"),
                    _("achtergrondtaken"),
                    {
                        "id": _("Nummer"),
                        "status": _("Toestand"),
                        "enqueued_at": _("In de wachtrij gezet op"),
                        "started_at": _("Gestart op"),
                        "finished_at": _("Klaar op"),
                        "args_kwargs": _("Argumenten"),
                        "priority": _("Prioriteit"),
                        "task_path": _("Taak"),
                        "worker_ids": _("Verwerker"),
                        "queue_name": _("Wachtrij"),
                        "backend_name": _("Backend"),
                        "run_after": _("Uitvoeren na"),
                        "return_value": _("Resultaat"),
                        "exception_class_path": _("Soort fout"),
                        "traceback": _("Foutmelding"),
                    },
                ),
            },
        )
        task_name = self.get_model("DBTaskResult").task_name
        task_name.fget.short_description = _("Taak")
