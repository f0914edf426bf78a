"""The typed procedure definition: one version of a procedure, parsed once.

Every rule that differs between procedures lives here: which steps apply, the deadlines and
other periods, the policy that picks the handler, the categories with their routes, the
investigation criteria, the grounds for inadmissibility, which deadline starts the
no-agreement procedure, reminders, retention and the texts. Application code asks the
definition; it never asks which procedure it runs.

A definition that misses a key or has a wrong value is refused with `DefinitionError`, naming
the source (file or version), the key and the problem. Nothing falls back to a default.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, cast

from django.utils import translation
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from klachtroute.deadlines import Period, Unit

LANGUAGES = ("nl", "en")
Route = Literal["director", "respondent", "exam_committee"]
# The account role a respondent must have for a category routed to the respondent.
RespondentRole = Literal["staff_member", "trainer"]
DeadlineKey = Literal["acknowledge", "first_contact", "settle"]
Language = Literal["nl", "en"]
# What a written complaint must carry besides the name, the date and the description.
IntakeField = Literal["address", "email", "phone"]


class DefinitionError(ValueError):
    def __init__(self, source: str, key: str, problem: str):
        super().__init__(f"{source}: {key}: {problem}")
        self.source, self.key, self.problem = source, key, problem


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Label(_Strict):
    """A text in every language of the product."""

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return getattr(self, language, None) or self.nl

    def __str__(self) -> str:
        """The text in the active language (as a template shows it)."""
        return self.get(translation.get_language() or "nl")


class Category(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=20)
    route: Route
    respondent_role: RespondentRole | None
    label: Label

    @model_validator(mode="after")
    def _role_only_for_respondent(self) -> Category:
        if self.respondent_role and self.route != "respondent":
            raise ValueError("respondent_role is only for a category routed to the respondent")
        return self


class Criterion(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Label
    categories: list[str] | None


class Ground(_Strict):
    """A ground on which a complaint is declared inadmissible, as the complainant reads it."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Label


def _period(value: str | None) -> Period | None:
    return None if value is None else Period.parse(value)


class Deadlines(_Strict):
    acknowledge: str | None
    first_contact: str | None
    settle: str | None

    @field_validator("acknowledge", "first_contact", "settle")
    @classmethod
    def _parses(cls, value: str | None) -> str | None:
        _period(value)
        return value


class Periods(_Strict):
    defence: str | None
    link_valid: str | None  # links to approve, respond, defend or advise
    status_link_valid: str  # the complainant's status link, sent with the acknowledgement
    # How often the complainant hears how the complaint stands while it is open; a procedure
    # may leave it out (no progress updates are asked for).
    progress_update: str | None = None

    @field_validator("defence", "link_valid", "status_link_valid", "progress_update")
    @classmethod
    def _parses(cls, value: str | None) -> str | None:
        _period(value)
        return value


OutcomeLetter = Literal["solution", "findings", "ruling", "binding_advice", "outcome"]


class NextStep(_Strict):
    """The next step open to the complainant after an outcome letter: the body they can
    turn to, whose contact details the letter gives, and the period, if the procedure sets
    one.

    `contact` says where the contact details come from: the third party's or the
    organisation's as configured, `listed` for the details written here (`details`, for a
    body outside the organisation such as an ombudsman or a court), or `none` when there is
    no further body (the procedure ends: a binding advice)."""

    body: Label
    contact: Literal["third_party", "organisation", "listed", "none"]
    details: Label | None = None
    period: str | None
    # A period not counted in days or weeks ("within a year of this outcome"), in words.
    period_words: Label | None = None
    text: Label

    @field_validator("period")
    @classmethod
    def _parses(cls, value: str | None) -> str | None:
        _period(value)
        return value

    @model_validator(mode="after")
    def _details_when_listed(self) -> NextStep:
        if (self.contact == "listed") != (self.details is not None):
            raise ValueError("details are given exactly when contact is 'listed'")
        if self.period and self.period_words:
            raise ValueError("give period or period_words, not both")
        return self


class SetAside(_Strict):
    """Setting a complaint aside without handling it: the grounds, and the period within which
    the complainant is told in writing (counted from receipt)."""

    deadline: str
    grounds: list[Ground] = Field(min_length=1)

    @field_validator("deadline")
    @classmethod
    def _parses(cls, value: str) -> str:
        _period(value)
        return value


class SkipReason(Ground):
    """A reason to skip the hearing; some only count once the reply period has passed."""

    after_reply_period: bool


