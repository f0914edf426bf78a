"""Reads of complaints. `complaints_visible_to` is the one place that decides who sees what."""

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    ManyToManyField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.db.models.query import EmptyQuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from klachtroute.procedures.definition import Category
from klachtroute.procedures.models import ProcedureVersion

from .deadlines import deadline_state, watched_overdue
from .models import WORKLIST_ORDER, Complaint, DefenceRequest, Event, Extension
from .workflow import State, states_waiting_for

User = get_user_model()


def complaints_visible_to(user) -> QuerySet[Complaint]:
    """Every list, page, export and API call starts here.

    The secretariat and the director see every complaint; a handler the complaints they
    handle; the exam committee the exam complaints; a respondent a complaint on which the
    director asked them for a defence. A person who is not involved sees nothing.
    """
    qs = Complaint.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.sees_all_complaints:
        return qs
    involved = Q(handler=user)
    if user.is_exam_committee:
        # Complaints in a category routed to the exam committee (LSR-9).
        involved |= routed_to_exam_committee()
    # A respondent asked for a defence reads the complaint to answer it (LSR-6e). Asked as
    # EXISTS rather than through a join, so that no complaint comes twice and the list
    # needs no DISTINCT (which would sort every visible complaint before the first page).
    asked = DefenceRequest.objects.filter(complaint=OuterRef("pk"))
    involved |= Q(Exists(asked), respondent=user)
    return qs.filter(involved)


# People asked about in one query of `complaints_visible_to_each` (SQLite allows a
# compound SELECT of at most 500 parts).
VISIBLE_EACH_PEOPLE = 100


def complaints_visible_to_each(pairs) -> set[tuple[int, int]]:
    """(person id, complaint id) for each (person, complaint id) of `pairs` that the person
    may see, by `complaints_visible_to` itself: one query (a UNION ALL of each person's,
    each over the complaints asked of that person) for up to 100 people, however many
    complaints."""
    asked: dict[int, tuple] = {}
    for user, complaint_id in pairs:
        asked.setdefault(user.pk, (user, set()))[1].add(complaint_id)
    parts = []
    for user, ids in asked.values():
        visible = complaints_visible_to(user)
        if not isinstance(visible, EmptyQuerySet):
            parts.append(
                visible.filter(pk__in=ids)
                .order_by()
                .values_list(Value(user.pk, output_field=IntegerField()), "pk")
            )
    found: set[tuple[int, int]] = set()
    for start in range(0, len(parts), VISIBLE_EACH_PEOPLE):
        first, *rest = parts[start : start + VISIBLE_EACH_PEOPLE]
        found.update(first.union(*rest, all=True) if rest else first)
    return found


def in_categories(predicate: Callable[[Category], bool]) -> Q:
    """Complaints whose category, in their own procedure version, satisfies `predicate`.

    The versions are few; each names its own category codes, so a renamed or added category
    is followed without a code change."""
    found = Q(pk__in=[])
    for version in ProcedureVersion.objects.only("pk", "label", "effective_from", "definition"):
        codes = [c.code for c in version.spec.categories if predicate(c)]
        if codes:
            found |= Q(procedure_version_id=version.pk, category__in=codes)
    return found


def routed_to_exam_committee() -> Q:
    return in_categories(lambda c: c.route == "exam_committee")


def categories_with_respondent_role(role: str) -> Q:
    return in_categories(lambda c: c.respondent_role == role)


def waiting_for(user) -> Q:
    """Complaints in a state that waits for this person (`workflow.states_waiting_for`):
    through a role they hold, or as the handler or the respondent of the complaint. A
    condition on the complaint's own columns: it filters or marks a list in its one query.
    It says nothing of who may see them: see `complaints_waiting_for`."""
    found = Q(pk__in=[])
    if user is None or not user.is_authenticated or not user.is_active:
        return found
    for role in user.roles:
        states = states_waiting_for(role)
        if states:
            found |= Q(state__in=states)
    found |= Q(handler=user, state__in=states_waiting_for("handler"))
    found |= Q(respondent=user, state__in=states_waiting_for("respondent"))
    return found


