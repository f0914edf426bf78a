"""Telling people what they need when a period passes: the complainant hears of a delay
after the settlement period passed without an extension (LSR-5d, LSR-7b)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtroute.accounts.models import User

from ..models import Complaint
from ..phrases import Phrase, day
from ..workflow import EventKind
from .common import record, step_begin, tell_complainant, tell_involved, text_required


@transaction.atomic
def delay_inform(
    *, complaint: Complaint, actor: User | None, reason: str, expected: date
) -> Complaint:
    """The settlement period passed without an extension: the handler tells the complainant
    why, and when a decision can be expected (LSR-7b); the directors, who see that every
    complaint is handled in time, are told too."""
    complaint, _t = step_begin(complaint=complaint, actor=actor, action="inform_delay")
    reason = text_required(reason, "reason", _("Geef de reden van de vertraging."))
    if expected is None or expected <= timezone.localdate():
        raise ValidationError({"expected": _("Kies een datum na vandaag.")})
    assert complaint.settle_due is not None  # the step's guard refuses a complaint without one
    record(
        complaint,
        actor=actor,
        party=None,
        kind=EventKind.DELAY_NOTIFIED,
        summary=Phrase(
            "De klager is geïnformeerd dat de afhandeltermijn (%(due)s) is verstreken; "
            "verwachte beslissing uiterlijk %(date)s: %(reason)s",
            due=day(complaint.settle_due),
            date=day(expected),
            reason=reason,
        ),
        after={
            "settle_due": complaint.settle_due.isoformat(),
            "expected": expected.isoformat(),
            "reason": reason,
        },
    )
    tell_complainant(complaint, "delay_notice", reason=reason, expected=expected)
    tell_involved(
        complaint,
        "delay_notified",
        actor=actor,
        handler_too=False,
        respondent_too=False,
        directors_too=True,
        reason=reason,
        expected=expected,
    )
    return complaint
