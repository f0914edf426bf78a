"""Writes to complaints. Each runs in one transaction and records an event."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from klachtroute.deadlines import local_date
from klachtroute.links.models import Purpose
from klachtroute.links.tokens import link_create, links_revoke
from klachtroute.notifications.models import OutboxMessage, OutboxStatus
from klachtroute.notifications.services import message_render, message_send_to
from klachtroute.organisation.models import Course, Organisation
from klachtroute.organisation.selectors import (
    ActiveProcedure,
    active_procedure_get,
    organisation_get,
    work_calendar_get,
)
from klachtroute.procedures.selectors import procedure_version_in_force

from ..deadlines import deadlines_compute, deadlines_passed, deadlines_snapshot, next_due
from ..events import event_record, history_held
from ..models import Channel, Complaint, Document, Outcome, Party, RespondentType
from ..phrases import Phrase, day, label, moment, person_name
from ..selectors import handler_pick_automatic, handlers_eligible
from ..uploads import (
    UploadCheck,
    files_removed_on_failure,
    remember_stored_file,
    upload_check,
    upload_quota_check,
)
from ..workflow import (
    TRANSITIONS_BY_ACTION,
    EventKind,
    State,
    target_check,
    transition_check,
)
from .common import step_begin, tell_complainant, tell_user
from .numbering import number_draw, number_placeholder

if TYPE_CHECKING:
    from klachtroute.accounts.models import User


def complaint_register(
    *,
    actor: "User | None",
    channel: str,
    received_at: datetime,
    complainant_name: str,
    complaint_date: date,
    description: str,
    complainant_email: str = "",
    complainant_phone: str = "",
    complainant_address: str = "",
    complainant_language: str = "nl",
    representative_name: str = "",
    course: Course | None = None,
    course_other: str = "",
    remedy_sought: str = "",
    respondent_type: str = RespondentType.UNKNOWN,
    respondent=None,
    respondent_description: str = "",
    category: str = "",
    document: UploadedFile | None = None,
    settled_on_the_spot: bool = False,
    submission_token: uuid.UUID | None = None,
    active: ActiveProcedure | None = None,
) -> Complaint:
    """Register a complaint (LIVP-1, LIVP-2, LSR-4a) and start its procedure.

    A repeated submission with the same token returns the complaint registered the
    first time instead of a second one. `active` is the organisation and procedure version
    the caller has already read (the public form): used when read for the day of receipt,
    else they are read here.
    """
    if submission_token is not None:
        existing = Complaint.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    checked = upload_check(document) if document is not None else None
    try:
        with files_removed_on_failure():
            return _complaint_register(
                actor=actor,
                channel=channel,
                received_at=received_at,
                fields={
                    "complainant_name": complainant_name.strip(),
                    "complainant_email": complainant_email.strip(),
                    "complainant_phone": complainant_phone.strip(),
                    "complainant_address": complainant_address.strip(),
                    "complainant_language": complainant_language,
                    "representative_name": representative_name.strip(),
                    "course": course,
                    "course_other": "" if course else course_other.strip(),
                    "complaint_date": complaint_date,
                    "description": description.strip(),
                    "remedy_sought": remedy_sought.strip(),
                    "respondent_type": respondent_type,
                    "respondent": respondent,
                    "respondent_description": respondent_description.strip(),
                    "category": category,
                    "submission_token": submission_token,
                },
                document=checked,
                settled_on_the_spot=settled_on_the_spot,
                active=active,
            )
    except IntegrityError:
        if submission_token is not None:
            existing = Complaint.objects.filter(submission_token=submission_token).first()
            if existing:
                return existing
        raise


@transaction.atomic
def _complaint_register(
    *,
    actor: "User | None",
    channel: str,
    received_at: datetime,
    fields: dict,
    document,
    settled_on_the_spot,
    active: ActiveProcedure | None,
) -> Complaint:
    now = timezone.now()
    if received_at > now:
        raise ValidationError(
            {"received_at": _("De datum van ontvangst kan niet in de toekomst liggen.")}
        )
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Onbekend kanaal.")})
    if settled_on_the_spot and channel not in (Channel.PHONE, Channel.IN_PERSON):
        raise ValidationError(
            {
                "settled_on_the_spot": _(
                    "Alleen een mondelinge klacht kan direct worden afgehandeld."
                )
            }
        )
    received_on = local_date(received_at, settings.TIME_ZONE)
    if active is None or active.on != received_on:
        active = active_procedure_get(on=received_on)
    organisation, version = active.organisation, active.version
    if organisation is None or organisation.active_procedure is None:
        raise ValidationError(_("Er is nog geen actieve klachtenprocedure ingesteld."))
    if version is None:
        raise ValidationError(_("De actieve procedure heeft geen versie."))
    _required_check(version.spec.intake_required, channel, fields)
    if fields["category"] and version.spec.category(fields["category"]) is None:
        raise ValidationError({"category": _("Deze categorie bestaat niet in deze procedure.")})

    # The number is drawn last (numbering.py): until then the complaint has a placeholder.
    complaint = Complaint(
        number=number_placeholder(),
        channel=channel,
        received_at=received_at,
        procedure_version=version,
        registered_by=actor,
        **fields,
    )
    calendar = work_calendar_get()
    deadlines_compute(complaint, calendar)
    # Judged before an acknowledgement at registration marks its own deadline as met.
    passed = deadlines_passed(complaint, timezone.localdate())
    acknowledged_now = not settled_on_the_spot and version.spec.acknowledge_on == "registration"
    # Acknowledged at registration: marked before the insert, which then writes it too.
    acknowledged_at = _acknowledgement_mark(complaint) if acknowledged_now else None
    complaint.save()
    with history_held(complaint):
        event_record(
            complaint=complaint,
            actor=actor,
            actor_label_override="" if actor else _("Klager (webformulier)"),
            kind=EventKind.REGISTERED,
            summary=Phrase(
                "Klacht geregistreerd via %(channel)s.", channel=label(Channel(channel), lower=True)
            ),
            after={
                "number": complaint.number,
                "channel": channel,
                "received_at": received_at.isoformat(),
                "procedure": str(version),
                "deadlines": deadlines_snapshot(complaint),
            },
        )
        if document is not None:
            document_add(complaint=complaint, checked=document, actor=actor)
        if passed and not settled_on_the_spot:
            event_record(
                complaint=complaint,
                actor=actor,
                kind=EventKind.REGISTERED_LATE,
                summary=Phrase(
                    "Bij registratie al verstreken: %(deadlines)s.",
                    deadlines=[
                        Phrase(
                            "%(deadline)s (%(due)s)",
                            deadline=label(state.kind.notice_label),
                            due=day(state.due),
                        )
                        for state in passed
                    ],
                ),
                after={"passed": {state.key: state.due.isoformat() for state in passed}},
            )

        if settled_on_the_spot:
            complaint.state = State.SETTLED
            complaint.outcome = Outcome.SETTLED_ON_THE_SPOT
            complaint.settled_at = received_at
            complaint.next_due = None
            complaint.save(
                update_fields=["state", "outcome", "settled_at", "next_due", "updated_at"]
            )
            event_record(
                complaint=complaint,
                actor=actor,
                kind=EventKind.SETTLED_ON_THE_SPOT,
                summary=Phrase("Mondelinge klacht direct afgehandeld; geen ontvangstbevestiging."),
                before={"state": State.NEW},
                after={"state": State.SETTLED, "outcome": complaint.outcome},
            )
            if version.spec.settled_at_once_confirmed:
                _settled_at_once_confirm(
                    complaint=complaint, actor=actor, organisation=organisation
                )
        elif acknowledged_at is not None:
            # LSR-4b: acknowledged at once, with the procedure and the handling period.
            _acknowledgement_send(
                complaint=complaint, actor=actor, at=acknowledged_at, organisation=organisation
            )
        elif channel == Channel.WEB and organisation.auto_assign:
            handler = handler_pick_automatic(complaint=complaint)
            if handler is not None:
                _assign(
                    complaint=complaint,
                    handler=handler,
                    actor=None,
                    automatic=True,
                    organisation=organisation,
                )
        number_draw(complaint, year=received_on.year)
    return complaint


# What a written complaint must carry when the procedure asks for it (AWB-9:4): the field,
# and what to say when it is missing.
REQUIRED_FIELDS = {
    "address": ("complainant_address", _lazy("Vul het postadres van de klager in.")),
    "email": ("complainant_email", _lazy("Vul het e-mailadres van de klager in.")),
    "phone": ("complainant_phone", _lazy("Vul het telefoonnummer van de klager in.")),
}
WRITTEN_CHANNELS = (Channel.WEB, Channel.POST)


def _required_check(required: Sequence[str], channel: str, fields: dict) -> None:
    if channel not in WRITTEN_CHANNELS:
        return
    errors = {}
    for key in required:
        field, message = REQUIRED_FIELDS[key]
        if not fields.get(field):
            errors[field] = str(message)
    if errors:
        raise ValidationError(errors)


def _settled_at_once_confirm(
    *, complaint: Complaint, actor: "User | None", organisation: Organisation
) -> None:
    """AWB-9:5: the complainant receives a written confirmation of the settlement, by e-mail
    or as a letter to post; the registered complaint and this message are the evidence."""
    message_send_to(
        key="settled_at_once",
        context={
            "complaint": complaint,
            "organisation": organisation,
            "recipient_name": complaint.complainant_name,
        },
        complaint=complaint,
        email=complaint.complainant_email,
        name=complaint.complainant_name,
        postal_address=complaint.complainant_address,
        language=complaint.complainant_language,
    )
    event_record(
        complaint=complaint,
        actor=actor,
        kind=EventKind.SETTLED_AT_ONCE_CONFIRMED,
        summary=(
            Phrase("Schriftelijke bevestiging van de afhandeling per e-mail klaargezet.")
            if complaint.complainant_email
            else Phrase("Schriftelijke bevestiging van de afhandeling als brief klaargezet.")
        ),
        after={"by_letter": not complaint.complainant_email},
    )


def document_add(
    *,
    complaint: Complaint,
    checked: UploadCheck,
    actor: "User | None",
    description: str = "",
    actor_label: str = "",
) -> Document:
    """Store a checked upload in the dossier. If the transaction fails the file is removed.
    Past the complaint's quota (count, total size) it is refused with a ValidationError."""
    upload_quota_check(complaint=complaint, checked=[checked])
    document = Document(
        complaint=complaint,
        original_name=checked.clean_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description,
        uploaded_at=timezone.now(),
        uploaded_by=actor,
    )
    checked.file.seek(0)
    document.file.save(checked.clean_name, checked.file, save=False)
    remember_stored_file(document.file.storage, document.file.name)
    document.save()
    event_record(
        complaint=complaint,
        actor=actor,
        actor_label_override=actor_label,
        kind=EventKind.DOCUMENT_ADDED,
        summary=Phrase("Document toegevoegd: %(name)s", name=checked.clean_name),
        after={"name": checked.clean_name, "type": checked.content_type, "size": checked.size},
    )
    return document


