"""Request and response shapes of the JSON API.

Input schemas check everything that needs no database (types, lengths, formats,
dates); checks that need the database (does the course exist?) are in the views,
and the rules of the procedure stay in the services.
"""

import datetime as dt
from typing import Annotated, Literal

import phonenumbers
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field, StrictBool, model_validator

from klachtroute.accounts.models import User
from klachtroute.cases.actions import ACTIONS
from klachtroute.cases.deadlines import (
    FROM_RECEIPT,
    KINDS_BY_KEY,
    deadline_state,
    deadline_states,
    deadlines_by_key,
)
from klachtroute.cases.models import Channel, RespondentType
from klachtroute.cases.selectors import WorklistKey
from klachtroute.cases.workflow import State, actions_for

# Largest value of a 32-bit database integer: a bigger id would make PostgreSQL fail.
MAX_ID = 2_147_483_647
DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 10_000
COMPLAINT_DATE_YEARS_BACK = 2


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL characters in text; refuse them instead of failing later.
    if "\x00" in value:
        raise ValueError(_("Tekst mag geen NUL-tekens bevatten."))
    return value


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError(_("Geef een geldig e-mailadres.")) from None
    return value


def _phone(value: str) -> str:
    """A Dutch number (06-12345678, 030 1234567) or an international one (+32 …)."""
    if value:
        try:
            number = phonenumbers.parse(value, "NL")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValueError(
                _("Geef een geldig Nederlands of internationaal telefoonnummer, bijv. 06-12345678.")
            )
    return value


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year - years, day=28)


def _complaint_date(value: dt.date) -> dt.date:
    today = timezone.localdate()
    if value > today:
        raise ValueError(_("De datum van de klacht kan niet in de toekomst liggen."))
    if value < years_before(today, COMPLAINT_DATE_YEARS_BACK):
        raise ValueError(_("De datum van de klacht mag niet meer dan twee jaar terug liggen."))
    return value


def _not_future(value: dt.datetime) -> dt.datetime:
    if value > timezone.now():
        raise ValueError(_("De datum van ontvangst kan niet in de toekomst liggen."))
    return value


def text(max_length: int, min_length: int = 0):
    return Annotated[
        str, Field(min_length=min_length, max_length=max_length), AfterValidator(_no_nul)
    ]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class InputSchema(Schema):
    # Unknown fields are refused so that a typo ("recieved_at") is reported, not ignored.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ComplainantIn(InputSchema):
    name: text(200, 1)
    email: Annotated[text(254), AfterValidator(_email)] = ""
    phone: Annotated[text(40), AfterValidator(_phone)] = ""
    address: text(1000) = ""
    language: Literal["nl", "en"] = "nl"
    representative: text(200) = ""

    @model_validator(mode="after")
    def _reachable(self):
        if not (self.email or self.phone or self.address):
            raise ValueError(
                _("Geef minstens één manier om de klager te bereiken: e-mail, telefoon of adres.")
            )
        return self


ChannelCode = Literal[tuple(Channel.values)]
RespondentTypeCode = Literal[tuple(RespondentType.values)]
StateCode = Literal[tuple(State.values)]


class ComplaintIn(InputSchema):
    channel: ChannelCode
    received_at: Annotated[AwareDatetime, AfterValidator(_not_future)] | None = Field(
        None, description="ISO 8601 with a UTC offset; default: now. Never in the future."
    )
    complainant: ComplainantIn
    course: Id | None = Field(None, description="Id of one of the organisation's courses.")
    course_other: text(200) = Field("", description="A course not in the list, as typed.")
    complaint_date: Annotated[dt.date, AfterValidator(_complaint_date)] = Field(
        description="Not in the future, not more than two years back."
    )
    description: text(DESCRIPTION_MAX, DESCRIPTION_MIN)
    remedy_sought: text(DESCRIPTION_MAX) = ""
    respondent_type: RespondentTypeCode = RespondentType.UNKNOWN.value
    respondent_id: Id | None = None
    respondent_description: text(200) = ""
    category: text(20) = Field(
        "", description="A category code of the procedure version in force; empty: not yet known."
    )
    settled_on_the_spot: StrictBool = False


