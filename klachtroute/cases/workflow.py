"""The complaint's states and the one table of transitions between them.

Every service that moves a complaint asks `transition_check` first; the pages and
the API list `actions_for` so that a person is only offered what they may do now.

A transition names who may take it: roles of staff (`secretariat`, `director`,
`exam_committee`), the assigned `handler`, the `respondent` when logged in, or a
party acting through a private link (`complainant`, `respondent`, `third_party`),
and the procedure feature it belongs to, so that LIVP and LSR share one table.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class State(models.TextChoices):
    NEW = "new", _("Nieuw")
    INADMISSIBLE = "inadmissible", _("Niet ontvankelijk")
    IN_PROGRESS = "in_progress", _("In behandeling")
    AWAITING_APPROVAL = "awaiting_approval", _("Oplossing ter fiattering")
    FINDINGS_SHARED = "findings_shared", _("Bevindingen gedeeld")
    NO_AGREEMENT = "no_agreement", _("Geen overeenstemming")
    WITH_THIRD_PARTY = "with_third_party", _("Bij onafhankelijke derde")
    ADVICE_FOLLOW_UP = "advice_follow_up", _("Bindend advies in uitvoering")
    NOT_SOLVED = "not_solved", _("Niet opgelost")
    WITH_DIRECTOR = "with_director", _("Bij directeur")
    AWAITING_DEFENCE = "awaiting_defence", _("Wacht op verweer")
    WITH_EXAM_COMMITTEE = "with_exam_committee", _("Bij examencommissie")
    SETTLED = "settled", _("Afgehandeld")
    WITHDRAWN = "withdrawn", _("Ingetrokken")

    @classmethod
    def closed_states(cls) -> tuple[str, ...]:
        return (cls.SETTLED, cls.WITHDRAWN)

    @classmethod
    def open_states(cls) -> tuple[str, ...]:
        return _OPEN_STATES


# Asked for every complaint judged (`Complaint.is_open`): computed once, not per call.
_OPEN_STATES = tuple(s for s in State.values if s not in State.closed_states())
OPEN = State.open_states()
CLOSED = State.closed_states()
# Once the complainant is told there is no agreement, the organisation's settlement deadline
# has done its work (LIVP-9): the independent third party's timeline is not ours to watch.
SETTLEMENT_OVER = (State.NO_AGREEMENT, State.WITH_THIRD_PARTY, State.ADVICE_FOLLOW_UP)


class EventKind(StrEnum):
    """What an event in a complaint's history records (`Event.kind`), by name.

    The values are what the history stores; a stored value never changes. People read an
    event's own summary, written when it happened, so a kind has no label of its own.
    """

    # Registration and intake
    REGISTERED = "registered"
    SETTLED_ON_THE_SPOT = "settled_on_the_spot"
    ACKNOWLEDGED = "acknowledged"
    HANDLER_ASSIGNED = "handler_assigned"
    DOCUMENT_ADDED = "document_added"
    RECEIVED_AT_CORRECTED = "received_at_corrected"
    REGISTERED_LATE = "registered_late"
    COMPLAINANT_TOLD_HANDLER = "complainant_told_handler"
    LETTER_RENEWED = "letter_renewed"
    DOCUMENT_RECEIVED = "document_received"
    # Steps open in every procedure
    EXTENDED = "extended"
    WITHDRAWN = "withdrawn"
    REOPENED = "reopened"  # on the earlier complaint
    REOPENS = "reopens"  # on the new complaint that reopens an earlier one
    RESPONDENT_SET = "respondent_set"
    PROGRESS_UPDATE_SENT = "progress_update_sent"
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    DELAY_NOTIFIED = "delay_notified"  # the complainant told of a delay (LSR-7b)
    MEASURE_PROPOSED = "measure_proposed"
    MEASURE_UPDATED = "measure_updated"
    # LIVP: settlement, approval, the independent third party
    FIRST_CONTACT = "first_contact"
    SOLUTION_PROPOSED = "solution_proposed"
    SOLUTION_APPROVED_BY_PARTY = "solution_approved_by_party"
    SOLUTION_APPROVED = "solution_approved"
    SOLUTION_REJECTED = "solution_rejected"
    NO_AGREEMENT = "no_agreement"
    APPEAL_TO_THIRD_PARTY = "appeal_to_third_party"
    CLOSED_WITHOUT_APPEAL = "closed_without_appeal"
    BINDING_ADVICE = "binding_advice"
    FOLLOW_UP_PLANNED = "follow_up_planned"
    FOLLOW_UP_DONE = "follow_up_done"
    ADVICE_CARRIED_OUT = "advice_carried_out"
    # LSR: admissibility, findings, defence, rulings
    ADMISSIBLE = "admissible"
    INADMISSIBLE = "inadmissible"
    INADMISSIBLE_ANSWERED = "inadmissible_answered"
    CLOSED_INADMISSIBLE = "closed_inadmissible"
    INADMISSIBILITY_OVERTURNED = "inadmissibility_overturned"
    FINDINGS_SHARED = "findings_shared"
    FINDINGS_ACCEPTED = "findings_accepted"
    FINDINGS_REJECTED = "findings_rejected"
    PROCEDURE_SENT = "procedure_sent"
    ESCALATED_TO_DIRECTOR = "escalated_to_director"
    DEFENCE_REQUESTED = "defence_requested"
    DEFENCE_SUBMITTED = "defence_submitted"
    RULING = "ruling"
    EXAM_RULING = "exam_ruling"
    DIRECTOR_DECISION = "director_decision"
    # Steps a procedure may switch on (the Awb chapter 9 steps among them)
    SETTLED_AT_ONCE_CONFIRMED = "settled_at_once_confirmed"
    INVOLVED_RECORDED = "involved_recorded"
    SET_ASIDE = "set_aside"
    RESPONDENT_COPY_SENT = "respondent_copy_sent"
    HEARING_OFFERED = "hearing_offered"
    HEARING_HELD = "hearing_held"
    HEARING_SKIPPED = "hearing_skipped"
    OUTCOME = "outcome"
    # The complainant and the private links
    INFORMATION_ADDED = "information_added"
    STATUS_LINK_RESENT = "status_link_resent"
    LINK_REVOKED = "link_revoked"
    SATISFACTION_INVITED = "satisfaction_invited"
    SATISFACTION_ANSWERED = "satisfaction_answered"
    # Messages and letters
    MESSAGE_SENT = "message_sent"
    MESSAGE_FAILED = "message_failed"
    MESSAGE_RETRIED = "message_retried"
    LETTER_POSTED = "letter_posted"
    # The watcher
    DEADLINE_MISSED = "deadline_missed"
    HANDLER_TOLD_SETTLE_MISSED = "handler_told_settle_missed"
    # Retention and privacy
    LEGAL_HOLD_SET = "legal_hold_set"
    LEGAL_HOLD_LIFTED = "legal_hold_lifted"
    ANONYMISED_SUMMARY_SET = "anonymised_summary_set"
    PURGED = "purged"


# Procedure features: which transitions a procedure version offers.
FEATURES: dict[str, Callable] = {
    "always": lambda v: True,
    "first_contact": lambda v: v.spec.period("first_contact") is not None,
    "two_party_approval": lambda v: v.spec.settlement == "two_party_approval",
    "complainant_agrees": lambda v: v.spec.settlement == "complainant_agrees",
    "third_party": lambda v: v.spec.escalation == "third_party",
    "director": lambda v: v.spec.escalation == "director",
    "admissibility": lambda v: v.spec.admissibility,
    "exam_committee_route": lambda v: bool(v.spec.category_codes_routed_to("exam_committee")),
    "set_aside": lambda v: v.spec.set_aside is not None,
    "respondent_copy": lambda v: v.spec.respondent_copy,
    "hearing": lambda v: v.spec.hearing is not None,
    "reasoned_outcome": lambda v: v.spec.settlement == "reasoned_outcome",
    "progress_update": lambda v: v.spec.period("progress_update") is not None,
    # A settlement period that, when it passes, does not start the no-agreement procedure:
    # the handler tells the complainant of the delay (LSR-5d, LSR-7b).
    "delay_notice": lambda v: (
        v.spec.period("settle") is not None and v.spec.no_agreement_after != "settle"
    ),
}


@dataclass(frozen=True)
class Transition:
    """One action: the only description of it.

    `targets` are the states the action may lead to; an empty tuple means the state does
    not change (the write refuses any other move). `form` names its form in
    `action_forms`, `service` its function in `services` (or, for an app built on the
    complaint, its dotted path, e.g. the measures app's `measure_propose`, so that this app
    need not import it); `fixed` are arguments the action
    always passes (approve or reject with one service). `group` places it on the record page:
    "next" for the steps of the procedure, "general" for the steps open at any time,
    "closing" for a step aside from the procedure's course that closes the complaint or ends
    a right of the complainant. A step that may close the complaint (`closes`: one of its
    targets is a closed state) is a closing step whatever its group: it sits apart from the
    next step, under "Afsluiten" (`section`), and needs a confirmation (`needs_confirmation`);
    when it is a step of the procedure (`expected_closing`), the next step points to it there.
    """

    action: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    roles: tuple[str, ...]  # staff roles and "handler"/"respondent" for logged-in people
    label: "StrOrPromise"
    form: str
    service: str
    feature: str = "always"
    parties: tuple[str, ...] = ()  # parties acting through a private link
    guard: Callable | None = field(default=None, compare=False)  # complaint -> refusal or None
    fixed: tuple[tuple[str, object], ...] = ()
    hint: "StrOrPromise" = ""
    group: str = "next"
    watcher: bool = False  # the periodic deadline watcher takes it too
    # Where a party takes it through a private link: the page of that link's purpose.
    party_page: str = "status"
    # The record page says why a step cannot be taken yet (its guard's refusal), unless the
    # refusal only says it was done already or is not due yet.
    quiet: bool = False
    # A complaint in one of its sources waits for its roles (`states_waiting_for`); False for
    # a step owed only now and then, in whatever stage the complaint is.
    waits: bool = True
    # A step of the procedure that, once done, is only a change: offered with the general
    # steps then, not as the next step (appointing a handler when one is appointed).
    done: Callable | None = field(default=None, compare=False)  # complaint -> bool

    def group_for(self, complaint) -> str:
        """Where the record page offers this step for this complaint now: a step that needs
        a confirmation under "Afsluiten" (`section`); a next step already done among the
        other actions."""
        if self.section == "next" and self.done is not None and self.done(complaint):
            return "general"
        return self.section

    @property
    def closes(self) -> bool:
        """Whether the step may close the complaint: one of its targets is a closed state."""
        return not set(self.targets).isdisjoint(State.closed_states())

    @property
    def needs_confirmation(self) -> bool:
        """A step that closes the complaint or ends a right of the complainant is taken only
        when confirmed, by every caller (`actions.action_perform`)."""
        return self.closes or self.group == "closing"

    @property
    def section(self) -> str:
        """Where the record page shows the step: a step that needs a confirmation sits apart,
        under "Afsluiten", never as the next step."""
        return "closing" if self.needs_confirmation else self.group

    @property
    def expected_closing(self) -> bool:
        """A step of the procedure's course that may close the complaint (a ruling, the
        outcome, the last point of a binding advice): the next step points to it under
        "Afsluiten"."""
        return self.group == "next" and self.closes


def _needs_admissibility_first(c):
    if c.state == State.NEW and c.procedure_version.spec.admissibility:
        return _("Beoordeel eerst de ontvankelijkheid; daarna wordt de klacht doorgeleid.")
    return None


def _first_contact_once(c):
    return _("Het eerste contact is al vastgelegd.") if c.first_contact_at else None


def _settle_not_passed(c):
    if c.settle_due is None:
        return _("Deze klacht heeft geen afhandeltermijn.")
    if timezone.localdate() > c.settle_due:
        return _(
            "De afhandeltermijn is al verstreken; een verlenging moet vóór die datum worden gemeld."
        )
    return None


def _inadmissible_answered(c):
    return (
        None if c.inadmissible_answer else _("De betrokkene heeft de klager nog niet geantwoord.")
    )


def _inadmissible_not_answered(c):
    return _("Het antwoord is al gegeven.") if c.inadmissible_answer else None


def _procedure_sent_or_inadmissible(c):
    if c.state == State.INADMISSIBLE:
        return _inadmissible_answered(c)
    if c.procedure_sent_at is None:
        return _(
            "Het secretariaat stuurt de klager eerst de procedure om de klacht aan de directeur voor te leggen."
        )
    return None


def _not_suspended(c):
    if c.suspended_since is not None:
        return _("De afhandeltermijn is al opgeschort.")
    if c.settle_due is None:
        return _("Deze klacht heeft geen afhandeltermijn.")
    return None


def _suspended(c):
    return None if c.suspended_since is not None else _("De afhandeltermijn is niet opgeschort.")


def _settle_passed_not_told(c):
    from .deadlines import deadline_state

    settle = deadline_state(c, "settle", timezone.localdate())
    if settle is None or not settle.overdue:
        return _(
            "De afhandeltermijn is niet verstreken; verleng de termijn als het onderzoek "
            "langer duurt."
        )
    if c.events.filter(
        kind=EventKind.DELAY_NOTIFIED, after__settle_due=settle.due.isoformat()
    ).exists():
        return _("De klager is al geïnformeerd over deze vertraging.")
    return None


def _respondent_known(c):
    if c.respondent_type == "unknown":
        return _("Leg eerst vast wie de beklaagde is: een persoon of de organisatie.")
    return None


def _respondent_copy_once(c):
    if c.respondent_copy_sent_at:
        return _("Het afschrift is al naar de beklaagde gestuurd.")
    return _respondent_known(c)


def _hearing_not_offered(c):
    if c.hearing_offered_at:
        return _("Het horen is al aangeboden.")
    return _hearing_open(c)


def _hearing_open(c):
    if c.hearing_held_on or c.hearing_skip_reason:
        return _("Het horen is al vastgelegd.")
    return None


def _hearing_offered_and_open(c):
    if not c.hearing_offered_at:
        return _("Bied eerst aan klager en beklaagde aan om te worden gehoord.")
    return _hearing_open(c)


def _a_follow_up_planned(c):
    # One filter: the same point is open and planned.
    if not c.rulings.filter(
        follow_ups__done_at__isnull=True, follow_ups__measure__isnull=False
    ).exists():
        return _("Geef eerst een punt van het advies een eigenaar en een datum.")
    return None


def _ready_for_outcome(c):
    spec = c.procedure_version.spec
    if spec.respondent_copy and c.respondent_copy_sent_at is None:
        return _("Stuur eerst de beklaagde een afschrift van de klacht.")
    if spec.hearing is not None and not (c.hearing_held_on or c.hearing_skip_reason):
        return _("Leg eerst het verslag van het horen vast, of waarom er niet is gehoord.")
    return None


TRANSITIONS: tuple[Transition, ...] = (
    # Shared
    Transition(
        "assign_handler",
        sources=(State.NEW, State.IN_PROGRESS),
        targets=(State.IN_PROGRESS,),
        roles=("secretariat",),
        label=_("Behandelaar aanwijzen"),
        form="AssignHandlerForm",
        service="complaint_assign_handler",
        guard=_needs_admissibility_first,
        hint=_("De behandelaar krijgt bericht met een link naar de klacht."),
        done=lambda c: c.handler_id is not None,
    ),
    Transition(
        "correct_received_at",
        sources=OPEN,
        targets=(),
        roles=("secretariat",),
        label=_("Ontvangstdatum corrigeren"),
        form="CorrectReceivedAtForm",
        service="complaint_correct_received_at",
        hint=_("Vandaag of eerder. Alle termijnen worden opnieuw berekend."),
        group="general",
    ),
    Transition(
        "set_respondent",
        sources=OPEN,
        targets=(),
        roles=("secretariat", "handler"),
        label=_("Beklaagde vastleggen"),
        form="RespondentForm",
        service="respondent_set",
        group="general",
    ),
    Transition(
        "extend",
        sources=OPEN,
        targets=(),
        roles=("handler", "secretariat"),
        label=_("Termijn verlengen"),
        form="ExtendForm",
        service="settlement_extend",
        guard=_settle_not_passed,
        group="general",
    ),
    Transition(
        "suspend",
        sources=OPEN,
        targets=(),
        roles=("handler", "secretariat"),
        label=_("Afhandeltermijn opschorten"),
        form="SuspendForm",
        service="settlement_suspend",
        guard=_not_suspended,
        hint=_("Zolang u op de klager wacht; de klager hoort de reden."),
        group="general",
        quiet=True,
    ),
    Transition(
        "resume",
        sources=OPEN,
        targets=(),
        roles=("handler", "secretariat"),
        label=_("Afhandeltermijn hervatten"),
        form="EmptyForm",
        service="settlement_resume",
        guard=_suspended,
        hint=_("De termijnen schuiven op met de werkdagen van de opschorting."),
        group="general",
        quiet=True,
    ),
    Transition(
        "send_progress_update",
        sources=OPEN,
        targets=(),
        roles=("handler", "secretariat"),
        label=_("Voortgangsbericht sturen"),
        form="ProgressUpdateForm",
        service="progress_update_send",
        feature="progress_update",
        hint=_("Laat de klager weten hoe het met de klacht staat."),
        group="general",
    ),
    Transition(
        "propose_measure",
        sources=(*OPEN, *CLOSED),
        targets=(),
        roles=("handler", "secretariat", "director"),
        label=_("Maatregel voorstellen"),
        form="MeasureForm",
        service="klachtroute.measures.services.measure_propose",
        group="general",
    ),
    Transition(
        "withdraw",
        sources=OPEN,
        targets=(State.WITHDRAWN,),
        roles=("secretariat",),
        label=_("Klacht intrekken"),
        form="ReasonForm",
        service="complaint_withdraw",
        parties=("complainant",),
        hint=_("De klager heeft laten weten de klacht in te trekken."),
        group="closing",
    ),
    Transition(
        "record_involved",
        sources=OPEN,
        targets=(),
        roles=("secretariat",),
        label=_("Betrokkene bij de gedraging vastleggen"),
        form="InvolvedForm",
        service="involved_record",
        hint=_("Wie bij de gedraging betrokken was, kan de klacht niet behandelen."),
        group="general",
    ),
    Transition(
        "reopen",
        sources=CLOSED,
        targets=(),
        roles=("secretariat",),
        label=_("Heropenen met nieuwe feiten"),
        form="ReopenForm",
        service="complaint_reopen",
        hint=_("Er komt een nieuwe klacht, gekoppeld aan deze."),
        group="general",
    ),
    Transition(
        "add_document",
        sources=(*OPEN, *CLOSED),
        targets=(),
        roles=("secretariat", "handler", "director"),
        label=_("Document toevoegen"),
        form="DocumentForm",
        service="document_record",
        hint=_(
            "Bijvoorbeeld een getekende goedkeuring of een brief die per post kwam. Het komt in "
            "het dossier, met hoe en wanneer het binnenkwam."
        ),
        group="general",
    ),
    Transition(
        "inform_delay",
        sources=tuple(s for s in OPEN if s not in SETTLEMENT_OVER),
        targets=(),
        roles=("handler", "secretariat"),
        label=_("Klager informeren over de vertraging"),
        form="DelayForm",
        service="delay_inform",
        feature="delay_notice",
        guard=_settle_passed_not_told,
        hint=_(
            "De afhandeltermijn is verstreken zonder verlenging: de klager hoort de reden en "
            "wanneer een beslissing te verwachten is; de directeur ziet het."
        ),
        quiet=True,
        # Owed only when the period passed, in any stage; the watcher asks the handler.
        waits=False,
    ),
    # LIVP: first contact, solution and approval, no agreement, third party
    Transition(
        "record_first_contact",
        sources=(State.IN_PROGRESS,),
        targets=(),
        roles=("handler",),
        label=_("Eerste contact vastleggen"),
        form="FirstContactForm",
        service="first_contact_record",
        feature="first_contact",
        guard=_first_contact_once,
        quiet=True,
    ),
    Transition(
        "propose_solution",
        sources=(State.IN_PROGRESS,),
        targets=(State.AWAITING_APPROVAL,),
        roles=("handler",),
        label=_("Oplossing vastleggen en ter fiattering sturen"),
        form="SolutionForm",
        service="solution_propose",
        feature="two_party_approval",
        guard=_respondent_known,
    ),
    Transition(
        "approve_solution",
        sources=(State.AWAITING_APPROVAL,),
        targets=(State.SETTLED,),
        roles=("secretariat",),
        label=_("Akkoord met de oplossing vastleggen"),
        form="PartyDecisionForm",
        service="solution_decide",
        feature="two_party_approval",
        parties=("complainant", "respondent"),
        fixed=(("approve", True),),
        hint=_(
            "Voor een akkoord dat telefonisch of per brief is gegeven. Partijen kunnen ook zelf "
            "akkoord geven via de link in hun e-mail."
        ),
        party_page="approve_solution",
        group="closing",
    ),
    Transition(
        "reject_solution",
        sources=(State.AWAITING_APPROVAL,),
        targets=(State.IN_PROGRESS,),
        roles=("secretariat",),
        label=_("Afwijzing van de oplossing vastleggen"),
        form="PartyDecisionForm",
        service="solution_decide",
        feature="two_party_approval",
        parties=("complainant", "respondent"),
        fixed=(("approve", False),),
        hint=_(
            "Voor een afwijzing die telefonisch of per brief is gegeven. De oplossing gaat terug "
            "naar de behandelaar."
        ),
        party_page="approve_solution",
    ),
    Transition(
        "declare_no_agreement",
        sources=(State.IN_PROGRESS, State.AWAITING_APPROVAL),
        targets=(State.NO_AGREEMENT,),
        roles=("handler", "secretariat"),
        label=_("Geen overeenstemming vaststellen"),
        form="ReasonForm",
        service="no_agreement_declare",
        watcher=True,
        feature="third_party",
        hint=_("De klager krijgt schriftelijk bericht over de onafhankelijke derde."),
    ),
    Transition(
        "appeal_to_third_party",
        sources=(State.NO_AGREEMENT,),
        targets=(State.WITH_THIRD_PARTY,),
        roles=("secretariat",),
        label=_("Beroep bij de onafhankelijke derde"),
        form="NoteForm",
        service="third_party_appeal",
        feature="third_party",
        parties=("complainant",),
    ),
    Transition(
        "close_without_appeal",
        sources=(State.NO_AGREEMENT,),
        targets=(State.SETTLED,),
        roles=("secretariat",),
        label=_("Afsluiten zonder beroep"),
        form="NoteForm",
        service="no_appeal_close",
        feature="third_party",
        group="closing",
    ),
    Transition(
        "record_binding_advice",
        sources=(State.WITH_THIRD_PARTY,),
        targets=(State.ADVICE_FOLLOW_UP, State.SETTLED),
        roles=("secretariat",),
        label=_("Bindend advies vastleggen"),
        form="BindingAdviceForm",
        service="binding_advice_record",
        feature="third_party",
        parties=("third_party",),
        party_page="third_party",
    ),
    Transition(
        "plan_follow_up",
        sources=(State.ADVICE_FOLLOW_UP,),
        targets=(),
        roles=("secretariat", "director"),
        label=_("Eigenaar en datum geven aan een punt van het advies"),
        form="FollowUpPlanForm",
        service="klachtroute.measures.services.follow_up_plan",
        feature="third_party",
        hint=_(
            "Het punt wordt gevolgd als maatregel: de eigenaar krijgt bericht en herinneringen."
        ),
    ),
    Transition(
        "complete_follow_up",
        sources=(State.ADVICE_FOLLOW_UP,),
        targets=(State.SETTLED,),
        roles=("secretariat", "director"),
        label=_("Uitvoering van het advies afvinken"),
        form="FollowUpForm",
        service="follow_up_complete",
        feature="third_party",
        guard=_a_follow_up_planned,
    ),
    # LSR: admissibility and routing, investigation, director, exam committee
    Transition(
        "judge_admissible",
        sources=(State.NEW,),
        targets=(State.IN_PROGRESS, State.WITH_EXAM_COMMITTEE),
        roles=("secretariat",),
        label=_("Ontvankelijk verklaren en doorleiden"),
        form="AdmissibleForm",
        service="admissible_declare",
        feature="admissibility",
    ),
    Transition(
        "judge_inadmissible",
        sources=(State.NEW,),
        targets=(State.INADMISSIBLE,),
        roles=("secretariat",),
        label=_("Niet ontvankelijk verklaren"),
        form="InadmissibleForm",
        service="inadmissible_declare",
        feature="admissibility",
    ),
    Transition(
        "answer_inadmissible",
        sources=(State.INADMISSIBLE,),
        targets=(),
        roles=("handler",),
        label=_("Klager antwoorden"),
        form="AnswerForm",
        service="inadmissible_answer",
        feature="admissibility",
        guard=_inadmissible_not_answered,
        quiet=True,
    ),
    Transition(
        "close_inadmissible",
        sources=(State.INADMISSIBLE,),
        targets=(State.SETTLED,),
        roles=("secretariat",),
        label=_("Afsluiten (niet ontvankelijk)"),
        form="EmptyForm",
        service="inadmissible_close",
        feature="admissibility",
        guard=_inadmissible_answered,
        hint=_("De betrokkene heeft de klager geantwoord; de klager gaat niet naar de directeur."),
        group="closing",
    ),
    Transition(
        "share_findings",
        sources=(State.IN_PROGRESS,),
        targets=(State.FINDINGS_SHARED,),
        roles=("handler",),
        label=_("Bevindingen en oplossing delen"),
        form="FindingsForm",
        service="findings_share",
        feature="complainant_agrees",
    ),
    Transition(
        "accept_findings",
        sources=(State.FINDINGS_SHARED,),
        targets=(State.SETTLED,),
        roles=("secretariat",),
        label=_("Klager akkoord: afsluiten"),
        form="EmptyForm",
        service="findings_respond",
        feature="complainant_agrees",
        parties=("complainant",),
        fixed=(("agree", True),),
        hint=_("De klager gaat akkoord met de bevindingen; de klacht wordt afgesloten."),
        party_page="respond_findings",
        group="closing",
    ),
    Transition(
        "reject_findings",
        sources=(State.FINDINGS_SHARED,),
        targets=(State.NOT_SOLVED,),
        roles=("secretariat",),
        label=_("Klager niet akkoord"),
        form="ReasonForm",
        service="findings_respond",
        feature="complainant_agrees",
        parties=("complainant",),
        fixed=(("agree", False),),
        party_page="respond_findings",
    ),
    Transition(
        "send_procedure",
        sources=(State.IN_PROGRESS, State.NOT_SOLVED),
        targets=(State.NOT_SOLVED,),
        roles=("secretariat",),
        label=_("Procedure naar klager sturen"),
        form="ProcedureNoteForm",
        service="procedure_send",
        feature="director",
        hint=_(
            "De klager krijgt de klachtenprocedure met de mogelijkheid zich tot de directeur te wenden."
        ),
    ),
    Transition(
        "escalate_to_director",
        sources=(State.NOT_SOLVED, State.INADMISSIBLE),
        targets=(State.WITH_DIRECTOR,),
        roles=("secretariat",),
        label=_("Voorleggen aan de directeur"),
        form="NoteForm",
        service="director_escalate",
        feature="director",
        parties=("complainant",),
        guard=_procedure_sent_or_inadmissible,
    ),
    Transition(
        "request_defence",
        sources=(State.WITH_DIRECTOR,),
        targets=(State.AWAITING_DEFENCE,),
        roles=("director",),
        label=_("Verweer vragen"),
        form="DefenceRequestForm",
        service="defence_request",
        feature="director",
    ),
    Transition(
        "submit_defence",
        sources=(State.AWAITING_DEFENCE,),
        targets=(State.WITH_DIRECTOR,),
        roles=("respondent", "secretariat"),
        label=_("Verweer vastleggen"),
        form="DefenceForm",
        service="defence_submit",
        feature="director",
        parties=("respondent",),
        party_page="defence",
    ),
    Transition(
        "rule",
        sources=(State.WITH_DIRECTOR,),
        # A complaint brought after it was declared inadmissible goes back for investigation
        # when the director finds the inadmissibility unjustified (LSR-5d), instead of closing.
        targets=(State.SETTLED, State.NEW),
        roles=("director",),
        label=_("Uitspraak doen"),
        form="DirectorRulingForm",
        service="director_rule",
        feature="director",
        hint=_(
            "U beoordeelt elk criterium van de klachtenregeling en kiest dan de uitspraak; die "
            "gaat schriftelijk naar klager en beklaagde. Na niet-ontvankelijkheid beoordeelt u "
            "die: onterecht stuurt de klacht terug voor onderzoek."
        ),
    ),
    Transition(
        "director_decides",
        sources=OPEN,
        targets=(State.SETTLED,),
        roles=("director",),
        label=_("Beslissen waar de regeling niet voorziet"),
        form="MotivationForm",
        service="director_decide",
        feature="director",
        group="closing",
    ),
    # Steps a procedure switches on (first used by Awb chapter 9): setting aside, a copy to
    # the respondent, the hearing, and a written, reasoned outcome with the next instance.
    Transition(
        "set_aside",
        sources=(State.NEW, State.IN_PROGRESS),
        targets=(State.SETTLED,),
        roles=("secretariat", "handler"),
        label=_("Niet in behandeling nemen"),
        form="SetAsideForm",
        service="complaint_set_aside",
        feature="set_aside",
        hint=_("De klager krijgt schriftelijk bericht, met de grond."),
        group="closing",
    ),
    Transition(
        "send_respondent_copy",
        sources=(State.IN_PROGRESS,),
        targets=(),
        roles=("secretariat", "handler"),
        label=_("Afschrift van de klacht naar de beklaagde"),
        form="RespondentCopyForm",
        service="respondent_copy_send",
        feature="respondent_copy",
        guard=_respondent_copy_once,
        hint=_("Met de stukken, via een privélink of per post."),
    ),
    Transition(
        "offer_hearing",
        sources=(State.IN_PROGRESS,),
        targets=(),
        roles=("handler", "secretariat"),
        label=_("Horen aanbieden"),
        form="HearingOfferForm",
        service="hearing_offer",
        feature="hearing",
        guard=_hearing_not_offered,
        hint=_("Klager en beklaagde krijgen schriftelijk de gelegenheid om te worden gehoord."),
    ),
    Transition(
        "record_hearing",
        sources=(State.IN_PROGRESS,),
        targets=(),
        roles=("handler",),
        label=_("Verslag van het horen vastleggen"),
        form="HearingReportForm",
        service="hearing_record",
        feature="hearing",
        guard=_hearing_offered_and_open,
    ),
    Transition(
        "skip_hearing",
        sources=(State.IN_PROGRESS,),
        targets=(),
        roles=("handler",),
        label=_("Afzien van horen"),
        form="HearingSkipForm",
        service="hearing_skip",
        feature="hearing",
        guard=_hearing_open,
    ),
    Transition(
        "decide_outcome",
        sources=(State.IN_PROGRESS,),
        targets=(State.SETTLED,),
        roles=("handler",),
        label=_("Klacht afhandelen met gemotiveerd oordeel"),
        form="OutcomeForm",
        service="outcome_decide",
        feature="reasoned_outcome",
        guard=_ready_for_outcome,
        hint=_(
            "Klager en beklaagde krijgen schriftelijk de bevindingen, het oordeel, eventuele "
            "conclusies en waar de klager daarna terechtkan."
        ),
    ),
    Transition(
        "record_exam_ruling",
        sources=(State.WITH_EXAM_COMMITTEE,),
        targets=(State.SETTLED,),
        roles=("exam_committee",),
        label=_("Uitspraak examencommissie vastleggen"),
        form="RulingForm",
        service="exam_ruling_record",
        feature="exam_committee_route",
    ),
)

TRANSITIONS_BY_ACTION = {t.action: t for t in TRANSITIONS}


def states_waiting_for(role: str) -> tuple[str, ...]:
    """The states in which a complaint waits for `role` (a staff role, or "handler" or
    "respondent"): the sources of the steps of the procedure's course that this role takes.
    Not the steps open at any time: the general ones, those open in every open state
    (withdrawal, the director's decision where the rules do not provide) and those owed
    only now and then (`waits`). In table order of the states."""
    waiting: set[str] = set()
    for transition in TRANSITIONS:
        if role not in transition.roles or transition.group == "general" or not transition.waits:
            continue
        if set(OPEN) <= set(transition.sources):
            continue
        waiting.update(transition.sources)
    return tuple(state for state in State.values if state in waiting)


class TransitionError(Exception):
    """An action that may not be taken now; the message says why, in the user's language."""

    def __init__(self, message: "StrOrPromise", *, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


def applies_to(transition: Transition, complaint) -> bool:
    return FEATURES[transition.feature](complaint.procedure_version)


def may_act(
    user, complaint, transition: Transition, party: str | None = None, watcher: bool = False
) -> bool:
    """May this person (or this party through a link, or the watcher) take the transition?"""
    if watcher:
        return transition.watcher
    if party is not None:
        return party in transition.parties
    if user is None or not user.is_active:
        return False
    for role in transition.roles:
        if role == "handler":
            if complaint.handler_id is not None and complaint.handler_id == user.pk:
                return True
        elif role == "respondent":
            if complaint.respondent_id is not None and complaint.respondent_id == user.pk:
                return True
        elif user.has_role(role):
            return True
    return False


def transition_check(
    user, complaint, action: str, party: str | None = None, *, watcher: bool = False
) -> Transition:
    transition = TRANSITIONS_BY_ACTION.get(action)
    if transition is None or not applies_to(transition, complaint):
        raise TransitionError(_("Deze actie bestaat niet in deze procedure."), status=404)
    if not may_act(user, complaint, transition, party, watcher):
        raise TransitionError(_("U mag deze actie niet uitvoeren."), status=403)
    if complaint.state not in transition.sources:
        raise TransitionError(
            _("Deze actie kan niet in de status ‘%(state)s’.")
            % {"state": State(complaint.state).label}
        )
    if transition.guard is not None:
        refusal = transition.guard(complaint)
        if refusal:
            raise TransitionError(str(refusal))
    return transition


def target_check(transition: Transition, complaint, target: str) -> None:
    """The write refuses a state the transition does not list."""
    if target != complaint.state and target not in transition.targets:
        raise TransitionError(
            _("‘%(action)s’ kan een klacht niet naar ‘%(state)s’ brengen.")
            % {"action": transition.label, "state": State(target).label}
        )


def actions_for(user, complaint, party: str | None = None) -> list[Transition]:
    """The actions this person may take on this complaint now, in table order."""
    allowed = []
    for transition in TRANSITIONS:
        if complaint.state not in transition.sources or not applies_to(transition, complaint):
            continue
        if not may_act(user, complaint, transition, party):
            continue
        if transition.guard is not None and transition.guard(complaint):
            continue
        allowed.append(transition)
    return allowed


def actions_blocked(user, complaint) -> list[tuple[Transition, str]]:
    """The steps this person takes in this state whose condition does not hold yet, each
    with the reason, which says what to do first."""
    blocked = []
    for transition in TRANSITIONS:
        if transition.guard is None or transition.quiet:
            continue
        if complaint.state not in transition.sources or not applies_to(transition, complaint):
            continue
        if not may_act(user, complaint, transition):
            continue
        refusal = transition.guard(complaint)
        if refusal:
            blocked.append((transition, str(refusal)))
    return blocked
