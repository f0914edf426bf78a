"""Writes for the complainant's side that are not a step of the procedure: a new status link
for a lost one and the satisfaction survey after closing."""

import logging
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtroute.cases.events import event_record
from klachtroute.cases.models import Complaint, Party
from klachtroute.cases.phrases import Phrase, label
from klachtroute.cases.services.common import PARTY_LABELS, tell_complainant
from klachtroute.cases.workflow import EventKind, State
from klachtroute.links.models import PrivateLink, Purpose

from .models import SatisfactionResponse

if TYPE_CHECKING:
    from klachtroute.accounts.models import User

logger = logging.getLogger(__name__)

# A closed complaint can get a new status link for this long after closing.
LOST_LINK_CLOSED_DAYS = 90
# Complaints closed longer ago than this are not invited any more (the watcher was down,
# or the survey was introduced after they closed).
SATISFACTION_INVITE_WITHIN_DAYS = 30
SATISFACTION_COMMENT_MAX = 2000


# -- A lost status link ------------------------------------------------------------------


def status_link_resend(*, email: str, number: str) -> bool:
    """Send a new status link to `email` if it is the complainant's address of complaint
    `number` and that complaint is open or closed recently. Returns whether one was sent.

    The caller must not show the result: the public page answers the same either way."""
    email, number = (email or "").strip(), (number or "").strip().upper()
    if not email or not number:
        return False
    closed_since = timezone.now() - timedelta(days=LOST_LINK_CLOSED_DAYS)
    with transaction.atomic():
        mine = Complaint.objects.filter(number=number, complainant_email__iexact=email).exclude(
            complainant_email=""
        )
        complaint = _open_or_recently_closed(mine, closed_since).first()
        if complaint is None:
            return False
        tell_complainant(complaint, "status_link", purpose=Purpose.STATUS)
        event_record(
            complaint=complaint,
            actor=None,
            actor_label_override=str(PARTY_LABELS["complainant"]),
            kind=EventKind.STATUS_LINK_RESENT,
            summary=Phrase(
                "Nieuwe statuslink gevraagd en naar het e-mailadres van de klager gestuurd."
            ),
        )
    return True


def _open_or_recently_closed(qs, closed_since: datetime):
    return qs.exclude(state__in=State.closed_states()) | qs.filter(
        state__in=State.closed_states(), settled_at__gte=closed_since
    )


# -- Satisfaction (ISO 10002) ------------------------------------------------------------


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def satisfaction_invitations_send(today: date | None = None) -> int:
    """Invite the complainant of every complaint settled before `today` (so: the day after
    closing, or later if the watcher did not run) to the survey, once. Returns how many
    were invited.

    Idempotent: the invitation claims the complaint's SatisfactionResponse row (one per
    complaint) in the same transaction as the message; a second run, or one running at the
    same moment, finds the row or hits the unique constraint and sends nothing."""
    today = today or timezone.localdate()
    start_today = _start_of(today)
    oldest = _start_of(today - timedelta(days=SATISFACTION_INVITE_WITHIN_DAYS))
    candidates = (
        Complaint.objects.filter(
            state=State.SETTLED,
            settled_at__lt=start_today,
            settled_at__gte=oldest,
            satisfaction__isnull=True,
        )
        .exclude(complainant_email="")
        .order_by("pk")
    )
    invited = 0
    for complaint in candidates:
        try:
            with transaction.atomic():
                SatisfactionResponse.objects.create(complaint=complaint, invited_at=timezone.now())
                tell_complainant(complaint, "satisfaction_invitation", purpose=Purpose.STATUS)
                event_record(
                    complaint=complaint,
                    actor=None,
                    kind=EventKind.SATISFACTION_INVITED,
                    summary=Phrase("Klager uitgenodigd voor het tevredenheidsonderzoek."),
                )
        except IntegrityError:
            continue  # another run invited this complainant
        except Exception:
            # One bad complaint must not stop the others (or the watcher); it is tried
            # again on the next run, as nothing of it was saved.
            logger.exception("Satisfaction invitation for complaint %s failed", complaint.pk)
            continue
        invited += 1
    return invited


def satisfaction_open(complaint: Complaint) -> bool:
    """May the complainant answer the survey now? Settled and not answered yet."""
    if complaint.state != State.SETTLED:
        return False
    return not SatisfactionResponse.objects.filter(
        complaint=complaint, answered_at__isnull=False
    ).exists()


def satisfaction_answer(
    *,
    complaint: Complaint,
    handling_score: int,
    informed_on_time: str,
    taken_seriously_score: int,
    comment: str = "",
) -> SatisfactionResponse:
    """Store the complainant's answers, once. A second answer is refused."""
    if handling_score not in range(1, 6) or taken_seriously_score not in range(1, 6):
        raise ValidationError(_("Kies een cijfer van 1 tot en met 5."))
    if informed_on_time not in SatisfactionResponse.InformedOnTime.values:
        raise ValidationError({"informed_on_time": _("Kies ja, nee of deels.")})
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.state != State.SETTLED:
            raise ValidationError(_("De vragenlijst is alleen voor afgehandelde klachten."))
        response, _created = SatisfactionResponse.objects.get_or_create(complaint=complaint)
        if response.answered_at is not None:
            raise ValidationError(_("U heeft de vragen al beantwoord. Dank u wel."))
        response.handling_score = handling_score
        response.informed_on_time = informed_on_time
        response.taken_seriously_score = taken_seriously_score
        response.comment = (comment or "").strip()[:SATISFACTION_COMMENT_MAX]
        response.answered_at = timezone.now()
        response.save()
        event_record(
            complaint=complaint,
            actor=None,
            actor_label_override=str(PARTY_LABELS["complainant"]),
            kind=EventKind.SATISFACTION_ANSWERED,
            summary=Phrase("De klager heeft het tevredenheidsonderzoek ingevuld."),
        )
    return response


PARTY_NAMES = {p.value: p.label for p in Party}


@transaction.atomic
def link_revoke(*, link: PrivateLink, actor: "User | None") -> bool:
    """The secretariat revokes one private link (e.g. sent to a wrong address). True when it
    was live; the revocation is recorded on the complaint."""
    revoked = PrivateLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        event_record(
            complaint=link.complaint,
            actor=actor,
            kind=EventKind.LINK_REVOKED,
            summary=Phrase(
                "Privélink ingetrokken (%(party)s, %(purpose)s).",
                party=label(PARTY_NAMES[link.party]) if link.party in PARTY_NAMES else link.party,
                purpose=label(Purpose(link.purpose)),
            ),
            after={"link": link.pk, "party": link.party, "purpose": link.purpose},
        )
    return bool(revoked)
