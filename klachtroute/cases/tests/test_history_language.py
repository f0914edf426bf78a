"""The history reads as a person reads: plain Dutch on the Dutch page, plain English on the
English one, whoever wrote each event in whichever language; no internal keys, field names
or codes; dates the way the page's language writes them; the dossier says the same."""

import datetime as dt
import hashlib
import hmac
import json
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone, translation

from klachtroute.cases.events import event_record
from klachtroute.cases.hashing import event_chain_hash
from klachtroute.cases.history import history_verify
from klachtroute.cases.models import (
    Channel,
    ContactMethod,
    Event,
    Party,
    Ruling,
)
from klachtroute.cases.phrases import Phrase, day, label, plural
from klachtroute.cases.services import (
    admissible_declare,
    binding_advice_record,
    complaint_assign_handler,
    complaint_register,
    defence_request,
    defence_submit,
    director_escalate,
    director_rule,
    findings_respond,
    findings_share,
    first_contact_record,
    no_agreement_declare,
    procedure_send,
    respondent_set,
    solution_decide,
    solution_propose,
    third_party_appeal,
)
from klachtroute.cases.workflow import EventKind, State
from klachtroute.testing.criteria import criteria_judged
from klachtroute.testing.factories import UserFactory, complaint_data, letter_parts
from klachtroute.testing.pdf import pdf_text

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
# Monday 2 March 2026: every date in these histories is known.
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMS)

SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
NUMERIC_DATE = re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")
# The codes the history stores (states, event kinds, parties, channels, contact methods,
# decisions, LSR categories and criteria judgements).
CODES = {
    *State.values,
    *(kind.value for kind in EventKind),
    *Party.values,
    *Channel.values,
    *ContactMethod.values,
    *Ruling.Decision.values,
    *("procedure", "staff", "trainer", "exam"),
    *("in_order", "not_in_order", "not_applicable"),
}
# A field name followed by a code: "kind: acknowledgement", "category: staff".
FIELD_CODE = re.compile(r"\b([a-z_]+)\s*:\s*([a-z_]+)\b")
# Codes that are also ordinary Dutch words on a Dutch page.
DUTCH_WORDS = {"post", "procedure"}


def history_of(page: str) -> str:
    """The words of the history section of a record page, without markup."""
    start = page.index('id="history-title"')
    section = page[start : page.index("</section>", start)]
    text = re.sub(r"<[^>]+>", " ", section)
    return re.sub(r"\s+", " ", text)


def assert_no_keys_or_codes(text: str, *, dutch: bool) -> None:
    assert SNAKE_CASE.findall(text) == []
    assert NUMERIC_DATE.findall(text) == []
    assert [pair for pair in FIELD_CODE.findall(text) if pair[1] in CODES] == []
    if dutch:  # in English "complainant" or "staff" are words; in Dutch they are codes
        words = set(re.findall(r"[a-z_]+", text))
        assert words & (CODES - DUTCH_WORDS) == set()


@pytest.fixture
def livp_complaint(organisation, secretariat, trainers, course):
    """An LIVP complaint taken to binding advice, half of it by people working in English."""
    handler = trainers[2]  # does not teach the course, so may handle it
    with time_machine.travel(MONDAY, tick=False):
        complaint = complaint_register(
            **complaint_data(actor=secretariat, channel="post", course=course)
        )
        complaint_assign_handler(complaint=complaint, handler=handler, actor=secretariat)
    with time_machine.travel(MONDAY + dt.timedelta(hours=3), tick=False):
        with translation.override("en"):
            first_contact_record(
                complaint=complaint, actor=handler, method="phone", contacted_at=timezone.now()
            )
            respondent_set(
                complaint=complaint,
                actor=handler,
                respondent_type="person",
                respondent=trainers[0],
            )
            solution_propose(
                complaint=complaint,
                actor=handler,
                text="Excuses en een gesprek.",
                **letter_parts("solution"),
            )
        solution_decide(
            complaint=complaint,
            actor=None,
            party="complainant",
            approve=False,
            reason="Een gesprek is niet genoeg.",
        )
        with translation.override("en"):
            no_agreement_declare(complaint=complaint, actor=handler)
        third_party_appeal(complaint=complaint, party="complainant")
        binding_advice_record(
            complaint=complaint,
            party="third_party",
            advice="Bied schriftelijk excuses aan.",
            follow_ups=["Schriftelijke excuses", "Evaluatie van de les"],
            remedy_due=dt.date(2026, 4, 1),
            **letter_parts("binding_advice", remedy_due=True),
        )
    complaint.refresh_from_db()
    assert complaint.state == State.ADVICE_FOLLOW_UP
    return complaint


