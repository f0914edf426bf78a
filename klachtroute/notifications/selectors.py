"""Reads of the outbox."""

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from klachtroute.organisation.models import Organisation

from .complaints import complaint_link
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


# Administrators configure; they do not read complaints. Who may see the outbox sees
# each message's status, kind, dates and the role of its recipient; its address, subject,
# text and error only whoever may see the complaint it belongs to (the secretariat and the
# director see every complaint; a handler their own). A message that belongs to no
# complaint (the weekly digest, reminders about measures) is read by the secretariat only.
def user_may_read_message(user, message: OutboxMessage) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.sees_all_complaints:
        return True
    if message.complaint_id is None:
        return False
    # The one rule for who sees which complaint lives with the complaints.
    return message.complaint_id in complaint_link().visible_ids(user, [message.complaint_id])


def messages_readable_ids(user, messages) -> set[int]:
    """The ids among `messages` whose contents `user` may read, in at most one query."""
    messages = list(messages)
    if not (user.is_authenticated and user.is_active):
        return set()
    if user.sees_all_complaints:
        return {m.pk for m in messages}
    complaint_ids = {m.complaint_id for m in messages if m.complaint_id}
    if not complaint_ids:
        return set()
    visible = complaint_link().visible_ids(user, complaint_ids)
    return {m.pk for m in messages if m.complaint_id in visible}


def messages_recipient_roles(messages) -> dict[int, str]:
    """The role of each message's recipient (complainant, respondent, handler, a staff role,
    the third party, by post), without naming the person."""
    messages = list(messages)
    people = {
        u.email.lower(): u
        for u in get_user_model().objects.filter(email__in=[m.to for m in messages if m.to])
    }
    third_parties = {
        e.lower()
        for e in Organisation.objects.exclude(third_party_email="").values_list(
            "third_party_email", flat=True
        )
    }
    roles: dict[int, str] = {}
    for m in messages:
        to = m.to.lower()
        complaint = m.complaint
        if not to:
            roles[m.pk] = str(_("per post"))
        elif complaint is not None and to == (complaint.complainant_email or "").lower():
            roles[m.pk] = str(_("klager"))
        elif (
            complaint is not None
            and complaint.respondent_id
            and people.get(to)
            and (people[to].pk == complaint.respondent_id)
        ):
            roles[m.pk] = str(_("beklaagde"))
        elif complaint is not None and people.get(to) and people[to].pk == complaint.handler_id:
            roles[m.pk] = str(_("behandelaar"))
        elif to in people:
            person = people[to]
            labels = [
                str(getattr(person._meta.get_field(f"is_{r}"), "verbose_name", r))
                for r in person.roles
            ]
            roles[m.pk] = ", ".join(labels) or str(_("medewerker"))
        elif to in third_parties:
            roles[m.pk] = str(_("onafhankelijke derde"))
        else:
            roles[m.pk] = str(_("andere ontvanger"))
    return roles
