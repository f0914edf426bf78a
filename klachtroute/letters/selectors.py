"""Reads of letters: the secretariat's post to send, and who may see a message as a letter."""

from django.db.models import QuerySet

from klachtroute.cases.selectors import complaints_visible_to
from klachtroute.notifications.models import OutboxMessage, OutboxStatus


def user_may_handle_post(user) -> bool:
    """Printing and posting letters is the secretariat's work."""
    return bool(user.is_authenticated and user.is_active and user.is_secretariat)


def letters_to_post() -> QuerySet[OutboxMessage]:
    """Letters waiting to be printed and posted, oldest first."""
    return (
        OutboxMessage.objects.filter(status=OutboxStatus.TO_POST)
        .select_related("complaint")
        .order_by("created_at", "id")
    )


def letters_posted_recently(*, limit: int = 20) -> QuerySet[OutboxMessage]:
    return (
        OutboxMessage.objects.filter(status=OutboxStatus.POSTED)
        .select_related("complaint")
        .order_by("-sent_at", "-id")[:limit]
    )


def message_get_for_letter(*, user, pk: int) -> OutboxMessage | None:
    """A message this person may read as a letter: one about a complaint they may see
    (`complaints_visible_to` decides), or, without a complaint, only for the secretariat
    and administrators. None otherwise, so the page can answer 404."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    message = OutboxMessage.objects.select_related("complaint").filter(pk=pk).first()
    if message is None:
        return None
    if message.complaint_id is None:
        allowed = user.is_secretariat or user.is_administrator or user.is_superuser
        return message if allowed else None
    if not complaints_visible_to(user).filter(pk=message.complaint_id).exists():
        return None
    return message
