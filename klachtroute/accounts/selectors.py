"""Reads about people's login security: their second factor and what the gate asks of them."""

from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .backends import HAS_CONFIRMED_DEVICE
from .models import User


def totp_device_get(*, user: User, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def two_factor_step(*, user: User) -> str | None:
    """What a logged-in person who has not yet given a code must do before any staff page:
    "verify" (enter a code), "setup" (add an authenticator app), or None (nothing)."""
    # django_otp's middleware gives the request's user is_verified().
    if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
        return None
    # Asked on every staff page: whether a confirmed device exists, not the device itself.
    # The person of a session was read with the answer (`backends.SessionUserBackend`).
    has_device = getattr(user, HAS_CONFIRMED_DEVICE, None)
    if has_device is None:
        has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if has_device:
        return "verify"
    if user.needs_two_factor:
        return "setup"
    return None


def lockout_ends_at(*, username: str, ip_address: str | None) -> datetime:
    """When a username locked out from an address may try again: the cool-off counts from
    the last failed attempt (every failure during the lock-out starts it again)."""
    from .lockout import username_locked

    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(username=username)
    if not username_locked(username):
        # Locked from this address only; a username-wide lock-out counts every address.
        attempts = attempts.filter(ip_address=ip_address)
    last = attempts.aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + cool_off
