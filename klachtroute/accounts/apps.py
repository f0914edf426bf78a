from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "klachtroute.accounts"
    label = "accounts"
    verbose_name = _("Personen en toegang")

    def ready(self):
        from axes.signals import user_locked_out

        from .lockout import lockout_notify

        def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
            lockout_notify(username=username, ip_address=ip_address)

        user_locked_out.connect(_locked_out, dispatch_uid="klachtroute-lockout-mail", weak=False)
