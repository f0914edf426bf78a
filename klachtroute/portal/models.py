"""The satisfaction survey, answered through the complainant's private link (the link
itself is in `klachtroute.links`; the information a complainant adds is the complaint's own,
`cases.InformationAdded`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
