"""The compliance overview: per procedure version, every rule the data can prove, checked
against complaints whose compliance each test sets up by hand (some on time, some late)."""

import copy
import csv
import datetime as dt
import io
import json
from types import SimpleNamespace

import pytest
from django.utils import timezone
from pypdf import PdfReader

from klachtroute.cases import services
from klachtroute.cases.models import Complaint
from klachtroute.procedures.definition import definition_parse
from klachtroute.procedures.presets import PRESET_DIR, load_presets
from klachtroute.reports.compliance import compliance_overview, rules_of
from klachtroute.reports.models import ComplianceVerdict, FactsPending
from klachtroute.testing.factories import complaint_data, letter_parts, organisation_create

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
        services.solution_propose(
            complaint=c.A, actor=theo, text="Extra uitleg.", **letter_parts("solution")
        )
    with at(2025, 3, 14):
        for party in ("complainant", "respondent"):
            services.solution_decide(complaint=c.A, actor=secretariat, party=party, approve=True)
    with at(2025, 3, 17):
        services.first_contact_record(
            complaint=c.B, actor=theo, method="phone", contacted_at=now() - dt.timedelta(hours=1)
        )
        services.solution_propose(
            complaint=c.B, actor=theo, text="Nieuw rooster.", **letter_parts("solution")
        )
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
            **letter_parts("findings"),
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
    Solution.objects.filter(complaint=c.B).update(reasons="", remedy_due=None)
    rows = rows_by_key(compliance_overview(user=secretariat, start=START, end=END))
    assert rows["outcome_letters"].rule.requirement == "LIVP-6"
    assert figures(rows["outcome_letters"]) == (1, 1, {c.B.number})


def test_livp_8_measures_count_as_kept_only_when_done_by_their_date(
    livp_march, secretariat, trainers
):
    """A's measure was done before its date, B's after it, C's is still open past it, D's was
    done before the day was recorded (it cannot prove when) and is not counted."""
    from klachtroute.measures.models import Measure
    from klachtroute.measures.services import measure_propose, measure_update

    c = livp_march
    theo = trainers[2]
    measures = {}
    with at(2025, 3, 20):
        for name in ("A", "B", "C", "D"):
            measures[name] = measure_propose(
                complaint=getattr(c, name),
                actor=secretariat,
                description=f"Maatregel {name}",
                owner=theo,
                due_date=dt.date(2025, 4, 30),
            )
    with at(2025, 4, 29):
        measure_update(measure=measures["A"], actor=theo, status="done", evaluation="Gedaan.")
    with at(2025, 5, 2):
        done_late = measure_update(
            measure=measures["B"], actor=theo, status="done", evaluation="Laat gedaan."
        )
    assert done_late.done_on == dt.date(2025, 5, 2)
    Measure.objects.filter(pk=measures["D"].pk).update(status="done", done_on=None)
    rows = rows_by_key(compliance_overview(user=secretariat, start=START, end=END))
    assert rows["measures"].rule.requirement == "LIVP-8"
    assert figures(rows["measures"]) == (1, 2, {c.B.number, c.C.number})


def test_compliance_defaults_to_this_year_to_date_with_quick_choices(
    livp_march, secretariat, login
):
    # Judged on 15 May 2025: the default is 1 January to 15 May 2025, which holds all five.
    client = login(secretariat)
    page = client.get("/naleving/").content.decode()
    assert "Periode: 1 januari 2025 tot en met 15 mei 2025" in page
    assert "5 klachten ontvangen in deze periode." in page
    assert 'href="?start=2025-01-01&amp;end=2025-05-15" aria-current="true">Dit jaar tot nu' in page
    assert 'href="?start=2024-01-01&amp;end=2024-12-31">Vorig jaar' in page
    last_year = client.get("/naleving/", {"start": "2024-01-01", "end": "2024-12-31"})
    assert "Geen klachten in deze periode." in last_year.content.decode()
    # The downloads without a period cover the same year to date.
    csv_response = client.get("/naleving/csv/")
    assert csv_response["Content-Disposition"].endswith('naleving-20250101-20250515.csv"')


