"""Writes about people's login security: authenticator apps and ending sessions."""

from django.db import transaction
from django.db.models import F
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

TOTP_DEVICE_NAME = "Authenticator-app"


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device a person is setting up; made once and kept until confirmed,
    so that reloading the set-up page does not change the secret they just scanned."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("-pk")
        .first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm a device with a code from the app; any older devices of the person go."""
    if device.user_id != user.pk or device.confirmed:
        return False
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return True


@transaction.atomic
def user_sessions_end_all(*, user: User) -> None:
    """Log a person out everywhere: every session they have stops being valid."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
