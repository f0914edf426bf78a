"""One form per workflow action. The staff pages, the pages behind private links and the API
validate with the same forms; a link page may only give a field another label or help text
(`labels=`, `help_texts=`), so the same field accepts the same input everywhere."""

from fnmatch import fnmatchcase as fnmatch

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import (
    Channel,
    ContactMethod,
    CriterionJudgement,
    FollowUp,
    Party,
    RespondentType,
    Ruling,
)
from .selectors import handlers_eligible
from .workflow import TransitionError

User = get_user_model()

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S%z"]
TEXT = {"rows": 4}


def errors_onto_form(form: forms.Form, exc: Exception, *, default_field: str | None = None):
    """The one adapter from a refusal to a form: a service's field errors next to their
    field, anything else (a refusal of the workflow, a general error) above the form, or
    next to `default_field` when the page has one field it is about. The API turns the same
    ValidationError into field-level JSON (`klachtroute.api.errors.validation_errors`)."""
    if isinstance(exc, TransitionError):
        form.add_error(None, exc.message)
    elif isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, texts in exc.message_dict.items():
            for text in texts:
                form.add_error(field if field in form.fields else default_field, text)
    elif isinstance(exc, ValidationError):
        for text in exc.messages:
            form.add_error(default_field, text)
    else:
        raise exc


def form_with_errors(form: forms.Form, exc: Exception) -> forms.Form:
    """The posted form again with why it was refused: its own field errors when it has any
    (the refusal then came from this same form), otherwise the service's or the workflow's."""
    if isinstance(exc, TransitionError) or form.is_valid():
        errors_onto_form(form, exc)
    return form


def _date(label, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _text(label, required=True, max_length=10_000, help_text="", required_message=None):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs=TEXT),
        error_messages={"required": required_message} if required_message else None,
    )


def _people():
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_trainer=True) | Q(is_staff_member=True) | Q(is_director=True))
        .order_by("first_name", "last_name")
    )


# Free text that reaches the complainant says so on the form (`ActionForm.to_complainant`).
TO_COMPLAINANT = _("De klager ontvangt deze tekst.")


