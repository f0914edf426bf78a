"""The complaint, its documents and its append-only history."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .hashing import event_content_hash
from .workflow import OPEN, State


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


class Outcome(models.TextChoices):
    SETTLED_ON_THE_SPOT = "settled_on_the_spot", _("Direct afgehandeld")
    SOLUTION_APPROVED = "solution_approved", _("Oplossing door beide partijen goedgekeurd")
    FINDINGS_ACCEPTED = "findings_accepted", _("Klager akkoord met de bevindingen")
    NO_AGREEMENT = "no_agreement", _("Geen overeenstemming; geen beroep ingesteld")
    BINDING_ADVICE = "binding_advice", _("Bindend advies van de onafhankelijke derde uitgevoerd")
    INADMISSIBLE = "inadmissible", _("Niet ontvankelijk")
    FOUNDED = "founded", _("Gegrond (uitspraak directeur)")
    PARTLY_FOUNDED = "partly_founded", _("Deels gegrond (uitspraak directeur)")
    UNFOUNDED = "unfounded", _("Ongegrond (uitspraak directeur)")
    EXAM_RULING = "exam_ruling", _("Uitspraak examencommissie")
    DIRECTOR_DECISION = "director_decision", _("Besluit van de directeur (regeling voorziet niet)")
    WITHDRAWN = "withdrawn", _("Ingetrokken door klager")
    SET_ASIDE = "set_aside", _("Niet in behandeling genomen")
    REASONED = "reasoned", _("Schriftelijk en gemotiveerd afgehandeld")


class Party(models.TextChoices):
    COMPLAINANT = "complainant", _("Klager")
    RESPONDENT = "respondent", _("Beklaagde")
    THIRD_PARTY = "third_party", _("Onafhankelijke derde")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Telefonisch")
    IN_PERSON = "in_person", _("Persoonlijk gesprek")
    VIDEO = "video", _("Videogesprek")
    EMAIL = "email", _("E-mail")


class ComplaintCounter(models.Model):
    """The last number given out per year; locked while a number is drawn."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# The order of the worklist and the API list, and the indexes that serve it. An ascending