@pytest.fixture
def lsr_complaint(lsr_organisation, secretariat, director):
    """An LSR complaint about a staff member, taken to the director's ruling."""
    staff = UserFactory(username="mw", first_name="Mira", last_name="Medewerker")
    staff.is_staff_member = True
    staff.save()
    with time_machine.travel(MONDAY, tick=False):
        complaint = complaint_register(**complaint_data(actor=secretariat, channel="email"))
        with translation.override("en"):
            admissible_declare(
                complaint=complaint,
                actor=secretariat,
                category="staff",
                respondent_type="person",
                respondent=staff,
            )
        criteria = complaint.procedure_version.spec.criteria_for("staff")
        findings_share(
            complaint=complaint,
            actor=staff,
            summary="Onderzocht.",
            proposed_solution="Een gesprek.",
            judgements={c.code: ("in_order", "") for c in criteria},
            **letter_parts("findings"),
        )
        findings_respond(complaint=complaint, party="complainant", agree=False, reason="Oneens.")
        procedure_send(complaint=complaint, actor=secretariat)
        director_escalate(complaint=complaint, party="complainant")
        with translation.override("en"):
            defence_request(complaint=complaint, actor=director, question="Uw kant?")
        defence_submit(complaint=complaint, party="respondent", defence="Mijn kant.")
        director_rule(
            complaint=complaint,
            actor=director,
            decision="founded",
            motivation="Zo is het.",
            judgements=criteria_judged(complaint, not_in_order=1, as_form=False),
            **letter_parts("ruling"),
        )
    complaint.refresh_from_db()
    assert complaint.state == State.SETTLED
    return complaint


def test_history_speaks_plain_dutch_and_plain_english_for_an_livp_complaint(
    client, secretariat, livp_complaint
):
    client.force_login(secretariat)
    dutch = history_of(client.get(f"/zaken/{livp_complaint.number}/").content.decode())
    english = history_of(client.get(f"/en/zaken/{livp_complaint.number}/").content.decode())

    assert_no_keys_or_codes(dutch, dutch=True)
    assert_no_keys_or_codes(english, dutch=False)
    # Written by someone working in English, read in Dutch; and the other way round.
    assert "Eerste persoonlijk contact (telefonisch), binnen de termijn." in dutch
    assert "Oplossing vastgelegd en ter fiattering gestuurd aan klager en beklaagde." in dutch
    assert "Geen overeenstemming." in dutch
    assert "Klager gaat niet akkoord met de oplossing: Een gesprek is niet genoeg." in dutch
    assert "Bindend advies vastgelegd; 2 punten voor de organisatie." in dutch
    assert "Klacht geregistreerd via post." in dutch
    assert "First personal contact (by phone), within the deadline." in english
    assert "Binding advice recorded; 2 items for the organisation." in english
    assert "Complaint registered via post." in english
    assert "telefonisch" not in english.lower() and "by phone" not in dutch
    # Who did it: the private link's party in the page's language, not as it was written.
    assert "Klager (via privélink)" in dutch and "(via private link)" not in dutch
    assert "Complainant (via private link)" in english and "privélink" not in english
    # The before/after column reads labels, not codes: the state by its name.
    assert "In behandeling" in dutch
    assert "In progress" in english


def test_history_speaks_plain_dutch_and_plain_english_for_an_lsr_complaint(
    client, secretariat, lsr_complaint
):
    client.force_login(secretariat)
    dutch = history_of(client.get(f"/zaken/{lsr_complaint.number}/").content.decode())
    english = history_of(client.get(f"/en/zaken/{lsr_complaint.number}/").content.decode())

    assert_no_keys_or_codes(dutch, dutch=True)
    assert_no_keys_or_codes(english, dutch=False)
    assert "Ontvankelijk; categorie: " in dutch and "Mira Medewerker" in dutch
    assert "Admissible; category: 2. Acts of a staff member" in english
    # The version in force, by its name and the date it took effect.
    assert "Klachtenreglement LSR (10 dec. 2014)" in dutch
    assert "Complainant (via private link)" in english and "Klager" not in english
    assert "Uitspraak van de directeur: Gegrond." in dutch
    assert "Director’s ruling: Upheld." in english
    # LSR-6e: ten working days after Monday 2 March 2026, the Dutch way and the English way.
    assert "uiterlijk 16 mrt. 2026" in dutch
    assert "16 Mar 2026" in english and "mrt." not in english


def test_history_dates_are_written_the_dutch_way_in_dutch(client, secretariat, livp_complaint):
    client.force_login(secretariat)
    dutch = history_of(client.get(f"/zaken/{livp_complaint.number}/").content.decode())
    english = history_of(client.get(f"/en/zaken/{livp_complaint.number}/").content.decode())

    assert "2 mrt. 2026, 10:00" in dutch
    assert "2 Mar 2026, 10:00" in english
    assert "march" not in dutch.lower() and "maart" not in english.lower()


