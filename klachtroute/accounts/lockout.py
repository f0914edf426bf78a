"""Password guessing does not scale with addresses.

django-axes counts failed logins per username *and* address (AXES_FAILURE_LIMIT). An
attacker with many addresses gets AXES_FAILURE_LIMIT guesses from each; so besides that
pair, a username whose failures from all addresses together reach
AXES_USERNAME_FAILURE_LIMIT (higher, so that one person mistyping on several devices is
not locked out by others) is locked from every address until the cool-off has passed.
axes compares one limit with the highest count of its parameter sets; this callable
(AXES_LOCKOUT_PARAMETERS) switches to the username-wide set once that is over its own
limit. The person is told by mail, once per lock-out.
"""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from klachtroute.notifications.models import OutboxMessage
from klachtroute.notifications.services import message_send_to
from klachtroute.organisation.selectors import organisation_get

from .models import User

PAIR = ["username", "ip_address"]


def username_failures(username: str | None) -> int:
    """Failed logins of this username from all addresses within the cool-off."""
    if not username:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


def username_locked(username: str | None) -> bool:
    return username_failures(username) >= settings.AXES_USERNAME_FAILURE_LIMIT


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    """The parameter sets axes counts by: the username alone once it is over its limit."""
    username = getattr(request_or_attempt, "username", None)  # an AccessAttempt
    if username is None and credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD) or credentials.get("username")
    if username is None and hasattr(request_or_attempt, "POST"):
        username = request_or_attempt.POST.get("username")
    return [PAIR, "username"] if username_locked(username) else [PAIR]


def lockout_notify(*, username: str | None, ip_address: str | None) -> None:
    """Tell the person their login is blocked, once per cool-off."""
    user = User.objects.filter(username=username, is_active=True).exclude(email="").first()
    if user is None:
        return
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    if OutboxMessage.objects.filter(
        kind="login_locked", to=user.email, created_at__gte=timezone.now() - cool_off
    ).exists():
        return
    addresses = (
        AccessAttempt.objects.filter(username=username).values("ip_address").distinct().count()
    )
    message_send_to(
        key="login_locked",
        context={
            "person": user,
            "failures": username_failures(username),
            "addresses": addresses,
            "minutes": int(cool_off.total_seconds() // 60),
            "organisation": organisation_get(),
        },
        email=user.email,
        language=user.preferred_language or "nl",
    )
