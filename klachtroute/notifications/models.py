"""The outbox: every e-mail is a row written in the same transaction as its cause."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    TO_POST = "to_post", _("Per post te versturen")
    POSTED = "posted", _("Per post verstuurd")
    PENDING = "pending", _("Wacht op verzending")
    SENDING = "sending", _("Wordt verzonden")
    SENT = "sent", _("Verzonden")
    FAILED = "failed", _("Mislukt")


class OutboxMessage(models.Model):
    complaint = models.ForeignKey(
        "cases.Complaint",
        verbose_name=_("klacht"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    kind = models.CharField(_("soort"), max_length=50)
    to = models.EmailField(_("aan"), blank=True)
    recipient_name = models.CharField(_("naam ontvanger"), max_length=200, blank=True)
    postal_address = models.TextField(_("postadres"), blank=True)
    subject = models.CharField(_("onderwerp"), max_length=300)
    body = models.TextField(_("tekst"))
    language = models.CharField(_("taal"), max_length=5, default="nl")
    status = models.CharField(
        _("status"), max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The worker process that is sending it (see workers.py): a claim by a process
    # that died is given back to the queue by the next worker run.
    claimed_by = models.CharField(max_length=200, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        # Shown in the admin to people who may not read the message: no address, no subject.
        return f"{self.kind} #{self.pk}"


class MessageTemplate(models.Model):
    """The administrator's own text for one message of one procedure in one language.

    Without a row the default text of the product is used. Subject and body are
    Django templates; the help text lists what they can use.
    """

    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.CASCADE, related_name="message_templates"
    )
    key = models.CharField(_("bericht"), max_length=50)
    language = models.CharField(
        _("taal"), max_length=5, choices=[("nl", "Nederlands"), ("en", "English")]
    )
    subject = models.CharField(_("onderwerp"), max_length=300)
    body = models.TextField(
        _("tekst"),
        help_text=_(
            "U kunt o.a. gebruiken: {{ complaint.number }}, {{ complaint.complainant_name }}, "
            "{{ complaint.handler.display_name }}, {{ complaint.settle_due|date:'j F Y' }}, "
            "{{ organisation.name }}, {{ link }}."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("berichttekst")
        verbose_name_plural = _("berichtteksten")
        ordering = ["procedure", "key", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "key", "language"], name="one_text_per_message"
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure} · {self.key} · {self.language}"


class DigestSent(models.Model):
    """The weekly digest of one ISO week has been sent (LSR-7a); the unique week makes the
    deadline watcher send it once, however often or however many times at once it runs."""

    week = models.CharField(_("week"), max_length=10, unique=True)  # e.g. "2026-W11"
    sent_at = models.DateTimeField(_("verzonden op"))

    class Meta:
        verbose_name = _("weekoverzicht verzonden")
        verbose_name_plural = _("weekoverzichten verzonden")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.week
