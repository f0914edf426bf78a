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

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    "first_contact": lambda v: v.period("first_contact") is not None,
    "two_party_approval": lambda v: v.settlement == "two_party_approval",
    "complainant_agrees": lambda v: v.settlement == "complainant_agrees",
    "third_party": lambda v: v.escalation == "third_party",
    "director": lambda v: v.escalation == "director",
    "admissibility": lambda v: v.admissibility,
    "exam": lambda v: any(c["route"] == "exam_committee" for c in v.categories),
}


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change, or the service decides
    roles: tuple[str, ...]  # staff roles and "handler"/"respondent" for logged-in people
    label: str
    feature: str = "always"
    parties: tuple[str, ...] = ()  # parties acting through a private link
    guard: Callable | None = field(default=None, compare=False)  # complaint -> refusal or None


def _needs_admissibility_first(c):
    if c.state == State.NEW and c.procedure_version.admissibility:
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


def _respondent_known(c):
    if c.respondent_type == "unknown":
        return _("Leg eerst vast wie de beklaagde is: een persoon of de organisatie.")
    return None


TRANSITIONS: tuple[Transition, ...] = (
    # Shared
    Transition(
        "assign_handler",
        (State.NEW, State.IN_PROGRESS),
        None,
        ("secretariat",),
        _("Behandelaar aanwijzen"),
        guard=_needs_admissibility_first,
    ),
    Transition("correct_received_at", OPEN, None, ("secretariat",), _("Ontvangstdatum corrigeren")),
    Transition("set_respondent", OPEN, None, ("secretariat", "handler"), _("Beklaagde vastleggen")),
    Transition(
        "extend",
        OPEN,
        None,
        ("handler", "secretariat"),
        _("Termijn verlengen"),
        guard=_settle_not_passed,
    ),
    Transition(
        "propose_measure",
        (*OPEN, *CLOSED),
        None,
        ("handler", "secretariat", "director"),
        _("Maatregel voorstellen"),
    ),
    Transition(
        "withdraw",
        OPEN,
        State.WITHDRAWN,
        ("secretariat",),
        _("Klacht intrekken"),
        parties=("complainant",),
    ),
    Transition("reopen", CLOSED, None, ("secretariat",), _("Heropenen met nieuwe feiten")),
    # LIVP: first contact, solution and approval, no agreement, third party
    Transition(
        "record_first_contact",
        (State.IN_PROGRESS,),
        None,
        ("handler",),
        _("Eerste contact vastleggen"),
        feature="first_contact",
        guard=_first_contact_once,
    ),
    Transition(
        "propose_solution",
        (State.IN_PROGRESS,),
        State.AWAITING_APPROVAL,
        ("handler",),
        _("Oplossing vastleggen en ter fiattering sturen"),
        feature="two_party_approval",
        guard=_respondent_known,
    ),
    Transition(
        "approve_solution",
        (State.AWAITING_APPROVAL,),
        None,
        ("secretariat",),
        _("Akkoord met de oplossing vastleggen"),
        feature="two_party_approval",
        parties=("complainant", "respondent"),
    ),
    Transition(
        "reject_solution",
        (State.AWAITING_APPROVAL,),
        State.IN_PROGRESS,
        ("secretariat",),
        _("Afwijzing van de oplossing vastleggen"),
        feature="two_party_approval",
        parties=("complainant", "respondent"),
    ),
    Transition(
        "declare_no_agreement",
        (State.IN_PROGRESS, State.AWAITING_APPROVAL),
        State.NO_AGREEMENT,
        ("handler", "secretariat"),
        _("Geen overeenstemming vaststellen"),
        feature="third_party",
    ),
    Transition(
        "appeal_to_third_party",
        (State.NO_AGREEMENT,),
        State.WITH_THIRD_PARTY,
        ("secretariat",),
        _("Beroep bij de onafhankelijke derde"),
        feature="third_party",
        parties=("complainant",),
    ),
    Transition(
        "close_without_appeal",
        (State.NO_AGREEMENT,),
        State.SETTLED,
        ("secretariat",),
        _("Afsluiten zonder beroep"),
        feature="third_party",
    ),
    Transition(
        "record_binding_advice",
        (State.WITH_THIRD_PARTY,),
        None,
        ("secretariat",),
        _("Bindend advies vastleggen"),
        feature="third_party",
        parties=("third_party",),
    ),
    Transition(
        "complete_follow_up",
        (State.ADVICE_FOLLOW_UP,),
        None,
        ("secretariat", "director"),
        _("Uitvoering van het advies afvinken"),
        feature="third_party",
    ),
    # LSR: admissibility and routing, investigation, director, exam committee
    Transition(
        "judge_admissible",
        (State.NEW,),
        None,
        ("secretariat",),
        _("Ontvankelijk verklaren en doorleiden"),
        feature="admissibility",
    ),
    Transition(
        "judge_inadmissible",
        (State.NEW,),
        State.INADMISSIBLE,
        ("secretariat",),
        _("Niet ontvankelijk verklaren"),
        feature="admissibility",
    ),
    Transition(
        "answer_inadmissible",
        (State.INADMISSIBLE,),
        None,
        ("handler",),
        _("Klager antwoorden"),
        feature="admissibility",
        guard=_inadmissible_not_answered,
    ),
    Transition(
        "close_inadmissible",
        (State.INADMISSIBLE,),
        State.SETTLED,
        ("secretariat",),
        _("Afsluiten (niet ontvankelijk)"),
        feature="admissibility",
        guard=_inadmissible_answered,
    ),
    Transition(
        "share_findings",
        (State.IN_PROGRESS,),
        State.FINDINGS_SHARED,
        ("handler",),
        _("Bevindingen en oplossing delen"),
        feature="complainant_agrees",
    ),
    Transition(
        "accept_findings",
        (State.FINDINGS_SHARED,),
        State.SETTLED,
        ("secretariat",),
        _("Klager akkoord: afsluiten"),
        feature="complainant_agrees",
        parties=("complainant",),
    ),
    Transition(
        "reject_findings",
        (State.FINDINGS_SHARED,),
        State.NOT_SOLVED,
        ("secretariat",),
        _("Klager niet akkoord"),
        feature="complainant_agrees",
        parties=("complainant",),
    ),
    Transition(
        "send_procedure",
        (State.IN_PROGRESS, State.NOT_SOLVED),
        State.NOT_SOLVED,
        ("secretariat",),
        _("Procedure naar klager sturen"),
        feature="director",
    ),
    Transition(
        "escalate_to_director",
        (State.NOT_SOLVED, State.INADMISSIBLE),
        State.WITH_DIRECTOR,
        ("secretariat",),
        _("Voorleggen aan de directeur"),
        feature="director",
        parties=("complainant",),
        guard=_procedure_sent_or_inadmissible,
    ),
    Transition(
        "request_defence",
        (State.WITH_DIRECTOR,),
        State.AWAITING_DEFENCE,
        ("director",),
        _("Verweer vragen"),
        feature="director",
    ),
    Transition(
        "submit_defence",
        (State.AWAITING_DEFENCE,),
        State.WITH_DIRECTOR,
        ("respondent", "secretariat"),
        _("Verweer vastleggen"),
        feature="director",
        parties=("respondent",),
    ),
    Transition(
        "rule",
        (State.WITH_DIRECTOR,),
        State.SETTLED,
        ("director",),
        _("Uitspraak doen"),
        feature="director",
    ),
    Transition(
        "director_decides",
        OPEN,
        State.SETTLED,
        ("director",),
        _("Beslissen waar de regeling niet voorziet"),
        feature="director",
    ),
    Transition(
        "record_exam_ruling",
        (State.WITH_EXAM_COMMITTEE,),
        State.SETTLED,
        ("exam_committee",),
        _("Uitspraak examencommissie vastleggen"),
        feature="exam",
    ),
)

TRANSITIONS_BY_ACTION = {t.action: t for t in TRANSITIONS}


class TransitionError(Exception):
    """An action that may not be taken now; the message says why, in the user's language."""

    def __init__(self, message: str, *, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


def applies_to(transition: Transition, complaint) -> bool:
    return FEATURES[transition.feature](complaint.procedure_version)


def may_act(user, complaint, transition: Transition, party: str | None = None) -> bool:
    """May this person (or this party through a link) take the transition at all?"""
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


def transition_check(user, complaint, action: str, party: str | None = None) -> Transition:
    transition = TRANSITIONS_BY_ACTION.get(action)
    if transition is None or not applies_to(transition, complaint):
        raise TransitionError(_("Deze actie bestaat niet in deze procedure."), status=404)
    if not may_act(user, complaint, transition, party):
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