def complaints_waiting_for(user) -> QuerySet[Complaint]:
    """The complaints this person may see whose next step is theirs to take."""
    return complaints_visible_to(user).filter(waiting_for(user))


# The parts of the record page read from tables of their own (`views._detail_context`):
# most complaints have none of most of them.
RECORD_PARTS = (
    "solutions",
    "findings",
    "defence_requests",
    "rulings",
    "measures",
    "extensions",
    "documents",
    "information_added",
    "messages",
    "involved_people",
    "reopened_by",
    "links",
)


def record_part_flag(part: str) -> str:
    """The mark `complaint_get_visible(record_parts=True)` gives a complaint for `part`."""
    return f"has_{part}"


def _part_rows(part: str) -> QuerySet:
    """The rows of `part` of the complaint in the outer query."""
    relation = Complaint._meta.get_field(part)
    if isinstance(relation, ForeignObjectRel):  # another table's key to the complaint
        lookup, model = relation.field.name, relation.related_model
    elif isinstance(relation, ManyToManyField):  # the complaint's own many-to-many field
        lookup, model = relation.related_query_name(), relation.related_model
    else:
        raise ValueError(f"{part} is not a part of the record in a table of its own")
    assert isinstance(model, type) and issubclass(model, Model)
    return model._default_manager.filter(**{lookup: OuterRef("pk")})


def complaint_get_visible(*, user, number: str, record_parts: bool = False) -> Complaint | None:
    """`record_parts`: the complaint also says, in the same query, whether it has any rows of
    each of `RECORD_PARTS` (`record_part_flag`): the record page reads only those it has."""
    # The number is unique: get() reads the one row without sorting (first() would sort by
    # the list's order to take the first of one).
    complaints = complaints_visible_to(user).select_related(
        "course", "handler", "respondent", "procedure_version__procedure", "registered_by"
    )
    if record_parts:
        complaints = complaints.annotate(
            **{record_part_flag(part): Exists(_part_rows(part)) for part in RECORD_PARTS}
        )
    try:
        return complaints.get(number=number)
    except Complaint.DoesNotExist:
        return None


def complaint_get_visible_or_404(*, user, number: str, record_parts: bool = False) -> Complaint:
    """The complaint this person may see, or 404: the same answer whether it does not exist
    or is not theirs to see. Every staff page, the dossier and the API find a complaint here."""
    complaint = complaint_get_visible(user=user, number=number, record_parts=record_parts)
    if complaint is None:
        raise Http404(_("Deze klacht bestaat niet of u heeft er geen toegang toe."))
    return complaint


def complaints_worklist(
    *,
    user,
    state: str = "",
    course_id: int | None = None,
    handler_id: int | None = None,
    query: str = "",
    overdue: bool = False,
    waiting: bool = False,
) -> QuerySet[Complaint]:
    """The worklist: nearest deadline first; complaints without an open deadline last.
    `overdue`: only those with a deadline that passed and is still to be met; `waiting`:
    only those waiting for this person. Each complaint says whether it waits for this
    person (`waits_for_user`), computed in the same query."""
    qs = (complaints_waiting_for(user) if waiting else complaints_visible_to(user)).select_related(
        "course", "handler"
    )
    qs = qs.annotate(
        waits_for_user=ExpressionWrapper(waiting_for(user), output_field=BooleanField())
    )
    if overdue:
        from django.utils import timezone

        today = timezone.localdate()
        # `next_due` is the nearest deadline still watched, so an overdue complaint has it
        # before today: said alone, it lets the worklist's index read only those.
        qs = qs.filter(watched_overdue(today), next_due__lt=today)
    if state:
        qs = qs.filter(state=state)
    if course_id:
        qs = qs.filter(course_id=course_id)
    if handler_id:
        qs = qs.filter(handler_id=handler_id)
    if query:
        qs = qs.filter(search_q(query))
    return qs.order_by(*WORKLIST_ORDER)


