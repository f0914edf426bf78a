"""Measures (LIVP-8, LSR-8c): proposing one as a step of a complaint, and carrying it out:
the owner, the director or the secretariat records the status and the evaluation; every
linked complaint's history records it."""

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtroute.cases.events import event_record
from klachtroute.cases.models import Complaint, FollowUp
from klachtroute.cases.phrases import Phrase, day, label, person_name
from klachtroute.cases.services.common import record, step_begin, tell_user
from klachtroute.cases.workflow import EventKind

from .models import Measure

if TYPE_CHECKING:
    from klachtroute.accounts.models import User


def _measure_create(complaint: Complaint, *, actor, description: str, owner, due_date, **fields):
    """A measure for this complaint; the owner is told by `_owner_tell` once it is recorded."""
    measure = Measure.objects.create(
        description=description, owner=owner, due_date=due_date, proposed_by=actor, **fields
    )
    measure.complaints.add(complaint)
    return measure


def _owner_tell(complaint: Complaint, *, measure: Measure, actor) -> None:
    """The owner hears of a measure someone else gave them (with a link to it)."""
    if actor is None or measure.owner_id != actor.pk:
        tell_user(complaint, measure.owner, "measure_assigned", measure=measure)


@transaction.atomic
def measure_propose(
    *, complaint: Complaint, actor: "User | None", description: str, owner, due_date: date
) -> Measure:
    """A measure to prevent the same complaint (LIVP-8): description, owner and due date."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="propose_measure")
    errors = {}
    if not (description or "").strip():
        errors["description"] = _("Beschrijf de maatregel.")
    if owner is None or not owner.is_active:
        errors["owner"] = _("Kies wie de maatregel uitvoert.")
    if due_date is None or due_date < timezone.localdate():
        errors["due_date"] = _("Kies een datum vanaf vandaag.")
    if errors:
        raise ValidationError(errors)
    measure = _measure_create(
        complaint, actor=actor, description=description.strip(), owner=owner, due_date=due_date
    )
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.MEASURE_PROPOSED,
        summary=Phrase(
            "Maatregel voorgesteld (%(owner)s, uiterlijk %(due)s): %(text)s",
            owner=person_name(owner),
            due=day(due_date),
            text=measure.description[:200],
        ),
        after={
            "measure": measure.pk,
            "owner": owner.display_name,
            "due_date": due_date.isoformat(),
        },
    )
    _owner_tell(complaint, measure=measure, actor=actor)
    return measure


def measure_may_update(*, measure: Measure, user) -> bool:
    """The owner, the director and the secretariat may update a measure."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return measure.owner_id == user.pk or user.is_director or user.is_secretariat


@transaction.atomic
def measure_update(
    *, measure: Measure, actor: "User | None", status: str, evaluation: str
) -> Measure:
    """Set the status and the evaluation of a measure; records an event on each complaint."""
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if not measure_may_update(measure=measure, user=actor):
        raise PermissionError("Only the owner, the director or the secretariat update a measure.")
    errors = {}
    if status not in Measure.Status.values:
        errors["status"] = _("Kies een status.")
    evaluation = (evaluation or "").strip()
    if status == Measure.Status.DONE and not evaluation:
        errors["evaluation"] = _("Beschrijf bij een uitgevoerde maatregel wat het effect was.")
    if errors:
        raise ValidationError(errors)
    before = {"status": measure.status, "evaluation": measure.evaluation}
    if before == {"status": status, "evaluation": evaluation}:
        return measure
    measure.status = status
    measure.evaluation = evaluation
    if status == Measure.Status.DONE and before["status"] != Measure.Status.DONE:
        measure.done_on = timezone.localdate()
    elif status != Measure.Status.DONE:
        measure.done_on = None
    measure.save(update_fields=["status", "evaluation", "done_on"])
    summary = Phrase(
        "Maatregel bijgewerkt (%(status)s): %(text)s",
        status=label(Measure.Status(status)),
        text=measure.description[:150],
    )
    if evaluation and evaluation != before["evaluation"]:
        summary = Phrase(
            "%(first)s %(then)s",
            first=summary,
            then=Phrase("Evaluatie: %(text)s", text=evaluation[:200]),
        )
    for complaint in measure.complaints.order_by("pk"):
        event_record(
            complaint=complaint,
            actor=actor,
            kind=EventKind.MEASURE_UPDATED,
            summary=summary,
            before={"measure": measure.pk, **before},
            after={"measure": measure.pk, "status": status, "evaluation": evaluation},
        )
    return measure


@transaction.atomic
def follow_up_plan(
    *, complaint: Complaint, actor: "User | None", follow_up_id: int, owner, due_date
) -> FollowUp:
    """Give a point of the binding advice an owner and a date; from then on it is tracked as
    a measure (reminders, the measures overview) until it is ticked off (LIVP-11)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="plan_follow_up")
    item = FollowUp.objects.filter(
        pk=follow_up_id, ruling__complaint=complaint, done_at__isnull=True, measure__isnull=True
    ).first()
    errors = {}
    if item is None:
        errors["follow_up"] = _("Kies een punt dat nog geen eigenaar heeft.")
    if owner is None or not owner.is_active:
        errors["owner"] = _("Kies wie het punt uitvoert.")
    if due_date is None or due_date < timezone.localdate():
        errors["due_date"] = _("Kies een datum vanaf vandaag.")
    if errors:
        raise ValidationError(errors)
    assert item is not None
    measure = _measure_create(
        complaint,
        actor=actor,
        description=item.description,
        owner=owner,
        due_date=due_date,
        status=Measure.Status.AGREED,
    )
    item.measure = measure
    item.save(update_fields=["measure"])
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.FOLLOW_UP_PLANNED,
        summary=Phrase(
            "Uitvoering van het advies: %(owner)s, uiterlijk %(due)s: %(item)s",
            owner=person_name(owner),
            due=day(due_date),
            item=item.description[:200],
        ),
        after={
            "follow_up": item.description,
            "owner": owner.display_name,
            "due_date": due_date.isoformat(),
        },
    )
    _owner_tell(complaint, measure=measure, actor=actor)
    return item
