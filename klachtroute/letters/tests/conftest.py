"""A LIVP complaint from someone without an e-mail address, and helpers to read PDFs."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from klachtroute.cases.services import complaint_register, settlement_extend
from klachtroute.notifications.models import OutboxMessage, OutboxStatus
from klachtroute.testing.factories import complaint_data

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ADDRESS = "Dorpsstraat 12\n1234 AB Ergenshuizen"


def pdf_text(data: bytes) -> str:
    """The text of a PDF with its whitespace flattened, as a reader would check it."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def letterhead(organisation):
    organisation.name = "Instituut Voorbeeld"
    organisation.address = "Stationsplein 4\n3511 ED Utrecht"
    organisation.phone = "030-1234567"
    organisation.website = "https://www.instituut.example"
    organisation.save()
    return organisation


@pytest.fixture
def by_post(letterhead, course, trainers):
    """Registered through the web form without an e-mail address; assigned automatically
    to Theo (the trainer who does not teach the course), who then extends the deadline."""
    received = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)  # a Monday
    with time_machine.travel(received, tick=False):
        complaint = complaint_register(
            **complaint_data(
                received_at=received,
                complainant_name="Petra de Vries",
                complainant_email="",
                complainant_address=ADDRESS,
                course=course,
            )
        )
    complaint.refresh_from_db()
    assert complaint.handler == trainers[2]
    with time_machine.travel(received + dt.timedelta(days=3), tick=False):
        settlement_extend(
            complaint=complaint,
            actor=complaint.handler,
            reason="Wij wachten op de verklaring van een tweede cursist.",
            new_due=complaint.settle_due + dt.timedelta(days=14),
        )
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def letter(by_post):
    return OutboxMessage.objects.get(
        complaint=by_post, kind="extension_notice", status=OutboxStatus.TO_POST
    )


from klachtroute.cases.tests.conftest import login  # noqa: E402, F401
