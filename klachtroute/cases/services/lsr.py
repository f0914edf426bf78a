"""The steps of a procedure with admissibility, routing by category, an investigation by
criteria and the director's ruling (LSR-5 to LSR-10), and exam complaints (LSR-9)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from klachtroute.accounts.models import User
from klachtroute.deadlines import deadline
from klachtroute.links.models import Purpose
from klachtroute.links.tokens import links_close, links_revoke
from klachtroute.organisation.selectors import work_calendar_get

from ..models import (
    Complaint,
    CriterionJudgement,
    DefenceRequest,
    Findings,
    Outcome,
    RespondentType,
    Ruling,
)
from ..outcome_letters import next_step_for, outcome_letter_check
from ..phrases import Phrase, category_name, day, label, languages, person_name
from ..workflow import EventKind, State
from .common import (
    directors,
    record,
    secretariat,
    state_move,
    step_begin,
    tell_complainant,
    tell_involved,
    tell_respondent,
    tell_user,
    text_required,
)

RULING_OUTCOMES: dict[str, str] = {
    Ruling.Decision.FOUNDED: Outcome.FOUNDED,
    Ruling.Decision.PARTLY_FOUNDED: Outcome.PARTLY_FOUNDED,
    Ruling.Decision.UNFOUNDED: Outcome.UNFOUNDED,
}


def _first_director() -> User:
    director = directors().first()
    if director is None:
        raise ValidationError(_("Er is geen directeur ingesteld om de klacht aan toe te wijzen."))
    return director


def _set_respondent(complaint: Complaint, respondent_type: str, respondent) -> None:
    if respondent_type not in RespondentType.values:
        raise ValidationError({"respondent_type": _("Kies wie de beklaagde is.")})
    if respondent_type == RespondentType.PERSON and respondent is None:
        raise ValidationError(
            {"respondent": _("Kies de persoon op wie de klacht betrekking heeft.")}
        )
    complaint.respondent_type = respondent_type
    complaint.respondent = respondent if respondent_type == RespondentType.PERSON else None


@transaction.atomic
def admissible_declare(
    *,
    complaint: Complaint,
    actor: User | None,
    category: str,
    respondent_type: str,
    respondent=None,
    reason: str = "",
) -> Complaint:
    """The secretariat declares the complaint admissible (LSR-5a), classifies it (LSR-5b) and
    routes it (LSR-5c): the director, the staff member or trainer concerned, or the exam
    committee. The respondent is first responsible (LSR-6a)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="judge_admissible")
    version = complaint.procedure_version
    category_def = version.spec.category(category)
    if category_def is None:
        raise ValidationError({"category": _("Kies een categorie.")})
    _set_respondent(complaint, respondent_type, respondent)
    route = category_def.route
    if route == "respondent" and complaint.respondent_type != RespondentType.PERSON:
        raise ValidationError(
            {
                "respondent": _(
                    "Bij deze categorie gaat de klacht naar de betrokken persoon: kies die persoon."
                )
            }
        )
    role = category_def.respondent_role
    if route == "respondent":
        assert complaint.respondent is not None  # _set_respondent names the person
        if role == "staff_member" and not complaint.respondent.is_staff_member:
            raise ValidationError(
                {
                    "respondent": _(
                        "Kies een medewerker bij een klacht over het handelen van een medewerker."
                    )
                }
            )
        if role == "trainer" and not complaint.respondent.is_trainer:
            raise ValidationError(
                {"respondent": _("Kies een docent/trainer bij een klacht over een docent/trainer.")}
            )
    complaint.admissible = True
    complaint.admissibility_reason = reason.strip()
    complaint.category = category
    if route == "director":
        complaint.handler = _first_director()
        target = State.IN_PROGRESS
    elif route == "respondent":
        complaint.handler = complaint.respondent
        target = State.IN_PROGRESS
    else:
        complaint.handler = None
        target = State.WITH_EXAM_COMMITTEE
    state_move(
        complaint,
        target,
        actor=actor,
        kind=EventKind.ADMISSIBLE,
        summary=Phrase(
            "Ontvankelijk; categorie: %(category)s; doorgeleid naar %(to)s.",
            category=category_name(category),
            to=(
                person_name(complaint.handler)
                if complaint.handler
                else label(gettext_lazy("de examencommissie"))
            ),
        ),
        after={
            "category": category,
            "handler": complaint.handler.display_name if complaint.handler else None,
            "respondent": complaint.respondent_label,
        },
    )
    if complaint.handler:
        tell_user(complaint, complaint.handler, "assigned_to_you")
    else:
        for member in User.objects.filter(is_active=True, is_exam_committee=True):
            tell_user(complaint, member, "assigned_to_you")
    return complaint


