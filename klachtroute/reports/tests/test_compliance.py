"""The compliance overview: per procedure version, every rule the data can prove, checked
against complaints whose compliance each test sets up by hand (some on time, some late)."""

import copy
import csv
import datetime as dt
import io
import json
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from klachtroute.cases import services
from klachtroute.cases.models import Complaint
from klachtroute.procedures.definition import definition_parse
from klachtroute.procedures.presets import PRESET_DIR, load_presets
from klachtroute.reports.compliance import compliance_overview, rules_of
from klachtroute.testing.factories import complaint_data, organisation_create

from .conftest import at, now

MARCH = {"start": "2025-03-01", "end": "2025-03-31"}
START, END = dt.date(2025, 3, 1), dt.date(2025, 3, 31)


@pytest.fixture
def livp_march(db, secretariat, director, trainers, course):
    """Four LIVP complaints received in March 2025, judged on 15 May 2025.

    A Mon 3 Mar: handler Theo the same day (acknowledged in time, due Tue 4 Mar), contact
      Wed 5 Mar (due Mon 10 Mar), solution approved by both Fri 14 Mar (due Mon 31 Mar).
    B Mon 3 Mar: handler Theo on Thu 6 Mar (late), contact Mon 17 Mar (late), approved by
      both Mon 7 Apr (late).
    C Tue 4 Mar: handler Theo on 4 Mar, later found to be Tom, who teaches the course (the
      data says so; the form would have refused him); no contact; no agreement told Tue
      25 Mar, before its settlement deadline of Tue 1 Apr.
    D Wed 5 Mar: never picked up.
    E Tue 1 Apr: outside the period.
    """
    tom, tessa, theo = trainers
    organisation_create(preset="livp", auto_assign=False)
    c = SimpleNamespace()

    def register(name):
        return services.complaint_register(
            **complaint_data(
                received_at=now(),
                course=course,
                complainant_name=name,
                respondent_type="organisation",
            )
        )

    with at(2025, 3, 3, 10):
        c.A = register("Anna Aarts")
        c.B = register("Bram Bos")
    with at(2025, 3, 3, 14):
        services.complaint_assign_handler(complaint=c.A, handler=theo, actor=secretariat)
    with at(2025, 3, 4, 9):
        c.C = register("Cor Claes")
        services.complaint_assign_handler(complaint=c.C, handler=theo, actor=secretariat)
    Complaint.objects.filter(pk=c.C.pk).update(handler=tom)
    with at(2025, 3, 5, 9):
        c.D = register("Dina Dekker")
        services.first_contact_record(
            complaint=c.A, actor=theo, method="phone", contacted_at=now() - dt.timedelta(hours=1)
        )
    with at(2025, 3, 6):
        services.complaint_assign_handler(complaint=c.B, handler=theo, actor=secretariat)
    with at(2025, 3, 10):
        services.solution_propose(complaint=c.A, actor=theo, text="Extra uitleg.")
    with at(2025, 3, 14):
        for party in ("complainant", "respondent"):
            services.solution_decide(complaint=c.A, actor=secretariat, party=party, approve=True)
    with at(2025, 3, 17):
        services.first_contact_record(
            complaint=c.B, actor=theo, method="phone", contacted_at=now() - dt.timedelta(hours=1)
        )
        services.solution_propose(complaint=c.B, actor=theo, text="Nieuw rooster.")
    with at(2025, 3, 25):
        services.no_agreement_declare(complaint=c.C, actor=secretariat, reason="Geen akkoord.")
    with at(2025, 4, 1):
        c.E = register("Eva Eijk")
    with at(2025, 4, 7):
        for party in ("complainant", "respondent"):
            services.solution_decide(complaint=c.B, actor=secretariat, party=party, approve=True)
    with at(2025, 5, 15, 12):
        yield c


def rows_by_key(overview, version_index=0):
    return {r.rule.key: r for r in overview.versions[version_index].rules}


def figures(result):
    return (result.complied, result.not_complied, {c.number for c in result.failing})