@pytest.fixture
def awb_march(db, secretariat, director):
    """Four Awb complaints received by post in March 2025, judged on 15 May 2025.

    H Mon 3 Mar: respondent Rob, handler Hannah; copy to Rob, hearing skipped, reasoned
      outcome Fri 4 Apr (settlement due Mon 14 Apr) stating what is done and by when.
    I Tue 4 Mar: the same steps, outcome Thu 24 Apr (due Tue 15 Apr: late); afterwards the
      data shows no copy to the respondent and an outcome without conclusions (as from
      before letters had to be complete).
    J Wed 5 Mar: set aside Mon 10 Mar (the complainant is to be told within four weeks: by
      Wed 2 Apr).
    K Thu 6 Mar: set aside Tue 8 Apr (due Thu 3 Apr: late).
    """
    from klachtroute.cases.models import Ruling
    from klachtroute.testing.factories import UserFactory

    hannah = UserFactory(username="hannah", first_name="Hannah", is_staff_member=True)
    rob = UserFactory(username="rob", first_name="Rob", is_staff_member=True)
    organisation_create(preset="awb9", auto_assign=False)
    c = SimpleNamespace()

    def register(name):
        return services.complaint_register(
            **complaint_data(
                actor=secretariat,
                channel="post",
                received_at=now(),
                complainant_name=name,
                complainant_address="Stationsweg 1\n1234 AB Utrecht",
            )
        )

    def take_up(complaint):
        services.respondent_set(
            complaint=complaint, actor=secretariat, respondent_type="person", respondent=rob
        )
        services.complaint_assign_handler(complaint=complaint, handler=hannah, actor=secretariat)
        services.respondent_copy_send(complaint=complaint, actor=hannah)
        services.hearing_skip(complaint=complaint, actor=hannah, reason="complainant_waived")

    def decide(complaint):
        services.outcome_decide(
            complaint=complaint,
            actor=hannah,
            findings="De brief kwam te laat.",
            decision="partly_founded",
            motivation="Er was een reden, maar geen bericht.",
            **letter_parts("outcome"),
        )

    with at(2025, 3, 3):
        c.H = register("Hans Hoek")
        take_up(c.H)
    with at(2025, 3, 4):
        c.I = register("Ilse Ivens")
        take_up(c.I)
    with at(2025, 3, 5):
        c.J = register("Jan Jansen")
    with at(2025, 3, 6):
        c.K = register("Kees Kok")
    with at(2025, 3, 10):
        services.complaint_set_aside(
            complaint=c.J, actor=secretariat, ground="more_than_a_year", reason="Uit 2022."
        )
    with at(2025, 4, 4):
        decide(c.H)
    with at(2025, 4, 8):
        services.complaint_set_aside(
            complaint=c.K, actor=secretariat, ground="handled_before", reason="Al behandeld."
        )
    with at(2025, 4, 24):
        decide(c.I)
    Complaint.objects.filter(pk=c.I.pk).update(respondent_copy_sent_at=None)
    Ruling.objects.filter(complaint=c.I).update(conclusions="", remedy="")
    with at(2025, 5, 15, 12):
        yield c


def test_awb_9_compliance_figures_match_complaints_set_up_by_hand(awb_march, secretariat):
    c = awb_march
    overview = compliance_overview(user=secretariat, start=START, end=END)
    assert overview.versions[0].complaints == 4
    rows = rows_by_key(overview)
    assert figures(rows["settle"]) == (3, 1, {c.I.number})
    assert figures(rows["set_aside"]) == (1, 1, {c.K.number})
    assert figures(rows["handler_policy"]) == (2, 0, set())
    assert figures(rows["respondent_copy"]) == (1, 1, {c.I.number})
    assert figures(rows["hearing"]) == (2, 0, set())
    assert figures(rows["settlement"]) == (2, 0, set())
    assert figures(rows["outcome_letters"]) == (1, 1, {c.I.number})
    assert figures(rows["retention"]) == (4, 0, set())
    assert not rows["yearly_register"].rule.provable
    ids = {key: row.rule.requirement for key, row in rows.items()}
    assert ids["settle"] == "AWB-9:11" and ids["respondent_copy"] == "AWB-9:9"
    assert ids["set_aside"] == "AWB-9:8" and ids["hearing"] == "AWB-9:10"


