"""Procedures and their versions. A complaint keeps the version in force when it was received."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from klachtroute.deadlines import Period


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

    def period(self, key: str) -> Period | None:
        """A deadline ("acknowledge", "first_contact", "settle") or another period ("defence")."""
        value = self.definition.get("deadlines", {}).get(key)
        if value is None:
            value = self.definition.get("periods", {}).get(key)
        return Period.parse(value) if value else None

    @property
    def acknowledge_on(self) -> str:
        return self.definition.get("acknowledge_on", "assignment")

    @property
    def admissibility(self) -> bool:
        return bool(self.definition.get("admissibility", False))

    @property
    def settlement(self) -> str:
        return self.definition.get("settlement", "two_party_approval")

    @property
    def escalation(self) -> str:
        return self.definition.get("escalation", "third_party")

    @property
    def categories(self) -> list[dict]:
        return self.definition.get("categories", [])

    def category(self, code: str) -> dict | None:
        return next((c for c in self.categories if c["code"] == code), None)

    def category_label(self, code: str, language: str = "nl") -> str:
        category = self.category(code)
        return category["label"].get(language, category["label"]["nl"]) if category else code

    def criteria_for(self, category: str) -> list[dict]:
        return [
            c
            for c in self.definition.get("criteria", [])
            if c.get("categories") is None or category in c["categories"]
        ]

    @property
    def reminder_working_days(self) -> int:
        return int(self.definition.get("reminder_working_days", 1))

    @property
    def handler_policy(self) -> str:
        return self.definition.get("handler_policy", "manual")

    def text(self, key: str, language: str) -> str:
        texts = self.definition.get("texts", {})
        return texts.get(language, texts.get("nl", {})).get(key, "")