def cursor_encode(key: WorklistKey) -> str:
    """An opaque cursor: the position of the last complaint of a page in the list's order
    (the same cursor the worklist's links carry)."""
    return key.token()


def cursor_decode(cursor: str) -> WorklistKey:
    try:
        return WorklistKey.from_token(cursor)
    except ValueError:
        raise ValueError(
            _("Deze cursor is ongeldig: gebruik de waarde 'next_cursor' van de vorige pagina.")
        ) from None


def _cursor(value: str) -> str:
    cursor_decode(value)
    return value


class ComplaintListQuery(Schema):
    state: StateCode | None = None
    limit: int = Field(25, ge=1, le=100)
    cursor: Annotated[str, AfterValidator(_cursor)] | None = Field(
        None,
        max_length=200,
        description="The next_cursor of the previous page; empty for the first page.",
    )
    offset: int | None = Field(
        None,
        ge=0,
        le=MAX_ID,
        json_schema_extra={"deprecated": True},
        description=(
            "Deprecated, kept for clients written before cursors: skip this many complaints. "
            "A deep offset costs what it skips; follow `next` (or pass `next_cursor` as "
            "`cursor`) instead. Not together with `cursor`."
        ),
    )

    @model_validator(mode="after")
    def _one_way_of_paging(self):
        if self.cursor and self.offset is not None:
            raise ValueError(_("Geef cursor of offset, niet allebei."))
        return self


# Responses ----------------------------------------------------------------------------
#
# Each response is validated from the model objects themselves (`from_attributes`): a field
# is read from the attribute of its name, or from its `resolve_<field>` when the name or
# the value differs. So the published schema is the representation, with nothing written
# twice. Moments are given in Amsterdam time.


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


Moment = Annotated[dt.datetime, AfterValidator(_local)]


class PersonOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(user) -> str:
        return user.display_name


class CourseOut(Schema):
    id: int
    name: str


class ProcedureOut(Schema):
    """From the complaint's procedure version."""

    code: str
    name: str
    version: str
    effective_from: dt.date

    @staticmethod
    def resolve_code(version) -> str:
        return version.procedure.code

    @staticmethod
    def resolve_name(version) -> str:
        return version.procedure.name

    @staticmethod
    def resolve_version(version) -> str:
        return version.label


class ComplainantOut(Schema):
    """From the complaint's `complainant_*` fields."""

    name: str
    email: str
    phone: str
    address: str
    language: str
    representative: str

    @staticmethod
    def resolve_name(complaint) -> str:
        return complaint.complainant_name

    @staticmethod
    def resolve_email(complaint) -> str:
        return complaint.complainant_email

    @staticmethod
    def resolve_phone(complaint) -> str:
        return complaint.complainant_phone

    @staticmethod
    def resolve_address(complaint) -> str:
        return complaint.complainant_address

    @staticmethod
    def resolve_language(complaint) -> str:
        return complaint.complainant_language

    @staticmethod
    def resolve_representative(complaint) -> str:
        return complaint.representative_name


class RespondentOut(Schema):
    """From the complaint's `respondent*` fields."""

    type: str
    person: PersonOut | None
    description: str

    @staticmethod
    def resolve_type(complaint) -> str:
        return complaint.respondent_type

    @staticmethod
    def resolve_person(complaint):
        return complaint.respondent if complaint.respondent_id else None

    @staticmethod
    def resolve_description(complaint) -> str:
        return complaint.respondent_description


class DeadlinesOut(Schema):
    acknowledge: dt.date | None
    first_contact: dt.date | None
    settle: dt.date | None


class DeadlineStateOut(Schema):
    """From the deadline module's answer for today."""

    key: str
    label: str
    due: dt.date
    status: Literal["open", "met", "missed", "lapsed", "over"] = Field(
        description="open, met, missed (passed, or done late), lapsed (closed before the step) "
        "or over (no longer the organisation's to watch)."
    )

    @staticmethod
    def resolve_status(state) -> str:
        return str(state.status)


class EventOut(Schema):
    at: Moment
    actor: str
    kind: str
    summary: str
    before: dict
    after: dict

    @staticmethod
    def resolve_actor(event) -> str:
        return event.actor_text

    @staticmethod
    def resolve_summary(event) -> str:
        return event.text