@transaction.atomic
def inadmissible_declare(
    *,
    complaint: Complaint,
    actor: User | None,
    ground: str,
    reason: str,
    respondent_type: str = "",
    respondent=None,
) -> Complaint:
    """Not admissible (LSR-5a, LSR-2). The person the complaint concerns answers it (LSR-5d)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="judge_inadmissible")
    ground_def = complaint.procedure_version.spec.ground(ground)
    if ground_def is None:
        raise ValidationError({"ground": _("Kies de grond.")})
    reason = text_required(reason, "reason", _("Motiveer waarom de klacht niet ontvankelijk is."))
    if respondent_type:
        _set_respondent(complaint, respondent_type, respondent)
    complaint.admissible = False
    complaint.admissibility_reason = (
        f"{ground_def.label.get(complaint.complainant_language)}: {reason}"
    )
    complaint.handler = (
        complaint.respondent
        if complaint.respondent_type == RespondentType.PERSON and complaint.respondent
        else _first_director()
    )
    state_move(
        complaint,
        State.INADMISSIBLE,
        actor=actor,
        kind=EventKind.INADMISSIBLE,
        summary=Phrase(
            "Niet ontvankelijk: %(ground)s: %(reason)s. %(person)s beantwoordt de klager.",
            ground=languages(ground_def.label),
            reason=reason,
            person=person_name(complaint.handler),
        ),
        after={"ground": ground, "reason": reason, "handler": complaint.handler.display_name},
    )
    tell_user(complaint, complaint.handler, "answer_inadmissible_request")
    return complaint


@transaction.atomic
def inadmissible_answer(*, complaint: Complaint, actor: User | None, answer: str) -> Complaint:
    """The person concerned answers the complainant; the complainant may disagree (LSR-5d)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="answer_inadmissible")
    complaint.inadmissible_answer = text_required(
        answer, "answer", _("Schrijf het antwoord aan de klager.")
    )
    complaint.save()
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.INADMISSIBLE_ANSWERED,
        summary=Phrase("De klager heeft antwoord gekregen."),
        after={"answer": complaint.inadmissible_answer},
    )
    tell_complainant(complaint, "inadmissible_answer", purpose=Purpose.STATUS)
    return complaint


@transaction.atomic
def inadmissible_close(*, complaint: Complaint, actor: User | None) -> Complaint:
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="close_inadmissible")
    state_move(
        complaint,
        State.SETTLED,
        actor=actor,
        kind=EventKind.CLOSED_INADMISSIBLE,
        summary=Phrase("Afgesloten: niet ontvankelijk, beantwoord door de betrokkene."),
        outcome=Outcome.INADMISSIBLE,
    )
    links_close(complaint=complaint)
    return complaint


