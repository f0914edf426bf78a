"""The public complaint regulation (`/klachtenregeling/`): written from the procedure
version in force, in Dutch and English, also as a PDF, linked from the public form."""

import copy
import datetime as dt
import html
import io

import time_machine
from django.test import Client
from pypdf import PdfReader

from klachtroute.organisation.models import Organisation
from klachtroute.procedures.models import ProcedureVersion


def page(path: str = "/klachtenregeling/") -> str:
    response = Client().get(path)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_livp_regulation_tells_every_step_with_its_period_in_words(organisation):
    text = page()
    assert "Klachtenregeling van Testinstituut" in text
    assert "Binnen 1 werkdag na ontvangst bevestigen wij" in text
    assert "laten wij weten wie uw klacht behandelt" in text  # LIVP-3
    assert "Een trainer die uw cursus of opleiding niet geeft" in text  # LIVP-4
    assert "Binnen 5 werkdagen na ontvangst neemt de behandelaar persoonlijk contact" in text
    assert "u en de beklaagde krijgen haar ter goedkeuring" in text  # LIVP-6
    assert "binnen 4 weken na ontvangst afgehandeld" in text  # LIVP-9
    assert "bewaren wij 5 jaar na afsluiting" in text  # LIVP-10


def test_livp_11_regulation_gives_the_third_partys_contact_details(organisation):
    text = page()
    assert "onafhankelijke derde, die een bindend advies geeft" in text
    assert "Mr. A. Derde" in text
    assert "derde@example.org" in text
    assert "06-12345678" in text


def test_regulation_says_where_to_complain_what_is_needed_free_and_confidential(organisation):
    Organisation.objects.update(address="Postbus 1\n8000 AA Zwolle", phone="038-1234567")
    text = page()
    assert "http://testserver/klacht/" in text
    assert "Per e-mail aan info@testinstituut.example." in text
    assert "Per post aan Testinstituut, Postbus 1, 8000 AA Zwolle." in text
    assert "038-1234567" in text
    # What is needed: the fields of the public form (LIVP-1).
    for label in ("Uw naam", "Telefoonnummer", "Datum van de klacht", "Cursus of opleiding"):
        assert label in text
    assert "Gewenste oplossing (niet verplicht)" in text
    assert "Een klacht indienen kost u niets." in text
    assert "Uw klacht wordt altijd vertrouwelijk behandeld." in text


def test_lsr_regulation_tells_routes_grounds_defence_and_the_director(lsr_organisation):
    text = page()
    version = ProcedureVersion.objects.get()
    spec = version.spec
    assert "Wij registreren uw klacht en bevestigen de ontvangst" in text  # LSR-4b
    assert "Het secretariaat beoordeelt of uw klacht ontvankelijk is" in text  # LSR-5a
    for category in spec.categories:  # LSR-5c, LSR-9
        assert category.label.nl in text
    assert "de examencommissie, volgens het examenreglement" in text
    for ground in spec.inadmissibility_grounds:
        assert ground.label.nl in text
    assert "binnen 4 weken na ontvangst afgehandeld" in text  # LSR-6c
    assert "met de reden en wanneer u een besluit kunt verwachten" in text  # LSR-5d
    assert "Dan kunt u zich wenden tot de directeur" in text  # LSR-6d
    assert "info@testinstituut.example" in text
    assert "10 werkdagen om op uw klacht te reageren" in text  # LSR-6e
    assert "Daarmee eindigt de procedure." in text  # LSR-6f
    assert "onafhankelijke derde" not in text


def test_regulation_in_english(organisation):
    text = page("/en/klachtenregeling/")
    assert "Within 1 working day of receipt we confirm" in text
    assert "within 4 weeks of receipt" in text
    assert "Making a complaint costs you nothing." in text
    assert "Your complaint is always treated confidentially." in text


def test_regulation_as_pdf(organisation):
    response = Client().get("/klachtenregeling/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Binnen 1 werkdag na ontvangst" in text
    assert "Mr. A. Derde" in text


def test_public_form_links_to_the_regulation(organisation):
    assert 'href="/klachtenregeling/"' in page("/klacht/")


def test_lsr_12_regulation_follows_a_new_version_on_the_day_it_takes_effect(organisation):
    current = ProcedureVersion.objects.get()
    definition = copy.deepcopy(current.definition)
    definition["deadlines"]["settle"] = "6 weeks"
    definition["version"] = "2"
    with time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False):
        ProcedureVersion.objects.create(
            procedure=current.procedure,
            label="2",
            effective_from=dt.date(2026, 3, 3),
            definition=definition,
        )
        assert "binnen 4 weken na ontvangst afgehandeld" in page()
    with time_machine.travel(dt.datetime(2026, 3, 3, 12), tick=False):
        text = page()
        assert "binnen 6 weken na ontvangst afgehandeld" in text
        assert "versie 2, geldig vanaf 3 maart 2026" in text


def test_awb_9_regulation_tells_the_copy_the_hearing_setting_aside_and_the_ombudsman(
    awb_organisation,
):
    text = page()
    assert "krijgt een afschrift van uw klacht en de stukken" in text  # AWB-9:9
    assert "gelegenheid om te worden gehoord" in text and "binnen 2 weken" in text  # AWB-9:10
    assert "binnen 6 weken na ontvangst afgehandeld" in text  # AWB-9:11
    assert "schriftelijk en met redenen" in text  # AWB-9:12
    # AWB-9:8: the grounds for not handling a complaint, and the period to say so.
    assert "Wanneer nemen wij een klacht niet in behandeling?" in text
    assert "meer dan een jaar voor het indienen van de klacht" in text
    assert "binnen 4 weken na ontvangst schriftelijk, met de grond" in text
    # The next instance is the Nationale ombudsman, with contact details and period, from
    # the definition; the Awb procedure has no director to turn to and nothing to approve.
    assert "Nationale ombudsman" in text and "Postbus 93122" in text
    assert "binnen een jaar na deze uitkomst" in text
    assert "wenden tot de directeur" not in text
    assert "ter goedkeuring" not in text
    english = page("/en/klachtenregeling/")
    assert "National Ombudsman" in english and "within one year of this outcome" in english
