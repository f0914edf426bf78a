"""Private links: how a complainant, a respondent or the third party reaches one complaint."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    STATUS = "status", _("Status volgen")
    APPROVE_SOLUTION = "approve_solution", _("Oplossing fiatteren")
    RESPOND_FINDINGS = "respond_findings", _("Reageren op bevindingen")
    DEFENCE = "defence", _("Verweer indienen")
    THIRD_PARTY = "third_party", _("Bindend advies geven")
    COMPLAINT_COPY = "complaint_copy", _("Afschrift van de klacht inzien")


class PrivateLink(models.Model):
    """A link bound to one complaint, one party and one purpose. Only a hash is stored."""

    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="links")
    party = models.CharField(_("partij"), max_length=20)
    purpose = models.CharField(_("doel"), max_length=30, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    # The short code printed on a letter (see links.tokens.short_code), also only as a
    # hash; empty for a link made before letters carried one, until its letter is printed.
    short_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("verloopt op"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "portal_privatelink"  # kept from when links were part of the portal
        verbose_name = _("privélink")
        verbose_name_plural = _("privélinks")
        indexes = [models.Index(fields=["complaint", "party", "purpose"])]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.party} {self.purpose}"
