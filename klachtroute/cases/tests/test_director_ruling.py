"""The director's ruling (LSR-6e, LSR-6f): made by the criteria of LSR-6b, each one judged,
with no verdict chosen in advance and a verdict that agrees with the judgements; a complaint
brought after it was declared inadmissible is judged on its inadmissibility, and sent back
for investigation when that was unjustified."""

import copy
import re

import pytest
from django.core.exceptions import ValidationError

from klachtroute.cases.models import CriterionJudgement, Ruling
from klachtroute.cases.services import (
    admissible_declare,
    director_escalate,
    director_rule,
    findings_respond,
    findings_share,
    inadmissible_answer,
    inadmissible_declare,
    procedure_send,
)
from klachtroute.notifications.models import OutboxMessage
from klachtroute.procedures.models import ProcedureVersion
from klachtroute.testing.criteria import criteria_judged
from klachtroute.testing.factories import UserFactory, complaint_data, letter_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_director(lsr_organisation, secretariat, director):
    """A complaint about a staff member whose findings the complainant rejected, now with
    the director."""
    from klachtroute.cases.services import complaint_register

    staff = UserFactory(
        username="mw", first_name="Mia", last_name="Medewerker", is_staff_member=True
    )
    complaint = complaint_register(**complaint_data(actor=secretariat, channel="post"))
    admissible_declare(
        complaint=complaint,
        actor=secretariat,
        category="staff",
        respondent_type="person",
        respondent=staff,
    )
    findings_share(
        complaint=complaint,
        actor=staff,
        summary="Het rooster is te laat gewijzigd.",
        proposed_solution="Voortaan een week vooraf.",
        judgements=criteria_judged(complaint, as_form=False),
        **letter_parts("findings"),
    )
    findings_respond(complaint=complaint, party="complainant", agree=False, reason="Nee.")
    procedure_send(complaint=complaint, actor=secretariat)
    director_escalate(complaint=complaint, party="complainant")
    complaint.refresh_from_db()
    OutboxMessage.objects.all().delete()
    return complaint


@pytest.fixture
def inadmissible_with_director(lsr_organisation, secretariat, director):
    from klachtroute.cases.services import complaint_register

    complaint = complaint_register(**complaint_data(actor=secretariat, channel="post"))
    inadmissible_declare(
        complaint=complaint,
        actor=secretariat,
        ground="handled_before",
        reason="Al eerder behandeld.",
        respondent_type="organisation",
    )
    inadmissible_answer(complaint=complaint, actor=director, answer="Dit is eerder behandeld.")
    director_escalate(complaint=complaint, party="complainant", note="Er zijn nieuwe feiten.")
    complaint.refresh_from_db()
    OutboxMessage.objects.all().delete()
    return complaint


def _rule_form(client, complaint) -> str:
    page = client.get(f"/zaken/{complaint.number}/").content.decode()
    return page.split('id="actie-rule"')[1].split("</details>")[0]


def _rule(client, complaint, data: dict):
    # The ruling may close the complaint: posted with its confirmation ticked.
    return client.post(f"/zaken/{complaint.number}/acties/rule/", {**data, "confirm": "1"})


def _with_definition(complaint, change) -> None:
    version = complaint.procedure_version
    definition = copy.deepcopy(version.definition)
    change(definition)
    ProcedureVersion.objects.filter(pk=version.pk).update(definition=definition)
    complaint.refresh_from_db()


def test_lsr_6e_the_ruling_form_lists_each_criterion_of_the_definition_none_judged_in_advance(
    with_director, director, client
):
    # A criterion the organisation added to its procedure definition is judged too: the
    # form takes the criteria from the definition.
    _with_definition(
        with_director,
        lambda d: d["criteria"].append(
            {
                "code": "privacy",
                "label": {"nl": "Zorgvuldig omgaan met gegevens", "en": "Care with data"},
                "categories": None,
            }
        ),
    )
    client.force_login(director)
    form = _rule_form(client, with_director)
    for criterion in with_director.procedure_version.spec.criteria_for("staff"):
        assert f'name="criterion_{criterion.code}"' in form
        assert criterion.label.nl in form
    assert "Zorgvuldig omgaan met gegevens" in form
    # Nothing chosen in advance: no criterion judged, no verdict.
    assert not re.search(r'<option value="[a-z_]+"[^>]*selected', form)
    assert not re.search(r'<input[^>]*type="radio"[^>]*checked', form)
    # The criteria come before the verdict.
    assert form.index('name="criterion_treatment"') < form.index('name="decision"')


