"""The public complaint regulation: written out of the procedure version in force.

Nothing here is a text per procedure: every sentence follows from the definition (its
deadlines, handler policy, categories and routes, admissibility and grounds, settlement,
escalation or the next step after the outcome, setting aside, the copy to the respondent,
the hearing, defence period, retention and texts), from the organisation's contact details
and those of the independent third party, and from the fields of the public form. When the
administrator makes a new version, the page follows on the day it takes effect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from klachtroute.organisation.models import Organisation
from klachtroute.procedures.definition import Category, Definition
from klachtroute.procedures.models import ProcedureVersion
from klachtroute.procedures.words import period_words

from .forms import HONEYPOT_FIELD, ComplaintForm


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    contact: list[tuple[str, str]] = field(default_factory=list)  # (what, value)


@dataclass
class Regulation:
    organisation: str
    name: str
    version: str
    effective_from: date
    source: str
    summary: str
    sections: list[Section]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def _contact(organisation: Organisation | None, *, prefix: str = "") -> list[tuple[str, str]]:
    if organisation is None:
        return []
    values = [
        (_("Naam"), getattr(organisation, f"{prefix}name", "")),
        (_("Adres"), getattr(organisation, f"{prefix}address", "")),
        (_("E-mail"), getattr(organisation, f"{prefix}email", "")),
        (_("Telefoon"), getattr(organisation, f"{prefix}phone", "")),
    ]
    return [(what, value) for what, value in values if value]


def _route_words(category: Category) -> str:
    if category.route == "director":
        return _("de directeur")
    if category.route == "exam_committee":
        return _("de examencommissie, volgens het examenreglement")
    if category.respondent_role == "trainer":
        return _("de betrokken docent of trainer zelf")
    if category.respondent_role == "staff_member":
        return _("de betrokken medewerker zelf")
    return _("de persoon over wie de klacht gaat")


def _form_fields() -> list[str]:
    form = ComplaintForm()
    fields = []
    for name in form.field_order:
        bound = form[name]
        if name == HONEYPOT_FIELD or bound.is_hidden:
            continue
        label = str(bound.label)
        fields.append(
            label if bound.field.required else _("%(label)s (niet verplicht)") % {"label": label}
        )
    return fields


def _steps(spec: Definition, language: str) -> list[str]:
    steps: list[str] = []
    acknowledge = spec.period("acknowledge")
    if acknowledge is not None:
        text = _(
            "Binnen %(period)s na ontvangst bevestigen wij dat wij uw klacht hebben ontvangen"
        ) % {"period": period_words(acknowledge)}
        if spec.acknowledge_on == "assignment":
            text += _(" en laten wij weten wie uw klacht behandelt.")
        else:
            text += "."
        steps.append(text)
    else:
        steps.append(
            _(
                "Wij registreren uw klacht en bevestigen de ontvangst, met deze regeling en de "
                "termijn waarbinnen uw klacht wordt afgehandeld."
            )
        )
    if spec.admissibility:
        steps.append(
            _(
                "Het secretariaat beoordeelt of uw klacht ontvankelijk is (zie hieronder wanneer niet)."
            )
        )
    if spec.handler_policy == "trainer_not_teaching_course":
        steps.append(_("Een trainer die uw cursus of opleiding niet geeft, behandelt uw klacht."))
    elif spec.handler_policy == "route_by_category":
        steps.append(_("Wie uw klacht behandelt, hangt af van waar zij over gaat (zie hieronder)."))
    else:
        steps.append(
            _("Het secretariaat wijst een behandelaar aan die niet bij uw klacht betrokken is.")
        )
    if spec.respondent_copy:
        steps.append(
            _("De persoon over wie u klaagt, krijgt een afschrift van uw klacht en de stukken.")
        )
    reply = spec.period("hearing_reply")
    if reply is not None:
        steps.append(
            _(
                "U en de beklaagde krijgen de gelegenheid om te worden gehoord; op dat aanbod "
                "kunt u binnen %(period)s reageren. Van het horen wordt een verslag gemaakt."
            )
            % {"period": period_words(reply)}
        )
    first_contact = spec.period("first_contact")
    if first_contact is not None:
        steps.append(
            _("Binnen %(period)s na ontvangst neemt de behandelaar persoonlijk contact met u op.")
            % {"period": period_words(first_contact)}
        )
    if spec.settlement == "two_party_approval":
        steps.append(
            _(
                "De behandelaar zoekt met u en de beklaagde naar een oplossing. Die wordt "
                "vastgelegd en u en de beklaagde krijgen haar ter goedkeuring."
            )
        )
    elif spec.settlement == "reasoned_outcome":
        steps.append(
            _(
                "De behandelaar onderzoekt uw klacht. U en de beklaagde krijgen schriftelijk en "
                "met redenen te horen wat is gevonden, het oordeel, wat er gebeurt en wanneer."
            )
        )
    else:
        steps.append(
            _(
                "De persoon die uw klacht behandelt, onderzoekt haar en deelt de bevindingen en "
                "een mogelijke oplossing met u. Gaat u akkoord, dan is uw klacht afgehandeld."
            )
        )
    settle = spec.period("settle")
    if settle is not None:
        steps.append(
            _(
                "Uw klacht is binnen %(period)s na ontvangst afgehandeld. Is meer tijd nodig, "
                "dan hoort u dat binnen die termijn, met de reden en wanneer u een besluit kunt "
                "verwachten."
            )
            % {"period": period_words(settle)}
        )
    return steps


def _next_step_words(
    section: Section, spec: Definition, organisation: Organisation | None, language: str
) -> None:
    """Without an escalation, the next step the last outcome letter names (an ombudsman, a
    court): its text, contact details and period, as the definition gives them."""
    letters = spec.outcome_letters()
    step = spec.next_steps.get(letters[-1]) if letters else None  # type: ignore[call-overload]
    if step is None:
        section.paragraphs.append(_("Met de afhandeling van uw klacht eindigt de procedure."))
        return
    section.paragraphs.append(step.text.get(language))
    if step.contact == "listed" and step.details is not None:
        section.contact = [(_("Contact"), step.details.get(language))]
    elif step.contact in ("organisation", "third_party"):
        prefix = "third_party_" if step.contact == "third_party" else ""
        section.contact = _contact(organisation, prefix=prefix)
    period = (
        period_words(spec.period_of(step.period))
        if step.period
        else (step.period_words.get(language) if step.period_words else "")
    )
    if period:
        section.paragraphs.append(_("Termijn: %(period)s") % {"period": period})


def regulation_build(
    *, version: ProcedureVersion, organisation: Organisation | None, language: str, form_url: str
) -> Regulation:
    """The regulation of `version` in `language`, with the organisation's details."""
    spec = version.spec
    sections: list[Section] = []

    where = Section("where", _("Hoe en waar dient u een klacht in?"))
    where.paragraphs.append(
        _("Met het klachtenformulier op onze website: %(url)s") % {"url": form_url}
    )
    if organisation is not None and organisation.email:
        where.paragraphs.append(_("Per e-mail aan %(email)s.") % {"email": organisation.email})
    if organisation is not None and organisation.address:
        where.paragraphs.append(
            _("Per post aan %(name)s, %(address)s.")
            % {"name": organisation.name, "address": organisation.address.replace("\n", ", ")}
        )
    if organisation is not None and organisation.phone:
        where.paragraphs.append(
            _(
                "Mondeling of telefonisch (%(phone)s): kan uw klacht niet meteen worden "
                "opgelost, dan leggen wij haar voor u vast."
            )
            % {"phone": organisation.phone}
        )
    sections.append(where)

    needed = Section("needed", _("Wat hebben wij van u nodig?"))
    needed.items = _form_fields()
    sections.append(needed)

    steps = Section("steps", _("Hoe wordt uw klacht behandeld?"))
    steps.items = _steps(spec, language)
    sections.append(steps)

    if spec.handler_policy == "route_by_category" and spec.categories:
        who = Section("who", _("Wie behandelt uw klacht?"))
        who.items = [
            _("%(category)s: %(who)s") % {"category": c.label.get(language), "who": _route_words(c)}
            for c in spec.categories
        ]
        sections.append(who)

    if spec.admissibility:
        grounds = Section("admissibility", _("Wanneer is een klacht niet ontvankelijk?"))
        grounds.items = [g.label.get(language) for g in spec.inadmissibility_grounds]
        sections.append(grounds)

    if spec.set_aside is not None:
        aside = Section("set_aside", _("Wanneer nemen wij een klacht niet in behandeling?"))
        aside.items = [g.label.get(language) for g in spec.set_aside.grounds]
        aside.paragraphs.append(
            _("Dan hoort u dat binnen %(period)s na ontvangst schriftelijk, met de grond.")
            % {"period": period_words(spec.period_of(spec.set_aside.deadline))}
        )
        sections.append(aside)

    escalation = Section("escalation", _("Bent u het niet eens met de afhandeling?"))
    if spec.escalation == "none":
        _next_step_words(escalation, spec, organisation, language)
    elif spec.escalation == "third_party":
        escalation.paragraphs.append(
            _(
                "Komt u samen niet tot overeenstemming, dan kunt u in beroep gaan bij een "
                "onafhankelijke derde, die een bindend advies geeft. U bereikt de "
                "onafhankelijke derde hier:"
            )
        )
        escalation.contact = _contact(organisation, prefix="third_party_")
        if not escalation.contact:
            escalation.paragraphs.append(
                _("Vraag ons naar de gegevens van de onafhankelijke derde.")
            )
    else:
        escalation.paragraphs.append(
            _(
                "Dan kunt u zich wenden tot de directeur. Bij de directeur kunt u terecht via "
                "het secretariaat:"
            )
        )
        escalation.contact = _contact(organisation)
        defence = spec.period("defence")
        if defence is not None:
            escalation.paragraphs.append(
                _("De beklaagde krijgt %(period)s om op uw klacht te reageren (verweer).")
                % {"period": period_words(defence)}
            )
        escalation.paragraphs.append(
            _(
                "De directeur doet schriftelijk en met een motivering uitspraak, aan u en aan "
                "de beklaagde. Daarmee eindigt de procedure."
            )
        )
    sections.append(escalation)

    free = Section("free", _("Kosteloos en vertrouwelijk"))
    free.paragraphs = [
        _("Een klacht indienen kost u niets."),
        spec.text("confidentiality", language),
        _("Uw klacht en hoe die is afgehandeld, bewaren wij %(years)s jaar na afsluiting.")
        % {"years": spec.retention_years},
    ]
    sections.append(free)

    return Regulation(
        organisation=organisation.name if organisation else "",
        name=spec.name,
        version=version.label,
        effective_from=version.effective_from,
        source=spec.source,
        summary=spec.text("procedure_summary", language),
        sections=sections,
    )
