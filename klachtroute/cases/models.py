"""The complaint, its documents and its append-only history."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .workflow import State


class Channel(models.TextChoices):
    WEB = "web", _("Webformulier")
    POST = "post", _("Post")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Telefoon")
    IN_PERSON = "in_person", _("Persoonlijk")


class RespondentType(models.TextChoices):
    PERSON = "person", _("Een persoon")
    ORGANISATION = "organisation", _("De organisatie")
    UNKNOWN = "unknown", _("Nog niet bekend")


class Category(models.TextChoices):
    PROCEDURE = "procedure", _("1. Procedure van de organisatie")
    STAFF = "staff", _("2. Handelen van een medewerker")
    TRAINER = "trainer", _("3. Handelen van een docent/trainer")
    EXAM = "exam", _("Examen")


class Outcome(models.TextChoices):
    SETTLED_ON_THE_SPOT = "settled_on_the_spot", _("Direct afgehandeld")


class ComplaintCounter(models.Model):
    """The last number given out per year; locked while a number is drawn."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Complaint(models.Model):
    number = models.CharField(_("klachtnummer"), max_length=20, unique=True, editable=False)
    state = models.CharField(_("status"), max_length=30, choices=State.choices, default=State.NEW)
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("ontvangen op"), db_index=True)
    procedure_version = models.ForeignKey(
        "procedures.ProcedureVersion",
        verbose_name=_("procedureversie"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )

    complainant_name = models.CharField(_("naam klager"), max_length=200)
    complainant_email = models.EmailField(_("e-mailadres"), blank=True)
    complainant_phone = models.CharField(_("telefoonnummer"), max_length=40, blank=True)
    complainant_address = models.TextField(_("postadres"), blank=True)
    complainant_language = models.CharField(
        _("voorkeurstaal"), max_length=5, default="nl", choices=settings.LANGUAGES
    )
    representative_name = models.CharField(
        _("wettelijk vertegenwoordiger"), max_length=200, blank=True
    )

    course = models.ForeignKey(
        "organisation.Course",
        verbose_name=_("opleiding"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    course_other = models.CharField(_("andere opleiding"), max_length=200, blank=True)
    complaint_date = models.DateField(_("datum van de klacht"))
    description = models.TextField(_("omschrijving"))
    remedy_sought = models.TextField(_("gewenste oplossing"), blank=True)

    respondent_type = models.CharField(
        _("beklaagde"),
        max_length=20,
        choices=RespondentType.choices,
        default=RespondentType.UNKNOWN,
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beklaagde persoon"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_as_respondent",
    )
    respondent_description = models.CharField(
        _("beklaagde (zoals genoemd)"), max_length=200, blank=True
    )
    category = models.CharField(_("categorie"), max_length=20, choices=Category.choices, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandelaar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_handled",
    )

    acknowledge_due = models.DateField(
        _("bevestigen uiterlijk"), null=True, blank=True, db_index=True
    )
    first_contact_due = models.DateField(
        _("eerste contact uiterlijk"), null=True, blank=True, db_index=True
    )
    settle_due = models.DateField(_("afhandelen uiterlijk"), null=True, blank=True, db_index=True)
    next_due = models.DateField(_("eerstvolgende termijn"), null=True, blank=True, db_index=True)

    acknowledged_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)
    acknowledgement_by_letter = models.BooleanField(_("bevestiging per brief"), default=False)
    first_contact_at = models.DateTimeField(_("eerste contact op"), null=True, blank=True)
    settled_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=40, blank=True)

    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geregistreerd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("klacht")
        verbose_name_plural = _("klachten")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["state", "next_due"])]

    def __str__(self) -> str:
        return self.number

    @property
    def course_label(self) -> str:
        return self.course.name if self.course_id else self.course_other

    @property
    def respondent_label(self) -> str:
        if self.respondent_type == RespondentType.ORGANISATION:
            return str(_("De organisatie"))
        if self.respondent_id:
            return self.respondent.display_name
        return self.respondent_description

    @property
    def is_open(self) -> bool:
        return self.state in State.open_states()


class Event(models.Model):
    """One thing that happened to a complaint. Rows are only ever added."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("tijdstip"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("door (omschrijving)"), max_length=200)
    kind = models.CharField(_("soort"), max_length=50)
    summary = models.CharField(_("omschrijving"), max_length=500)
    before = models.JSONField(_("voor"), default=dict, blank=True)
    after = models.JSONField(_("na"), default=dict, blank=True)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # The history is append-only: an existing row is never rewritten.
        if self.pk is not None:
            raise ValidationError("Events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Events are append-only.")


def document_path(instance: "Document", filename: str) -> str:
    # Stored under a random name; the original name is kept in the row only.
    return f"documents/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A document in the complaint's dossier (a scan, an e-mail, a photo)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_path, max_length=300)
    original_name = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("grootte"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("toegevoegd op"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("toegevoegd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