@transaction.atomic
def findings_share(
    *,
    complaint: Complaint,
    actor: User | None,
    summary: str,
    proposed_solution: str,
    judgements: dict[str, tuple[str, str]],
    remedy_due: date | None = None,
) -> Findings:
    """The handler judges every criterion (LSR-6b) and shares the findings and a possible
    solution with the complainant (LSR-6c)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="share_findings")
    summary = text_required(summary, "summary", _("Beschrijf de bevindingen."))
    criteria = complaint.procedure_version.spec.criteria_for(complaint.category)
    errors = {}
    for criterion in criteria:
        judgement, _note = judgements.get(criterion.code, ("", ""))
        if judgement not in CriterionJudgement.Judgement.values:
            errors[f"criterion_{criterion.code}"] = _("Beoordeel dit criterium.")
    if errors:
        raise ValidationError(errors)
    outcome_letter_check(
        complaint=complaint,
        letter="findings",
        values={
            "judgements": judgements,
            "summary": summary,
            "proposed_solution": proposed_solution,
            "remedy_due": remedy_due,
        },
    )
    findings = Findings.objects.create(
        complaint=complaint,
        summary=summary,
        proposed_solution=(proposed_solution or "").strip(),
        remedy_due=remedy_due,
        shared_at=timezone.now(),
        shared_by=actor,
    )
    _judgements_save(complaint, judgements, findings=findings)
    on_time = complaint.settle_due is None or timezone.localdate() <= complaint.settle_due
    state_move(
        complaint,
        State.FINDINGS_SHARED,
        actor=actor,
        kind=EventKind.FINDINGS_SHARED,
        summary=(
            Phrase("Bevindingen en mogelijke oplossing gedeeld met de klager, binnen de termijn.")
            if on_time
            else Phrase("Bevindingen en mogelijke oplossing gedeeld met de klager, na de termijn.")
        ),
        after={
            "summary": summary,
            "judgements": {k: v[0] for k, v in judgements.items()},
            "on_time": on_time,
        },
    )
    tell_complainant(
        complaint,
        "findings",
        purpose=Purpose.RESPOND_FINDINGS,
        findings=findings,
        next_step=next_step_for(complaint, "findings"),
    )
    return findings


@transaction.atomic
def findings_respond(
    *,
    complaint: Complaint,
    actor: User | None = None,
    party: str | None = None,
    agree: bool,
    reason: str = "",
) -> Complaint:
    """The complainant agrees (the investigation closes, LSR-6h) or does not (LSR-6d)."""
    action = "accept_findings" if agree else "reject_findings"
    complaint, _t = step_begin(complaint=complaint, actor=actor, action=action, party=party)
    findings = complaint.findings.last()
    if findings is None:
        raise ValidationError(_("Er zijn nog geen bevindingen gedeeld om op te reageren."))
    if not agree:
        reason = text_required(reason, "reason", _("Geef aan waarom u niet akkoord gaat."))
    findings.response = Findings.Response.AGREED if agree else Findings.Response.DISAGREED
    findings.response_reason = (reason or "").strip()
    findings.responded_at = timezone.now()
    findings.save()
    links_revoke(complaint=complaint, purpose=Purpose.RESPOND_FINDINGS)
    if agree:
        state_move(
            complaint,
            State.SETTLED,
            actor=actor,
            party=party,
            kind=EventKind.FINDINGS_ACCEPTED,
            summary=Phrase(
                "De klager gaat akkoord met de bevindingen; het onderzoek is afgesloten."
            ),
            outcome=Outcome.FINDINGS_ACCEPTED,
        )
        tell_involved(complaint, "complainant_step", actor=actor, step="agreed_findings")
    else:
        state_move(
            complaint,
            State.NOT_SOLVED,
            actor=actor,
            party=party,
            kind=EventKind.FINDINGS_REJECTED,
            summary=Phrase(
                "De klager gaat niet akkoord: %(reason)s", reason=findings.response_reason
            ),
            after={"reason": findings.response_reason},
        )
        for person in secretariat():
            tell_user(complaint, person, "findings_rejected", reason=findings.response_reason)
        tell_involved(
            complaint,
            "complainant_step",
            actor=actor,
            exclude=tuple(secretariat()),
            step="disagreed_findings",
            reason=findings.response_reason,
        )
    return complaint


@transaction.atomic
def procedure_send(*, complaint: Complaint, actor: User | None, note: str = "") -> Complaint:
    """The secretariat sends the complainant the procedure, which says the complainant can
    turn to the director (LSR-6d)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="send_procedure")
    complaint.procedure_sent_at = timezone.now()
    state_move(
        complaint,
        State.NOT_SOLVED,
        actor=actor,
        kind=EventKind.PROCEDURE_SENT,
        summary=Phrase(
            "De klager heeft de klachtenprocedure ontvangen, met de mogelijkheid zich tot de directeur te wenden."
        ),
        after={"note": note.strip()},
    )
    tell_complainant(complaint, "director_procedure", purpose=Purpose.STATUS, note=note.strip())
    return complaint


