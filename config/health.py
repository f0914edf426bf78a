"""/gezond/: for a load balancer or a monitor. JSON with whether the database answers and how
long the oldest message and the oldest task have been waiting; 503 when the database fails."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _age_seconds(when) -> int | None:
    return None if when is None else max(0, int((timezone.now() - when).total_seconds()))


def _oldest_waiting_message():
    from klachtroute.notifications.models import OutboxMessage, OutboxStatus

    return (
        OutboxMessage.objects.filter(
            status=OutboxStatus.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )


def _oldest_waiting_task():
    try:
        from django_tasks_db.models import DBTaskResult, get_date_max
    except ImportError:  # another task backend: nothing to read here
        return None
    never = get_date_max()
    rows = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", "run_after")[:100]
    )
    # A deferred task waits from its run_after; the others from when they were enqueued.
    since = [
        enqueued if run_after == never else max(enqueued, run_after) for enqueued, run_after in rows
    ]
    return min(since, default=None)


@never_cache
@require_GET
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        message, task = _oldest_waiting_message(), _oldest_waiting_task()
    except DatabaseError:
        return JsonResponse({"database": "error"}, status=503)
    return JsonResponse(
        {
            "database": "ok",
            "oldest_waiting_message_seconds": _age_seconds(message),
            "oldest_waiting_task_seconds": _age_seconds(task),
        }
    )
