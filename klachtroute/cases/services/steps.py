"""Steps any procedure may switch on through its definition (first used by the Awb chapter 9
preset): recording who was involved, setting a complaint aside, a copy to the respondent, the
hearing, and a written, reasoned outcome that names the next instance."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtroute.accounts.models import User
from klachtroute.deadlines import deadline
from klachtroute.links.models import Purpose
from klachtroute.links.tokens import links_close
from klachtroute.notifications.services import message_send_to
from klachtroute.organisation.selectors import work_calendar_get

from ..deadlines import next_due
from ..models import Complaint, Outcome, Party, RespondentType, Ruling
from ..outcome_letters import next_step_for, outcome_letter_check
from ..phrases import Phrase, day, label, languages, person_name
from ..workflow import EventKind, State
from .common import (
    context_for,
    record,
    respondent_people,
    state_move,
    step_begin,
    tell_complainant,
    tell_respondent,
    text_required,
)
from .lsr import RULING_OUTCOMES


def _handling_decided(complaint: Complaint) -> None:
    """The complaint is being handled: the decision not to handle it is no longer due."""
    if complaint.handling_decided_at is None:
        complaint.handling_decided_at = timezone.now()


@transaction.atomic
def involved_record(
    *, complaint: Complaint, actor: User | None, person: User, note: str = ""
) -> Complaint:
    """The secretariat records a person involved in the conduct complained about; that person
    may not handle the complaint (AWB-9:7)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="record_involved")
    if person is None:
        raise ValidationError({"person": _("Kies de persoon.")})
    if complaint.handler_id == person.pk:
        raise ValidationError(
            {
                "person": _(
                    "%(name)s behandelt deze klacht; wijs eerst een andere behandelaar aan."
                )
                % {"name": person.display_name}
            }
        )
    complaint.involved_people.add(person)
    note = (note or "").strip()
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.INVOLVED_RECORDED,
        summary=(
            Phrase(
                "Betrokken bij de gedraging: %(name)s. %(note)s",
                name=person_name(person),
                note=note,
            )
            if note
            else Phrase("Betrokken bij de gedraging: %(name)s.", name=person_name(person))
        ),
        after={"involved": person.display_name, "note": note},
    )
    return complaint


@transaction.atomic
def complaint_set_aside(
    *, complaint: Complaint, actor: User | None, ground: str, reason: str
) -> Complaint:
    """The complaint is not handled, on one of the procedure's grounds; the complainant is told
    in writing, with the ground (AWB-9:8)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="set_aside")
    spec = complaint.procedure_version.spec
    ground_def = spec.set_aside_ground(ground)
    if ground_def is None:
        raise ValidationError({"ground": _("Kies de grond.")})
    reason = text_required(reason, "reason", _("Licht de grond toe voor de klager."))
    complaint.set_aside_ground = ground
    complaint.handling_decided_at = timezone.now()
    state_move(
        complaint,
        State.SETTLED,
        actor=actor,
        kind=EventKind.SET_ASIDE,
        summary=Phrase(
            "Niet in behandeling genomen: %(ground)s.", ground=languages(ground_def.label)
        ),
        outcome=Outcome.SET_ASIDE,
        after={"ground": ground, "reason": reason},
    )
    links_close(complaint=complaint)
    tell_complainant(
        complaint,
        "set_aside",
        ground=ground_def.label.get(complaint.complainant_language),
        reason=reason,
    )
    return complaint


@transaction.atomic
def respondent_copy_send(
    *, complaint: Complaint, actor: User | None, by_post: bool = False
) -> Complaint:
    """The respondent receives a copy of the complaint and its documents, through a private
    link or by post (AWB-9:9)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="send_respondent_copy")
    people = respondent_people(complaint)
    if not people:
        raise ValidationError(_("Er is niemand om het afschrift aan te sturen."))
    documents = list(complaint.documents.values_list("original_name", flat=True))
    if by_post:
        # A letter in the secretariat's list of post, with the documents enclosed.
        for person in people:
            message_send_to(
                key="respondent_copy",
                context=context_for(
                    complaint,
                    recipient_name=person.display_name,
                    recipient_party=Party.RESPONDENT,
                    by_post=True,
                    documents=documents,
                ),
                complaint=complaint,
                name=person.display_name,
                language=person.preferred_language or "nl",
            )
    else:
        tell_respondent(
            complaint, "respondent_copy", purpose=Purpose.COMPLAINT_COPY, documents=documents
        )
    complaint.respondent_copy_sent_at = timezone.now()
    complaint.respondent_copy_by_post = bool(by_post)
    _handling_decided(complaint)
    complaint.next_due = next_due(complaint)
    complaint.save()
    names = [person_name(p) for p in people]
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.RESPONDENT_COPY_SENT,
        summary=(
            Phrase(
                "Afschrift van de klacht en %(count)s stuk(ken) per post klaargezet voor %(who)s.",
                count=len(documents),
                who=names,
            )
            if by_post
            else Phrase(
                "Afschrift van de klacht en %(count)s stuk(ken) via een privélink aan %(who)s.",
                count=len(documents),
                who=names,
            )
        ),
        after={"by_post": bool(by_post), "documents": documents},
    )
    return complaint


