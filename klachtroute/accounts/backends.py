"""Who a session belongs to, read once per request: Django's ModelBackend, with the person
read together with whether they have a confirmed authenticator app. The two-factor gate
asks that on every staff page of a session without a second factor (`two_factor_step`);
read here, it costs no query of its own."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

# The name the person read for a session carries the answer under (`two_factor_step`).
HAS_CONFIRMED_DEVICE = "has_confirmed_totp_device"


def users_with_device_flag():
    """People, each with `HAS_CONFIRMED_DEVICE`: whether a confirmed device of theirs exists."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return User._default_manager.annotate(**{HAS_CONFIRMED_DEVICE: Exists(confirmed)})


class SessionUserBackend(ModelBackend):
    """Logs in as ModelBackend does (the password, `is_active`); a session's person is read
    with the device flag, in the same one query."""

    def get_user(self, user_id):
        try:
            user = users_with_device_flag().get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
