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
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("verloopt op"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("privélink")
        verbose_name_plural = _("privélinks")
        indexes = [models.Index(fields=["complaint", "party", "purpose"])]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.party} {self.purpose}"


class InformationAdded(models.Model):
    """Information the complainant added through the status page: a text and/or documents.

    The text is free text about the complaint (personal data): the retention purge must
    empty it together with the complaint's other free texts."""

    complaint = models.ForeignKey(
        "cases.Complaint", on_delete=models.CASCADE, related_name="information_added"
    )
    text = models.TextField(_("toelichting"), blank=True)
    documents = models.ManyToManyField("cases.Document", blank=True, related_name="+")
    added_at = models.DateTimeField(_("toegevoegd op"))

    class Meta:
        verbose_name = _("toegevoegde informatie")
        verbose_name_plural = _("toegevoegde informatie")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.added_at:%Y-%m-%d}"


class SatisfactionResponse(models.Model):
    """The complainant's answers to the satisfaction survey after a settled complaint
    (ISO 10002). The row is made when the invitation is sent (`invited_at`); the answers
    are filled in once (`answered_at`). Only aggregates go into the reports; `comment` is
    free text and never leaves the complaint's own dossier."""

    class InformedOnTime(models.TextChoices):
        YES = "yes", _("Ja")
        NO = "no", _("Nee")
        PARTLY = "partly", _("Deels")

    complaint = models.OneToOneField(
        "cases.Complaint", on_delete=models.CASCADE, related_name="satisfaction"
    )
    invited_at = models.DateTimeField(_("uitgenodigd op"), null=True, blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    handling_score = models.PositiveSmallIntegerField(
        _("tevredenheid over de behandeling"), null=True, blank=True
    )
    informed_on_time = models.CharField(
        _("op tijd op de hoogte gehouden"),
        max_length=10,
        choices=InformedOnTime.choices,
        blank=True,
    )
    taken_seriously_score = models.PositiveSmallIntegerField(
        _("serieus genomen"), null=True, blank=True
    )
    comment = models.TextField(_("opmerking"), blank=True)

    class Meta:
        verbose_name = _("tevredenheidsantwoord")
        verbose_name_plural = _("tevredenheidsantwoorden")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(handling_score__isnull=True)
                | models.Q(handling_score__gte=1, handling_score__lte=5),
                name="satisfaction_handling_score_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(taken_seriously_score__isnull=True)
                | models.Q(taken_seriously_score__gte=1, taken_seriously_score__lte=5),
                name="satisfaction_taken_seriously_score_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {'answered' if self.answered_at else 'invited'}"