@transaction.atomic
def hearing_offer(*, complaint: Complaint, actor: User | None, proposal: str) -> Complaint:
    """Complainant and respondent are offered a hearing, with the period to reply (AWB-9:10)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="offer_hearing")
    proposal = text_required(proposal, "proposal", _("Beschrijf het voorstel voor het horen."))
    period = complaint.procedure_version.spec.period("hearing_reply")
    assert period is not None  # the step's feature needs a hearing in the definition
    complaint.hearing_offered_at = timezone.now()
    complaint.hearing_reply_due = deadline(timezone.localdate(), period, work_calendar_get())
    _handling_decided(complaint)
    complaint.next_due = next_due(complaint)
    complaint.save()
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.HEARING_OFFERED,
        summary=Phrase(
            "Klager en beklaagde uitgenodigd om te worden gehoord; reactie uiterlijk %(date)s.",
            date=day(complaint.hearing_reply_due),
        ),
        after={"proposal": proposal, "reply_due": complaint.hearing_reply_due.isoformat()},
    )
    tell_complainant(complaint, "hearing_offer", proposal=proposal)
    if complaint.respondent_type != RespondentType.UNKNOWN:
        tell_respondent(complaint, "hearing_offer", proposal=proposal)
    return complaint


@transaction.atomic
def hearing_record(
    *, complaint: Complaint, actor: User | None, held_on: date, report: str
) -> Complaint:
    """The report (verslag) of the hearing is attached to the complaint (AWB-9:10)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="record_hearing")
    errors = {}
    if held_on is None or held_on > timezone.localdate():
        errors["held_on"] = _("Vandaag of eerder.")
    elif complaint.hearing_offered_at and held_on < timezone.localdate(
        complaint.hearing_offered_at
    ):
        errors["held_on"] = _("Niet voordat het horen werd aangeboden.")
    if not (report or "").strip():
        errors["report"] = _("Schrijf het verslag van het horen.")
    if errors:
        raise ValidationError(errors)
    complaint.hearing_held_on = held_on
    complaint.hearing_report = report.strip()
    complaint.save()
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.HEARING_HELD,
        summary=Phrase(
            "Klager en beklaagde gehoord op %(date)s; verslag vastgelegd.", date=day(held_on)
        ),
        after={"held_on": held_on.isoformat(), "report": complaint.hearing_report},
    )
    return complaint


@transaction.atomic
def hearing_skip(
    *, complaint: Complaint, actor: User | None, reason: str, note: str = ""
) -> Complaint:
    """No hearing, for one of the procedure's reasons, recorded (AWB-9:10). "Neither replied"
    is only possible once the offer's reply period has passed."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="skip_hearing")
    spec = complaint.procedure_version.spec
    reason_def = spec.hearing_skip_reason(reason)
    if reason_def is None:
        raise ValidationError({"reason": _("Kies de reden.")})
    note = (note or "").strip()
    if reason_def.after_reply_period:
        due = complaint.hearing_reply_due
        if due is None or timezone.localdate() <= due:
            raise ValidationError(
                {
                    "reason": _(
                        "Dat kan pas als het horen is aangeboden en de termijn om te reageren "
                        "voorbij is."
                    )
                }
            )
    complaint.hearing_skip_reason = reason
    complaint.hearing_skip_note = note
    _handling_decided(complaint)
    complaint.next_due = next_due(complaint)
    complaint.save()
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.HEARING_SKIPPED,
        summary=(
            Phrase(
                "Afgezien van horen: %(reason)s. %(note)s",
                reason=languages(reason_def.label),
                note=note,
            )
            if note
            else Phrase("Afgezien van horen: %(reason)s.", reason=languages(reason_def.label))
        ),
        after={"reason": reason, "note": note},
    )
    return complaint


@transaction.atomic
def outcome_decide(
    *,
    complaint: Complaint,
    actor: User | None,
    findings: str,
    decision: str,
    motivation: str,
    conclusions: str = "",
    remedy_due: date | None = None,
) -> Ruling:
    """The written, reasoned outcome to complainant and respondent: the findings, the
    judgement, the conclusions (what will be done and by when), and the next instance with
    its contact details and period (AWB-9:12); a complete outcome letter."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="decide_outcome")
    errors = {}
    if decision not in RULING_OUTCOMES:
        errors["decision"] = _("Kies gegrond, deels gegrond of ongegrond.")
    if not (findings or "").strip():
        errors["findings"] = _("Beschrijf de bevindingen van het onderzoek.")
    if not (motivation or "").strip():
        errors["motivation"] = _("Motiveer het oordeel.")
    if errors:
        raise ValidationError(errors)
    outcome_letter_check(
        complaint=complaint,
        letter="outcome",
        values={
            "findings": findings,
            "decision": decision,
            "motivation": motivation,
            "conclusions": conclusions,
            "remedy_due": remedy_due,
        },
    )
    by_label = actor.display_name if actor else ""
    ruling = Ruling.objects.create(
        complaint=complaint,
        body=Ruling.Body.HANDLER,
        decision=decision,
        findings=findings.strip(),
        motivation=motivation.strip(),
        conclusions=(conclusions or "").strip(),
        remedy=(conclusions or "").strip(),
        remedy_due=remedy_due,
        decided_at=timezone.now(),
        decided_by=actor,
        decided_by_label=by_label,
    )
    _handling_decided(complaint)
    state_move(
        complaint,
        State.SETTLED,
        actor=actor,
        kind=EventKind.OUTCOME,
        summary=Phrase(
            "Klacht afgehandeld; oordeel: %(decision)s.",
            decision=label(Ruling.Decision(decision), lower=True),
        ),
        outcome=Outcome.REASONED,
        after={"decision": decision},
    )
    links_close(complaint=complaint)
    next_step = next_step_for(complaint, "outcome")
    tell_complainant(complaint, "outcome", ruling=ruling, next_step=next_step)
    if complaint.respondent_type != RespondentType.UNKNOWN:
        tell_respondent(complaint, "outcome", ruling=ruling, next_step=next_step)
    return ruling