class ActionForm(forms.Form):
    """Base: knows the complaint and the acting person, to offer only sensible choices.

    `labels` and `help_texts` (field name to text) let a page word a field for its reader;
    they change nothing of what the field accepts.

    `to_complainant` names the fields whose text the complainant receives, in a letter or a
    message of the step (or of the step that follows from it); a name may be a pattern
    (`criterion_*_note`) for fields the form adds per complaint. Each of them carries the
    notice `TO_COMPLAINANT` after its own help text: the form adds it, no field writes it.
    A subclass adds, removes or words its fields for the complaint in `shape`, so that the
    notice and a page's wording apply to the fields as shown."""

    to_complainant: tuple[str, ...] = ()

    def __init__(
        self,
        *args,
        complaint,
        user=None,
        labels: dict | None = None,
        help_texts: dict | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        self.user = user
        self.shape()
        for field in self.fields.values():
            field.error_messages.setdefault("required", _("Dit veld is verplicht."))
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = _(
                    "Gebruik ten hoogste %(limit_value)d tekens (nu %(show_value)d)."
                )
        for name, label in (labels or {}).items():
            if name in self.fields:
                self.fields[name].label = label
        for name, help_text in (help_texts or {}).items():
            if name in self.fields:
                self.fields[name].help_text = help_text
        for name in self.complainant_fields():
            field = self.fields[name]
            field.help_text = (
                format_lazy("{} {}", field.help_text, TO_COMPLAINANT)
                if field.help_text
                else TO_COMPLAINANT
            )

    def shape(self) -> None:
        """The fields for this complaint: a subclass adds, removes or words them here."""

    def complainant_fields(self) -> list[str]:
        """The fields of this form, as shaped, whose text the complainant receives."""
        return [n for n in self.fields if any(fnmatch(n, p) for p in self.to_complainant)]

    def service_kwargs(self) -> dict:
        """The service's arguments from the cleaned data: by default the fields themselves."""
        return dict(self.cleaned_data)


class EmptyForm(ActionForm):
    pass


class AssignHandlerForm(ActionForm):
    handler = forms.ModelChoiceField(
        label=_("Behandelaar"), queryset=User.objects.filter(is_active=True)
    )

    def shape(self):
        super().shape()
        # Offer the eligible; accept anyone active so that the service explains a refusal.
        # Their names only (`User.NAME_FIELDS`): a list of hundreds of people.
        self.eligible = [
            (pk, User.name_of(*name))
            for pk, *name in handlers_eligible(complaint=self.complaint).values_list(
                "pk", *User.NAME_FIELDS
            )
        ]
        self.fields["handler"].widget.choices = [("", _("Kies een behandelaar")), *self.eligible]


class CorrectReceivedAtForm(ActionForm):
    received_at = forms.DateTimeField(
        label=_("Juiste datum en tijd van ontvangst"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = _text(
        _("Reden van de correctie"), help_text=_("Staat in de geschiedenis van de klacht.")
    )


class RespondentForm(ActionForm):
    respondent_type = forms.ChoiceField(
        label=_("Beklaagde"),
        choices=[
            (RespondentType.PERSON, _("Een persoon")),
            (RespondentType.ORGANISATION, _("De organisatie")),
        ],
    )
    respondent = forms.ModelChoiceField(
        label=_("Persoon"), queryset=User.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Omschrijving (zoals genoemd)"), required=False, max_length=200
    )

    def shape(self):
        super().shape()
        self.fields["respondent"].queryset = _people()


class ExtendForm(ActionForm):
    to_complainant = ("reason",)
    reason = _text(_("Reden van het uitstel"))
    new_due = _date(_("Verwachte datum van uitsluitsel"))
    complainant_consent = _text(
        _("Schriftelijke instemming van de klager"),
        required=False,
        help_text=_(
            "Alleen nodig voorbij de verlenging die de procedure toestaat: wanneer en hoe de "
            "klager schriftelijk heeft ingestemd."
        ),
    )

    def shape(self):
        super().shape()
        if not self.complaint.procedure_version.spec.extension.further_needs_consent:
            del self.fields["complainant_consent"]


class SuspendForm(ActionForm):
    to_complainant = ("reason",)
    reason = _text(_("Waarop wacht de organisatie?"))


class ProgressUpdateForm(ActionForm):
    to_complainant = ("text",)
    text = _text(
        _("Bericht aan de klager"),
        help_text=_("Hoe het met de klacht staat en wat de volgende stap is."),
    )


class DelayForm(ActionForm):
    """The settlement period passed: the complainant hears why and when (LSR-7b)."""

    to_complainant = ("reason",)
    reason = _text(_("Reden van de vertraging"))
    expected = _date(_("Verwachte datum van een beslissing"))


class DocumentForm(ActionForm):
    """A document that reached the organisation later: a signed approval, a letter by post."""

    document = forms.FileField(label=_("Document"))
    description = forms.CharField(label=_("Omschrijving"), max_length=200)
    channel = forms.ChoiceField(label=_("Hoe ontvangen"), choices=Channel.choices)
    received_on = _date(_("Ontvangen op"))


class MeasureForm(ActionForm):
    description = _text(_("Maatregel"))
    owner = forms.ModelChoiceField(label=_("Eigenaar"), queryset=User.objects.none())
    due_date = _date(_("Uiterlijk klaar op"))

    def shape(self):
        super().shape()
        self.fields["owner"].queryset = self.owners()

    @staticmethod
    def owners():
        return (
            User.objects.filter(is_active=True)
            .filter(
                Q(is_trainer=True)
                | Q(is_staff_member=True)
                | Q(is_director=True)
                | Q(is_secretariat=True)
            )
            .order_by("first_name", "last_name")
        )


class ReasonForm(ActionForm):
    reason = _text(_("Reden"), required=False)


class NoteForm(ActionForm):
    note = _text(_("Toelichting"), required=False)


def _grounds(grounds) -> list[tuple[str, str]]:
    language = translation.get_language() or "nl"
    return [(g.code, g.label.get(language)) for g in grounds]


class InvolvedForm(ActionForm):
    person = forms.ModelChoiceField(label=_("Betrokken persoon"), queryset=User.objects.none())
    note = _text(_("Hoe was deze persoon betrokken?"), required=False)

    def shape(self):
        super().shape()
        self.fields["person"].queryset = User.objects.filter(is_active=True).order_by(
            "first_name", "last_name"
        )


class SetAsideForm(ActionForm):
    to_complainant = ("reason",)
    ground = forms.ChoiceField(label=_("Grond"))
    reason = _text(_("Toelichting voor de klager"))

    def shape(self):
        super().shape()
        set_aside = self.complaint.procedure_version.spec.set_aside
        self.fields["ground"].choices = _grounds(set_aside.grounds if set_aside else [])


class RespondentCopyForm(ActionForm):
    by_post = forms.BooleanField(
        label=_("Per post versturen (in plaats van een privélink per e-mail)"), required=False
    )


class HearingOfferForm(ActionForm):
    to_complainant = ("proposal",)
    proposal = _text(
        _("Voorstel voor het horen"),
        help_text=_("Bijvoorbeeld datum, tijd en plaats, of de vraag wanneer het schikt."),
    )


class HearingReportForm(ActionForm):
    held_on = _date(_("Gehoord op"))
    report = _text(_("Verslag van het horen"), max_length=50_000)


class HearingSkipForm(ActionForm):
    reason = forms.ChoiceField(label=_("Reden om af te zien van horen"))
    note = _text(_("Toelichting"), required=False)

    def shape(self):
        super().shape()
        hearing = self.complaint.procedure_version.spec.hearing
        self.fields["reason"].choices = _grounds(hearing.skip_reasons if hearing else [])


class ProcedureNoteForm(ActionForm):
    """The note that goes with the procedure to the complainant (LSR-6d)."""

    to_complainant = ("note",)
    note = _text(_("Toelichting"), required=False)


class ReopenForm(ActionForm):
    new_facts = _text(_("Nieuwe feiten"))


class FirstContactForm(ActionForm):
    method = forms.ChoiceField(label=_("Hoe"), choices=ContactMethod.choices)
    contacted_at = forms.DateTimeField(
        label=_("Wanneer"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    note = _text(_("Notitie"), required=False)


class OutcomeLetterForm(ActionForm):
    """An outcome letter: it goes only when it states every part. The one check in
    outcome_letters says what is missing (the service calls it too); the form shows it."""

    letter = ""

    def letter_values(self, cleaned: dict) -> dict:
        return cleaned

    def clean(self):
        from .outcome_letters import outcome_letter_missing

        cleaned = super().clean()
        if not self.letter:
            return cleaned
        values = {n: v for n, v in self.letter_values(cleaned).items() if n not in self.errors}
        for name, message in outcome_letter_missing(
            complaint=self.complaint, letter=self.letter, values=values
        ).items():
            if name == NON_FIELD_ERRORS:
                self.add_error(None, message)
            elif name not in self.errors:
                self.add_error(name if name in self.fields else None, message)
        return cleaned


def _remedy_due():
    return _date(
        _("Uitgevoerd uiterlijk"),
        required=False,
        help_text=_("Wanneer wat er gebeurt, gedaan is."),
    )


class SolutionForm(OutcomeLetterForm):
    letter = "solution"
    to_complainant = ("text", "reasons")
    text = _text(_("Oplossing"), help_text=_("Ter fiattering, ook naar de beklaagde."))
    reasons = _text(_("Motivering"), required=False, help_text=_("Waarom deze oplossing."))
    remedy_due = _remedy_due()


class PartyDecisionForm(ActionForm):
    """The secretariat records a party's answer given by phone or by letter."""

    party = forms.ChoiceField(
        label=_("Partij"),
        choices=[(Party.COMPLAINANT, _("Klager")), (Party.RESPONDENT, _("Beklaagde"))],
    )
    reason = _text(_("Reden"), required=False)


class BindingAdviceForm(OutcomeLetterForm):
    """The independent third party's binding advice (LIVP-11), recorded by the secretariat
    or sent through the API: an outcome letter, complete before it goes. An advice that asks
    nothing of the organisation needs no date."""

    letter = "binding_advice"
    to_complainant = ("advice", "follow_ups")
    advice = _text(
        _("Bindend advies"),
        max_length=20_000,
        required_message=_("Vul het bindend advies in."),
        help_text=_("Het besluit en de motivering."),
    )
    follow_ups = forms.CharField(
        label=_("Wat de organisatie moet doen (één punt per regel)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
    )
    remedy_due = _remedy_due()

    def clean_follow_ups(self):
        value = self.cleaned_data["follow_ups"]
        if isinstance(value, list):
            return [str(v) for v in value]
        return [line for line in (value or "").splitlines() if line.strip()]


class FollowUpForm(ActionForm):
    """A point of the binding advice is ticked off; only a planned one (owner and date)."""

    follow_up = forms.ModelChoiceField(
        label=_("Punt"),
        queryset=FollowUp.objects.none(),
        error_messages={
            "invalid_choice": _("Kies een open punt dat een eigenaar en een datum heeft.")
        },
    )
    note = _text(_("Toelichting"), required=False)

    def shape(self):
        super().shape()
        self.fields["follow_up"].queryset = FollowUp.objects.filter(
            ruling__complaint=self.complaint, done_at__isnull=True, measure__isnull=False
        )

    def service_kwargs(self) -> dict:
        return {
            "follow_up_id": self.cleaned_data["follow_up"].pk,
            "note": self.cleaned_data["note"],
        }


class FollowUpPlanForm(ActionForm):
    """A point of the binding advice gets an owner and a date, and is tracked as a measure."""

    follow_up = forms.ModelChoiceField(label=_("Punt"), queryset=FollowUp.objects.none())
    owner = forms.ModelChoiceField(label=_("Eigenaar"), queryset=User.objects.none())
    due_date = _date(_("Uiterlijk klaar op"))

    def shape(self):
        super().shape()
        self.fields["follow_up"].queryset = FollowUp.objects.filter(
            ruling__complaint=self.complaint, done_at__isnull=True, measure__isnull=True
        )
        self.fields["owner"].queryset = MeasureForm.owners()

    def service_kwargs(self) -> dict:
        return {
            "follow_up_id": self.cleaned_data["follow_up"].pk,
            "owner": self.cleaned_data["owner"],
            "due_date": self.cleaned_data["due_date"],
        }


class AdmissibleForm(ActionForm):
    category = forms.ChoiceField(label=_("Categorie"))
    respondent_type = forms.ChoiceField(
        label=_("Beklaagde"),
        choices=[
            (RespondentType.PERSON, _("Een persoon")),
            (RespondentType.ORGANISATION, _("De organisatie")),
        ],
    )
    respondent = forms.ModelChoiceField(
        label=_("Betrokken persoon"), queryset=User.objects.none(), required=False
    )
    reason = _text(_("Toelichting"), required=False)

    def shape(self):
        super().shape()
        language = (
            "en" if (self.user and getattr(self.user, "preferred_language", "nl") == "en") else "nl"
        )
        self.fields["category"].choices = [("", "—")] + [
            (c.code, c.label.get(language))
            for c in self.complaint.procedure_version.spec.categories
        ]
        self.fields["respondent"].queryset = _people()
        if not self.is_bound:
            # The routing starts from what was registered.
            if self.complaint.category:
                self.initial.setdefault("category", self.complaint.category)
            if self.complaint.respondent_type in (
                RespondentType.PERSON,
                RespondentType.ORGANISATION,
            ):
                self.initial.setdefault("respondent_type", self.complaint.respondent_type)
            if self.complaint.respondent_id:
                self.initial.setdefault("respondent", self.complaint.respondent_id)


class InadmissibleForm(ActionForm):
    # The answer to the complainant gives this motivation (`inadmissible_answer`).
    to_complainant = ("reason",)
    ground = forms.ChoiceField(label=_("Grond"))
    reason = _text(_("Motivering"))
    respondent_type = forms.ChoiceField(
        label=_("Beklaagde"),
        required=False,
        choices=[
            ("", "—"),
            (RespondentType.PERSON, _("Een persoon")),
            (RespondentType.ORGANISATION, _("De organisatie")),
        ],
    )
    respondent = forms.ModelChoiceField(
        label=_("Betrokken persoon"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Deze persoon beantwoordt de klager."),
    )

    def shape(self):
        super().shape()
        language = translation.get_language() or "nl"
        self.fields["ground"].choices = [
            (g.code, g.label.get(language))
            for g in self.complaint.procedure_version.spec.inadmissibility_grounds
        ]
        self.fields["respondent"].queryset = _people()


class AnswerForm(ActionForm):
    to_complainant = ("answer",)
    answer = _text(_("Antwoord aan de klager"))


def _criteria_fields(form: "ActionForm") -> None:
    """A judgement and a note for each criterion of the complaint's category, as the
    procedure definition names them (LSR-6b); none is judged in advance."""
    form.criteria = form.complaint.procedure_version.spec.criteria_for(form.complaint.category)
    for criterion in form.criteria:
        code = criterion.code
        label = criterion.label.get(translation.get_language() or "nl")
        form.fields[f"criterion_{code}"] = forms.ChoiceField(
            label=label, choices=[("", "—")] + list(CriterionJudgement.Judgement.choices)
        )
        form.fields[f"criterion_{code}_note"] = forms.CharField(
            label=_("Toelichting bij: %(label)s") % {"label": label},
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 2}),
        )


def _judgements(form: "ActionForm") -> dict[str, tuple[str, str]]:
    return {
        c.code: (
            form.cleaned_data.get(f"criterion_{c.code}", ""),
            form.cleaned_data.get(f"criterion_{c.code}_note", ""),
        )
        for c in form.criteria
    }


class FindingsForm(OutcomeLetterForm):
    letter = "findings"
    to_complainant = ("summary", "proposed_solution", "criterion_*_note")
    summary = _text(_("Bevindingen"))
    proposed_solution = _text(_("Mogelijke oplossing"), required=False)
    remedy_due = _remedy_due()

    def shape(self):
        super().shape()
        _criteria_fields(self)

    def service_kwargs(self) -> dict:
        return {
            "summary": self.cleaned_data["summary"],
            "proposed_solution": self.cleaned_data["proposed_solution"],
            "remedy_due": self.cleaned_data.get("remedy_due"),
            "judgements": _judgements(self),
        }

    def letter_values(self, cleaned: dict) -> dict:
        return {**cleaned, "judgements": _judgements(self)}


class DefenceRequestForm(ActionForm):
    question = _text(_("Vraag aan de verweerder"), required=False)
    due = _date(
        _("Verweer uiterlijk"), required=False, help_text=_("Leeg: de termijn van de procedure.")
    )
    due_reason = _text(
        _("Reden voor een andere datum"),
        required=False,
        help_text=_("Verplicht als u een andere datum kiest dan de termijn van de procedure."),
    )


class DefenceForm(ActionForm):
    defence = _text(_("Verweer"), max_length=20_000, required_message=_("Schrijf het verweer."))


class RulingForm(ActionForm):
    # No verdict chosen in advance: the ruler weighs the criteria first (LSR-6e).
    decision = forms.ChoiceField(
        label=_("Uitspraak"),
        choices=[("", "—")]
        + [
            (d.value, d.label)
            for d in (
                Ruling.Decision.FOUNDED,
                Ruling.Decision.PARTLY_FOUNDED,
                Ruling.Decision.UNFOUNDED,
            )
        ],
    )
    to_complainant = ("motivation",)
    motivation = _text(_("Motivering"))

    def shape(self):
        super().shape()
        language = translation.get_language() or "nl"
        criteria = self.complaint.procedure_version.spec.criteria_for(self.complaint.category)
        if criteria:
            self.fields["motivation"].help_text = _("Motiveer naar de criteria: %(criteria)s.") % {
                "criteria": "; ".join(c.label.get(language) for c in criteria)
            }


INADMISSIBILITY_JUSTIFIED, INADMISSIBILITY_UNJUSTIFIED = "justified", "unjustified"


class DirectorRulingForm(OutcomeLetterForm, RulingForm):
    """The director's ruling (LSR-6e/6f): each criterion of the procedure judged, then the
    verdict, chosen by the director (none in advance); an outcome letter, complete before
    it goes.

    A complaint the complainant brought after it was declared inadmissible (LSR-5d) was
    never investigated: the director judges the inadmissibility instead. Unjustified sends
    the complaint back for investigation; justified closes it."""

    letter = "ruling"
    to_complainant = ("motivation", "remedy", "criterion_*_note")
    remedy = _text(
        _("Wat er gebeurt"),
        required=False,
        help_text=_("Wat de organisatie na de uitspraak doet (of dat er niets gebeurt)."),
    )
    remedy_due = _remedy_due()

    def shape(self):
        super().shape()
        self.criteria = []
        if self.about_inadmissibility:
            self.letter = ""  # a ruling on the inadmissibility alone: no outcome letter
            for name in ("decision", "remedy", "remedy_due"):
                del self.fields[name]
            self.fields["inadmissibility"] = forms.ChoiceField(
                label=_("De niet-ontvankelijkverklaring is"),
                choices=[
                    ("", "—"),
                    (
                        INADMISSIBILITY_UNJUSTIFIED,
                        _("Onterecht: de klacht gaat terug voor onderzoek"),
                    ),
                    (INADMISSIBILITY_JUSTIFIED, _("Terecht: de klacht wordt afgesloten")),
                ],
                help_text=_(
                    "Onterecht: het secretariaat leidt de klacht door voor onderzoek en de "
                    "klager krijgt uw motivering. Terecht: de klager krijgt uw uitspraak en "
                    "de klacht is afgesloten."
                ),
            )
            self.fields["motivation"].help_text = ""
            self.order_fields(["inadmissibility", "motivation"])
            return
        _criteria_fields(self)
        self.fields["decision"].help_text = _(
            "Beoordeel eerst elk criterium: ongegrond als geen criterium niet in orde is, "
            "anders gegrond of deels gegrond."
        )
        self.order_fields(
            [name for name in self.fields if name.startswith("criterion_")]
            + ["decision", "motivation", "remedy", "remedy_due"]
        )

    @property
    def about_inadmissibility(self) -> bool:
        return self.complaint.admissible is False

    def service_kwargs(self) -> dict:
        if self.about_inadmissibility:
            return {
                "inadmissibility": self.cleaned_data["inadmissibility"],
                "motivation": self.cleaned_data["motivation"],
            }
        return {
            "decision": self.cleaned_data["decision"],
            "motivation": self.cleaned_data["motivation"],
            "remedy": self.cleaned_data.get("remedy", ""),
            "remedy_due": self.cleaned_data.get("remedy_due"),
            "judgements": _judgements(self),
        }


class MotivationForm(ActionForm):
    to_complainant = ("motivation",)
    motivation = _text(_("Motivering"))


class OutcomeForm(OutcomeLetterForm):
    """The written, reasoned outcome (AWB-9:12): an outcome letter, complete before it goes."""

    letter = "outcome"
    to_complainant = ("findings", "motivation", "conclusions")
    findings = _text(_("Bevindingen van het onderzoek"), max_length=50_000)
    decision = forms.ChoiceField(
        label=_("Oordeel"),
        choices=[
            (d.value, d.label)
            for d in (
                Ruling.Decision.FOUNDED,
                Ruling.Decision.PARTLY_FOUNDED,
                Ruling.Decision.UNFOUNDED,
            )
        ],
    )
    motivation = _text(_("Motivering van het oordeel"))
    conclusions = _text(
        _("Conclusies: wat er gebeurt"),
        required=False,
        help_text=_("Wat de organisatie met het oordeel doet (of dat er niets gebeurt)."),
    )
    remedy_due = _remedy_due()