@transaction.atomic
def director_escalate(
    *, complaint: Complaint, actor: User | None = None, party: str | None = None, note: str = ""
) -> Complaint:
    """The complainant turns to the director (LSR-5d, LSR-6d)."""
    complaint, _t = step_begin(
        complaint=complaint, actor=actor, action="escalate_to_director", party=party
    )
    state_move(
        complaint,
        State.WITH_DIRECTOR,
        actor=actor,
        party=party,
        kind=EventKind.ESCALATED_TO_DIRECTOR,
        summary=Phrase("De klacht is voorgelegd aan de directeur."),
        after={"note": (note or "").strip()},
    )
    for person in directors():
        tell_user(complaint, person, "escalated_to_director", note=(note or "").strip())
    tell_involved(
        complaint,
        "complainant_step",
        actor=actor,
        exclude=tuple(directors()),
        step="escalated_director",
        reason=(note or "").strip(),
    )
    return complaint


@transaction.atomic
def defence_request(
    *,
    complaint: Complaint,
    actor: User | None,
    question: str = "",
    due: date | None = None,
    due_reason: str = "",
) -> DefenceRequest:
    """The director asks the respondent for a defence (verweer) before a date (LSR-6e). A
    date other than the procedure's period needs a reason, which the history shows."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="request_defence")
    if not (complaint.respondent_type == RespondentType.PERSON and complaint.respondent):
        raise ValidationError(_("De organisatie zelf is verweerder; u kunt direct uitspraak doen."))
    today = timezone.localdate()
    period = complaint.procedure_version.spec.period("defence")
    by_procedure = deadline(today, period, work_calendar_get()) if period else None
    due = due or by_procedure
    if due is None or due <= today:
        raise ValidationError({"due": _("Kies een datum na vandaag.")})
    due_reason = (due_reason or "").strip()
    if due != by_procedure and not due_reason:
        raise ValidationError(
            {
                "due_reason": _(
                    "Noem de reden voor een andere datum dan de termijn van de procedure."
                )
            }
        )
    request = DefenceRequest.objects.create(
        complaint=complaint,
        requested_at=timezone.now(),
        requested_by=actor,
        question=question.strip(),
        due=due,
    )
    complaint.defence_due = due
    state_move(
        complaint,
        State.AWAITING_DEFENCE,
        actor=actor,
        kind=EventKind.DEFENCE_REQUESTED,
        summary=(
            Phrase(
                "Verweer gevraagd aan %(name)s, uiterlijk %(due)s. Reden voor deze datum: "
                "%(reason)s",
                name=person_name(complaint.respondent),
                due=day(due),
                reason=due_reason,
            )
            if due_reason
            else Phrase(
                "Verweer gevraagd aan %(name)s, uiterlijk %(due)s.",
                name=person_name(complaint.respondent),
                due=day(due),
            )
        ),
        after={"due": due.isoformat(), **({"due_reason": due_reason} if due_reason else {})},
    )
    tell_respondent(complaint, "defence_request", purpose=Purpose.DEFENCE, request=request)
    return request


@transaction.atomic
def defence_submit(
    *, complaint: Complaint, actor: User | None = None, party: str | None = None, defence: str
) -> Complaint:
    complaint, _t = step_begin(
        complaint=complaint, actor=actor, action="submit_defence", party=party
    )
    defence = text_required(defence, "defence", _("Schrijf het verweer."))
    request = complaint.defence_requests.filter(submitted_at__isnull=True).last()
    if request is None:
        raise ValidationError(_("Er is geen verweer gevraagd dat nog open staat."))
    request.defence = defence
    request.submitted_at = timezone.now()
    request.submitted_by_label = actor.display_name if actor else complaint.respondent_label
    request.save()
    complaint.defence_due = None
    links_revoke(complaint=complaint, purpose=Purpose.DEFENCE)
    state_move(
        complaint,
        State.WITH_DIRECTOR,
        actor=actor,
        party=party,
        kind=EventKind.DEFENCE_SUBMITTED,
        summary=Phrase("Verweer ontvangen."),
        after={"defence": defence},
    )
    for person in directors():
        tell_user(complaint, person, "defence_received")
    return complaint


def _judgements_save(
    complaint: Complaint, judgements: dict[str, tuple[str, str]], **owner
) -> list[CriterionJudgement]:
    """Keep the judgement of each criterion of the complaint's category that was judged, on
    its findings or its ruling (`owner`), with the criterion's label in the complainant's
    language as the letter shows it."""
    language = complaint.complainant_language
    return [
        CriterionJudgement.objects.create(
            **owner,
            criterion=criterion.code,
            label=criterion.label.get(language),
            judgement=judgements[criterion.code][0],
            note=(judgements[criterion.code][1] or "").strip(),
        )
        for criterion in complaint.procedure_version.spec.criteria_for(complaint.category)
        if criterion.code in judgements
    ]


def _ruling_close(
    complaint: Complaint,
    *,
    actor: User,
    body: str,
    decision: str,
    motivation: str,
    outcome: str,
    kind: EventKind,
    summary: str,
    judgements: dict[str, tuple[str, str]] | None = None,
) -> Ruling:
    """Record a ruling, with its judgement per criterion where it has them, and close the
    complaint with it; shared by the director and the exam committee, who rule by the same
    three decisions."""
    ruling = Ruling.objects.create(
        complaint=complaint,
        body=body,
        decision=decision,
        motivation=motivation,
        decided_at=timezone.now(),
        decided_by=actor,
        decided_by_label=actor.display_name,
    )
    judged = _judgements_save(complaint, judgements or {}, ruling=ruling)
    criterion_labels = {
        c.code: c.label for c in complaint.procedure_version.spec.criteria_for(complaint.category)
    }
    state_move(
        complaint,
        State.SETTLED,
        actor=actor,
        kind=kind,
        summary=Phrase(summary, decision=label(Ruling.Decision(decision)))
        if not judged
        else Phrase(
            "%(ruling)s Per criterium: %(judgements)s.",
            ruling=Phrase(summary, decision=label(Ruling.Decision(decision))),
            judgements=[
                Phrase(
                    "%(criterion)s: %(judgement)s",
                    criterion=languages(criterion_labels[j.criterion]),
                    judgement=label(CriterionJudgement.Judgement(j.judgement), lower=True),
                )
                for j in judged
            ],
        ),
        outcome=outcome,
        after={"decision": decision, "motivation": motivation},
    )
    return ruling


def _ruling_input(decision: str, motivation: str) -> str:
    if decision not in RULING_OUTCOMES:
        raise ValidationError({"decision": _("Kies gegrond, deels gegrond of ongegrond.")})
    return text_required(motivation, "motivation", _("Motiveer de uitspraak."))


def ruling_judgements_check(
    *, complaint: Complaint, decision: str, judgements: dict[str, tuple[str, str]]
) -> None:
    """The director rules by the criteria of LSR-6b (LSR-6e): every criterion of the
    complaint's category is judged, and the verdict follows from the judgements: unfounded
    when no criterion is out of order, founded or partly founded when one is."""
    criteria = complaint.procedure_version.spec.criteria_for(complaint.category)
    errors: dict[str, str] = {}
    for criterion in criteria:
        judgement, _note = judgements.get(criterion.code, ("", ""))
        if judgement not in CriterionJudgement.Judgement.values:
            errors[f"criterion_{criterion.code}"] = _("Beoordeel dit criterium.")
    if errors:
        raise ValidationError(errors)
    language = complaint.complainant_language
    not_in_order = [
        c.label.get(language)
        for c in criteria
        if judgements[c.code][0] == CriterionJudgement.Judgement.NOT_IN_ORDER
    ]
    if criteria and not_in_order and decision == Ruling.Decision.UNFOUNDED:
        raise ValidationError(
            {
                "decision": _(
                    "Ongegrond past niet bij uw oordeel: niet in orde is %(criteria)s. Kies "
                    "gegrond of deels gegrond, of pas het oordeel per criterium aan."
                )
                % {"criteria": "; ".join(not_in_order)}
            }
        )
    if criteria and not not_in_order and decision != Ruling.Decision.UNFOUNDED:
        raise ValidationError(
            {
                "decision": _(
                    "%(decision)s past niet bij uw oordeel: geen enkel criterium is niet in "
                    "orde. Kies ongegrond, of pas het oordeel per criterium aan."
                )
                % {"decision": Ruling.Decision(decision).label}
            }
        )


def _inadmissibility_ruling(
    complaint: Complaint, *, actor: User, inadmissibility: str, motivation: str
) -> Ruling | Complaint:
    """The director's ruling on a complaint brought after it was declared inadmissible
    (LSR-5d): unjustified sends it back for investigation instead of closing it; justified
    closes it, the ruling sent in writing (LSR-6f)."""
    if inadmissibility == "unjustified":
        return _send_back_for_investigation(complaint, actor=actor, motivation=motivation)
    if inadmissibility != "justified":
        raise ValidationError(
            {"inadmissibility": _("Kies of de niet-ontvankelijkverklaring terecht is.")}
        )
    ruling = _ruling_close(
        complaint,
        actor=actor,
        body=Ruling.Body.DIRECTOR,
        decision=Ruling.Decision.UNFOUNDED,
        motivation=motivation,
        # The complainant's objection to the inadmissibility is unfounded: the director's
        # ruling, counted as such in the reports.
        outcome=Outcome.UNFOUNDED,
        kind=EventKind.RULING,
        summary=_(
            "Uitspraak van de directeur: de niet-ontvankelijkverklaring is terecht; de klacht "
            "is afgesloten."
        ),
    )
    links_close(complaint=complaint)
    next_step = next_step_for(complaint, "ruling")
    tell_complainant(complaint, "ruling", ruling=ruling, next_step=next_step)
    tell_respondent(complaint, "ruling", ruling=ruling, next_step=next_step)
    return ruling


@transaction.atomic
def director_rule(
    *,
    complaint: Complaint,
    actor: User,
    motivation: str,
    decision: str = "",
    remedy: str = "",
    remedy_due: date | None = None,
    judgements: dict[str, tuple[str, str]] | None = None,
    inadmissibility: str = "",
) -> Ruling | Complaint:
    """The director rules by the criteria of LSR-6b after studying the complaint and the
    defence (LSR-6e), in writing with a motivation to complainant and respondent (LSR-6f);
    no appeal, the kantonrechter, mediation costs split (LSR-10). The complaint closes
    (LSR-6h), unless the director finds an inadmissibility unjustified: then it goes back
    for investigation (returns the complaint)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="rule")
    if complaint.admissible is False:
        motivation = text_required(motivation, "motivation", _("Motiveer de uitspraak."))
        return _inadmissibility_ruling(
            complaint, actor=actor, inadmissibility=inadmissibility, motivation=motivation
        )
    motivation = _ruling_input(decision, motivation)
    outcome_letter_check(
        complaint=complaint,
        letter="ruling",
        values={
            "decision": decision,
            "motivation": motivation,
            "remedy": remedy,
            "remedy_due": remedy_due,
        },
    )
    judgements = judgements or {}
    ruling_judgements_check(complaint=complaint, decision=decision, judgements=judgements)
    ruling = _ruling_close(
        complaint,
        actor=actor,
        body=Ruling.Body.DIRECTOR,
        decision=decision,
        motivation=motivation,
        outcome=RULING_OUTCOMES[decision],
        kind=EventKind.RULING,
        summary=gettext_noop("Uitspraak van de directeur: %(decision)s."),
        judgements=judgements,
    )
    ruling.remedy, ruling.remedy_due = (remedy or "").strip(), remedy_due
    ruling.save(update_fields=["remedy", "remedy_due"])
    links_close(complaint=complaint)
    next_step = next_step_for(complaint, "ruling")
    tell_complainant(complaint, "ruling", ruling=ruling, next_step=next_step)
    tell_respondent(complaint, "ruling", ruling=ruling, next_step=next_step)
    return ruling


