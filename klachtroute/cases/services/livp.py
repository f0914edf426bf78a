"""The steps of a procedure with two-party approval and an independent third party
(LIVP-5 to LIVP-11): first contact, solution and approval, no agreement, binding advice."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, DateField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtroute.deadlines import local_date
from klachtroute.links.models import Purpose
from klachtroute.links.tokens import link_create, links_revoke, links_revoke_many
from klachtroute.notifications.services import message_send_to
from klachtroute.organisation.selectors import organisation_get

from ..deadlines import next_due
from ..events import NewEvent, events_record_many
from ..models import Approval, Complaint, ContactMethod, FollowUp, Outcome, Party, Ruling, Solution
from ..outcome_letters import next_step_for, outcome_letter_check
from ..phrases import Phrase, label, plural
from ..workflow import EventKind, State, target_check, transition_check
from .common import (
    complainants_tell_many,
    context_for,
    link_days,
    record,
    state_move,
    step_begin,
    tell_complainant,
    tell_involved,
    tell_respondent,
    tell_user,
    text_required,
)

if TYPE_CHECKING:
    from klachtroute.accounts.models import User


@transaction.atomic
def first_contact_record(
    *,
    complaint: Complaint,
    actor: "User | None",
    method: str,
    contacted_at: datetime,
    note: str = "",
) -> Complaint:
    """The handler records the personal contact with the complainant (LIVP-5)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="record_first_contact")
    if method not in ContactMethod.values:
        raise ValidationError({"method": _("Kies hoe het contact was.")})
    if contacted_at > timezone.now():
        raise ValidationError({"contacted_at": _("Het contact kan niet in de toekomst liggen.")})
    if contacted_at < complaint.received_at:
        raise ValidationError(
            {"contacted_at": _("Het contact kan niet vóór de ontvangst van de klacht liggen.")}
        )
    complaint.first_contact_at = contacted_at
    complaint.first_contact_method = method
    complaint.first_contact_note = note.strip()
    complaint.next_due = next_due(complaint)
    complaint.save()
    on_time = (
        complaint.first_contact_due is None
        or local_date(contacted_at, settings.TIME_ZONE) <= complaint.first_contact_due
    )
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.FIRST_CONTACT,
        summary=(
            Phrase(
                "Eerste persoonlijk contact (%(how)s), binnen de termijn.",
                how=label(ContactMethod(method), lower=True),
            )
            if on_time
            else Phrase(
                "Eerste persoonlijk contact (%(how)s), na de termijn.",
                how=label(ContactMethod(method), lower=True),
            )
        ),
        after={"at": contacted_at.isoformat(), "method": method, "on_time": on_time},
    )
    return complaint


