"""Reads for mail received in the complaint mailbox."""

from .models import MailStatus, ReceivedMail


def received_mails(*, status: str = MailStatus.WAITING):
    return ReceivedMail.objects.filter(status=status).select_related("complaint", "handled_by")


def received_mail_counts() -> dict[str, int]:
    from django.db.models import Count

    rows = ReceivedMail.objects.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}