def _handler_check(complaint: Complaint, handler) -> None:
    """A handler chosen by a person must not be involved and must be eligible (LIVP-4)."""
    eligible = handlers_eligible(complaint=complaint)
    if complaint.involved_people.filter(pk=handler.pk).exists():
        raise ValidationError(
            {
                "handler": _(
                    "%(name)s is vastgelegd als betrokkene bij de gedraging waarover geklaagd "
                    "wordt en kan de klacht niet behandelen."
                )
                % {"name": handler.display_name}
            }
        )
    if not eligible.filter(pk=handler.pk).exists():
        raise ValidationError(
            {
                "handler": _(
                    "%(name)s kan deze klacht niet behandelen: deze persoon is betrokken "
                    "(geeft les in de opleiding van de klager of is beklaagde) of heeft geen "
                    "behandelaarsrol."
                )
                % {"name": handler.display_name}
            }
        )


def _assign(
    *,
    complaint: Complaint,
    handler,
    actor: "User | None",
    automatic: bool = False,
    organisation: Organisation | None = None,
) -> None:
    if not automatic:
        # An automatic pick comes from `handlers_eligible` itself, in this transaction.
        _handler_check(complaint, handler)
    previous = complaint.handler
    before = {
        "handler": previous.display_name if previous else None,
        "state": complaint.state,
    }
    complaint.handler = handler
    first_time = complaint.acknowledged_at is None
    if complaint.state == State.NEW:
        target_check(TRANSITIONS_BY_ACTION["assign_handler"], complaint, State.IN_PROGRESS)
        complaint.state = State.IN_PROGRESS
    event_record(
        complaint=complaint,
        actor=actor,
        kind=EventKind.HANDLER_ASSIGNED,
        summary=(
            Phrase("Automatisch toegewezen aan %(name)s.", name=person_name(handler))
            if automatic
            else Phrase("Behandelaar: %(name)s.", name=person_name(handler))
        ),
        before=before,
        after={"handler": handler.display_name, "state": complaint.state},
    )
    fields = ["handler", "state", "updated_at"]
    if first_time:
        # The first appointment is acknowledged: one UPDATE writes both.
        acknowledged_at = _acknowledgement_mark(complaint)
        fields += ["acknowledged_at", "acknowledgement_by_letter", "next_due"]
    complaint.save(update_fields=fields)
    if first_time:
        _acknowledgement_send(
            complaint=complaint, actor=actor, at=acknowledged_at, organisation=organisation
        )
    _handler_change_tell(
        complaint, previous=previous, automatic=automatic, organisation=organisation
    )