@transaction.atomic
def exam_ruling_record(
    *, complaint: Complaint, actor: User, decision: str, motivation: str
) -> Ruling:
    """The exam committee's ruling on an exam complaint; no appeal (LSR-9)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="record_exam_ruling")
    motivation = _ruling_input(decision, motivation)
    ruling = _ruling_close(
        complaint,
        actor=actor,
        body=Ruling.Body.EXAM_COMMITTEE,
        decision=decision,
        motivation=motivation,
        outcome=Outcome.EXAM_RULING,
        kind=EventKind.EXAM_RULING,
        summary=gettext_noop("Uitspraak van de examencommissie: %(decision)s."),
    )
    tell_complainant(complaint, "exam_ruling", ruling=ruling)
    return ruling


@transaction.atomic
def director_decide(*, complaint: Complaint, actor: User | None, motivation: str) -> Complaint:
    """Where the regulation is silent, the director decides (LSR-11): a motivated decision
    that closes the complaint, sent to the complainant in writing."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="director_decides")
    motivation = text_required(motivation, "motivation", _("Motiveer het besluit."))
    state_move(
        complaint,
        State.SETTLED,
        actor=actor,
        kind=EventKind.DIRECTOR_DECISION,
        summary=Phrase("Besluit van de directeur waar de regeling niet voorziet."),
        outcome=Outcome.DIRECTOR_DECISION,
        after={"motivation": motivation},
    )
    links_close(complaint=complaint)
    tell_complainant(complaint, "director_decision", motivation=motivation)
    return complaint


def _send_back_for_investigation(
    complaint: Complaint, *, actor: User | None, motivation: str
) -> Complaint:
    """Shared by the ruling and the step of its own: back to the secretariat for routing."""
    motivation = text_required(motivation, "motivation", _("Motiveer waarom de klacht terug gaat."))
    previous = complaint.handler
    complaint.admissible = None
    complaint.handler = None
    state_move(
        complaint,
        State.NEW,
        actor=actor,
        kind=EventKind.INADMISSIBILITY_OVERTURNED,
        summary=Phrase(
            "De directeur vindt de niet-ontvankelijkverklaring onterecht; de klacht gaat terug "
            "voor onderzoek: %(motivation)s",
            motivation=motivation,
        ),
        after={"motivation": motivation},
    )
    tell_complainant(
        complaint, "inadmissibility_overturned", purpose=Purpose.STATUS, motivation=motivation
    )
    tell_involved(
        complaint,
        "sent_back_for_investigation",
        actor=actor,
        respondent_too=False,
        secretariat_too=True,
        exclude=(),
        motivation=motivation,
    )
    if previous is not None and previous.email and previous.pk != getattr(actor, "pk", None):
        tell_user(complaint, previous, "sent_back_for_investigation", motivation=motivation)
    return complaint