def test_awb_9_the_overview_lists_no_row_for_a_step_the_procedure_does_not_have(
    awb_march, secretariat, login
):
    rows = rows_by_key(compliance_overview(user=secretariat, start=START, end=END))
    # The Awb procedure has no director's ruling, no defence, no third party, no approval.
    assert not {"escalation", "defence", "admissibility", "first_contact"} & set(rows)
    page = login(secretariat).get("/naleving/", MARCH).content.decode()
    assert "Uitspraak van de directeur" not in page
    assert "onafhankelijke derde" not in page
    assert "Oplossing door klager en beklaagde goedgekeurd" not in page


def test_awb_9_page_csv_and_pdf_give_the_same_figures(awb_march, secretariat, login):
    c = awb_march
    client = login(secretariat)
    page = client.get("/naleving/", MARCH).content.decode()
    assert f'href="/zaken/{c.I.number}/"' in page and "AWB-9:12a" in page
    text = client.get("/naleving/csv/", MARCH).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    by_id = {row[1]: row for row in rows[1:] if row[1] in ("AWB-9:11", "AWB-9:8", "AWB-9:12a")}
    assert by_id["AWB-9:11"][3:7] == ["3", "1", "75,0", c.I.number]
    assert by_id["AWB-9:8"][3:7] == ["1", "1", "50,0", c.K.number]
    assert by_id["AWB-9:12a"][3:6] == ["", "", ""]
    pdf = client.get("/naleving/pdf/", MARCH)
    reader = PdfReader(io.BytesIO(pdf.content))
    pdf_text = "\n".join(p.extract_text() for p in reader.pages)
    assert "AWB-9:9" in pdf_text and c.I.number in pdf_text and c.K.number in pdf_text


def test_lsr_8c_measures_and_the_csv_agree_with_complaints_set_up_by_hand(
    lsr_autumn, director, trainers, login
):
    """G's measure (due Fri 31 Oct) was done on Thu 30 Oct; F's (due Fri 7 Nov) is still
    open on 15 November: LSR-8c is kept once and broken once."""
    from klachtroute.measures.services import measure_propose, measure_update

    c = lsr_autumn
    tom = trainers[0]
    with at(2025, 10, 21):
        on_time = measure_propose(
            complaint=c.G,
            actor=director,
            description="Feedback binnen twee weken.",
            owner=tom,
            due_date=dt.date(2025, 10, 31),
        )
        measure_propose(
            complaint=c.F,
            actor=director,
            description="Toelatingseisen op de website.",
            owner=director,
            due_date=dt.date(2025, 11, 7),
        )
    with at(2025, 10, 30):
        measure_update(measure=on_time, actor=tom, status="done", evaluation="Werkt.")
    period = {"start": "2025-09-01", "end": "2025-10-31"}
    rows = rows_by_key(
        compliance_overview(user=director, start=dt.date(2025, 9, 1), end=dt.date(2025, 10, 31))
    )
    assert rows["measures"].rule.requirement == "LSR-8c"
    assert figures(rows["measures"]) == (1, 1, {c.F.number})
    # No row for a step the LSR regulation does not have.
    assert not {"first_contact", "acknowledge_names_handler", "hearing", "set_aside"} & set(rows)
    text = login(director).get("/naleving/csv/", period).content.decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    measures = next(row for row in csv_rows[1:] if row[1] == "LSR-8c")
    assert measures[3:7] == ["1", "1", "50,0", c.F.number]
    defence = next(row for row in csv_rows[1:] if row[1] == "LSR-6e")
    assert defence[3:7] == ["0", "1", "0,0", c.F.number]