def _handler_change_tell(
    complaint: Complaint, *, previous, automatic: bool, organisation: Organisation | None = None
) -> None:
    """The new handler is told, with a link to the complaint; a handler who is replaced is
    told too. Where the acknowledgement named the handler, the complainant is told the new
    name (sent with the acknowledgement the first time)."""
    known: dict[str, Any] = {"organisation": organisation} if organisation is not None else {}
    handler = complaint.handler
    assert handler is not None  # called right after the appointment
    if previous is not None and previous.pk == handler.pk:
        return
    # A notice to staff goes by e-mail only: it is not a letter in the list of post.
    if handler.email:
        tell_user(
            complaint,
            handler,
            "handler_appointed",
            automatic=automatic,
            previous_handler=previous.display_name if previous else "",
            **known,
        )
    if previous is None:
        return
    if previous.email:
        tell_user(complaint, previous, "handler_released", **known)
    version = complaint.procedure_version
    if version.spec.acknowledge_on == "assignment" and complaint.acknowledged_at:
        tell_complainant(
            complaint,
            "handler_changed",
            confidentiality=version.spec.text("confidentiality", complaint.complainant_language),
            **known,
        )
        event_record(
            complaint=complaint,
            actor=None,
            kind=EventKind.COMPLAINANT_TOLD_HANDLER,
            summary=Phrase(
                "De klager heeft bericht gekregen dat %(name)s de klacht behandelt.",
                name=person_name(handler),
            ),
            after={"handler": handler.display_name},
        )