# What a worklist row shows (`templatetags/worklist.py`) and its key (`WorklistKey`): the
# page reads these columns alone, not the complaint's texts.
WORKLIST_ROW_FIELDS = (
    "number",
    "state",
    "received_at",
    "complainant_name",
    "course__name",
    "course_other",
    *(f"handler__{name}" for name in User.NAME_FIELDS),
    "next_due",
    "progress_update_due",
)


def search_q(query: str) -> Q:
    """A piece of the number or of the complainant's name (trigram indexes on PostgreSQL:
    migration `cases/0014_search_trigram_indexes`)."""
    query = query.strip()
    return Q(number__icontains=query) | Q(complainant_name__icontains=query)


def worklist_handler_choices() -> QuerySet:
    """The people the worklist can be filtered on: everyone who may handle a complaint under
    some procedure (trainers, staff members, directors), read from the people table alone."""
    return (
        User.objects.filter(
            Q(is_trainer=True) | Q(is_staff_member=True) | Q(is_director=True), is_active=True
        )
        # What a name is made of (`display_name`): a list of hundreds reads nothing more.
        .only("id", *User.NAME_FIELDS)
        .order_by("first_name", "last_name", "username")
    )


@dataclass(frozen=True)
class WorklistKey:
    """Where a complaint stands in the worklist's order: the key of keyset paging."""

    next_due: "date | None"
    received_at: "datetime"
    id: int

    @classmethod
    def of(cls, complaint: Complaint) -> "WorklistKey":
        return cls(complaint.next_due, complaint.received_at, complaint.pk)

    def token(self) -> str:
        """An opaque cursor for an address: this position, as URL-safe text."""
        raw = json.dumps(
            [
                self.next_due.isoformat() if self.next_due else None,
                self.received_at.isoformat(),
                self.id,
            ]
        )
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def from_token(cls, token: str) -> "WorklistKey":
        """The position `token` names; ValueError for anything `token()` did not give."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            due, received, pk = json.loads(raw)
            key = cls(
                date.fromisoformat(due) if due is not None else None,
                datetime.fromisoformat(received),
                int(pk),
            )
        except (ValueError, TypeError, UnicodeDecodeError, binascii.Error):
            raise ValueError(token) from None
        if key.received_at.tzinfo is None or not 1 <= key.id <= 2**63 - 1:
            raise ValueError(token)
        return key


def complaints_after(qs: QuerySet[Complaint], key: WorklistKey) -> QuerySet[Complaint]:
    """Of a worklist (`complaints_worklist`), the complaints after `key` in its order
    (nearest deadline first, none last; then the newest): any page costs what the first
    costs, because the index of the order is entered at the key, not counted through."""
    # `received_at <= key` is implied by the rest; said alone it lets the index start there.
    later = Q(received_at__lte=key.received_at) & (
        Q(received_at__lt=key.received_at) | Q(id__lt=key.id)
    )
    if key.next_due is None:
        return qs.filter(Q(next_due__isnull=True) & later)
    return qs.filter(
        Q(next_due__gt=key.next_due) | Q(next_due__isnull=True) | (Q(next_due=key.next_due) & later)
    )


def complaints_before(qs: QuerySet[Complaint], key: WorklistKey) -> QuerySet[Complaint]:
    """Of a worklist, the complaints before `key` in its order, nearest to `key` first
    (the order reversed): the previous page, read backwards from where the index enters."""
    earlier = Q(received_at__gte=key.received_at) & (
        Q(received_at__gt=key.received_at) | Q(id__gt=key.id)
    )
    if key.next_due is None:
        found = Q(next_due__isnull=False) | (Q(next_due__isnull=True) & earlier)
    else:
        found = Q(next_due__lt=key.next_due) | (Q(next_due=key.next_due) & earlier)
    return qs.filter(found).order_by(*WORKLIST_ORDER_REVERSED)


# The worklist's order read from its end: the last page and the pages before a key.
WORKLIST_ORDER_REVERSED = (
    F("next_due").desc(nulls_first=True),
    F("received_at").asc(),
    F("id").asc(),
)


@dataclass
class WorklistPage:
    """One page of a list paged by key: it knows its neighbours, not its number. The total
    is counted only up to `cap`: beyond it the page says "more than cap"."""

    object_list: list
    count: int  # exact when not `capped`, else cap
    capped: bool
    has_previous: bool
    has_next: bool

    @property
    def first_token(self) -> str:
        """The cursor of the page before this one (`voor`)."""
        return WorklistKey.of(self.object_list[0]).token() if self.object_list else ""

    @property
    def last_token(self) -> str:
        """The cursor of the page after this one (`na`)."""
        return WorklistKey.of(self.object_list[-1]).token() if self.object_list else ""


def worklist_page(
    qs: QuerySet[Complaint],
    *,
    per_page: int,
    cap: int,
    after: WorklistKey | None = None,
    before: WorklistKey | None = None,
    last: bool = False,
) -> WorklistPage:
    """A page of a worklist (`complaints_worklist`) by key: the first page, the page after
    `after`, the page before `before`, or the `last` page. Two queries whatever the size of
    the list and however deep the page: a count that stops at `cap` + 1 rows (COUNT over a
    LIMIT subquery), and the rows, read from the index at the key (one row more tells
    whether there is a page beyond). Only a page before the first full one, whose rows do
    not fill it, reads the first page instead (a third query)."""
    # Counted over the keys alone: the rows' columns and marks (`waits_for_user`) are not
    # needed to count them.
    counted = qs.order_by().values("pk")[: cap + 1].count()
    capped = counted > cap
    page = partial(WorklistPage, count=min(counted, cap), capped=capped)
    if last:
        # Known total: the last page holds what forward paging leaves for it, so that going
        # back from it meets the same pages as going forward.
        size = (counted - 1) % per_page + 1 if counted and not capped else per_page
        rows = list(qs.order_by(*WORKLIST_ORDER_REVERSED)[:size])[::-1]
        return page(object_list=rows, has_previous=counted > len(rows), has_next=False)
    if before is not None:
        rows = list(complaints_before(qs, before)[: per_page + 1])
        if len(rows) > per_page:
            return page(object_list=rows[:per_page][::-1], has_previous=True, has_next=True)
        if len(rows) == per_page:
            return page(object_list=rows[::-1], has_previous=False, has_next=True)
        after = None  # less than a page before it: show the first page
    if after is not None:
        qs = complaints_after(qs, after)
    rows = list(qs[: per_page + 1])
    return page(
        object_list=rows[:per_page], has_previous=after is not None, has_next=len(rows) > per_page
    )


# The record page shows this many events of a history at a time, the newest.
HISTORY_PAGE = 50


@dataclass
class HistoryPage:
    """A stretch of a complaint's history, oldest first: the newest `HISTORY_PAGE` events,
    or those before an event (`older_than`). `older_than` of the next stretch back is the
    id of the first event shown; None when the history begins here."""

    events: list
    older: int | None
    newest: bool


def events_page(
    *, complaint: Complaint, older_than: int | None = None, size: int = HISTORY_PAGE
) -> HistoryPage:
    """One query whatever the length of the history: the events before `older_than` (an
    event of this complaint; None: the newest), read backwards from the index of the
    history's order, one more than shown to know whether older ones exist."""
    events = complaint.events.select_related("actor").order_by("-at", "-id")
    if older_than is not None:
        moment = Subquery(Event.objects.filter(complaint=complaint, pk=older_than).values("at")[:1])
        events = events.filter(Q(at__lt=moment) | Q(at=moment, id__lt=older_than))
    rows = list(events[: size + 1])
    if older_than is not None and not rows:
        # Not an event of this complaint with older ones (the page gives no such link).
        return events_page(complaint=complaint, size=size)
    shown = rows[:size][::-1]
    return HistoryPage(
        events=shown,
        older=shown[0].pk if len(rows) > size else None,
        newest=older_than is None,
    )


