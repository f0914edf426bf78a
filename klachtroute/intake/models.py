"""Mail received in the organisation's complaint mailbox, waiting for the secretariat."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    WAITING = "waiting", _("Wacht op controle")
    REGISTERED = "registered", _("Geregistreerd als klacht")
    ADDED = "added", _("Toegevoegd aan een klacht")
    REJECTED = "rejected", _("Geen klacht")
    AUTOMATIC = "automatic", _("Automatisch bericht")


class ReceivedMail(models.Model):
    """One message fetched from the mailbox. `key` (a hash of its Message-ID, or of the
    whole message when it has none) makes a message fetched twice one row."""

    key = models.CharField(max_length=64, unique=True)
    message_id = models.TextField(blank=True)
    received_at = models.DateTimeField()
    fetched_at = models.DateTimeField(auto_now_add=True)
    sender_name = models.CharField(max_length=200, blank=True)
    sender_email = models.CharField(max_length=254, blank=True)
    subject = models.TextField(blank=True)
    body = models.TextField(blank=True)
    raw = models.FileField(upload_to="mail/%Y/%m/")
    raw_size = models.PositiveIntegerField(default=0)
    attachments = models.JSONField(default=list, blank=True)  # [{"name", "size", "refused"}]
    status = models.CharField(max_length=20, choices=MailStatus.choices, db_index=True)
    automatic_reason = models.CharField(max_length=200, blank=True)
    complaint = models.ForeignKey(
        "cases.Complaint",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="received_mails",
    )
    reject_reason = models.TextField(blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.sender_email}: {self.subject}"

    @property
    def refused_attachments(self) -> list[dict]:
        return [a for a in self.attachments if a.get("refused")]


class MailboxFetch(models.Model):
    """One row that keeps fetches of the mailbox from overlapping, whoever starts them (the
    worker's schedule on any number of machines, a timer, a person): who holds the mailbox
    and until when (a fetch that dies lets go when that time has passed), and when the last
    fetch started and finished."""

    holder = models.CharField(max_length=64, blank=True)
    held_until = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"mailbox fetch started {self.started_at}"