@transaction.atomic
def complaint_assign_handler(*, complaint: Complaint, handler, actor: "User | None") -> Complaint:
    """The secretariat appoints a handler who is not involved (LIVP-4) and, the first time,
    the complainant is acknowledged with the handler's name (LIVP-3, LSR-4b)."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    transition_check(actor, complaint, "assign_handler")
    _assign(complaint=complaint, handler=handler, actor=actor)
    return complaint


def complaint_acknowledge(
    *, complaint: Complaint, actor: "User | None", organisation: Organisation | None = None
) -> None:
    """Queue the acknowledgement: an e-mail, or a letter to print without an e-mail address.
    `organisation=` saves reading it again."""
    now = _acknowledgement_mark(complaint)
    complaint.save(
        update_fields=["acknowledged_at", "acknowledgement_by_letter", "next_due", "updated_at"]
    )
    _acknowledgement_send(complaint=complaint, actor=actor, at=now, organisation=organisation)


def _acknowledgement_mark(complaint: Complaint) -> datetime:
    """Mark the complaint acknowledged now (not saved); returns the moment."""
    now = timezone.now()
    complaint.acknowledged_at = now
    complaint.acknowledgement_by_letter = not complaint.complainant_email
    complaint.next_due = next_due(complaint)
    return now


def _acknowledgement_send(
    *, complaint: Complaint, actor: "User | None", at: datetime, organisation: Organisation | None
) -> None:
    """The acknowledgement of a complaint marked acknowledged `at`: its status link, its
    message and the event."""
    status_link = link_create(
        complaint=complaint,
        party=Party.COMPLAINANT,
        purpose=Purpose.STATUS,
        days=complaint.procedure_version.spec.link_days("status_link_valid"),
        language=complaint.complainant_language,
    )
    # By e-mail, or as a letter that waits in the secretariat's list of post to send.
    message_send_to(
        key="acknowledgement",
        context=acknowledgement_context(
            complaint, status_link=status_link, organisation=organisation
        ),
        complaint=complaint,
        email=complaint.complainant_email,
        name=complaint.complainant_name,
        postal_address=complaint.complainant_address,
        language=complaint.complainant_language,
    )
    if complaint.complainant_email:
        summary = Phrase("Ontvangstbevestiging per e-mail klaargezet voor verzending.")
    else:
        summary = Phrase(
            "Geen e-mailadres: ontvangstbevestiging als brief klaargezet om te versturen."
        )
    event_record(
        complaint=complaint,
        actor=actor,
        kind=EventKind.ACKNOWLEDGED,
        summary=summary,
        after={
            "acknowledged_at": at.isoformat(),
            "by_letter": complaint.acknowledgement_by_letter,
        },
    )


def acknowledgement_context(
    complaint: Complaint, status_link: str | None = None, organisation: Organisation | None = None
) -> dict:
    """What the acknowledgement's text may use; `organisation=` saves reading it again."""
    language = complaint.complainant_language
    version = complaint.procedure_version
    return {
        "complaint": complaint,
        "organisation": organisation if organisation is not None else organisation_get(),
        "procedure_summary": version.spec.text("procedure_summary", language),
        "confidentiality": version.spec.text("confidentiality", language),
        "status_link": status_link,
        # A complaint registered late: the acknowledgement says which periods had passed.
        "today": timezone.localdate(),
    }