def first_contact_summary(complaint: Complaint, today: date) -> dict | None:
    """The first personal contact as recorded (when, how, the handler's note) and how it
    stands against its deadline; None when the procedure has no first contact."""
    if not (complaint.first_contact_due or complaint.first_contact_at):
        return None
    state = deadline_state(complaint, "first_contact", today)
    return {
        "at": complaint.first_contact_at,
        "method": complaint.get_first_contact_method_display(),
        "note": complaint.first_contact_note,
        "due": state.due if state else None,
        "status": state.status if state else "",
    }


def handlers_eligible(*, complaint: Complaint) -> QuerySet:
    """Who may handle this complaint: never someone involved in it (LIVP-4, AWB-9:7).

    Never the respondent, never a person the secretariat recorded as involved, and, where the
    definition says so, never a trainer of the complainant's course. Under a trainer policy
    only trainers qualify.
    """
    spec = complaint.procedure_version.spec
    people = User.objects.filter(is_active=True)
    if spec.handler_policy == "trainer_not_teaching_course":
        people = people.filter(is_trainer=True)
    else:
        people = people.filter(Q(is_trainer=True) | Q(is_staff_member=True) | Q(is_director=True))
    if spec.handler_not_course_trainer and complaint.course_id:
        people = people.exclude(courses_taught=complaint.course_id)
    if complaint.respondent_id:
        people = people.exclude(pk=complaint.respondent_id)
    if complaint.pk:
        people = people.exclude(complaints_involved_in=complaint)
    return people.order_by("first_name", "last_name", "username")


