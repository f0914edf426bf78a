"""The administrator adjusts a procedure's figures and texts here, without code.

A version that complaints already run under is not changed in place (they keep the
version in force when they were received, LSR-12); the administrator makes a new
version from it with a later effective date instead.
"""

import copy
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from klachtroute.deadlines import Period, Unit

from .models import Procedure, ProcedureVersion
from .presets import PresetError, validate_definition

PERIOD_FIELDS = {
    "acknowledge": ("deadlines", _("Ontvangstbevestiging binnen")),
    "first_contact": ("deadlines", _("Eerste persoonlijk contact binnen")),
    "settle": ("deadlines", _("Afhandeling binnen")),
    "defence": ("periods", _("Termijn voor verweer")),
    "link_valid": ("periods", _("Privélinks geldig")),
    "status_link_valid": ("periods", _("Statuslink van de klager geldig")),
    "progress_update": ("periods", _("Voortgangsbericht aan de klager, elke")),
}
UNIT_CHOICES = [
    ("", _("niet van toepassing")),
    (Unit.WORKING_DAYS, _("werkdagen")),
    (Unit.WEEKS, _("weken")),
    (Unit.CALENDAR_DAYS, _("kalenderdagen")),
]
LANGS = (("nl", "Nederlands"), ("en", "English"))
TEXT_KEYS = (
    ("procedure_summary", _("Procedure in het kort")),
    ("confidentiality", _("Vertrouwelijkheid")),
)