def test_lsr_6e_a_ruling_without_every_criterion_judged_is_refused(with_director, director):
    judgements = criteria_judged(with_director, as_form=False)
    judgements.pop("treatment")
    with pytest.raises(ValidationError) as refused:
        director_rule(
            complaint=with_director,
            actor=director,
            decision="unfounded",
            motivation="Alles was in orde.",
            remedy="Niets.",
            **letter_parts("ruling", remedy=True),
            judgements=judgements,
        )
    assert refused.value.message_dict == {"criterion_treatment": ["Beoordeel dit criterium."]}
    with_director.refresh_from_db()
    assert with_director.state == "with_director"
    assert not Ruling.objects.exists()


def test_lsr_6e_the_page_keeps_what_was_typed_and_marks_the_criterion_not_judged(
    with_director, director, client
):
    client.force_login(director)
    data = {
        **criteria_judged(with_director),
        "criterion_treatment": "",
        "decision": "unfounded",
        "motivation": "Het rooster is op tijd gewijzigd.",
        "remedy": "Niets.",
    }
    response = _rule(client, with_director, data)
    assert response.status_code == 400
    form = _rule_form_from(response)
    assert "Het rooster is op tijd gewijzigd." in form
    assert re.search(r'<select name="criterion_treatment"[^>]*aria-invalid="true"', form)
    assert not re.search(r'<select name="criterion_follow_up"[^>]*aria-invalid="true"', form)
    # The other judgements stay as they were chosen.
    assert re.search(r'<option value="in_order" selected>', form)


def _rule_form_from(response) -> str:
    return response.content.decode().split('id="actie-rule"')[1].split("</details>")[0]


@pytest.mark.parametrize(
    ("not_in_order", "decision", "told"),
    [
        (
            1,
            "unfounded",
            "Ongegrond past niet bij uw oordeel: niet in orde is Leveringsvoorwaarden.",
        ),
        (0, "founded", "Gegrond past niet bij uw oordeel: geen enkel criterium is niet in orde."),
        (0, "partly_founded", "Deels gegrond past niet bij uw oordeel"),
    ],
)
def test_lsr_6e_the_verdict_must_follow_from_the_judgements(
    with_director, director, client, not_in_order, decision, told
):
    client.force_login(director)
    response = _rule(
        client,
        with_director,
        {
            **criteria_judged(with_director, not_in_order=not_in_order),
            "decision": decision,
            "motivation": "Gemotiveerd.",
            "remedy": "Een gesprek.",
            "remedy_due": "2030-01-31",
        },
    )
    assert response.status_code == 400
    assert told in _rule_form_from(response)
    with_director.refresh_from_db()
    assert with_director.state == "with_director"


def test_lsr_6e_6f_a_ruling_that_agrees_with_its_judgements_closes_and_keeps_them(
    with_director, director, client
):
    client.force_login(director)
    data = {
        **criteria_judged(with_director, not_in_order=1),
        "criterion_delivery_conditions_note": "Het rooster werd twee dagen vooraf gewijzigd.",
        "decision": "partly_founded",
        "motivation": "Het rooster is te laat gewijzigd; de bejegening was correct.",
        "remedy": "Roosterwijzigingen gaan voortaan een week vooraf.",
        "remedy_due": "2030-01-31",
    }
    response = _rule(client, with_director, data)
    assert response.status_code == 302
    with_director.refresh_from_db()
    assert (with_director.state, with_director.outcome) == ("settled", "partly_founded")
    ruling = with_director.rulings.get()
    judged = {j.criterion: j.judgement for j in ruling.judgements.all()}
    assert judged == {
        "delivery_conditions": CriterionJudgement.Judgement.NOT_IN_ORDER,
        "individual_agreements": CriterionJudgement.Judgement.IN_ORDER,
        "follow_up": CriterionJudgement.Judgement.IN_ORDER,
        "treatment": CriterionJudgement.Judgement.IN_ORDER,
    }
    # The record shows the judgement per criterion with the ruling.
    page = client.get(f"/zaken/{with_director.number}/").content.decode()
    section = page.split('id="rulings-title"')[1].split("</section>")[0]
    assert "Leveringsvoorwaarden" in section and "Niet in orde" in section
    assert "Het rooster werd twee dagen vooraf gewijzigd." in section