def handler_pick_automatic(*, complaint: Complaint):
    """The eligible handler with the fewest open complaints (ties: the earliest account)."""
    return (
        handlers_eligible(complaint=complaint)
        .annotate(
            open_count=Count(
                "complaints_handled",
                filter=Q(complaints_handled__state__in=State.open_states()),
            )
        )
        .order_by("open_count", "pk")
        .first()
    )


def complaints_earlier_of_complainant(*, complaint: Complaint, limit: int = 10) -> list[dict]:
    """Earlier complaints of the same complainant, with their outcome and how similar their text
    is, so that "handled before, and no new facts" can be judged (LSR-5a).

    The same complainant: the same e-mail address, or the same name and phone number.
    """
    from difflib import SequenceMatcher

    same = Q()
    if complaint.complainant_email:
        same |= Q(complainant_email__iexact=complaint.complainant_email)
    if complaint.complainant_phone:
        same |= Q(
            complainant_name__iexact=complaint.complainant_name,
            complainant_phone=complaint.complainant_phone,
        )
    if not same:
        same = Q(complainant_name__iexact=complaint.complainant_name)
    earlier = (
        Complaint.objects.filter(same)
        .exclude(pk=complaint.pk)
        .filter(received_at__lte=complaint.received_at)
        .select_related("course")
        .order_by("-received_at")[:limit]
    )
    text = complaint.description.lower()
    return [
        {
            "complaint": other,
            "similarity": round(
                SequenceMatcher(None, text, other.description.lower()).ratio() * 100
            ),
        }
        for other in earlier
    ]


def complaints_overdue(*, today) -> QuerySet[Complaint]:
    """Open complaints with a deadline that has passed and was not met (LSR-7a, LSR-7b).

    A deadline counts until the step is done: acknowledgement and first contact until they
    are recorded, settlement until the complaint closes, the defence while it is awaited.
    An extension moves `settle_due`, so an extended complaint is not overdue.
    """
    return (
        Complaint.objects.filter(watched_overdue(today))
        .select_related("course", "handler")
        .order_by("settle_due", "received_at", "id")
    )


def extensions_recorded_between(*, start, end) -> QuerySet[Extension]:
    """Extensions of the settlement period recorded from `start` up to (not including)
    `end`: aware datetimes; the oldest first."""
    return (
        Extension.objects.filter(at__gte=start, at__lt=end)
        .select_related("complaint")
        .order_by("at", "id")
    )


def complaints_received_between(*, start, end) -> QuerySet[Complaint]:
    """Complaints received from `start` up to (not including) `end`: aware datetimes."""
    return (
        Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
        .select_related("course", "handler", "procedure_version")
        .order_by("received_at", "id")
    )