@transaction.atomic
def complaint_correct_received_at(
    *, complaint: Complaint, received_at: datetime, actor: "User | None", reason: str
) -> Complaint:
    """The secretariat corrects the date of receipt; every deadline is computed again. A
    person who moves a date says why: the reason is in the history."""
    from .common import text_required

    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    transition_check(actor, complaint, "correct_received_at")
    if received_at > timezone.now():
        raise ValidationError(
            {"received_at": _("De datum van ontvangst kan niet in de toekomst liggen.")}
        )
    reason = text_required(
        reason, "reason", _("Noem de reden: elke wijziging van een datum of termijn heeft er een.")
    )
    previous = timezone.localtime(complaint.received_at)
    before = {
        "received_at": complaint.received_at.isoformat(),
        "deadlines": deadlines_snapshot(complaint),
        "procedure": str(complaint.procedure_version),
    }
    complaint.received_at = received_at
    # LSR-12: a complaint is handled under the version in force on the day it was received.
    old_version = complaint.procedure_version
    version = procedure_version_in_force(
        procedure=old_version.procedure, on=local_date(received_at, settings.TIME_ZONE)
    )
    if version is not None and version.pk != old_version.pk:
        complaint.procedure_version = version
    deadlines_compute(complaint, work_calendar_get())
    complaint.save()
    dates = {"before": moment(previous), "after": moment(received_at), "reason": reason}
    if complaint.procedure_version_id != old_version.pk:
        summary = Phrase(
            "Ontvangstdatum gecorrigeerd van %(before)s naar %(after)s; de klacht valt nu onder "
            "%(version)s (was %(old)s); termijnen opnieuw berekend. Reden: %(reason)s",
            **dates,
            version=_version_name(complaint.procedure_version),
            old=_version_name(old_version),
        )
    else:
        summary = Phrase(
            "Ontvangstdatum gecorrigeerd van %(before)s naar %(after)s; termijnen opnieuw "
            "berekend. Reden: %(reason)s",
            **dates,
        )
    event_record(
        complaint=complaint,
        actor=actor,
        kind=EventKind.RECEIVED_AT_CORRECTED,
        summary=summary,
        before=before,
        after={
            "received_at": received_at.isoformat(),
            "deadlines": deadlines_snapshot(complaint),
            "reason": reason,
            "procedure": str(complaint.procedure_version),
        },
    )
    _letters_waiting_renew(complaint, actor=actor)
    return complaint