@transaction.atomic
def solution_propose(
    *,
    complaint: Complaint,
    actor: "User | None",
    text: str,
    reasons: str = "",
    remedy_due: date | None = None,
) -> Solution:
    """The handler records the solution, why, and by when it is carried out; both parties
    get it for approval (LIVP-6), with the next step open to the complainant."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="propose_solution")
    text = text_required(text, "text", _("Beschrijf de oplossing."))
    outcome_letter_check(
        complaint=complaint,
        letter="solution",
        values={"text": text, "reasons": reasons, "remedy_due": remedy_due},
    )
    complaint.solutions.filter(status=Solution.Status.PENDING).update(
        status=Solution.Status.WITHDRAWN
    )
    links_revoke(complaint=complaint, purpose=Purpose.APPROVE_SOLUTION)
    solution = Solution.objects.create(
        complaint=complaint,
        text=text,
        reasons=(reasons or "").strip(),
        remedy_due=remedy_due,
        proposed_at=timezone.now(),
        proposed_by=actor,
    )
    state_move(
        complaint,
        State.AWAITING_APPROVAL,
        actor=actor,
        kind=EventKind.SOLUTION_PROPOSED,
        summary=Phrase("Oplossing vastgelegd en ter fiattering gestuurd aan klager en beklaagde."),
        after={"solution": text},
    )
    tell_complainant(
        complaint,
        "solution_for_approval",
        purpose=Purpose.APPROVE_SOLUTION,
        solution=solution,
        next_step=next_step_for(complaint, "solution"),
    )
    tell_respondent(
        complaint, "solution_for_approval", purpose=Purpose.APPROVE_SOLUTION, solution=solution
    )
    return solution


@transaction.atomic
def solution_decide(
    *,
    complaint: Complaint,
    actor: "User | None",
    party: str,
    approve: bool,
    reason: str = "",
    via_link: bool = False,
) -> Complaint:
    """A party approves or rejects the pending solution (fiattering, LIVP-6/7).

    Through a private link the party acts itself (no `actor`, or `via_link`); the
    secretariat can record a party's answer given by phone or letter. Both approvals settle
    the complaint.
    """
    via_link = via_link or actor is None
    action = "approve_solution" if approve else "reject_solution"
    complaint, _t = step_begin(
        complaint=complaint,
        actor=None if via_link else actor,
        action=action,
        party=party if via_link else None,
    )
    if party not in (Party.COMPLAINANT, Party.RESPONDENT):
        raise ValidationError({"party": _("Kies klager of beklaagde.")})
    solution = complaint.solutions.filter(status=Solution.Status.PENDING).last()
    if solution is None:
        raise ValidationError(_("Er is geen oplossing die op fiattering wacht."))
    if solution.approvals.filter(party=party).exists():
        raise ValidationError(_("Deze partij heeft al op deze oplossing gereageerd."))
    if not approve:
        reason = text_required(reason, "reason", _("Geef aan waarom u niet akkoord gaat."))
    Approval.objects.create(
        solution=solution,
        party=party,
        decision=Approval.Decision.APPROVED if approve else Approval.Decision.REJECTED,
        reason=reason.strip(),
        decided_at=timezone.now(),
        recorded_by=None if via_link else actor,
    )
    label_text = Party(party).label
    party_label = label(Party(party))
    link_party = party if via_link else None
    if not approve:
        solution.status = Solution.Status.REJECTED
        solution.save(update_fields=["status"])
        links_revoke(complaint=complaint, purpose=Purpose.APPROVE_SOLUTION)
        state_move(
            complaint,
            State.IN_PROGRESS,
            actor=None if via_link else actor,
            party=link_party,
            kind=EventKind.SOLUTION_REJECTED,
            summary=Phrase(
                "%(party)s gaat niet akkoord met de oplossing: %(reason)s",
                party=party_label,
                reason=reason.strip(),
            ),
            after={"party": party, "reason": reason.strip()},
        )
        if complaint.handler_id:
            tell_user(
                complaint,
                complaint.handler,
                "solution_rejected",
                party_label=label_text,
                reason=reason,
            )
        if party == Party.COMPLAINANT:
            tell_involved(
                complaint,
                "complainant_step",
                actor=actor,
                handler_too=False,
                step="disagreed_solution",
                reason=reason.strip(),
            )
        return complaint
    decided = set(
        solution.approvals.filter(decision=Approval.Decision.APPROVED).values_list(
            "party", flat=True
        )
    )
    if decided >= {Party.COMPLAINANT, Party.RESPONDENT}:
        solution.status = Solution.Status.APPROVED
        solution.save(update_fields=["status"])
        state_move(
            complaint,
            State.SETTLED,
            actor=None if via_link else actor,
            party=link_party,
            kind=EventKind.SOLUTION_APPROVED,
            summary=Phrase(
                "%(party)s gaat akkoord; beide partijen hebben de oplossing goedgekeurd. De klacht is afgehandeld.",
                party=party_label,
            ),
            outcome=Outcome.SOLUTION_APPROVED,
            after={"party": party},
        )
        links_revoke(complaint=complaint, purpose=Purpose.APPROVE_SOLUTION)
        tell_complainant(complaint, "settled", solution=solution)
        tell_respondent(complaint, "settled", solution=solution)
        if party == Party.COMPLAINANT:
            tell_involved(
                complaint,
                "complainant_step",
                actor=actor,
                respondent_too=False,
                step="agreed_solution",
                settled=True,
            )
    else:
        record(
            complaint,
            actor=None if via_link else actor,
            party=link_party,
            kind=EventKind.SOLUTION_APPROVED_BY_PARTY,
            summary=Phrase("%(party)s gaat akkoord met de oplossing.", party=party_label),
            after={"party": party},
        )
        if party == Party.COMPLAINANT:
            tell_involved(complaint, "complainant_step", actor=actor, step="agreed_solution")
    return complaint


@transaction.atomic
def no_agreement_declare(
    *, complaint: Complaint, actor: "User | None", reason: str = ""
) -> Complaint:
    """No agreement (LIVP-9, LIVP-11): the complainant is told in writing of the right to
    go to the independent third party. `actor=None` is the deadline watcher."""
    (declared,) = no_agreement_declare_many(complaints=[complaint], actor=actor, reason=reason)
    return declared


@transaction.atomic
def no_agreement_declare_many(
    *, complaints: Sequence[Complaint], actor: "User | None", reason: str = ""
) -> list[Complaint]:
    """`no_agreement_declare` for a batch of complaints (the watcher's, LIVP-9), in a
    constant number of queries however many: they are locked and checked together, their
    pending solutions withdrawn and approval links revoked at once, their state changed in
    one update, their history events chained at once, and the letters (with the status
    links) inserted at once. One that may not take the step refuses the whole batch.
    Returns the locked complaints in the order of their id."""
    ids = {complaint.pk for complaint in complaints}
    locked = list(
        # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the joins.
        Complaint.objects.select_for_update(of=("self",))
        .select_related("handler", "respondent", "course")
        # One instance per version for the batch: its definition read and parsed once.
        .prefetch_related("procedure_version__procedure")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len(locked) != len(ids):
        raise Complaint.DoesNotExist("A complaint to declare no agreement on does not exist.")
    for complaint in locked:
        step = transition_check(actor, complaint, "declare_no_agreement", watcher=actor is None)
        target_check(step, complaint, State.NO_AGREEMENT)
    Solution.objects.filter(complaint__in=locked, status=Solution.Status.PENDING).update(
        status=Solution.Status.WITHDRAWN
    )
    links_revoke_many(complaints=locked, purpose=Purpose.APPROVE_SOLUTION)
    reason = reason.strip()
    summary = (
        Phrase("Geen overeenstemming: %(reason)s", reason=reason)
        if reason
        else Phrase("De afhandeltermijn is verstreken zonder goedgekeurde oplossing.")
        if actor is None
        else Phrase("Geen overeenstemming.")
    )
    now, events = timezone.now(), []
    for complaint in locked:
        before = {"state": complaint.state}
        complaint.state = State.NO_AGREEMENT
        complaint.no_agreement_notified_at = now
        complaint.next_due = next_due(complaint)
        complaint.updated_at = now
        after = {"state": complaint.state, "reason": reason}
        events.append(NewEvent(complaint, EventKind.NO_AGREEMENT, summary, after, before))
    # One update: the same state and moment for all, the next deadline by its day (one
    # condition per distinct day, not one per complaint).
    by_day: dict[date, list[int]] = {}
    for complaint in locked:
        if complaint.next_due is not None:
            by_day.setdefault(complaint.next_due, []).append(complaint.pk)
    Complaint.objects.filter(pk__in=ids).update(
        state=State.NO_AGREEMENT,
        no_agreement_notified_at=now,
        updated_at=now,
        next_due=Case(
            *(When(pk__in=pks, then=Value(day)) for day, pks in by_day.items()),
            default=None,
            output_field=DateField(),
        ),
    )
    events_record_many(items=events, actor=actor)
    complainants_tell_many(
        locked, "no_agreement_notice", purpose=Purpose.STATUS, third_party=organisation_get()
    )
    return locked


@transaction.atomic
def third_party_appeal(
    *, complaint: Complaint, actor: "User | None" = None, party: str | None = None, note: str = ""
) -> Complaint:
    """The complainant appeals to the independent third party (LIVP-11)."""
    complaint, _t = step_begin(
        complaint=complaint, actor=actor, action="appeal_to_third_party", party=party
    )
    state_move(
        complaint,
        State.WITH_THIRD_PARTY,
        actor=actor,
        party=party,
        kind=EventKind.APPEAL_TO_THIRD_PARTY,
        summary=Phrase("De klager legt de klacht voor aan de onafhankelijke derde."),
        after={"note": note.strip()},
    )
    tell_involved(
        complaint,
        "complainant_step",
        actor=actor,
        step="appealed_third_party",
        reason=note.strip(),
    )
    organisation = organisation_get()
    assert organisation is not None  # a complaint exists only once the organisation is set up
    link = link_create(
        complaint=complaint,
        party=Party.THIRD_PARTY,
        purpose=Purpose.THIRD_PARTY,
        days=max(link_days(complaint), 90),
    )
    message_send_to(
        key="third_party_request",
        context=context_for(
            complaint, link=link, recipient_name=organisation.third_party_name, note=note
        ),
        complaint=complaint,
        email=organisation.third_party_email,
        name=organisation.third_party_name,
        postal_address=organisation.third_party_address,
        language="nl",
    )
    return complaint


@transaction.atomic
def binding_advice_record(
    *,
    complaint: Complaint,
    actor: "User | None" = None,
    party: str | None = None,
    advice: str,
    follow_ups: Sequence[str] = (),
    remedy_due: date | None = None,
) -> Ruling:
    """The third party's binding advice; what it asks of the organisation is tracked (LIVP-11)."""
    complaint, _t = step_begin(
        complaint=complaint, actor=actor, action="record_binding_advice", party=party
    )
    advice = text_required(advice, "advice", _("Vul het bindend advies in."))
    items = [item.strip() for item in follow_ups if item and item.strip()]
    outcome_letter_check(
        complaint=complaint,
        letter="binding_advice",
        values={"advice": advice, "follow_ups": items, "remedy_due": remedy_due},
    )
    organisation = organisation_get()
    assert organisation is not None  # a complaint exists only once the organisation is set up
    ruling = Ruling.objects.create(
        complaint=complaint,
        body=Ruling.Body.THIRD_PARTY,
        decision=Ruling.Decision.ADVICE,
        motivation=advice,
        remedy="\n".join(items),
        remedy_due=remedy_due if items else None,
        decided_at=timezone.now(),
        decided_by=actor,
        decided_by_label=(
            organisation.third_party_name if party or actor is None else actor.display_name
        ),
    )
    for item in items:
        FollowUp.objects.create(ruling=ruling, description=item)
    links_revoke(complaint=complaint, party=Party.THIRD_PARTY)
    if items:
        state_move(
            complaint,
            State.ADVICE_FOLLOW_UP,
            actor=actor,
            party=party,
            kind=EventKind.BINDING_ADVICE,
            summary=plural(
                "Bindend advies vastgelegd; %(n)s punt voor de organisatie.",
                "Bindend advies vastgelegd; %(n)s punten voor de organisatie.",
                len(items),
                n=len(items),
            ),
            after={"advice": advice, "follow_ups": items},
        )
    else:
        state_move(
            complaint,
            State.SETTLED,
            actor=actor,
            party=party,
            kind=EventKind.BINDING_ADVICE,
            summary=Phrase("Bindend advies vastgelegd; de klacht is afgehandeld."),
            outcome=Outcome.BINDING_ADVICE,
            after={"advice": advice},
        )
    tell_complainant(
        complaint,
        "binding_advice",
        ruling=ruling,
        follow_ups=items,
        next_step=next_step_for(complaint, "binding_advice"),
    )
    # The organisation carries the advice out: the secretariat, the handler and the director.
    tell_involved(
        complaint,
        "binding_advice_recorded",
        actor=actor,
        respondent_too=False,
        secretariat_too=True,
        directors_too=True,
        ruling=ruling,
        follow_ups=items,
    )
    return ruling


@transaction.atomic
def follow_up_complete(
    *, complaint: Complaint, actor: "User | None", follow_up_id: int, note: str = ""
) -> Complaint:
    """Tick off one thing the binding advice asked; the last one settles the complaint.

    Only a point that was planned (`follow_up_plan`: an owner and a date) can be ticked off:
    someone answers for it and it was followed until it was done."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="complete_follow_up")
    item = (
        FollowUp.objects.filter(pk=follow_up_id, ruling__complaint=complaint, done_at__isnull=True)
        .select_related("measure")
        .first()
    )
    if item is None:
        raise ValidationError({"follow_up": _("Kies een punt dat nog open staat.")})
    if item.measure is None:
        raise ValidationError(
            {
                "follow_up": _(
                    "Dit punt heeft nog geen eigenaar en datum. Geef het eerst een eigenaar en "
                    "een datum; daarna kunt u het afvinken."
                )
            }
        )
    item.done_at, item.done_by, item.note = timezone.now(), actor, note.strip()
    item.save()
    if item.measure is not None:  # the point was tracked as a measure: it is done too
        item.measure.status = item.measure.Status.DONE
        item.measure.done_on = timezone.localdate()
        item.measure.save(update_fields=["status", "done_on"])
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.FOLLOW_UP_DONE,
        summary=Phrase("Uitgevoerd: %(item)s", item=item.description[:200]),
        after={"note": item.note},
    )
    if not FollowUp.objects.filter(ruling__complaint=complaint, done_at__isnull=True).exists():
        state_move(
            complaint,
            State.SETTLED,
            actor=actor,
            kind=EventKind.ADVICE_CARRIED_OUT,
            summary=Phrase("Het bindend advies is volledig uitgevoerd; de klacht is afgehandeld."),
            outcome=Outcome.BINDING_ADVICE,
        )
    return complaint


@transaction.atomic
def no_appeal_close(*, complaint: Complaint, actor: "User | None", note: str = "") -> Complaint:
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="close_without_appeal")
    state_move(
        complaint,
        State.SETTLED,
        actor=actor,
        kind=EventKind.CLOSED_WITHOUT_APPEAL,
        summary=Phrase(
            "Afgesloten: geen overeenstemming en geen beroep bij de onafhankelijke derde."
        ),
        outcome=Outcome.NO_AGREEMENT,
        after={"note": note.strip()},
    )
    return complaint