def test_livp_compliance_figures_match_complaints_set_up_by_hand(livp_march, secretariat):
    c = livp_march
    overview = compliance_overview(user=secretariat, start=START, end=END)

    assert len(overview.versions) == 1
    assert overview.versions[0].complaints == 4  # E is outside the period
    rows = rows_by_key(overview)
    assert figures(rows["acknowledge"]) == (2, 2, {c.B.number, c.D.number})
    assert rows["acknowledge"].percent == 50.0
    assert figures(rows["acknowledge_names_handler"]) == (3, 0, set())
    assert figures(rows["first_contact"]) == (1, 3, {c.B.number, c.C.number, c.D.number})
    # C told there is no agreement before its deadline: the settlement rule is kept.
    assert figures(rows["settle"]) == (2, 2, {c.B.number, c.D.number})
    assert figures(rows["handler_policy"]) == (2, 1, {c.C.number})
    assert figures(rows["settlement"]) == (2, 0, set())
    assert figures(rows["escalation"]) == (1, 0, set())
    assert figures(rows["retention"]) == (2, 0, set())
    assert figures(rows["measures"]) == (0, 0, set())
    assert rows["measures"].percent is None


def test_livp_rules_carry_the_requirement_ids_of_the_preset(livp_march, secretariat):
    rows = rows_by_key(compliance_overview(user=secretariat, start=START, end=END))
    ids = {key: row.rule.requirement for key, row in rows.items()}
    assert ids["acknowledge"] == "LIVP-3"
    assert ids["handler_policy"] == "LIVP-4"
    assert ids["first_contact"] == "LIVP-5"
    assert ids["settlement"] == "LIVP-6"
    assert ids["settle"] == "LIVP-9"
    assert ids["retention"] == "LIVP-10"
    assert ids["escalation"] == "LIVP-11"
    assert "1 werkdag" in rows["acknowledge"].rule.label
    assert "4 weken" in rows["settle"].rule.label


def test_rule_the_data_cannot_prove_says_so_instead_of_a_number(livp_march, secretariat, login):
    rows = rows_by_key(compliance_overview(user=secretariat, start=START, end=END))
    confidentiality = rows["confidentiality"]
    assert not confidentiality.rule.provable
    assert (confidentiality.complied, confidentiality.not_complied) == (0, 0)

    page = login(secretariat).get("/naleving/", MARCH).content.decode()
    assert "Niet uit de gegevens te bewijzen" in page


def test_compliance_links_only_complaints_the_viewer_may_see(livp_march, trainers):
    c = livp_march
    tom, _tessa, theo = trainers
    rows = rows_by_key(compliance_overview(user=theo, start=START, end=END))
    # Theo handles A and B; C is Tom's and D has no handler.
    assert figures(rows["acknowledge"]) == (2, 2, {c.B.number})
    assert rows["acknowledge"].failing_hidden == 1
    assert {x.number for x in rows["first_contact"].failing} == {c.B.number}


def test_compliance_page_links_each_failing_complaint(livp_march, director, login):
    c = livp_march
    response = login(director).get("/naleving/", MARCH)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="/zaken/{c.C.number}/"' in page
    assert "LIVP-4" in page
    assert c.E.number not in page


def test_compliance_is_refused_to_a_handler(livp_march, trainers, login):
    assert login(trainers[2]).get("/naleving/", MARCH).status_code == 403


def test_compliance_csv_holds_the_same_figures(livp_march, secretariat, login):
    c = livp_march
    response = login(secretariat).get("/naleving/csv/", MARCH)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('naleving-20250301-20250331.csv"')
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    by_id = {(row[1], row[2]): row for row in rows[1:]}
    settle = next(row for (rid, _label), row in by_id.items() if rid == "LIVP-9")
    assert settle[3:6] == ["2", "2", "50,0"]
    assert set(settle[6].split()) == {c.B.number, c.D.number}
    unprovable = next(row for row in rows[1:] if row[1] == "LIVP-1")
    assert unprovable[3:6] == ["", "", ""]


def test_compliance_pdf_shows_the_rules(livp_march, secretariat, login):
    response = login(secretariat).get("/naleving/pdf/", MARCH)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "LIVP-9" in text
    assert livp_march.C.number in text


def test_compliance_rules_follow_the_definition_not_the_procedure():
    """A version without a first-contact deadline and with the director as escalation has
    no first-contact row and gets the director's rows: the rows come from the definition."""
    livp = json.loads((PRESET_DIR / "livp.json").read_text(encoding="utf-8"))
    changed = copy.deepcopy(livp)
    changed["deadlines"]["first_contact"] = None
    changed["escalation"] = "director"
    changed["periods"]["defence"] = "5 working_days"
    keys = [rule.key for rule in rules_of(definition_parse(changed, "test"))]
    assert "first_contact" not in keys
    assert {"escalation", "defence"} <= set(keys)
    assert "first_contact" in [rule.key for rule in rules_of(definition_parse(livp, "livp"))]


