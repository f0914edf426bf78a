"""People who work with complaints, their roles, and their API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariaat")
    TRAINER = "trainer", _("Behandelaar / trainer")
    STAFF_MEMBER = "staff_member", _("Medewerker")
    DIRECTOR = "director", _("Directeur")
    EXAM_COMMITTEE = "exam_committee", _("Lid examencommissie")
    ADMINISTRATOR = "administrator", _("Functioneel beheerder")


class User(AbstractUser):
    """A person with an account. Roles are flags so that one person can hold several."""

    is_secretariat = models.BooleanField(_("secretariaat"), default=False)
    is_trainer = models.BooleanField(_("behandelaar / trainer"), default=False)
    is_staff_member = models.BooleanField(_("medewerker"), default=False)
    is_director = models.BooleanField(_("directeur"), default=False)
    is_exam_committee = models.BooleanField(_("lid examencommissie"), default=False)
    is_administrator = models.BooleanField(_("functioneel beheerder"), default=False)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("voorkeurstaal"),
        max_length=5,
        default="nl",
        choices=[("nl", "Nederlands"), ("en", "English")],
    )
    # Raised by "log out everywhere": it is part of the session hash, so every session
    # signed with the old value stops being valid (see _get_session_auth_hash).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    def _get_session_auth_hash(self, secret=None):
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()

    @property
    def needs_two_factor(self) -> bool:
        """The secretariat, the director and administrators must use a second factor
        when the setting OTP_REQUIRED_FOR_ROLES is on (it is in production)."""
        return bool(getattr(settings, "OTP_REQUIRED_FOR_ROLES", False)) and (
            self.is_secretariat or self.is_director or self.is_administrator or self.is_superuser
        )

    # What a name is made of: a list of hundreds of people (a filter, a choice of person)
    # reads these columns alone and writes each name with `name_of`, without the person.
    NAME_FIELDS = ("first_name", "last_name", "username")

    @staticmethod
    def name_of(first_name: str, last_name: str, username: str) -> str:
        """`display_name` (and so str()) from its columns: the full name, else the username."""
        return f"{first_name} {last_name}".strip() or username

    @property
    def display_name(self) -> str:
        return self.name_of(self.first_name, self.last_name, self.username)

    def has_role(self, role: str) -> bool:
        return bool(getattr(self, f"is_{role}", False))

    @property
    def roles(self) -> list[str]:
        return [role.value for role in Role if self.has_role(role.value)]

    @property
    def sees_all_complaints(self) -> bool:
        """The secretariat and the director oversee every complaint (LSR-7a, LSR-7b)."""
        return self.is_active and (self.is_secretariat or self.is_director)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenManager(models.Manager):
    def create_token(self, *, user: User, name: str = "") -> tuple["ApiToken", str]:
        """Create a token and return it with its plain value, which is shown only once."""
        raw = secrets.token_urlsafe(32)
        token = self.create(user=user, name=name, key_hash=_hash_token(raw), prefix=raw[:6])
        return token, raw

    def for_raw(self, raw: str) -> "ApiToken | None":
        return (
            self.select_related("user")
            .filter(key_hash=_hash_token(raw), revoked_at__isnull=True, user__is_active=True)
            .first()
        )


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the plain value is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("naam"), max_length=100, blank=True)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenManager()

    class Meta:
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"


# The roles that let a person read or handle complaints (an administrator only configures).
COMPLAINT_ROLES = ("secretariat", "trainer", "staff_member", "director", "exam_committee")


def user_role_flags(user: User) -> list[str]:
    """What a role change record holds: the roles, and the flags that open the admin."""
    flags = list(user.roles)
    flags += [name for name in ("is_staff", "is_superuser") if getattr(user, name)]
    return flags if user.is_active else [*flags, "inactive"]


class RoleChange(models.Model):
    """A change of a person's roles: who made it, when, before and after (append-only).

    An administrator who gives themselves a complaint-handling role is marked
    `self_granted`: the directors are told by mail and see it at /rollen/wijzigingen/.
    """

    person = models.ForeignKey(
        User, verbose_name=_("persoon"), on_delete=models.PROTECT, related_name="role_changes"
    )
    changed_by = models.ForeignKey(
        User,
        verbose_name=_("gewijzigd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("tijdstip"))
    before = models.JSONField(_("voor"), default=list)
    after = models.JSONField(_("na"), default=list)
    self_granted = models.BooleanField(_("zichzelf een klachtrol gegeven"), default=False)

    class Meta:
        verbose_name = _("rolwijziging")
        verbose_name_plural = _("rolwijzigingen")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.at:%Y-%m-%d %H:%M}"