# index keeps NULLs last on PostgreSQL (SQLite cannot say so in an index, only in a query).
WORKLIST_ORDER = (
    models.F("next_due").asc(nulls_last=True),
    models.F("received_at").desc(),
    models.F("id").desc(),
)
_WORKLIST_INDEX = ("next_due", models.F("received_at").desc(), models.F("id").desc())


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
    # A category code of the complaint's procedure version (its definition names them).
    category = models.CharField(_("categorie"), max_length=20, blank=True)
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
    outcome = models.CharField(_("uitkomst"), max_length=40, blank=True, choices=Outcome.choices)

    first_contact_method = models.CharField(
        _("eerste contact: hoe"), max_length=20, choices=ContactMethod.choices, blank=True
    )
    first_contact_note = models.TextField(_("eerste contact: notitie"), blank=True)
    admissible = models.BooleanField(_("ontvankelijk"), null=True, blank=True)
    admissibility_reason = models.TextField(_("motivering ontvankelijkheid"), blank=True)
    inadmissible_answer = models.TextField(_("antwoord aan klager (niet ontvankelijk)"), blank=True)
    procedure_sent_at = models.DateTimeField(
        _("procedure naar klager gestuurd op"), null=True, blank=True
    )
    defence_due = models.DateField(_("verweer uiterlijk"), null=True, blank=True, db_index=True)
    progress_update_due = models.DateField(
        _("voortgangsbericht uiterlijk"), null=True, blank=True, db_index=True
    )
    # The settlement clock stands still while the organisation waits for the complainant.
    suspended_since = models.DateField(_("opgeschort sinds"), null=True, blank=True)
    suspension_reason = models.TextField(_("reden van de opschorting"), blank=True)
    no_agreement_notified_at = models.DateTimeField(
        _("klager gewezen op onafhankelijke derde op"), null=True, blank=True
    )
    # People the secretariat recorded as involved in the conduct complained about: none of
    # them may handle the complaint.
    involved_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("betrokken bij de gedraging"),
        blank=True,
        related_name="complaints_involved_in",
    )
    # Setting aside (not handling) a complaint: decided, either way, by `set_aside_due`.
    set_aside_due = models.DateField(
        _("besluit over niet-behandelen uiterlijk"), null=True, blank=True, db_index=True
    )
    handling_decided_at = models.DateTimeField(
        _("besluit over behandelen genomen op"), null=True, blank=True
    )
    set_aside_ground = models.CharField(_("grond niet-behandelen"), max_length=40, blank=True)
    respondent_copy_sent_at = models.DateTimeField(
        _("afschrift naar beklaagde op"), null=True, blank=True
    )
    respondent_copy_by_post = models.BooleanField(_("afschrift per post"), default=False)
    hearing_offered_at = models.DateTimeField(_("horen aangeboden op"), null=True, blank=True)
    hearing_reply_due = models.DateField(
        _("reactie op aanbod horen uiterlijk"), null=True, blank=True
    )
    hearing_held_on = models.DateField(_("gehoord op"), null=True, blank=True)
    hearing_report = models.TextField(_("verslag van het horen"), blank=True)
    hearing_skip_reason = models.CharField(_("reden afzien van horen"), max_length=40, blank=True)
    hearing_skip_note = models.TextField(_("toelichting afzien van horen"), blank=True)
    reopens = models.ForeignKey(
        "self",
        verbose_name=_("heropent klacht"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reopened_by",
    )

    # Retention (LIVP-10): a legal hold keeps a closed complaint past its retention period;
    # purged_at is set when the personal data, free texts and documents were removed.
    legal_hold = models.BooleanField(_("bewaarplicht (niet verwijderen)"), default=False)
    legal_hold_reason = models.TextField(_("reden bewaarplicht"), blank=True)
    purged_at = models.DateTimeField(_("persoonsgegevens verwijderd op"), null=True, blank=True)
    # Written by staff without names or identifying details; used by the trainers' review
    # (LSR-8b) and kept when the complaint is purged.
    anonymised_summary = models.TextField(_("geanonimiseerde samenvatting"), blank=True)

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
        # The worklist and the API list: nearest deadline first (none last), then the newest;
        # alone and under each of their filters (state, course, handler).
        indexes = [
            models.Index(*_WORKLIST_INDEX, name="complaint_worklist"),
            models.Index("state", *_WORKLIST_INDEX, name="complaint_worklist_state"),
            models.Index("course", *_WORKLIST_INDEX, name="complaint_worklist_course"),
            models.Index("handler", *_WORKLIST_INDEX, name="complaint_worklist_handler"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def category_label(self) -> str:
        """The category as its procedure version names it, in the active language."""
        if not self.category:
            return ""
        language = translation.get_language() or "nl"
        return self.procedure_version.spec.category_label(self.category, language)

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
        return self.state in OPEN


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
    # The sentence as a gettext message id and its arguments (cases/phrases.py), written
    # in the reader's language when shown; empty for events from before phrases, which
    # show their summary. The summary keeps the Dutch sentence of a phrase.
    message = models.CharField(_("bericht"), max_length=500, blank=True)
    message_args = models.JSONField(_("gegevens van het bericht"), default=dict, blank=True)
    before = models.JSONField(_("voor"), default=dict, blank=True)
    after = models.JSONField(_("na"), default=dict, blank=True)
    # Tamper evidence: a hash of this row's content, chained to the previous event of
    # the same complaint (ordered by id). Written once by event_record.
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    chain_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Set when a retention purge blanked personal data; the content check then no
    # longer applies, but the chain still runs through the stored content_hash.
    redacted_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        ordering = ["at", "id"]
        # The record page reads a history backwards from its newest event, a page at a time.
        indexes = [models.Index(fields=["complaint", "at", "id"], name="event_history")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # The history is append-only: an existing row is never rewritten.
        if self.pk is not None:
            raise ValidationError("Events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Events are append-only.")

    def content_hash_compute(self, *, complaint_number: str | None = None) -> str:
        """The keyed hash of this event's content in canonical JSON."""
        return event_content_hash(
            complaint_number=complaint_number or self.complaint.number,
            at=self.at,
            actor_id=self.actor_id,
            actor_label=self.actor_label,
            kind=self.kind,
            summary=self.summary,
            before=self.before,
            after=self.after,
            message=self.message,
            message_args=self.message_args,
        )

    @property
    def text(self) -> str:
        """What happened, in the active language."""
        if self.message and self.redacted_at is None:
            from .phrases import phrase_render

            return phrase_render(self.message, self.message_args, complaint=self.complaint)
        if self.redacted_at is not None:
            return actor_text(self.summary)
        return self.summary

    @property
    def actor_text(self) -> str:
        """Who did it, in the active language: "Systeem" and the private-link parties are
        stored in the language of the moment; names stay as they are."""
        return actor_text(self.actor_label, has_actor=self.actor_id is not None)


# The stored labels of actors that are not a person, in every language they were written in.
ACTOR_LABELS = (
    _("Systeem"),
    _("Klager (via privélink)"),
    _("Beklaagde (via privélink)"),
    _("Onafhankelijke derde (via privélink)"),
    _("Klager (webformulier)"),
    _("De organisatie"),
    _("[verwijderd]"),
)


def actor_text(stored: str, *, has_actor: bool = False) -> str:
    if has_actor or not stored:
        return stored
    for lazy in ACTOR_LABELS:
        for language in ("nl", "en"):
            with translation.override(language):
                written = str(lazy)
            if written == stored:
                return str(lazy)
    return stored


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
    # How and when a document that staff add later reached the organisation.
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices, blank=True)
    received_on = models.DateField(_("ontvangen op"), null=True, blank=True)
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


class Solution(models.Model):
    """A solution the handler recorded, sent to both parties for approval (LIVP-6)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Ter fiattering")
        APPROVED = "approved", _("Goedgekeurd door beide partijen")
        REJECTED = "rejected", _("Afgewezen")
        WITHDRAWN = "withdrawn", _("Vervallen")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="solutions")
    text = models.TextField(_("oplossing"))
    reasons = models.TextField(_("motivering"), blank=True)
    remedy_due = models.DateField(_("uitgevoerd uiterlijk"), null=True, blank=True)
    proposed_at = models.DateTimeField(_("vastgelegd op"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)

    class Meta:
        verbose_name = _("oplossing")
        verbose_name_plural = _("oplossingen")
        ordering = ["proposed_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.proposed_at:%Y-%m-%d}"


class Approval(models.Model):
    """One party's decision on a solution (fiattering)."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Akkoord")
        REJECTED = "rejected", _("Niet akkoord")

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="approvals")
    party = models.CharField(max_length=20, choices=Party.choices)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.TextField(_("reden"), blank=True)
    decided_at = models.DateTimeField(_("tijdstip"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("fiattering")
        verbose_name_plural = _("fiatteringen")
        constraints = [
            models.UniqueConstraint(fields=["solution", "party"], name="one_decision_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.solution_id} {self.party} {self.decision}"


class Findings(models.Model):
    """The outcome of the investigation by the criteria, shared with the complainant (LSR-6b/c)."""

    class Response(models.TextChoices):
        AGREED = "agreed", _("Akkoord")
        DISAGREED = "disagreed", _("Niet akkoord")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="findings")
    summary = models.TextField(_("bevindingen"))
    proposed_solution = models.TextField(_("mogelijke oplossing"), blank=True)
    remedy_due = models.DateField(_("uitgevoerd uiterlijk"), null=True, blank=True)
    shared_at = models.DateTimeField(_("gedeeld op"))
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    response = models.CharField(max_length=20, choices=Response.choices, blank=True)
    response_reason = models.TextField(_("toelichting klager"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bevindingen")
        verbose_name_plural = _("bevindingen")
        ordering = ["shared_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.shared_at:%Y-%m-%d}"


class CriterionJudgement(models.Model):
    """One criterion of the procedure (LSR-6b) judged: by the handler in the findings, or by
    the director in the ruling (LSR-6e). Exactly one of `findings` and `ruling` is set."""

    class Judgement(models.TextChoices):
        IN_ORDER = "in_order", _("In orde")
        NOT_IN_ORDER = "not_in_order", _("Niet in orde")
        NOT_APPLICABLE = "not_applicable", _("Niet van toepassing")

    findings = models.ForeignKey(
        Findings, on_delete=models.CASCADE, related_name="judgements", null=True, blank=True
    )
    ruling = models.ForeignKey(
        "Ruling", on_delete=models.CASCADE, related_name="judgements", null=True, blank=True
    )
    criterion = models.CharField(max_length=50)
    label = models.CharField(max_length=200)
    judgement = models.CharField(max_length=20, choices=Judgement.choices)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(findings__isnull=False, ruling__isnull=True)
                    | models.Q(findings__isnull=True, ruling__isnull=False)
                ),
                name="judgement_of_findings_or_ruling",
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.judgement}"


class DefenceRequest(models.Model):
    """The director asks the respondent for a defence (verweer, LSR-6e)."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="defence_requests"
    )
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    question = models.TextField(_("vraag aan verweerder"), blank=True)
    due = models.DateField(_("verweer uiterlijk"))
    defence = models.TextField(_("verweer"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.due}"


class Ruling(models.Model):
    """A decision that ends a complaint: the director's ruling, the exam committee's, or the
    third party's binding advice."""

    class Body(models.TextChoices):
        DIRECTOR = "director", _("Directeur")
        HANDLER = "handler", _("Klachtbehandelaar")
        EXAM_COMMITTEE = "exam_committee", _("Examencommissie")
        THIRD_PARTY = "third_party", _("Onafhankelijke derde")

    class Decision(models.TextChoices):
        FOUNDED = "founded", _("Gegrond")
        PARTLY_FOUNDED = "partly_founded", _("Deels gegrond")
        UNFOUNDED = "unfounded", _("Ongegrond")
        ADVICE = "advice", _("Bindend advies")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="rulings")
    body = models.CharField(max_length=20, choices=Body.choices)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    motivation = models.TextField(_("motivering"))
    # A reasoned outcome also names what was found and any conclusions drawn from it.
    findings = models.TextField(_("bevindingen"), blank=True)
    conclusions = models.TextField(_("conclusies"), blank=True)
    remedy = models.TextField(_("wat er gebeurt"), blank=True)
    remedy_due = models.DateField(_("uitgevoerd uiterlijk"), null=True, blank=True)
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.body} {self.decision}"


class FollowUp(models.Model):
    """Something the binding advice asks of the organisation, tracked until done (LIVP-11)."""

    ruling = models.ForeignKey(Ruling, on_delete=models.CASCADE, related_name="follow_ups")
    description = models.TextField(_("wat er moet gebeuren"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    note = models.TextField(blank=True)
    # Planned with an owner and a date, it is tracked as a measure: reminders, the overview.
    measure = models.OneToOneField(
        "measures.Measure",
        on_delete=models.SET_NULL,
        related_name="follow_up",
        null=True,
        blank=True,
        verbose_name=_("maatregel"),
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description[:60]


class Extension(models.Model):
    """The settlement period is extended, with a reason and an expected date (LSR-5d)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="extensions")
    reason = models.TextField(_("reden"))
    previous_due = models.DateField()
    new_due = models.DateField(_("nieuwe datum"))
    # Past the procedure's limits an extension needs the complainant's written consent: how
    # and when it was given.
    complainant_consent = models.TextField(_("schriftelijke instemming klager"), blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} → {self.new_due}"


class DeadlineNotice(models.Model):
    """A reminder or overdue notice already given, so that the watcher never sends it twice."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Herinnering")
        MISSED = "missed", _("Termijn verstreken")

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="deadline_notices"
    )
    deadline = models.CharField(max_length=30)
    due = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # A missed deadline is told to the directors in the watcher's next message (False until
    # then); a reminder needs no such message (True).
    directors_told = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "deadline", "due", "kind"], name="one_notice_per_deadline"
            )
        ]
        indexes = [
            models.Index(
                fields=["kind"],
                condition=models.Q(directors_told=False),
                name="notice_untold",
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.deadline} {self.kind}"


class InformationAdded(models.Model):
    """Information the complainant added later (status page or e-mail): a text and/or documents.

    The text is free text about the complaint (personal data): the retention purge must
    empty it together with the complaint's other free texts."""

    complaint = models.ForeignKey(
        "cases.Complaint", on_delete=models.CASCADE, related_name="information_added"
    )
    text = models.TextField(_("toelichting"), blank=True)
    documents = models.ManyToManyField("cases.Document", blank=True, related_name="+")
    added_at = models.DateTimeField(_("toegevoegd op"))

    class Meta:
        db_table = "portal_informationadded"  # kept from when it was part of the portal
        verbose_name = _("toegevoegde informatie")
        verbose_name_plural = _("toegevoegde informatie")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.added_at:%Y-%m-%d}"
