"""Steps open in every procedure: extension, withdrawal, reopening, the respondent."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtroute.accounts.models import User
from klachtroute.deadlines import working_days_left
from klachtroute.links.tokens import links_revoke
from klachtroute.organisation.selectors import work_calendar_get

from ..deadlines import deadlines_shift, next_due, progress_update_next
from ..models import Complaint, Extension, Outcome, RespondentType
from ..phrases import Phrase, day, respondent_arg
from ..workflow import EventKind, State
from .common import (
    record,
    respondent_people,
    state_move,
    step_begin,
    tell_complainant,
    tell_involved,
    tell_respondent,
)
from .registration import complaint_register


@transaction.atomic
def settlement_extend(
    *,
    complaint: Complaint,
    actor: User | None,
    reason: str,
    new_due: date,
    complainant_consent: str = "",
) -> Extension:
    """More time for the investigation (LSR-5d, LSR-7b): recorded before the settlement
    deadline passes, with the reason and the expected date; complainant and respondent are
    told in writing, the directors are told (`extension_recorded`), and the settlement
    deadline moves to that date.

    The definition may limit extensions (AWB-9:11): how many, and how many weeks past the
    original settlement date in total; past that, only with the complainant's written
    consent, recorded with the extension, when the definition allows it at all."""
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
    consent = _extension_consent(complaint, new_due, complainant_consent)
    extension = Extension.objects.create(
        complaint=complaint,
        reason=reason,
        complainant_consent=consent,
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
        kind=EventKind.EXTENDED,
        summary=(
            Phrase(
                "Termijn verlengd tot %(date)s met schriftelijke instemming van de klager: %(reason)s",
                date=day(new_due),
                reason=reason,
            )
            if consent
            else Phrase(
                "Termijn verlengd tot %(date)s: %(reason)s", date=day(new_due), reason=reason
            )
        ),
        before={"settle_due": before.isoformat()},
        after={
            "settle_due": new_due.isoformat(),
            "reason": reason,
            **({"complainant_consent": consent} if consent else {}),
        },
    )
    tell_complainant(complaint, "extension_notice", extension=extension)
    respondent_told = complaint.respondent_type != RespondentType.UNKNOWN
    if respondent_told:
        tell_respondent(complaint, "extension_notice", extension=extension)
    # The directors see that every complaint is handled in time: each extension is told to
    # them, with both dates, the reason and a link; a director who answers for the
    # organisation as respondent has just read all of it, and is not told twice.
    tell_involved(
        complaint,
        "extension_recorded",
        actor=actor,
        handler_too=False,
        respondent_too=False,
        directors_too=True,
        exclude=tuple(respondent_people(complaint)) if respondent_told else (),
        extension=extension,
        extension_by=actor.display_name if actor is not None else "",
        respondent_told=respondent_told,
    )
    return extension


def _extension_consent(complaint: Complaint, new_due: date, consent: str) -> str:
    """The consent to record: "" within the definition's limits; past them the complainant's
    written consent, or a refusal that says which limit is reached."""
    rules = complaint.procedure_version.spec.extension
    earlier = list(complaint.extensions.order_by("at", "id"))
    original_due = earlier[0].previous_due if earlier else complaint.settle_due
    assert original_due is not None
    problems = []
    if rules.max_count is not None and len(earlier) >= rules.max_count:
        problems.append(
            _("De termijn mag maar %(count)s keer worden verlengd.") % {"count": rules.max_count}
        )
    if rules.max_total_weeks is not None and new_due > original_due + timedelta(
        weeks=rules.max_total_weeks
    ):
        problems.append(
            _(
                "De termijn mag in totaal met ten hoogste %(weeks)s weken worden verlengd "
                "(tot en met %(date)s)."
            )
            % {
                "weeks": rules.max_total_weeks,
                "date": (original_due + timedelta(weeks=rules.max_total_weeks)).strftime(
                    "%d-%m-%Y"
                ),
            }
        )
    if not problems:
        return ""
    consent = (consent or "").strip()
    if not rules.further_needs_consent:
        raise ValidationError({"new_due": " ".join(problems)})
    if not consent:
        raise ValidationError(
            {
                "complainant_consent": " ".join(problems)
                + " "
                + _("Verder uitstel kan alleen met schriftelijke instemming van de klager.")
            }
        )
    return consent


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
        kind=EventKind.WITHDRAWN,
        summary=Phrase("De klager heeft de klacht ingetrokken."),
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
        kind=EventKind.REOPENS,
        summary=Phrase(
            "Nieuwe klacht op grond van nieuwe feiten bij %(number)s.", number=complaint.number
        ),
        after={"reopens": complaint.number},
    )
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.REOPENED,
        summary=Phrase("Heropend met nieuwe feiten als %(number)s.", number=new.number),
        after={"new_complaint": new.number},
    )
    return new


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
        kind=EventKind.RESPONDENT_SET,
        summary=Phrase("Beklaagde: %(who)s.", who=respondent_arg(complaint)),
        before=before,
        after={"respondent": complaint.respondent_label},
    )
    return complaint


@transaction.atomic
def progress_update_send(*, complaint: Complaint, actor: User | None, text: str) -> Complaint:
    """Tell the complainant how the complaint stands; the next update is due one
    progress-update period from today."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="send_progress_update")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Schrijf hoe het met de klacht staat.")})
    before = complaint.progress_update_due
    complaint.progress_update_due = progress_update_next(
        complaint, timezone.localdate(), work_calendar_get()
    )
    complaint.save(update_fields=["progress_update_due", "updated_at"])
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.PROGRESS_UPDATE_SENT,
        summary=Phrase("Voortgangsbericht aan de klager: %(text)s", text=text[:300]),
        before={"progress_update_due": before.isoformat() if before else None},
        after={
            "progress_update_due": complaint.progress_update_due.isoformat()
            if complaint.progress_update_due
            else None,
            "text": text,
        },
    )
    tell_complainant(complaint, "progress_update", update_text=text)
    return complaint


