"""The organisation this deployment serves: its settings, calendar and courses."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """One row: one deployment serves one organisation."""

    name = models.CharField(_("naam"), max_length=200)
    address = models.TextField(_("adres"), blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    third_party_name = models.CharField(_("onafhankelijke derde: naam"), max_length=200, blank=True)
    third_party_email = models.EmailField(_("onafhankelijke derde: e-mail"), blank=True)
    third_party_phone = models.CharField(
        _("onafhankelijke derde: telefoon"), max_length=40, blank=True
    )
    third_party_address = models.TextField(_("onafhankelijke derde: adres"), blank=True)
    active_procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("actieve procedure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    auto_assign = models.BooleanField(
        _("automatisch toewijzen"),
        default=False,
        help_text=_("Wijs klachten via het webformulier direct toe aan een geschikte behandelaar."),
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisatie")

    def __str__(self) -> str:
        return self.name


class ClosingDay(models.Model):
    """A day the organisation is closed: not a working day for deadlines."""

    date = models.DateField(_("datum"), unique=True)
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sluitingsdag")
        verbose_name_plural = _("sluitingsdagen")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.description}".strip()


class Course(models.Model):
    """A course (opleiding) and the trainers who teach it."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    active = models.BooleanField(_("actief"), default=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        related_name="courses_taught",
        blank=True,
        limit_choices_to={"is_trainer": True},
    )

    class Meta:
        verbose_name = _("opleiding")
        verbose_name_plural = _("opleidingen")
        ordering = ["name"]

    # What its name is made of (as `User.NAME_FIELDS`): a list of courses (the worklist's
    # filter) reads this column alone, without an object per course.
    NAME_FIELDS = ("name",)

    def __str__(self) -> str:
        return self.name_of(self.name)

    @staticmethod
    def name_of(name: str) -> str:
        return name
