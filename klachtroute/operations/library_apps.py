"""The libraries' apps under Dutch names: the admin (/beheer/) shows an app by its
verbose_name, and theirs are English. INSTALLED_APPS names these classes."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Inlogpogingen")


class TotpConfig(TotpAppConfig):
    verbose_name = _("Tweestapsverificatie")


class TasksConfig(TasksAppConfig):
    verbose_name = _("Achtergrondtaken")
