"""Reads of the outbox."""

from django.db.models import Count, QuerySet

from .models import OutboxMessage, OutboxStatus


def user_may_see_messages(user) -> bool:
    """Sent mail names complainants: only the secretariat and administrators see it."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.is_administrator or user.is_secretariat)
    )


def user_may_retry_messages(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_secretariat)


def messages_list(*, status: str = "") -> QuerySet[OutboxMessage]:
    """The outbox, newest first, optionally of one status."""
    messages = OutboxMessage.objects.select_related("complaint").order_by("-created_at", "-id")
    if status in OutboxStatus.values:
        messages = messages.filter(status=status)
    return messages


def messages_count_by_status() -> dict[str, int]:
    counts = dict.fromkeys(OutboxStatus.values, 0)
    rows = OutboxMessage.objects.order_by().values("status").annotate(n=Count("id"))
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