def test_every_requirement_id_in_a_preset_names_a_rule_of_that_preset():
    for code, data in load_presets().items():
        spec = definition_parse(data, code)
        keys = {rule.key for rule in rules_of(spec)}
        assert set(spec.requirements) <= keys, code


@pytest.fixture
def lsr_autumn(db, secretariat, director, trainers, course):
    """Two LSR complaints received in September and October 2025, judged 15 November.

    F post Mon 6 Oct: inadmissible, answered, escalated, ruled by the director on 20 Oct
      (settlement due Mon 3 Nov) without asking the respondent for a defence.
    G e-mail Mon 1 Sep about trainer Tom: admissible; on 25 Sep, before its deadline of
      Mon 29 Sep, extended to Wed 15 Oct; findings shared 10 Oct and accepted 13 Oct.
    """
    tom = trainers[0]
    organisation_create(preset="lsr", auto_assign=False)
    c = SimpleNamespace()
    with at(2025, 9, 1):
        c.G = services.complaint_register(
            **complaint_data(actor=secretariat, channel="email", received_at=now(), course=course)
        )
    with at(2025, 9, 3):
        services.admissible_declare(
            complaint=c.G,
            actor=secretariat,
            category="trainer",
            respondent_type="person",
            respondent=tom,
        )
    with at(2025, 9, 25):
        services.settlement_extend(
            complaint=c.G,
            actor=secretariat,
            reason="De trainer is ziek.",
            new_due=dt.date(2025, 10, 15),
        )
    with at(2025, 10, 10):
        c.G.refresh_from_db()
        criteria = c.G.procedure_version.spec.criteria_for("trainer")
        services.findings_share(
            complaint=c.G,
            actor=tom,
            summary="De feedback ontbrak.",
            proposed_solution="Een gesprek.",
            judgements={cr.code: ("not_in_order", "Niet gehoord.") for cr in criteria},
        )
    with at(2025, 10, 13):
        services.findings_respond(complaint=c.G, actor=secretariat, agree=True)
    with at(2025, 10, 6):
        c.F = services.complaint_register(
            **complaint_data(actor=secretariat, channel="post", received_at=now())
        )
    with at(2025, 10, 7):
        services.inadmissible_declare(
            complaint=c.F, actor=secretariat, ground="other", reason="Geen klant van ons."
        )
    with at(2025, 10, 8):
        services.inadmissible_answer(complaint=c.F, actor=director, answer="U bent geen klant.")
    with at(2025, 10, 9):
        services.director_escalate(complaint=c.F, actor=secretariat)
    with at(2025, 10, 20):
        services.director_rule(
            complaint=c.F, actor=director, inadmissibility="justified", motivation="Geen klant."
        )
    with at(2025, 11, 15, 12):
        yield c


def test_lsr_5d_extension_told_in_time_keeps_the_settlement_rule(lsr_autumn, director):
    c = lsr_autumn
    overview = compliance_overview(
        user=director, start=dt.date(2025, 9, 1), end=dt.date(2025, 10, 31)
    )
    rows = rows_by_key(overview)
    assert rows["settle"].rule.requirement == "LSR-5d"
    # G was settled after its first deadline but within the extension told in time.
    assert figures(rows["settle"]) == (2, 0, set())
    assert figures(rows["acknowledgement_sent"]) == (2, 0, set())
    assert figures(rows["admissibility"]) == (2, 0, set())
    assert figures(rows["settlement"]) == (1, 0, set())
    assert figures(rows["escalation"]) == (1, 0, set())
    # LSR-6e: the director ruled on F without the respondent's defence.
    assert figures(rows["defence"]) == (0, 1, {c.F.number})
    assert "acknowledge" not in rows and "first_contact" not in rows


def test_compliance_page_in_english(livp_march, secretariat, login):
    page = login(secretariat).get("/en/naleving/", MARCH).content.decode()
    assert "Compliance with the complaint regulation" in page
    assert "Receipt acknowledged within 1 working day" in page
    assert "Cannot be proven from the data" in page


def test_livp_6_outcome_letters_state_reasons_and_by_when(livp_march, secretariat):
    from klachtroute.cases.models import Solution

    c = livp_march
    # A's solution states its reasons and date; B's (sent before letters had to) does not.
    Solution.objects.filter(complaint=c.A).update(
        reasons="De les viel uit.", remedy_due=dt.date(2025, 3, 21)
    )
    rows = rows_by_key(compliance_overview(user=secretariat, start=START, end=END))
    assert rows["outcome_letters"].rule.requirement == "LIVP-6"
    assert figures(rows["outcome_letters"]) == (1, 1, {c.B.number})
