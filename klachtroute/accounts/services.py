"""Writes about people: authenticator apps, ending sessions, API tokens, role changes."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from klachtroute.notifications.services import message_send_to
from klachtroute.organisation.selectors import organisation_get

from .models import COMPLAINT_ROLES, ApiToken, RoleChange, User, user_role_flags

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


# --- API tokens ---------------------------------------------------------------------------


def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new personal token of `user`, and its plain value (shown once, never stored).

    Only the owner makes their tokens (the account page, or the operator's
    `manage.py api_token`): nobody can mint a token to act as someone else.
    """
    return ApiToken.objects.create_token(user=user, name=name.strip()[:100])


def api_token_revoke(*, token: ApiToken, actor: User) -> bool:
    """Revoke a token: its owner may, and an administrator may (e.g. for someone who left)."""
    if token.user_id != actor.pk and not (actor.is_administrator or actor.is_superuser):
        return False
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


# --- role changes ---------------------------------------------------------------------------


def _role_labels(flags: list[str]) -> str:
    labels = []
    for flag in flags:
        name = flag if flag.startswith("is_") or flag == "inactive" else f"is_{flag}"
        if name == "inactive":
            labels.append(str(_("inactief")))
        else:
            labels.append(str(getattr(User._meta.get_field(name), "verbose_name", name)))
    return ", ".join(labels) or "—"


@transaction.atomic
def user_roles_record(*, person: User, before: list[str], actor: User | None) -> RoleChange | None:
    """Record a change of `person`'s roles (`before`: their flags before the change) and
    tell them by mail; an administrator who gave themselves a complaint-handling role is
    marked and the directors are told. Nothing when nothing changed."""
    after = user_role_flags(person)
    if sorted(before) == sorted(after):
        return None
    gained = set(after) - set(before)
    self_granted = bool(
        actor is not None and actor.pk == person.pk and gained & set(COMPLAINT_ROLES)
    )
    change = RoleChange.objects.create(
        person=person,
        changed_by=actor,
        at=timezone.now(),
        before=before,
        after=after,
        self_granted=self_granted,
    )
    context = {
        "person": person,
        "actor": actor.display_name if actor else str(_("het systeem")),
        "before": _role_labels(before),
        "after": _role_labels(after),
        "at": change.at,
        "site_url": settings.SITE_URL,
        "organisation": organisation_get(),
    }
    if person.email:
        message_send_to(
            key="roles_changed",
            context=context,
            email=person.email,
            language=person.preferred_language or "nl",
        )
    if self_granted:
        for director in User.objects.filter(is_director=True, is_active=True).exclude(email=""):
            message_send_to(
                key="roles_self_granted",
                context=context,
                email=director.email,
                language=director.preferred_language or "nl",
            )
    return change