class Hearing(_Strict):
    """A hearing offered to complainant and respondent: how long they have to reply to the
    offer, and the reasons for which it may be skipped."""

    reply_period: str
    skip_reasons: list[SkipReason] = Field(min_length=1)

    @field_validator("reply_period")
    @classmethod
    def _parses(cls, value: str) -> str:
        _period(value)
        return value


class ExtensionRules(_Strict):
    """How far the settlement period may be extended: how many times and how many weeks in
    total (null: no limit), and whether any delay past that needs the complainant's written
    consent (otherwise it is refused)."""

    max_count: int | None = Field(ge=1)
    max_total_weeks: int | None = Field(ge=1)
    further_needs_consent: bool


class NextInstance(_Strict):
    """Where the complainant can go after the outcome, and within which period."""

    name: Label
    period: Label


class Texts(_Strict):
    procedure_summary: str = Field(min_length=1)
    confidentiality: str = Field(min_length=1)


class Definition(_Strict):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    effective_from: date
    source: str = ""
    deadlines: Deadlines
    handler_policy: Literal["trainer_not_teaching_course", "route_by_category", "manual"]
    acknowledge_on: Literal["assignment", "registration"]
    admissibility: bool
    settlement: Literal["two_party_approval", "complainant_agrees", "reasoned_outcome"]
    escalation: Literal["third_party", "director", "none"]
    # The deadline whose passing, without an approved solution, starts the no-agreement
    # procedure; null when the procedure has none.
    no_agreement_after: DeadlineKey | None
    # The chance the procedure gives the handler: however late a complaint was registered,
    # the no-agreement procedure does not start before this period has passed since the
    # handler was appointed. Set exactly when `no_agreement_after` is.
    no_agreement_handler_period: str | None
    categories: list[Category]
    criteria: list[Criterion]
    inadmissibility_grounds: list[Ground]
    periods: Periods
    reminder_working_days: int = Field(ge=0, le=20)
    retention_years: int = Field(ge=1)
    texts: dict[Language, Texts]
    # Steps any procedure may switch on (first used by the Awb chapter 9 preset).
    intake_required: list[IntakeField]
    handler_not_course_trainer: bool
    settled_at_once_confirmed: bool
    set_aside: SetAside | None
    respondent_copy: bool
    hearing: Hearing | None
    extension: ExtensionRules
    next_instance: NextInstance | None
    yearly_register: bool
    # The requirement id of the regulation behind each rule the compliance overview checks
    # (rule key -> id such as "LIVP-3"), so that a row can be traced to its article. Only a
    # label: a rule without an id is still checked, so a version may leave it out.
    requirements: dict[str, str] = Field(default_factory=dict)
    # The next step each outcome letter names. A letter whose next step the version does not
    # give cannot be sent (the form says so); versions stored before this key get it from
    # their preset (migration procedures 0003).
    next_steps: dict[OutcomeLetter, NextStep] = Field(default_factory=dict)
    # What a step means under this procedure, by action, where the step's own hint (true
    # for every procedure) does not say enough.
    hints: dict[str, Label]

    @model_validator(mode="after")
    def _consistent(self) -> Definition:
        missing = [lang for lang in LANGUAGES if lang not in self.texts]
        if missing:
            raise ValueError(f"texts.{missing[0]} is required")
        codes = [c.code for c in self.categories]
        for code in codes:
            if codes.count(code) > 1:
                raise ValueError(f"category {code!r} appears twice")
        for criterion in self.criteria:
            for code in criterion.categories or ():
                if code not in codes:
                    raise ValueError(
                        f"criterion {criterion.code!r} names unknown category {code!r}"
                    )
        if self.handler_policy == "route_by_category" and not self.categories:
            raise ValueError("routing by category needs at least one category")
        if self.admissibility and not self.inadmissibility_grounds:
            raise ValueError("a procedure that judges admissibility needs inadmissibility_grounds")
        if bool(self.no_agreement_after) != bool(self.no_agreement_handler_period):
            raise ValueError(
                "no_agreement_handler_period is needed exactly when no_agreement_after is set"
            )
        _period(self.no_agreement_handler_period)
        if self.no_agreement_after and getattr(self.deadlines, self.no_agreement_after) is None:
            raise ValueError(
                f"no_agreement_after names deadline {self.no_agreement_after!r}, which is null"
            )
        return self

    # -- What the application asks ----------------------------------------------------

    def outcome_letters(self) -> list[str]:
        """The outcome letters this procedure sends, by its settlement and escalation."""
        letters = {
            "two_party_approval": ["solution"],
            "complainant_agrees": ["findings"],
            "reasoned_outcome": ["outcome"],
        }[self.settlement]
        if self.escalation == "third_party":
            letters.append("binding_advice")
        elif self.escalation == "director":
            letters.append("ruling")
        return letters

    def outcome_gaps(self) -> list[tuple[str, str]]:
        """(key, problem) for every outcome letter of this procedure that could not be
        complete: it names no next step, or a next step to a body without contact details.
        A version with a gap cannot be published (see presets.validate_definition)."""
        gaps = []
        letters = self.outcome_letters()
        for letter in letters:
            step = self.next_steps.get(letter)  # type: ignore[call-overload]
            if step is None:
                gaps.append((f"next_steps.{letter}", "is required: the letter names the next step"))
            elif step.contact == "none" and letter != letters[-1]:
                # Only the last letter may end the procedure; before it the complainant can
                # still turn to someone, whose contact details the letter must give.
                gaps.append(
                    (
                        f"next_steps.{letter}.contact",
                        "must give contact details: the complainant can still turn to "
                        f"{step.body.nl}",
                    )
                )
        return gaps

    def period(self, key: str) -> Period | None:
        """A deadline ("acknowledge", "first_contact", "settle", "set_aside") or a period
        ("defence", "hearing_reply")."""
        if key in Deadlines.model_fields:
            return _period(getattr(self.deadlines, key))
        if key in Periods.model_fields:
            return _period(getattr(self.periods, key))
        if key == "set_aside":
            return _period(self.set_aside.deadline) if self.set_aside else None
        if key == "hearing_reply":
            return _period(self.hearing.reply_period) if self.hearing else None
        raise KeyError(key)

    def period_of(self, value: str) -> Period:
        """A period written in the definition (already checked when it was parsed)."""
        period = _period(value)
        assert period is not None  # noqa: S101 -- only called with a value
        return period

    def hint(self, action: str, language: str) -> str | None:
        label = self.hints.get(action)
        return label.get(language) if label else None

    def no_agreement_handler_chance(self) -> Period | None:
        """The period the handler has after appointment before no agreement can start."""
        return _period(self.no_agreement_handler_period)

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def category_label(self, code: str, language: str = "nl") -> str:
        category = self.category(code)
        return category.label.get(language) if category else code

    def category_codes_routed_to(self, route: str) -> list[str]:
        return [c.code for c in self.categories if c.route == route]

    def criteria_for(self, category: str) -> list[Criterion]:
        return [c for c in self.criteria if c.categories is None or category in c.categories]

    def ground(self, code: str) -> Ground | None:
        return next((g for g in self.inadmissibility_grounds if g.code == code), None)

    def set_aside_ground(self, code: str) -> Ground | None:
        grounds = self.set_aside.grounds if self.set_aside else []
        return next((g for g in grounds if g.code == code), None)

    def hearing_skip_reason(self, code: str) -> SkipReason | None:
        reasons = self.hearing.skip_reasons if self.hearing else []
        return next((g for g in reasons if g.code == code), None)

    def link_days(self, key: str = "link_valid") -> int:
        """How many calendar days a private link stays valid."""
        period = self.period(key)
        if period is None:
            raise DefinitionError(self.code, f"periods.{key}", "is needed to send a link")
        if period.unit == Unit.WORKING_DAYS:
            raise DefinitionError(self.code, f"periods.{key}", "must be in days or weeks")
        return period.amount * 7 if period.unit == Unit.WEEKS else period.amount

    def text(self, key: str, language: str) -> str:
        texts = self.texts.get(cast(Language, language)) or self.texts["nl"]
        return getattr(texts, key)


def definition_parse(data: object, source: str) -> Definition:
    """The typed definition, or DefinitionError naming the first problem."""
    if not isinstance(data, dict):
        raise DefinitionError(source, "(top)", "must be a JSON object")
    try:
        return Definition.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"]) or "(top)"
        problem = error["msg"]
        if error["type"] == "missing":
            problem = "is required"
        elif error["type"] == "extra_forbidden":
            problem = "is not a known key"
        elif problem.startswith("Value error, "):
            problem = problem.removeprefix("Value error, ")
        raise DefinitionError(source, key, problem) from None