class ApprovalOut(Schema):
    party: str = Field(description="complainant or respondent")
    decision: str = Field(description="approved or rejected")
    reason: str
    decided_at: Moment
    recorded_by: str | None = Field(
        description="The staff member who recorded an answer given by phone or letter; "
        "null when the party answered through its link."
    )

    @staticmethod
    def resolve_recorded_by(approval) -> str | None:
        return approval.recorded_by.display_name if approval.recorded_by_id else None


class SolutionOut(Schema):
    id: int
    text: str
    status: str = Field(description="pending, approved, rejected or withdrawn")
    proposed_at: Moment
    approvals: list[ApprovalOut]


class JudgementOut(Schema):
    criterion: str
    label: str
    judgement: str = Field(description="in_order, not_in_order or not_applicable")
    note: str


class FindingsOut(Schema):
    summary: str
    proposed_solution: str
    shared_at: Moment
    response: str = Field(description="agreed, disagreed, or empty while waiting")
    response_reason: str
    responded_at: Moment | None
    judgements: list[JudgementOut]


class DefenceRequestOut(Schema):
    question: str
    due: dt.date
    requested_at: Moment
    submitted_at: Moment | None
    defence: str


class FollowUpOut(Schema):
    id: int = Field(description="Send as `follow_up` to the complete_follow_up action.")
    description: str
    done_at: Moment | None
    note: str


class RulingOut(Schema):
    body: str = Field(description="director, exam_committee or third_party")
    decision: str = Field(description="founded, partly_founded, unfounded or advice")
    motivation: str
    decided_at: Moment
    decided_by: str
    follow_ups: list[FollowUpOut]
    judgements: list[JudgementOut] = Field(
        description="The director's judgement per criterion (LSR-6e); empty for other bodies"
    )

    @staticmethod
    def resolve_decided_by(ruling) -> str:
        return ruling.decided_by_label


class MeasureOut(Schema):
    id: int
    description: str
    owner: PersonOut
    due_date: dt.date
    status: str


class ExtensionOut(Schema):
    reason: str
    previous_due: dt.date
    new_due: dt.date
    at: Moment


class FirstContactOut(Schema):
    """From the complaint's `first_contact_*` fields and the deadline module."""

    due: dt.date | None
    at: Moment | None
    method: str
    note: str
    on_time: bool | None = Field(description="null while no contact has been recorded")

    @staticmethod
    def resolve_due(complaint):
        return complaint.first_contact_due

    @staticmethod
    def resolve_at(complaint):
        return complaint.first_contact_at

    @staticmethod
    def resolve_method(complaint) -> str:
        return complaint.first_contact_method

    @staticmethod
    def resolve_note(complaint) -> str:
        return complaint.first_contact_note

    @staticmethod
    def resolve_on_time(complaint) -> bool | None:
        state = deadline_state(complaint, "first_contact", timezone.localdate())
        return state.met if state else None


class AdmissibilityOut(Schema):
    """From the complaint's admissibility fields."""

    admissible: bool | None
    reason: str
    answer: str = Field(description="The answer to the complainant when not admissible.")

    @staticmethod
    def resolve_reason(complaint) -> str:
        return complaint.admissibility_reason

    @staticmethod
    def resolve_answer(complaint) -> str:
        return complaint.inadmissible_answer


class _ComplaintBase(Schema):
    """What a complaint shows in the list and in full."""

    number: str
    state: str
    state_label: str
    channel: str
    received_at: Moment
    course: CourseOut | None
    course_other: str
    handler: PersonOut | None
    deadlines: DeadlinesOut

    @staticmethod
    def resolve_state_label(complaint) -> str:
        return str(State(complaint.state).label)

    @staticmethod
    def resolve_course(complaint):
        return complaint.course if complaint.course_id else None

    @staticmethod
    def resolve_handler(complaint):
        return complaint.handler if complaint.handler_id else None

    @staticmethod
    def resolve_deadlines(complaint) -> dict:
        return deadlines_by_key(complaint)