def test_dossier_shows_the_same_history_texts_as_the_record_page(
    client, secretariat, lsr_complaint
):
    client.force_login(secretariat)
    dutch = pdf_text(client.get(f"/zaken/{lsr_complaint.number}/dossier.pdf").content)
    english = pdf_text(client.get(f"/en/zaken/{lsr_complaint.number}/dossier.pdf").content)
    flat_nl, flat_en = (re.sub(r"\s+", " ", text) for text in (dutch, english))

    assert "De klager heeft de klachtenprocedure ontvangen" in flat_nl
    assert "uiterlijk 16 mrt. 2026" in flat_nl
    assert "2 mrt. 2026, 10:00" in flat_nl
    assert "Defence requested from Mira Medewerker, due by 16 Mar 2026." in flat_en
    events_nl = flat_nl[flat_nl.rindex("Gebeurtenissen") :]
    events_en = flat_en[flat_en.rindex("Events") :]
    assert_no_keys_or_codes(events_nl, dutch=True)
    assert_no_keys_or_codes(events_en, dutch=False)


def _old_content_hash(*, number, at, actor_label, kind, summary, before, after) -> str:
    """The content hash as events were hashed before they kept a phrase."""
    payload = {
        "complaint": number,
        "at": at.astimezone(dt.UTC).isoformat(),
        "actor": None,
        "actor_label": actor_label,
        "kind": kind,
        "summary": summary,
        "before": before,
        "after": after,
    }
    canonical = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    key = settings.HISTORY_KEY.encode("utf-8")
    return hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def test_old_events_with_a_summary_only_still_show_and_verify(client, secretariat, livp_complaint):
    previous = livp_complaint.events.order_by("-id").first()
    at = timezone.now()
    fields = {
        "actor_label": "Systeem",
        "kind": "note",
        "summary": "Notitie van vóór de vertaalde geschiedenis.",
        "before": {},
        "after": {"state": "settled"},
    }
    content = _old_content_hash(number=livp_complaint.number, at=at, **fields)
    Event.objects.create(
        complaint=livp_complaint,
        at=at,
        content_hash=content,
        chain_hash=event_chain_hash(previous=previous.chain_hash, content_hash=content),
        **fields,
    )
    assert history_verify() == []

    client.force_login(secretariat)
    dutch = history_of(client.get(f"/zaken/{livp_complaint.number}/").content.decode())
    english = history_of(client.get(f"/en/zaken/{livp_complaint.number}/").content.decode())
    assert "Notitie van vóór de vertaalde geschiedenis." in dutch
    assert "Afgehandeld" in dutch  # its state by label, not "settled"
    assert "System" in english and "Systeem" not in english


def test_a_phrase_is_part_of_the_hash_so_editing_it_is_found(livp_complaint):
    assert history_verify() == []
    event = livp_complaint.events.exclude(message="").order_by("id")[2]
    Event.objects.filter(pk=event.pk).update(message_args={"how": "iets anders"})
    assert [p.event_id for p in history_verify()] == [event.pk]


def test_an_event_is_written_as_a_phrase_not_as_a_finished_sentence(livp_complaint):
    with pytest.raises(TypeError):
        event_record(
            complaint=livp_complaint,
            actor=None,
            kind=EventKind.DOCUMENT_ADDED,
            summary="Document toegevoegd: brief.pdf",  # type: ignore[arg-type]
        )


def test_a_phrase_is_written_in_the_language_it_is_read_in(livp_complaint):
    phrase = Phrase(
        "Termijn verlengd tot %(date)s: %(reason)s", date=day(dt.date(2026, 12, 1)), reason="X"
    )
    with translation.override("nl"):
        assert phrase.render() == "Termijn verlengd tot 1 dec. 2026: X"
    with translation.override("en"):
        assert phrase.render() == "Deadline extended to 1 Dec 2026: X"
    counted = plural(
        "Bindend advies vastgelegd; %(n)s punt voor de organisatie.",
        "Bindend advies vastgelegd; %(n)s punten voor de organisatie.",
        1,
        n=1,
    )
    with translation.override("en"):
        assert counted.render() == "Binding advice recorded; 1 item for the organisation."
    by_phone = Phrase("Klacht geregistreerd via %(channel)s.", channel=label(Channel.PHONE))
    with translation.override("en"):
        assert str(by_phone) == "Complaint registered via Phone."
    with translation.override("nl"):
        assert str(by_phone) == "Klacht geregistreerd via Telefoon."
