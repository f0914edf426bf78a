"""Retention (LIVP-10, AVG): removing a closed complaint's personal data after its period.

After the closing date plus the procedure's `retention_years` (5 by default) the periodic
command purges a complaint: the complainant's details, every free text, the documents
(rows and files), the bodies and addresses of its messages, its private links and the
content of its history are removed. What stays are the anonymous facts the reports count:
number, dates, channel, course, category, respondent type, state, outcome, deadlines,
procedure version, and the staff involved (handler, respondent when a staff member,
registered by, the actors of the history) — these are facts about how the organisation
handled it, not about the complainant. The staff-written `anonymised_summary` stays too.

A complaint under legal hold (`legal_hold`) is never purged until the hold is lifted. Every
purge leaves one `purged` event on the complaint naming the kinds of data removed, never
the data. History events are redacted with a queryset update (they are append-only for
everything else) and marked `redacted_at`; `history_verify` then skips their content check
while the chain still runs through their stored hashes.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtroute.cases.events import event_record, events_record_many
from klachtroute.cases.models import (
    Approval,
    Complaint,
    CriterionJudgement,
    DefenceRequest,
    Document,
    Event,
    Extension,
    Findings,
    FollowUp,
    InformationAdded,
    Ruling,
    Solution,
)
from klachtroute.cases.phrases import Phrase
from klachtroute.cases.workflow import CLOSED, EventKind
from klachtroute.links.models import PrivateLink
from klachtroute.notifications.models import OutboxMessage

from .anonymity import party_data_found
from .selectors import complaints_due_for_purge

if TYPE_CHECKING:
    from klachtroute.accounts.models import User

logger = logging.getLogger(__name__)

REMOVED = "[verwijderd]"

# The complainant's details and the complaint's own free texts.
COMPLAINANT_FIELDS = (
    "complainant_email",
    "complainant_phone",
    "complainant_address",
    "representative_name",
)
COMPLAINT_TEXT_FIELDS = (
    "description",
    "remedy_sought",
    "course_other",
    "respondent_description",
    "first_contact_note",
    "admissibility_reason",
    "inadmissible_answer",
)

# Free texts in the complaint's steps and in what the complainant added later: (model, path
# from the model to the complaint, fields).
STEP_TEXTS = (
    (Solution, "complaint", ("text",)),
    (Approval, "solution__complaint", ("reason",)),
    (Findings, "complaint", ("summary", "proposed_solution", "response_reason")),
    (CriterionJudgement, "findings__complaint", ("note",)),
    (DefenceRequest, "complaint", ("question", "defence")),
    (Ruling, "complaint", ("motivation",)),
    (FollowUp, "ruling__complaint", ("description", "note")),
    (Extension, "complaint", ("reason",)),
    (InformationAdded, "complaint", ("text",)),
)

# Models of other apps holding the complainant's free text, if they exist in this version.
OPTIONAL_TEXTS = (("portal", "SatisfactionResponse", "complaint", ("comment",)),)


@dataclass
class PurgeReport:
    """What one run of the retention purge did."""

    purged: list[str] = field(default_factory=list)
    errors: int = 0
    mails: int = 0  # mail that never became part of a complaint

    def summary(self) -> str:
        text = f"purged: {len(self.purged)}, mails: {self.mails}"
        return text + (f", errors: {self.errors}" if self.errors else "")


def _per_complaint(qs, path: str) -> Counter:
    """How many rows of `qs` each complaint has (`path` leads from the row to it)."""
    return Counter(dict(qs.order_by().values(path).annotate(n=Count("pk")).values_list(path, "n")))


def _blank_texts(model, path: str, fields: tuple[str, ...], ids: list[int]) -> Counter:
    """Empty the given text fields of the rows that belong to these complaints, in one
    update; the rows touched, per complaint."""
    present = {f.name for f in model._meta.get_fields()}
    fields = tuple(f for f in fields if f in present)
    if not fields:
        return Counter()
    rows = model.objects.filter(**{f"{path}__in": ids})
    touched = _per_complaint(rows, path)
    if touched:
        rows.update(**{name: "" for name in fields})
    return touched


def _rows_delete(rows, file_field: str) -> Counter:
    """Delete these rows (documents, received mail) now and their files once the
    transaction has committed; the rows deleted, per complaint."""
    found = list(rows.only("pk", "complaint", file_field))
    if not found:
        return Counter()
    files = [
        (getattr(row, file_field).storage, getattr(row, file_field).name)
        for row in found
        if getattr(row, file_field).name
    ]
    rows.model.objects.filter(pk__in=[row.pk for row in found]).delete()
    transaction.on_commit(lambda: _files_delete(files))
    return Counter(row.complaint_id for row in found)


def _files_delete(files: list[tuple]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            # The row is gone already; a file left behind is logged for the administrator.
            logger.exception("Retention purge: could not delete file %s", name)


def complaint_purge(*, complaint: Complaint, actor: "User | None" = None) -> Complaint:
    """Remove the personal data, free texts and documents of a closed complaint (LIVP-10).

    Runs in one transaction; the documents' files are deleted only once it has committed.
    Purging a purged complaint does nothing; a complaint that is open or under legal hold is
    refused.
    """
    (purged,) = complaints_purge_many(complaints=[complaint], actor=actor)
    return purged


def complaints_purge_many(*, complaints, actor: "User | None" = None) -> list[Complaint]:
    """`complaint_purge` for a batch of complaints, in one transaction and a number of
    queries that does not grow with the batch: each kind of data is removed for the whole
    batch in one statement (counted per complaint first, for the `purged` event), and the
    events are chained at once. One that is open or under legal hold refuses the batch;
    one purged already is left as it is. Returns the locked complaints in order of id."""
    with transaction.atomic():
        ids = {complaint.pk for complaint in complaints}
        locked = list(
            Complaint.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
        )
        if len(locked) != len(ids):
            raise Complaint.DoesNotExist("A complaint to purge does not exist.")
        for complaint in locked:
            if complaint.purged_at is None and complaint.state not in CLOSED:
                raise ValidationError(_("Een open klacht kan niet worden opgeschoond."))
            if complaint.purged_at is None and complaint.legal_hold:
                raise ValidationError(
                    _("Op deze klacht rust een bewaarplicht; hij wordt niet opgeschoond.")
                )
        todo = [complaint for complaint in locked if complaint.purged_at is None]
        if not todo:
            return locked
        todo_ids = [complaint.pk for complaint in todo]
        now = timezone.now()

        # The complainant and the complaint's own texts.
        names = {c.pk: {c.complainant_name, c.representative_name} - {"", REMOVED} for c in todo}
        blanked = {"complainant_name": REMOVED, "purged_at": now, "updated_at": now}
        blanked |= {name: "" for name in COMPLAINANT_FIELDS + COMPLAINT_TEXT_FIELDS}
        Complaint.objects.filter(pk__in=todo_ids).update(**blanked)
        for complaint in todo:
            for name, value in blanked.items():
                setattr(complaint, name, value)
        one = Counter(dict.fromkeys(todo_ids, 1))
        counts: dict[str, Counter] = {"complainant_details": one, "complaint_texts": one}

        # Free texts of the steps, and those of other apps.
        step_rows: Counter = Counter()
        for model, path, fields in STEP_TEXTS:
            step_rows += _blank_texts(model, path, fields, todo_ids)
        for app_label, model_name, path, fields in OPTIONAL_TEXTS:
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                continue
            step_rows += _blank_texts(model, path, fields, todo_ids)
        counts["step_texts"] = step_rows

        # Documents: the rows now, the files once the transaction has committed.
        counts["documents"] = _rows_delete(Document.objects.filter(complaint__in=todo_ids), "file")

        # Messages keep their kind, status and dates; not who they went to or what they said.
        messages = OutboxMessage.objects.filter(complaint__in=todo_ids)
        counts["message_contents"] = _per_complaint(messages, "complaint")
        if counts["message_contents"]:
            messages.update(
                to="", recipient_name="", postal_address="", subject="", body="", last_error=""
            )

        # Mail from the complaint mailbox that became (or joined) this complaint: the
        # message and its .eml go; the rows the same way as documents.
        try:
            received_model = apps.get_model("intake", "ReceivedMail")
        except LookupError:
            received_model = None
        if received_model is not None:
            counts["received_mails"] = _rows_delete(
                received_model.objects.filter(complaint__in=todo_ids), "raw"
            )

        links = PrivateLink.objects.filter(complaint__in=todo_ids)
        counts["private_links"] = _per_complaint(links, "complaint")
        if counts["private_links"]:
            links.delete()

        # The history: its content goes, the chain of hashes stays verifiable.
        events = Event.objects.filter(complaint__in=todo_ids, redacted_at__isnull=True)
        counts["history_details"] = _per_complaint(events, "complaint")
        events.update(
            before={}, after={}, summary=REMOVED, message="", message_args={}, redacted_at=now
        )
        named = Q(pk__in=[])
        for pk, complaint_names in names.items():
            if complaint_names:
                named |= Q(complaint_id=pk, actor_label__in=complaint_names)
        # Staff actors keep their label; a label naming the complainant does not stay.
        Event.objects.filter(named, actor__isnull=True).update(actor_label=REMOVED)

        summary = Phrase(
            "Bewaartermijn verstreken: persoonsgegevens, vrije teksten, documenten en "
            "berichtinhoud verwijderd."
        )
        items = []
        for complaint in todo:
            removed = {kind: n[complaint.pk] for kind, n in counts.items() if n[complaint.pk]}
            items.append(
                (
                    complaint,
                    EventKind.PURGED,
                    summary,
                    {"removed": sorted(removed), "counts": removed},
                )
            )
        events_record_many(items=items, actor=actor)
        return locked


# Complaints purged in one transaction: a backlog commits in batches, in a number of
# queries per batch that does not grow with it, and at most one batch is read at a time.
PURGE_BATCH = 200


def retention_purge_due(today: date | None = None, *, dry_run: bool = False) -> PurgeReport:
    """Purge every complaint past its retention period, a batch at a time; one failure does
    not stop the rest (a batch that fails is done again one complaint at a time, so that
    the one that fails is undone alone). Idempotent: a purged complaint is not due again."""
    today = today or timezone.localdate()
    report = PurgeReport()
    due = complaints_due_for_purge(today=today).order_by("pk").only("pk", "number")
    last = 0
    while batch := list(due.filter(pk__gt=last)[:PURGE_BATCH]):
        last = batch[-1].pk
        if dry_run:
            report.purged.extend(complaint.number for complaint in batch)
            continue
        try:
            complaints_purge_many(complaints=batch)
        except Exception:  # noqa: BLE001 - logged; done again one at a time
            logger.exception("Retention purge of a batch failed; one complaint at a time")
        else:
            report.purged.extend(complaint.number for complaint in batch)
            continue
        for complaint in batch:
            try:
                complaint_purge(complaint=complaint)
            except Exception:  # noqa: BLE001 - logged and counted; the run goes on
                logger.exception("Retention purge failed for complaint %s", complaint.number)
                report.errors += 1
            else:
                report.purged.append(complaint.number)
    # Mail rejected as not a complaint, or sent by a machine, goes after the same period.
    from klachtroute.intake.mail_services import received_mails_purge_due

    try:
        report.mails = received_mails_purge_due(today=today, dry_run=dry_run)
    except Exception:  # noqa: BLE001 - logged and counted, like a complaint that fails
        logger.exception("Retention purge of received mail failed")
        report.errors += 1
    return report


@transaction.atomic
def complaint_legal_hold_set(
    *, complaint: Complaint, actor: "User | None", hold: bool, reason: str = ""
) -> Complaint:
    """Place or lift a legal hold (secretariat or director): a held complaint is kept past
    its retention period until the hold is lifted."""
    if actor is None or not (actor.is_secretariat or actor.is_director):
        raise ValidationError(
            _("Alleen het secretariaat of de directeur kan een bewaarplicht instellen.")
        )
    reason = (reason or "").strip()
    locked = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    if hold and not reason:
        raise ValidationError({"reason": _("Geef de reden van de bewaarplicht.")})
    if locked.purged_at is not None and hold:
        raise ValidationError(_("Deze klacht is al opgeschoond."))
    before = {"legal_hold": locked.legal_hold}
    locked.legal_hold = hold
    locked.legal_hold_reason = reason if hold else ""
    locked.save(update_fields=["legal_hold", "legal_hold_reason", "updated_at"])
    event_record(
        complaint=locked,
        actor=actor,
        kind=EventKind.LEGAL_HOLD_SET if hold else EventKind.LEGAL_HOLD_LIFTED,
        summary=(
            Phrase("Bewaarplicht ingesteld: %(reason)s", reason=reason)
            if hold
            else Phrase("Bewaarplicht opgeheven.")
        ),
        before=before,
        after={"legal_hold": hold},
    )
    return locked


@transaction.atomic
def anonymised_summary_set(
    *, complaint: Complaint, actor: "User | None", summary: str
) -> Complaint:
    """The secretariat writes the anonymised summary used in the trainers' review (LSR-8b)."""
    if actor is None or not actor.is_secretariat:
        raise ValidationError(
            _("Alleen het secretariaat kan de geanonimiseerde samenvatting schrijven.")
        )
    locked = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    summary = (summary or "").strip()
    found = party_data_found(locked, summary)
    if found:
        raise ValidationError(
            {
                "summary": _(
                    "De samenvatting is niet anoniem: er staat %(what)s van een betrokkene "
                    "in. Laat namen, e-mailadressen en telefoonnummers weg."
                )
                % {"what": ", ".join(found)}
            }
        )
    changed = summary != locked.anonymised_summary
    locked.anonymised_summary = summary
    locked.save(update_fields=["anonymised_summary", "updated_at"])
    if changed:
        # The text itself is anonymous, but the history needs only that it changed.
        event_record(
            complaint=locked,
            actor=actor,
            kind=EventKind.ANONYMISED_SUMMARY_SET,
            summary=Phrase("Geanonimiseerde samenvatting bijgewerkt."),
        )
    return locked