@transaction.atomic
def settlement_suspend(*, complaint: Complaint, actor: User | None, reason: str) -> Complaint:
    """Stop the settlement clock while the organisation waits for the complainant; the
    complainant is told why."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="suspend")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Noem waarop de organisatie wacht.")})
    complaint.suspended_since = timezone.localdate()
    complaint.suspension_reason = reason
    complaint.save(update_fields=["suspended_since", "suspension_reason", "updated_at"])
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.SUSPENDED,
        summary=Phrase("Afhandeltermijn opgeschort: %(reason)s", reason=reason),
        after={"suspended_since": complaint.suspended_since.isoformat(), "reason": reason},
    )
    tell_complainant(complaint, "suspension_notice", reason=reason)
    return complaint


@transaction.atomic
def settlement_resume(*, complaint: Complaint, actor: User | None) -> Complaint:
    """Start the clock again: every deadline still to be met moves by the working days the
    complaint was suspended (the working days after the day of suspension up to today)."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="resume")
    assert complaint.suspended_since is not None  # the step's guard refuses otherwise
    calendar = work_calendar_get()
    since = complaint.suspended_since
    days = max(working_days_left(since, timezone.localdate(), calendar), 0)
    complaint.suspended_since = None
    reason, complaint.suspension_reason = complaint.suspension_reason, ""
    moved = deadlines_shift(complaint, days, calendar)
    complaint.save()
    summary = Phrase(
        "Afhandeltermijn hervat na %(days)s werkdagen opschorting (sinds %(since)s); de "
        "termijnen schuiven evenveel werkdagen op.",
        days=days,
        since=day(since),
    )
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.RESUMED,
        summary=summary,
        before={"suspended_since": since.isoformat(), "reason": reason},
        after={"working_days": days, "moved": moved},
    )
    tell_complainant(complaint, "resumption_notice", working_days=days)
    return complaint
