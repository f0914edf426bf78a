"""Procedures and their versions. A complaint keeps the version in force when it was received."""

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .definition import Definition, definition_parse


class Procedure(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("naam"), max_length=200)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProcedureVersion(models.Model):
    """One version of a procedure (LSR-12): its definition as of its effective date."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField(_("versie"), max_length=50)
    effective_from = models.DateField(_("geldig vanaf"))
    definition = models.JSONField(_("definitie"))

    class Meta:
        verbose_name = _("procedureversie")
        verbose_name_plural = _("procedureversies")
        ordering = ["procedure", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "effective_from"], name="one_version_per_effective_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure.name} {self.label} ({self.effective_from:%d-%m-%Y})"

    @cached_property
    def spec(self) -> Definition:
        """The typed definition; refuses a definition with a missing or wrong key."""
        return definition_parse(self.definition, f"{self.label} ({self.effective_from})")