def _version_name(version) -> Phrase:
    """The procedure's name, its version's label (unless that is just the date) and the date
    it took effect."""
    effective = {"from": day(version.effective_from)}
    if version.label == version.effective_from.isoformat():
        return Phrase("%(procedure)s (%(from)s)", procedure=version.procedure.name, **effective)
    return Phrase(
        "%(procedure)s %(version)s (%(from)s)",
        procedure=version.procedure.name,
        version=version.label,
        **effective,
    )


def _letters_waiting_renew(complaint: Complaint, *, actor: "User | None") -> None:
    """An acknowledgement still waiting in the list of post names the old dates: it is
    written again with the corrected ones (and a new status link, the old one revoked)."""
    waiting = OutboxMessage.objects.filter(
        complaint=complaint, kind="acknowledgement", status=OutboxStatus.TO_POST
    )
    for letter in waiting:
        links_revoke(complaint=complaint, party=Party.COMPLAINANT, purpose=Purpose.STATUS)
        status_link = link_create(
            complaint=complaint,
            party=Party.COMPLAINANT,
            purpose=Purpose.STATUS,
            days=complaint.procedure_version.spec.link_days("status_link_valid"),
            language=complaint.complainant_language,
        )
        letter.subject, letter.body = message_render(
            key="acknowledgement",
            language=letter.language,
            context=acknowledgement_context(complaint, status_link=status_link),
            procedure=complaint.procedure_version.procedure,
        )
        letter.save(update_fields=["subject", "body"])
        event_record(
            complaint=complaint,
            actor=actor,
            kind=EventKind.LETTER_RENEWED,
            summary=Phrase(
                "De ontvangstbevestiging in de lijst met te versturen post is opnieuw "
                "opgesteld met de gecorrigeerde termijnen."
            ),
            after={"message": letter.pk},
        )


def document_record(
    *,
    complaint: Complaint,
    actor: "User | None",
    document: UploadedFile,
    description: str,
    channel: str,
    received_on: date,
) -> Document:
    """Staff add a document that reached the organisation at any time (a signed approval,
    a letter by post), with how and when it came; it is kept in the dossier."""
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Onbekend kanaal.")})
    if received_on is None or received_on > timezone.localdate():
        raise ValidationError(
            {"received_on": _("De datum van ontvangst kan niet in de toekomst liggen.")}
        )
    checked = upload_check(document)
    with files_removed_on_failure(), transaction.atomic():
        complaint, _t = step_begin(complaint=complaint, actor=actor, action="add_document")
        stored = document_add(
            complaint=complaint,
            checked=checked,
            actor=actor,
            description=(description or "").strip(),
        )
        stored.channel, stored.received_on = channel, received_on
        stored.save(update_fields=["channel", "received_on"])
        event_record(
            complaint=complaint,
            actor=actor,
            kind=EventKind.DOCUMENT_RECEIVED,
            summary=Phrase(
                "%(name)s ontvangen via %(channel)s op %(date)s: %(description)s",
                name=stored.original_name,
                channel=label(Channel(channel), lower=True),
                date=day(received_on),
                description=stored.description,
            ),
            after={"name": stored.original_name, "channel": channel, "at": received_on.isoformat()},
        )
    return stored