def test_lsr_6f_the_ruling_letter_shows_each_judgement_and_the_next_step_of_the_definition(
    with_director, director
):
    _with_definition(
        with_director,
        lambda d: d["next_steps"]["ruling"]["text"].update(
            {"nl": "U kunt naar de kantonrechter; bel ons gerust eerst."}
        ),
    )
    judgements = criteria_judged(with_director, not_in_order=1, as_form=False)
    judgements["delivery_conditions"] = ("not_in_order", "Twee dagen vooraf gewijzigd.")
    director_rule(
        complaint=with_director,
        actor=director,
        decision="founded",
        motivation="Te laat gewijzigd.",
        remedy="Een week vooraf.",
        **letter_parts("ruling", remedy=True),
        judgements=judgements,
    )
    letter = OutboxMessage.objects.get(kind="ruling", to="jan@example.org").body
    assert "Beoordeling per criterium" in letter
    assert "- Leveringsvoorwaarden: Niet in orde\n  Twee dagen vooraf gewijzigd." in letter
    assert "- Bejegening: In orde" in letter
    assert "U kunt naar de kantonrechter; bel ons gerust eerst." in letter
    assert letter.index("Beoordeling per criterium") < letter.index("Uitspraak: de klacht is")


def test_lsr_5d_the_ruling_on_an_inadmissible_complaint_judges_the_inadmissibility(
    inadmissible_with_director, director, client
):
    client.force_login(director)
    form = _rule_form(client, inadmissible_with_director)
    assert 'name="inadmissibility"' in form
    assert 'name="decision"' not in form and 'name="criterion_' not in form
    assert not re.search(r'<option value="[a-z_]+"[^>]*selected', form)
    response = _rule(client, inadmissible_with_director, {"motivation": "Gemotiveerd."})
    assert response.status_code == 400
    inadmissible_with_director.refresh_from_db()
    assert inadmissible_with_director.state == "with_director"


def test_lsr_5d_an_unjustified_inadmissibility_goes_back_for_investigation_not_closed(
    inadmissible_with_director, director, secretariat, client
):
    client.force_login(director)
    response = _rule(
        client,
        inadmissible_with_director,
        {
            "inadmissibility": "unjustified",
            "motivation": "De klager noemt nieuwe feiten; die zijn niet eerder behandeld.",
        },
    )
    assert response.status_code == 302
    complaint = inadmissible_with_director
    complaint.refresh_from_db()
    assert complaint.state == "new" and complaint.is_open and complaint.admissible is None
    assert not complaint.rulings.exists()
    event = complaint.events.get(kind="inadmissibility_overturned")
    assert "nieuwe feiten" in event.summary
    # The secretariat routes it for investigation, from the record page's next step.
    client.force_login(secretariat)
    page = client.get(f"/zaken/{complaint.number}/").content.decode()
    assert "/acties/judge_admissible/" in page.split("Volgende stap")[1]


def test_lsr_5d_a_justified_inadmissibility_closes_with_the_directors_ruling(
    inadmissible_with_director, director
):
    director_rule(
        complaint=inadmissible_with_director,
        actor=director,
        inadmissibility="justified",
        motivation="Dit is in 2025 behandeld; de feiten zijn dezelfde.",
    )
    complaint = inadmissible_with_director
    complaint.refresh_from_db()
    assert (complaint.state, complaint.outcome) == ("settled", "unfounded")
    assert complaint.admissible is False
    letter = OutboxMessage.objects.get(kind="ruling", to="jan@example.org").body
    assert "Uitspraak: de klacht is terecht niet ontvankelijk verklaard." in letter
    assert "Dit is in 2025 behandeld; de feiten zijn dezelfde." in letter


def test_lsr_6e_the_api_rules_by_the_criteria_and_answers_them(with_director, director):
    import json

    from django.test import Client

    from klachtroute.accounts.models import ApiToken

    _token, raw = ApiToken.objects.create_token(user=director, name="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    path = f"/api/v1/complaints/{with_director.number}/actions/rule"

    def post(data):
        return api.post(path, json.dumps(data), content_type="application/json")

    response = post({"decision": "unfounded", "motivation": "In orde.", "remedy": "Niets."})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "criterion_treatment" in fields
    response = post(
        {
            **criteria_judged(with_director),
            "decision": "unfounded",
            "motivation": "In orde.",
            "remedy": "Niets.",
            "confirm": True,
        }
    )
    assert response.status_code == 200, response.json()
    [ruling] = response.json()["rulings"]
    assert {j["criterion"]: j["judgement"] for j in ruling["judgements"]}["treatment"] == (
        "in_order"
    )
