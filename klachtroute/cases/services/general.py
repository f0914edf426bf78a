"""Steps open in every procedure: extension, withdrawal, reopening, measures, the respondent."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtroute.accounts.models import User
from klachtroute.organisation.selectors import work_calendar_get
from klachtroute.portal.links import links_revoke

from ..deadlines import next_due
from ..models import Complaint, Extension, Measure, Outcome, RespondentType
from ..workflow import State
from .common import (
    record,
    state_move,
    step_begin,
    tell_complainant,
    tell_involved,
    tell_respondent,
    tell_user,
)
from .registration import complaint_register


@transaction.atomic
def settlement_extend(
    *, complaint: Complaint, actor: User | None, reason: str, new_due: date
) -> Extension:
    """More time for the investigation (LSR-5d, LSR-7b): recorded before the settlement
    deadline passes, with the reason and the expected date; complainant and respondent are
    told in writing, and the settlement deadline moves to that date."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="extend")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef de reden van het uitstel.")})
    assert complaint.settle_due is not None  # the step's guard refuses a complaint without one
    if new_due is None or new_due <= complaint.settle_due:
        raise ValidationError(
            {
                "new_due": _("De nieuwe datum moet na de huidige termijn (%(due)s) liggen.")
                % {"due": complaint.settle_due.strftime("%d-%m-%Y")}
            }
        )
    if not work_calendar_get().is_working_day(new_due):
        raise ValidationError({"new_due": _("Kies een werkdag.")})
    extension = Extension.objects.create(
        complaint=complaint,
        reason=reason,
        previous_due=complaint.settle_due,
        new_due=new_due,
        at=timezone.now(),
        by=actor,
    )
    before = complaint.settle_due
    complaint.settle_due = new_due
    complaint.next_due = next_due(complaint)
    complaint.save()
    record(
        complaint,
        actor=actor,
        party=None,
        kind="extended",
        summary=_("Termijn verlengd tot %(date)s: %(reason)s")
        % {"date": new_due.strftime("%d-%m-%Y"), "reason": reason},
        before={"settle_due": before.isoformat()},
        after={"settle_due": new_due.isoformat(), "reason": reason},
    )
    tell_complainant(complaint, "extension_notice", extension=extension)
    if complaint.respondent_type != RespondentType.UNKNOWN:
        tell_respondent(complaint, "extension_notice", extension=extension)
    return extension


@transaction.atomic
def complaint_withdraw(
    *, complaint: Complaint, actor: User | None = None, party: str | None = None, reason: str = ""
) -> Complaint:
    """The complainant withdraws the complaint (through the status link, or told the secretariat)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="withdraw", party=party)
    state_move(
        complaint,
        State.WITHDRAWN,
        actor=actor,
        party=party,
        kind="withdrawn",
        summary=_("De klager heeft de klacht ingetrokken."),
        outcome=Outcome.WITHDRAWN,
        after={"reason": (reason or "").strip()},
    )
    links_revoke(complaint=complaint)
    tell_involved(complaint, "withdrawn", actor=actor, secretariat_too=True)
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, actor: User | None, new_facts: str) -> Complaint:
    """New facts on a closed complaint: a new complaint, linked to the earlier one."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="reopen")
    new_facts = (new_facts or "").strip()
    if len(new_facts) < 10:
        raise ValidationError({"new_facts": _("Beschrijf de nieuwe feiten (minstens 10 tekens).")})
    new = complaint_register(
        actor=actor,
        channel=complaint.channel,
        received_at=timezone.now(),
        complainant_name=complaint.complainant_name,
        complainant_email=complaint.complainant_email,
        complainant_phone=complaint.complainant_phone,
        complainant_address=complaint.complainant_address,
        complainant_language=complaint.complainant_language,
        representative_name=complaint.representative_name,
        course=complaint.course,
        course_other=complaint.course_other,
        complaint_date=timezone.localdate(),
        description=new_facts,
        remedy_sought=complaint.remedy_sought,
        respondent_type=complaint.respondent_type,
        respondent=complaint.respondent,
        respondent_description=complaint.respondent_description,
    )
    Complaint.objects.filter(pk=new.pk).update(reopens=complaint)
    new.reopens = complaint
    record(
        new,
        actor=actor,
        party=None,
        kind="reopens",
        summary=_("Nieuwe klacht op grond van nieuwe feiten bij %(number)s.")
        % {"number": complaint.number},
        after={"reopens": complaint.number},
    )
    record(
        complaint,
        actor=actor,
        party=None,
        kind="reopened",
        summary=_("Heropend met nieuwe feiten als %(number)s.") % {"number": new.number},
        after={"new_complaint": new.number},
    )
    return new


@transaction.atomic
def measure_propose(
    *, complaint: Complaint, actor: User | None, description: str, owner, due_date: date
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
    measure = Measure.objects.create(
        description=description.strip(), owner=owner, due_date=due_date, proposed_by=actor
    )
    measure.complaints.add(complaint)
    record(
        complaint,
        actor=actor,
        party=None,
        kind="measure_proposed",
        summary=_("Maatregel voorgesteld (%(owner)s, uiterlijk %(due)s): %(text)s")
        % {
            "owner": owner.display_name,
            "due": due_date.strftime("%d-%m-%Y"),
            "text": measure.description[:200],
        },
        after={
            "measure": measure.pk,
            "owner": owner.display_name,
            "due_date": due_date.isoformat(),
        },
    )
    if owner != actor:
        tell_user(complaint, owner, "measure_assigned", measure=measure)
    return measure


@transaction.atomic
def respondent_set(
    *,
    complaint: Complaint,
    actor: User | None,
    respondent_type: str,
    respondent=None,
    description: str = "",
) -> Complaint:
    """Record who the complaint is about: a person or the organisation."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="set_respondent")
    if respondent_type not in (RespondentType.PERSON, RespondentType.ORGANISATION):
        raise ValidationError({"respondent_type": _("Kies een persoon of de organisatie.")})
    if respondent_type == RespondentType.PERSON and respondent is None:
        raise ValidationError({"respondent": _("Kies de persoon.")})
    if respondent is not None and complaint.handler_id == respondent.pk:
        raise ValidationError(
            {
                "respondent": _(
                    "De behandelaar kan niet zelf de beklaagde zijn; wijs eerst een andere behandelaar aan."
                )
            }
        )
    before = {"respondent": complaint.respondent_label}
    complaint.respondent_type = respondent_type
    complaint.respondent = respondent if respondent_type == RespondentType.PERSON else None
    complaint.respondent_description = (description or "").strip()
    complaint.save()
    record(
        complaint,
        actor=actor,
        party=None,
        kind="respondent_set",
        summary=_("Beklaagde: %(who)s.") % {"who": complaint.respondent_label},
        before=before,
        after={"respondent": complaint.respondent_label},
    )
    return complaint
