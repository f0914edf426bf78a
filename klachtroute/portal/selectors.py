"""Reads for the pages behind private links: only what the link's party may see."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from klachtroute.cases.models import (
    Complaint,
    DefenceRequest,
    Event,
    Findings,
    InformationAdded,
    Ruling,
    Solution,
)
from klachtroute.cases.workflow import EventKind
from klachtroute.links.models import PrivateLink
from klachtroute.notifications.models import OutboxMessage, OutboxStatus


def solution_pending(complaint: Complaint) -> Solution | None:
    return (
        complaint.solutions.filter(status=Solution.Status.PENDING)
        .order_by("proposed_at", "id")
        .last()
    )


def solution_latest(complaint: Complaint) -> Solution | None:
    return complaint.solutions.order_by("proposed_at", "id").last()


def solutions_with_approvals(complaint: Complaint) -> QuerySet[Solution]:
    return complaint.solutions.order_by("proposed_at", "id").prefetch_related("approvals")


def findings_latest(complaint: Complaint) -> Findings | None:
    return complaint.findings.order_by("shared_at", "id").prefetch_related("judgements").last()


def defence_request_open(complaint: Complaint) -> DefenceRequest | None:
    return (
        complaint.defence_requests.filter(submitted_at__isnull=True)
        .order_by("requested_at", "id")
        .last()
    )


def defence_request_answered(complaint: Complaint) -> DefenceRequest | None:
    return (
        complaint.defence_requests.filter(submitted_at__isnull=False)
        .order_by("submitted_at", "id")
        .last()
    )


def binding_advice_latest(complaint: Complaint) -> Ruling | None:
    return (
        complaint.rulings.filter(body=Ruling.Body.THIRD_PARTY).order_by("decided_at", "id").last()
    )


def third_party_appeal_latest(complaint: Complaint) -> Event | None:
    """The complainant's appeal to the independent third party; its `after["note"]` holds
    what the complainant wrote for the third party."""
    return complaint.events.filter(kind=EventKind.APPEAL_TO_THIRD_PARTY).order_by("at", "id").last()


def messages_to_complainant(complaint: Complaint) -> QuerySet[OutboxMessage]:
    """The complainant's own messages: e-mail to their address, or letters addressed to them.

    Messages to staff, the respondent or the third party about the same complaint are never
    included."""
    addressed = Q(pk__in=[])
    if complaint.complainant_email:
        addressed |= Q(to__iexact=complaint.complainant_email)
    addressed |= Q(
        to="",
        status__in=(OutboxStatus.TO_POST, OutboxStatus.POSTED),
        recipient_name=complaint.complainant_name,
        postal_address=complaint.complainant_address,
    )
    return OutboxMessage.objects.filter(addressed, complaint=complaint).order_by(
        "-created_at", "-id"
    )


def link_is_live(pk: int) -> bool:
    """Is the link still usable (after an action: a withdrawal revokes every link)?"""
    return PrivateLink.objects.filter(
        pk=pk, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


def information_added(complaint: Complaint) -> list[InformationAdded]:
    """What the complainant added through the status page, oldest first, with documents."""
    return list(
        InformationAdded.objects.filter(complaint=complaint)
        .order_by("added_at", "id")
        .prefetch_related("documents")
    )