def _judged_complaint_by_complaint(start, end, today):
    """The overview's counts, computed the slow way: every rule's judge over every complaint
    of the period, here and now."""
    counts = {}
    for complaint in Complaint.objects.select_related("procedure_version").order_by("pk"):
        received = timezone.localtime(complaint.received_at).date()
        if not start <= received <= end:
            continue
        for rule in rules_of(complaint.procedure_version.spec):
            if rule.judge is None:
                continue
            verdict = rule.judge(complaint, today)
            key = (complaint.procedure_version_id, rule.key)
            complied, not_complied = counts.get(key, (0, 0))
            counts[key] = (complied + (verdict is True), not_complied + (verdict is False))
    return counts


def _overview_counts(overview):
    return {
        (version.version.pk, result.rule.key): (result.complied, result.not_complied)
        for version in overview.versions
        for result in version.rules
        if result.rule.provable and result.counted
    }


@pytest.mark.parametrize("later", [dt.date(2025, 3, 20), dt.date(2025, 5, 15)])
def test_compliance_kept_per_complaint_equals_the_rules_judged_complaint_by_complaint(
    livp_march, awb_march, secretariat, later
):
    """The overview reads verdicts kept per complaint; on any later day they are the same
    as judging every complaint again, with deadlines that passed in between counted."""
    with at(2025, 3, 12):
        compliance_overview(user=secretariat, start=START, end=END)  # judged on 12 March
    with at(later.year, later.month, later.day, 12):
        overview = compliance_overview(user=secretariat, start=START, end=END)
        expected = _judged_complaint_by_complaint(START, END, later)
    assert _overview_counts(overview) == {k: v for k, v in expected.items() if sum(v)}
    assert len(overview.versions) == 2


def test_a_running_deadline_counts_as_missed_once_it_passes_without_judging_again(
    db, secretariat, trainers, course
):
    """A first-contact deadline still running is not counted; on the day after it, the
    overview counts it as missed from the verdict it kept (nothing is judged again)."""
    organisation_create(preset="livp", auto_assign=False)
    with at(2025, 3, 3, 10):
        complaint = services.complaint_register(
            **complaint_data(received_at=now(), course=course, respondent_type="organisation")
        )
        services.complaint_assign_handler(
            complaint=complaint, handler=trainers[2], actor=secretariat
        )
        rows = rows_by_key(compliance_overview(user=secretariat, start=START, end=END))
        assert figures(rows["first_contact"]) == (0, 0, set())
    kept = ComplianceVerdict.objects.get(complaint=complaint, rule="first_contact")
    assert kept.verdict is None and kept.verdict_then is False
    assert FactsPending.objects.count() == 0
    due = Complaint.objects.get(pk=complaint.pk).first_contact_due
    assert kept.changes_on == due + dt.timedelta(days=1)

    with at(due.year, due.month, due.day, 23):
        rows = rows_by_key(compliance_overview(user=secretariat, start=START, end=END))
        assert figures(rows["first_contact"]) == (0, 0, set())
    day_after = due + dt.timedelta(days=1)
    with at(day_after.year, day_after.month, day_after.day, 9):
        rows = rows_by_key(compliance_overview(user=secretariat, start=START, end=END))
        assert figures(rows["first_contact"]) == (0, 1, {complaint.number})
    assert ComplianceVerdict.objects.get(pk=kept.pk).verdict is None  # read, not judged again


def test_livp_4_a_trainer_added_to_the_course_makes_the_handler_not_independent(
    db, secretariat, trainers, course
):
    organisation_create(preset="livp", auto_assign=False)
    tom, tessa, theo = trainers
    with at(2025, 3, 3, 10):
        complaint = services.complaint_register(
            **complaint_data(received_at=now(), course=course, respondent_type="organisation")
        )
        services.complaint_assign_handler(complaint=complaint, handler=theo, actor=secretariat)
        rows = rows_by_key(compliance_overview(user=secretariat, start=START, end=END))
        assert figures(rows["handler_policy"]) == (1, 0, set())
        course.trainers.add(theo)
        rows = rows_by_key(compliance_overview(user=secretariat, start=START, end=END))
        assert figures(rows["handler_policy"]) == (0, 1, {complaint.number})


