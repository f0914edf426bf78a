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
        return tuple(s for s in cls.values if s not in cls.closed_states())


OPEN = State.open_states()
CLOSED = State.closed_states()
# Once the complainant is told there is no agreement, the organisation's settlement deadline
# has done its work (LIVP-9): the independent third party's timeline is not ours to watch.
SETTLEMENT_OVER = (State.NO_AGREEMENT, State.WITH_THIRD_PARTY, State.ADVICE_FOLLOW_UP)

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
    `action_forms`, `service` its function in `services`; `fixed` are arguments the action
    always passes (approve or reject with one service). `group` places it on the record page:
    "next" for the steps of the procedure, "general" for the steps open at any time,
    "closing" for a step that closes the complaint or ends a right of the complainant: it
    sits apart from the next step and the staff pages ask for a confirmation.
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
        return _("Het secretariaat stuurt de klager eerst de procedure (LSR-6d).")
    return None


def _settle_passed_not_told(c):
    from .deadlines import deadline_state

    settle = deadline_state(c, "settle", timezone.localdate())
    if settle is None or not settle.overdue:
        return _(
            "De afhandeltermijn is niet verstreken; verleng de termijn als het onderzoek "
            "langer duurt."
        )
    if c.events.filter(kind="delay_notified", after__settle_due=settle.due.isoformat()).exists():
        return _("De klager is al geïnformeerd over deze vertraging.")
    return None


def _came_as_inadmissible(c):
    if c.admissible is not False:
        return _("Alleen een klacht die niet ontvankelijk is verklaard, gaat terug voor onderzoek.")
    return None


def _respondent_known(c):
    if c.respondent_type == "unknown":
        return _("Leg eerst vast wie de beklaagde is: een persoon of de organisatie.")
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
        "propose_measure",
        sources=(*OPEN, *CLOSED),
        targets=(),
        roles=("handler", "secretariat", "director"),
        label=_("Maatregel voorstellen"),
        form="MeasureForm",
        service="measure_propose",
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
        service="follow_up_plan",
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
        targets=(State.SETTLED,),
        roles=("director",),
        label=_("Uitspraak doen"),
        form="RulingForm",
        service="director_rule",
        feature="director",
        hint=_(
            "De uitspraak gaat schriftelijk naar klager en beklaagde; daarna is de klacht afgesloten."
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
    Transition(
        "send_back_for_investigation",
        sources=(State.WITH_DIRECTOR,),
        targets=(State.NEW,),
        roles=("director",),
        label=_("Niet-ontvankelijkheid onterecht: terug voor onderzoek"),
        form="MotivationForm",
        service="inadmissibility_overturn",
        feature="admissibility",
        guard=_came_as_inadmissible,
        quiet=True,
        hint=_(
            "De klacht had ontvankelijk moeten zijn: het secretariaat leidt haar door voor "
            "onderzoek, in plaats van dat u haar afsluit. De klager krijgt uw motivering."
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