class ComplaintOut(_ComplaintBase):
    """One complaint in full; validate with `ComplaintOut.of(complaint, user)`, which
    knows whose actions to list."""

    procedure: ProcedureOut
    complainant: ComplainantOut
    complaint_date: dt.date
    description: str
    remedy_sought: str
    respondent: RespondentOut
    category: str | None
    deadline_status: list[DeadlineStateOut] = []
    acknowledged_at: Moment | None
    settled_at: Moment | None
    outcome: str | None
    actions: list[str] = Field(
        description="The actions the caller may take now: "
        "POST /complaints/{number}/actions/{action}."
    )
    defence_due: dt.date | None = None
    first_contact: FirstContactOut | None = None
    admissibility: AdmissibilityOut | None = None
    solutions: list[SolutionOut] = []
    findings: list[FindingsOut] = []
    defence_requests: list[DefenceRequestOut] = []
    rulings: list[RulingOut] = []
    measures: list[MeasureOut] = []
    extensions: list[ExtensionOut] = []
    reopens: str | None = Field(None, description="Number of the complaint this one reopens.")
    events: list[EventOut]

    @classmethod
    def of(cls, complaint, user) -> "ComplaintOut":
        return cls.model_validate(complaint, context={"user": user})

    @staticmethod
    def resolve_procedure(complaint):
        return complaint.procedure_version

    @staticmethod
    def resolve_complainant(complaint):
        return complaint

    @staticmethod
    def resolve_respondent(complaint):
        return complaint

    @staticmethod
    def resolve_category(complaint) -> str | None:
        return complaint.category or None

    @staticmethod
    def resolve_deadline_status(complaint) -> list:
        return deadline_states(complaint, timezone.localdate())

    @staticmethod
    def resolve_outcome(complaint) -> str | None:
        return complaint.outcome or None

    @staticmethod
    def resolve_actions(complaint, context) -> list[str]:
        user = context["user"] if "user" in context else context["request"].auth_user
        return [t.action for t in actions_for(user, complaint) if t.action in ACTIONS]

    @staticmethod
    def resolve_first_contact(complaint):
        return complaint if (complaint.first_contact_due or complaint.first_contact_at) else None

    @staticmethod
    def resolve_admissibility(complaint):
        return None if complaint.admissible is None else complaint

    @staticmethod
    def resolve_solutions(complaint):
        return complaint.solutions.prefetch_related("approvals__recorded_by")

    @staticmethod
    def resolve_findings(complaint):
        return complaint.findings.prefetch_related("judgements")

    @staticmethod
    def resolve_rulings(complaint):
        return complaint.rulings.prefetch_related("follow_ups", "judgements")

    @staticmethod
    def resolve_measures(complaint):
        return complaint.measures.select_related("owner")

    @staticmethod
    def resolve_reopens(complaint) -> str | None:
        return complaint.reopens.number if complaint.reopens_id else None

    @staticmethod
    def resolve_events(complaint):
        return complaint.events.order_by("at", "id")


class ComplaintSummaryOut(_ComplaintBase):
    complainant_name: str
    next_due: dt.date | None


# The columns a summary shows (and its cursor's key): the list reads these alone, not the
# complaint's texts.
SUMMARY_FIELDS = (
    "number",
    "state",
    "channel",
    "received_at",
    "course__name",
    "course_other",
    *(f"handler__{name}" for name in User.NAME_FIELDS),
    "complainant_name",
    "next_due",
    *(KINDS_BY_KEY[key].due_field for key in FROM_RECEIPT),
)


class ComplaintListOut(Schema):
    limit: int
    next_cursor: str | None = Field(
        description="Pass as cursor for the next page; null on the last page."
    )
    next: str | None = Field(
        description="The address of the next page (same filters and limit, with its "
        "cursor); null on the last page."
    )
    offset: int | None = Field(
        None,
        json_schema_extra={"deprecated": True},
        description="The offset asked for (deprecated); null when paging by cursor.",
    )
    items: list[ComplaintSummaryOut]


class FieldError(Schema):
    field: str | None = Field(description="Dotted path in the body, e.g. complainant.phone")
    loc: list[str | int]
    message: str
    type: str


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldError]