def test_compliance_names_the_failing_complaints_in_the_order_they_were_received(
    db, secretariat, course
):
    """Registered in another order than received (a letter typed in days later), the
    failing complaints of a rule are named by their time of receipt, within a day too."""
    from .conftest import AMS

    organisation_create(preset="livp", auto_assign=False)
    received = [
        dt.datetime(2025, 3, 4, 15, tzinfo=AMS),
        dt.datetime(2025, 3, 4, 9, tzinfo=AMS),
        dt.datetime(2025, 3, 3, 16, tzinfo=AMS),
        dt.datetime(2025, 3, 4, 11, tzinfo=AMS),
    ]
    number_of = {}
    with at(2025, 3, 5, 10):
        for when in received:
            complaint = services.complaint_register(
                **complaint_data(received_at=when, course=course, respondent_type="organisation")
            )
            number_of[when] = complaint.number
    with at(2025, 5, 15, 12):
        rows = rows_by_key(compliance_overview(user=secretariat, start=START, end=END))

    assert [c.number for c in rows["acknowledge"].failing] == [
        number_of[when] for when in sorted(received)
    ]


def test_compliance_overview_queries_do_not_grow_with_the_complaints(
    db, secretariat, trainers, course
):
    """The overview of a period costs the same number of queries for 3 complaints as for 12
    (once their verdicts are kept), and lists at most a page of failing complaints a rule."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    organisation_create(preset="livp", auto_assign=False)

    def register(n):
        with at(2025, 3, 3, 10):
            for _ in range(n):
                services.complaint_register(
                    **complaint_data(
                        received_at=now(), course=course, respondent_type="organisation"
                    )
                )

    def queries():
        with at(2025, 5, 15, 12):
            compliance_overview(user=secretariat, start=START, end=END)  # keeps the verdicts
            with CaptureQueriesContext(connection) as captured:
                rows = rows_by_key(compliance_overview(user=secretariat, start=START, end=END))
        return len(captured), rows

    register(3)
    few, rows = queries()
    assert figures(rows["acknowledge"])[:2] == (0, 3)
    register(9)
    many, rows = queries()
    assert figures(rows["acknowledge"])[:2] == (0, 12)
    assert many == few


def test_facts_of_a_batch_cost_as_many_queries_for_two_complaints_as_for_all(
    livp_march, awb_march, secretariat, trainers
):
    """Computing the facts and verdicts of a batch reads what every complaint's rules need
    (handler, course and its trainers, solutions and their approvals, findings, rulings,
    defence, measures) a batch at once: two complaints cost as many queries as all of them,
    and the verdicts kept are those judged complaint by complaint."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from klachtroute.measures.services import measure_propose
    from klachtroute.reports.facts import facts_compute
    from klachtroute.reports.models import ComplaintFacts

    with at(2025, 3, 20):
        for complaint in (livp_march.A, livp_march.C):
            measure_propose(
                complaint=complaint,
                actor=secretariat,
                description="Maatregel",
                owner=trainers[2],
                due_date=dt.date(2025, 4, 30),
            )
    ids = list(Complaint.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) >= 8

    def queries(batch):
        ComplianceVerdict.objects.all().delete()
        ComplaintFacts.objects.all().delete()
        with at(2025, 5, 15, 12), CaptureQueriesContext(connection) as captured:
            assert facts_compute(batch) == len(batch)
        return len(captured)

    few = queries(ids[:2])
    many = queries(ids)
    assert many == few
    with at(2025, 5, 15, 12):
        overview = compliance_overview(user=secretariat, start=START, end=END)
    expected = _judged_complaint_by_complaint(START, END, dt.date(2025, 5, 15))
    assert _overview_counts(overview) == {k: v for k, v in expected.items() if sum(v)}
    assert _overview_counts(overview)[livp_march.A.procedure_version_id, "measures"] == (0, 2)