def _declared_fields() -> dict:
    """The form's fields for the figures and texts, declared on the class so the admin shows them."""
    fields = {}
    for key, (_section, label) in PERIOD_FIELDS.items():
        fields[f"{key}_amount"] = forms.IntegerField(
            label=label, required=False, min_value=0, max_value=365
        )
        fields[f"{key}_unit"] = forms.ChoiceField(
            label=_("eenheid"), choices=UNIT_CHOICES, required=False
        )
    fields["reminder_working_days"] = forms.IntegerField(
        label=_("Herinnering (werkdagen vóór een termijn)"), min_value=0, max_value=20
    )
    fields["retention_years"] = forms.IntegerField(
        label=_("Bewaartermijn (jaren na afsluiten)"), min_value=1, max_value=100
    )
    for lang, lang_name in LANGS:
        for key, label in TEXT_KEYS:
            fields[f"text_{lang}_{key}"] = forms.CharField(
                label=f"{label} ({lang_name})", widget=forms.Textarea(attrs={"rows": 4})
            )
    fields["definition_json"] = forms.JSONField(
        label=_("Overige instellingen (categorieën, criteria, stappen)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "style": "font-family: monospace; width: 100%"}),
    )
    return fields


ADVANCED_KEYS = (
    "handler_policy",
    "acknowledge_on",
    "admissibility",
    "settlement",
    "escalation",
    "no_agreement_after",
    "no_agreement_handler_period",
    "hints",
    "categories",
    "criteria",
    "inadmissibility_grounds",
    "intake_required",
    "handler_not_course_trainer",
    "settled_at_once_confirmed",
    "set_aside",
    "respondent_copy",
    "hearing",
    "extension",
    "next_instance",
    "yearly_register",
    "next_steps",
    "requirements",
)


class _VersionFormBase(forms.ModelForm):
    class Meta:
        model = ProcedureVersion
        fields = ["procedure", "label", "effective_from"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        definition = (self.instance.definition if self.instance.pk else None) or {}
        for key, (section, _label) in PERIOD_FIELDS.items():
            value = definition.get(section, {}).get(key)
            period = Period.parse(value) if value else None
            self.initial.setdefault(f"{key}_amount", period.amount if period else None)
            self.initial.setdefault(f"{key}_unit", period.unit.value if period else "")
        self.initial.setdefault("reminder_working_days", definition.get("reminder_working_days", 1))
        self.initial.setdefault("retention_years", definition.get("retention_years", 5))
        for lang, _n in LANGS:
            for key, _label in TEXT_KEYS:
                self.initial.setdefault(
                    f"text_{lang}_{key}", definition.get("texts", {}).get(lang, {}).get(key, "")
                )
        self.initial.setdefault(
            "definition_json", {k: definition[k] for k in ADVANCED_KEYS if k in definition}
        )


ProcedureVersionFormFields = type(
    "ProcedureVersionFormFields", (_VersionFormBase,), _declared_fields()
)


class ProcedureVersionForm(ProcedureVersionFormFields):
    def clean(self):
        data = super().clean()
        base = copy.deepcopy(self.instance.definition if self.instance.pk else {}) or {}
        if not base and data.get("procedure"):
            latest = data["procedure"].versions.order_by("-effective_from").first()
            base = copy.deepcopy(latest.definition) if latest else {}
        base.update(data.get("definition_json") or {})
        for key, (section, _label) in PERIOD_FIELDS.items():
            amount, unit = data.get(f"{key}_amount"), data.get(f"{key}_unit")
            if (amount is None) != (not unit):
                self.add_error(
                    f"{key}_amount", _("Vul een aantal én een eenheid in, of laat beide leeg.")
                )
                continue
            base.setdefault(section, {})[key] = f"{amount} {unit}" if unit else None
        base["reminder_working_days"] = data.get("reminder_working_days")
        base["retention_years"] = data.get("retention_years")
        for lang, _n in LANGS:
            for key, _label in TEXT_KEYS:
                base.setdefault("texts", {}).setdefault(lang, {})[key] = data.get(
                    f"text_{lang}_{key}", ""
                )
        if data.get("procedure"):
            base["code"] = data["procedure"].code
            base["name"] = data["procedure"].name
        base["version"] = data.get("label") or base.get("version", "")
        if data.get("effective_from"):
            base["effective_from"] = data["effective_from"].isoformat()
        if not self.errors:
            try:
                validate_definition(base, source=str(data.get("label") or _("nieuwe versie")))
            except PresetError as exc:
                raise forms.ValidationError(
                    _("Instelling ‘%(key)s’: %(problem)s")
                    % {"key": exc.key, "problem": exc.problem}
                ) from None
        self.definition = base
        return data

    def save(self, commit=True):
        self.instance.definition = self.definition
        return super().save(commit)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    form = ProcedureVersionForm
    list_display = ("procedure", "label", "effective_from", "complaint_count")
    list_filter = ("procedure",)
    actions = ["copy_as_new_version"]

    @admin.display(description=_("klachten"))
    def complaint_count(self, obj):
        return obj.complaints.count()

    @admin.display(description=_("instellingen"))
    def overview(self, obj):
        rows = []
        for key, (section, label) in PERIOD_FIELDS.items():
            value = obj.definition.get(section, {}).get(key)
            rows.append((label, str(Period.parse(value)) if value else "—"))
        for key in ("reminder_working_days", "retention_years", *ADVANCED_KEYS[:5]):
            rows.append((key, obj.definition.get(key)))
        for lang, _n in LANGS:
            for key, label in TEXT_KEYS:
                rows.append(
                    (
                        f"{label} ({lang})",
                        obj.definition.get("texts", {}).get(lang, {}).get(key, ""),
                    )
                )
        return format_html_join(
            "", "<p><strong>{}</strong>: {}</p>", ((str(a), str(b)) for a, b in rows)
        )

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.complaints.exists():
            return [
                (
                    None,
                    {
                        "fields": ["procedure", "label", "effective_from", "overview"],
                        "description": _(
                            "Klachten lopen onder deze versie; maak een nieuwe versie om iets te wijzigen."
                        ),
                    },
                )
            ]
        periods = [f"{k}_{part}" for k in PERIOD_FIELDS for part in ("amount", "unit")]
        texts = [f"text_{lang}_{key}" for lang, _n in LANGS for key, _l in TEXT_KEYS]
        return [
            (None, {"fields": ["procedure", "label", "effective_from"]}),
            (_("Termijnen"), {"fields": [*periods, "reminder_working_days", "retention_years"]}),
            (_("Teksten"), {"fields": texts}),
            (_("Gevorderd"), {"fields": ["definition_json"], "classes": ["collapse"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.complaints.exists():
            return ["procedure", "label", "effective_from", "overview"]
        return []

    def has_change_permission(self, request, obj=None):
        # A version in use stays as it was; make a new version instead.
        if obj is not None and obj.complaints.exists():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.complaints.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Nieuwe versie maken op basis van de gekozen versie"))
    def copy_as_new_version(self, request, queryset):
        for version in queryset:
            effective = max(
                timezone.localdate() + timedelta(days=1), version.effective_from + timedelta(days=1)
            )
            while ProcedureVersion.objects.filter(
                procedure=version.procedure, effective_from=effective
            ).exists():
                effective += timedelta(days=1)
            definition = copy.deepcopy(version.definition)
            definition["effective_from"] = effective.isoformat()
            try:
                # A copy takes effect unless edited: it must be one that could be published.
                validate_definition(definition, source=version.label)
            except PresetError as exc:
                self.message_user(
                    request,
                    _("Versie %(label)s is niet gekopieerd. Instelling ‘%(key)s’: %(problem)s")
                    % {"label": version.label, "key": exc.key, "problem": exc.problem},
                    messages.ERROR,
                )
                continue
            new = ProcedureVersion.objects.create(
                procedure=version.procedure,
                label=f"{version.label}-nieuw",
                effective_from=effective,
                definition=definition,
            )
            self.message_user(
                request,
                _("Versie %(label)s gemaakt, geldig vanaf %(date)s; pas hem nu aan.")
                % {"label": new.label, "date": effective.strftime("%d-%m-%Y")},
                messages.SUCCESS,
            )


class ProcedureVersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ("label", "effective_from")
    readonly_fields = ("label", "effective_from")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    inlines = [ProcedureVersionInline]
