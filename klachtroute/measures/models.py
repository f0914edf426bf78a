"""Measures to prevent the same complaint, and their follow-up (LIVP-8, LSR-8c)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.Model):
    """A measure to prevent the same complaint (LIVP-8, LSR-8c)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Voorgesteld")
        AGREED = "agreed", _("Afgesproken")
        DONE = "done", _("Uitgevoerd")
        CANCELLED = "cancelled", _("Vervallen")

    complaints = models.ManyToManyField(
        "cases.Complaint", related_name="measures", verbose_name=_("klachten")
    )
    description = models.TextField(_("maatregel"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eigenaar"),
        on_delete=models.PROTECT,
        related_name="measures_owned",
    )
    due_date = models.DateField(_("uiterlijk klaar"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    evaluation = models.TextField(_("evaluatie"), blank=True)
    # The day it was recorded as carried out, so that "by when" can be proven kept (LSR-8c);
    # empty for a measure not done, and for one done before the day was recorded.
    done_on = models.DateField(_("uitgevoerd op"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")
        # The table from when measures were part of the complaint app: kept, not renamed.
        db_table = "cases_measure"
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description[:60]
