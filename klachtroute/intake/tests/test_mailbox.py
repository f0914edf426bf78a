"""Complaints by e-mail, straight from the mailbox: a real dovecot over STARTTLS."""

import datetime as dt
from email.message import EmailMessage
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from klachtroute.cases.models import Complaint, InformationAdded
from klachtroute.cases.services import complaint_register
from klachtroute.intake import mail_services, mailbox
from klachtroute.intake.mail_services import (
    mailbox_fetch_claim,
    mailbox_fetch_scheduled,
    received_mail_store,
)
from klachtroute.intake.models import MailStatus, ReceivedMail
from klachtroute.notifications.models import OutboxMessage
from klachtroute.notifications.schedule import job_repeat, worker_jobs, worker_jobs_start
from klachtroute.testing.factories import complaint_data

from .imap_server import CuttingRelay

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.fixture(autouse=True)
def dutch():
    """The secretariat works in Dutch (an earlier test may have left English active)."""
    with translation.override("nl"):
        yield


def mail(
    subject="Klacht over de les van dinsdag",
    body="De trainer maakte opmerkingen over mijn afkomst.",
    sender="Fatma Yılmaz <fatma@example.org>",
    message_id="<klacht-1@example.org>",
    attachments=(),
    headers=None,
) -> bytes:
    message = EmailMessage()
    if sender:
        message["From"] = sender
    message["To"] = "klachten@instituut.example"
    message["Subject"] = subject
    message["Date"] = "Mon, 30 Nov 2026 09:15:00 +0100"
    if message_id:
        message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for name, content, maintype, subtype in attachments:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def fetch():
    call_command("fetch_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_new_mail_waits_for_the_secretariat_with_sender_text_attachment_and_original(
    organisation, imap
):
    imap.deliver(mail(attachments=[("verslag.pdf", PDF, "application", "pdf")]))

    fetch()

    received = ReceivedMail.objects.get()
    assert received.status == MailStatus.WAITING
    assert (received.sender_name, received.sender_email) == ("Fatma Yılmaz", "fatma@example.org")
    assert received.subject == "Klacht over de les van dinsdag"
    assert "opmerkingen over mijn afkomst" in received.body
    assert received.attachments == [{"name": "verslag.pdf", "size": len(PDF), "refused": ""}]
    assert b"Message-ID: <klacht-1@example.org>" in received.raw.open("rb").read()
    assert imap.handled() == [True]
    assert not Complaint.objects.exists()
    assert not OutboxMessage.objects.exists()  # nobody is acknowledged before the check


def test_a_message_fetched_twice_makes_one_entry(organisation, imap):
    imap.deliver(mail())
    imap.deliver(mail())  # the same Message-ID, e.g. delivered twice by the mail server

    fetch()
    fetch()

    assert ReceivedMail.objects.count() == 1
    assert imap.handled() == [True, True]


def test_a_crash_between_commit_and_flag_is_recovered_on_the_next_run(organisation, imap):
    imap.deliver(mail())

    def store_then_crash(raw, received_at):
        received_mail_store(raw=raw, received_at=received_at)
        raise KeyboardInterrupt  # the process is killed before the flag is set

    with pytest.raises(KeyboardInterrupt):
        mailbox.mailbox_fetch(store_then_crash)
    assert ReceivedMail.objects.count() == 1
    assert imap.handled() == [False]

    fetch()

    assert ReceivedMail.objects.count() == 1
    assert imap.handled() == [True]


def test_a_connection_dropped_mid_fetch_loses_nothing_and_doubles_nothing(
    organisation, imap, settings
):
    imap.deliver(mail(message_id="<klein@example.org>"))
    big = bytes(range(256)) * 1200  # ~300 kB: the connection drops inside this message
    imap.deliver(
        mail(
            message_id="<groot@example.org>",
            attachments=[("foto.png", b"\x89PNG\r\n\x1a\n" + big, "image", "png")],
        )
    )
    relay = CuttingRelay(imap.port, cut_after=60_000)
    settings.IMAP_PORT = relay.port
    try:
        with pytest.raises(CommandError, match="stopped early"):
            fetch()
    finally:
        relay.close()
    assert list(ReceivedMail.objects.values_list("message_id", flat=True)) == [
        "<klein@example.org>"
    ]
    assert imap.handled() == [True, False]

    settings.IMAP_PORT = imap.port
    fetch()

    assert sorted(ReceivedMail.objects.values_list("message_id", flat=True)) == [
        "<groot@example.org>",
        "<klein@example.org>",
    ]
    assert imap.handled() == [True, True]


def test_the_worker_fetches_the_mailbox_every_mail_fetch_interval(organisation, imap, settings):
    settings.MAIL_FETCH_INTERVAL = 90
    (job,) = worker_jobs()
    imap.deliver(mail(message_id="<m0@example.org>"))
    waits = []

    class Worker:
        """What happens between two runs: the interval passes, and a new message arrives."""

        def is_set(self) -> bool:
            return len(waits) == 2

        def wait(self, seconds: float) -> bool:
            waits.append(seconds)
            traveller.shift(seconds)
            imap.deliver(mail(message_id=f"<m{len(waits)}@example.org>"))
            return False

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        job_repeat(job, stop=Worker())

    assert waits == [90, 90]
    assert sorted(ReceivedMail.objects.values_list("message_id", flat=True)) == [
        "<m0@example.org>",
        "<m1@example.org>",
    ]
    assert imap.handled() == [True, True, False]  # the last one waits for the next turn


@pytest.mark.django_db(transaction=True)
def test_the_workers_mailbox_thread_keeps_fetching_beside_the_queue(organisation, imap, settings):
    import threading
    import time

    settings.MAIL_FETCH_INTERVAL = 1
    stop = threading.Event()
    imap.deliver(mail(message_id="<eerste@example.org>"))
    (thread,) = worker_jobs_start(worker_jobs(), stop=stop)
    try:
        deadline = time.monotonic() + 20
        while imap.handled() != [True] and time.monotonic() < deadline:
            time.sleep(0.2)
        imap.deliver(mail(message_id="<tweede@example.org>"))  # arrives after the first run
        while imap.handled() != [True, True] and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop.set()
        thread.join(20)

    assert not thread.is_alive()
    assert sorted(ReceivedMail.objects.values_list("message_id", flat=True)) == [
        "<eerste@example.org>",
        "<tweede@example.org>",
    ]


@pytest.mark.parametrize("host, interval", [("", 120), ("127.0.0.1", 0)])
def test_the_worker_reads_no_mailbox_when_none_is_configured_or_the_interval_is_zero(
    settings, host, interval
):
    settings.IMAP_HOST = host
    settings.MAIL_FETCH_INTERVAL = interval
    assert [job.name for job in worker_jobs()] == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_fetches_the_mailbox(organisation, imap, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    imap.deliver(mail())

    # --batch: each scheduled job runs once, then the queue is worked through.
    call_command("db_worker", batch=True, interval=0, startup_delay=False, stdout=StringIO())

    assert ReceivedMail.objects.get().message_id == "<klacht-1@example.org>"
    assert imap.handled() == [True]


def test_the_worker_skips_its_turn_when_the_timer_fetched_within_the_interval(
    organisation, imap, settings
):
    settings.MAIL_FETCH_INTERVAL = 120
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        imap.deliver(mail(message_id="<a@example.org>"))
        fetch()  # the systemd timer (or a person) runs fetch_mail
        imap.deliver(mail(message_id="<b@example.org>"))
        traveller.shift(60)

        assert mailbox_fetch_scheduled() is None
        assert imap.handled() == [True, False]

        traveller.shift(60)
        report = mailbox_fetch_scheduled()

    assert (report.fetched, report.new) == (1, 1)
    assert imap.handled() == [True, True]


def test_a_fetch_while_another_holds_the_mailbox_does_nothing_until_that_one_lets_go_or_dies(
    organisation, imap
):
    imap.deliver(mail())
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert mailbox_fetch_claim() is not None  # a fetch on another machine is running
        out = StringIO()
        call_command("fetch_mail", stdout=out)
        assert "Another fetch of the mailbox is running" in out.getvalue()
        assert not ReceivedMail.objects.exists()
        assert imap.handled() == [False]

        traveller.shift(dt.timedelta(minutes=10))  # it died without letting go
        fetch()

    assert ReceivedMail.objects.count() == 1
    assert imap.handled() == [True]


def test_two_fetches_reading_the_same_reply_at_once_add_it_to_its_complaint_once(
    open_complaint, imap, monkeypatch
):
    imap.deliver(
        mail(
            subject=f"Re: {open_complaint.number}",
            body="Nog één ding.",
            message_id="<tegelijk@example.org>",
        )
    )
    real_check = mail_services.attachments_checked
    other_fetch_ran = []

    def store(raw, received_at):
        return received_mail_store(raw=raw, received_at=received_at)

    def checked_while_another_fetch_stores_it(parsed):
        # This fetch has looked for the message and not found it; before it writes, the
        # other fetch (one that outlived its hold, say) stores the same message.
        if not other_fetch_ran:
            other_fetch_ran.append(True)
            assert mailbox.mailbox_fetch(store).new == 1
        return real_check(parsed)

    monkeypatch.setattr(mail_services, "attachments_checked", checked_while_another_fetch_stores_it)

    report = mailbox.mailbox_fetch(store)

    assert other_fetch_ran and (report.fetched, report.new) == (1, 0)
    assert ReceivedMail.objects.count() == 1
    assert InformationAdded.objects.filter(complaint=open_complaint).count() == 1
    assert Complaint.objects.count() == 1
    assert imap.handled() == [True]


@pytest.fixture
def open_complaint(organisation, course, secretariat):
    return complaint_register(
        **complaint_data(
            actor=secretariat,
            channel="email",
            complainant_email="fatma@example.org",
            course=course,
        )
    )


def test_a_reply_with_the_complaint_number_in_the_subject_is_added_to_that_complaint(
    open_complaint, imap
):
    imap.deliver(
        mail(
            subject=f"Re: uw klacht {open_complaint.number}",
            body="Hierbij nog het verslag van de les.",
            message_id="<reply-1@example.org>",
            attachments=[("verslag.pdf", PDF, "application", "pdf")],
        )
    )

    fetch()

    received = ReceivedMail.objects.get()
    assert received.status == MailStatus.ADDED
    assert received.complaint == open_complaint
    added = InformationAdded.objects.get(complaint=open_complaint)
    assert added.text == "Hierbij nog het verslag van de les."
    assert sorted(d.content_type for d in added.documents.all()) == [
        "application/pdf",
        "message/rfc822",
    ]
    assert Complaint.objects.count() == 1
    labels = set(
        open_complaint.events.filter(kind="document_added").values_list("actor_label", flat=True)
    )
    assert labels == {"Klager (per e-mail)"}


def test_information_from_an_emailed_reply_shows_in_the_history_as_from_the_complainant_by_email(
    open_complaint, secretariat, client, imap
):
    imap.deliver(
        mail(
            subject=f"Re: uw klacht {open_complaint.number}",
            body="Ik was er die dag niet.",
            message_id="<reply-history@example.org>",
        )
    )

    fetch()

    event = open_complaint.events.get(kind="information_added")
    assert event.actor_label == "Klager (per e-mail)"
    client.force_login(secretariat)
    page = client.get(reverse("cases:detail", args=[open_complaint.number])).content.decode()
    assert "Klager (per e-mail)" in page
    assert "Klager (via privélink)" not in page


def test_a_reply_to_a_message_about_the_complaint_is_added_through_in_reply_to(
    open_complaint, imap
):
    sent = OutboxMessage.objects.filter(complaint=open_complaint).exclude(message_id="").first()
    if sent is None:
        sent = OutboxMessage.objects.create(
            complaint=open_complaint,
            kind="test",
            subject="Uw klacht",
            body="…",
            to="fatma@example.org",
            message_id="<sent-1@instituut.example>",
            next_attempt_at=timezone.now(),
        )
    imap.deliver(
        mail(
            subject="Re: uw bericht",
            body="Ik kan donderdag langskomen.",
            message_id="<reply-2@example.org>",
            headers={"In-Reply-To": sent.message_id},
        )
    )

    fetch()

    assert ReceivedMail.objects.get().complaint == open_complaint
    assert InformationAdded.objects.get().text == "Ik kan donderdag langskomen."


def test_a_message_naming_a_complaint_from_another_address_waits_for_the_secretariat(
    open_complaint, imap
):
    imap.deliver(mail(subject=f"Re: {open_complaint.number}", sender="Iemand <iemand@example.net>"))

    fetch()

    assert ReceivedMail.objects.get().status == MailStatus.WAITING
    assert not InformationAdded.objects.exists()


@pytest.mark.parametrize(
    "headers, sender",
    [
        ({"Auto-Submitted": "auto-replied"}, "Fatma <fatma@example.org>"),
        ({"Precedence": "bulk"}, "Nieuwsbrief <nieuws@example.org>"),
        ({"List-Id": "<opleiders.lists.example.org>"}, "Lijst <lijst@example.org>"),
        ({}, "Mail Delivery System <MAILER-DAEMON@example.org>"),
        ({}, ""),
    ],
    ids=["auto-reply", "precedence-bulk", "mailing-list", "bounce", "empty-sender"],
)
def test_mail_sent_by_a_machine_never_reaches_an_acknowledgement(
    organisation, course, secretariat, client, imap, headers, sender
):
    imap.deliver(mail(headers=headers, sender=sender))

    fetch()

    received = ReceivedMail.objects.get()
    assert received.status == MailStatus.AUTOMATIC
    client.force_login(secretariat)
    page = client.get(reverse("intake:mail_detail", args=[received.pk]))
    assert "door een machine verstuurd" in page.content.decode()
    response = client.post(
        reverse("intake:mail_detail", args=[received.pk]),
        {
            "action": "register",
            "complainant_name": "Wie dan ook",
            "complainant_email": "fatma@example.org",
            "complainant_language": "nl",
            "course": str(course.pk),
            "complaint_date": timezone.localdate().isoformat(),
            "description": "Een automatisch bericht dat geen klacht is.",
            "respondent_type": "unknown",
        },
    )
    assert response.status_code == 400
    assert not Complaint.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_dangerous_and_oversized_attachments_are_refused_and_the_secretariat_sees_why(
    organisation, secretariat, client, imap, settings
):
    settings.UPLOAD_MAX_BYTES = 100_000
    imap.deliver(
        mail(
            attachments=[
                ("verslag.pdf", PDF, "application", "pdf"),
                ("factuur.pdf.exe", EXE, "application", "octet-stream"),
                ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 120_000, "image", "png"),
            ]
        )
    )

    fetch()

    received = ReceivedMail.objects.get()
    refused = {a["name"]: a["refused"] for a in received.refused_attachments}
    assert "niet toegestaan" in refused["factuur.pdf.exe"]
    assert "te groot" in refused["scan.png"]
    assert "e-mail.eml" in refused  # the whole message is too large to be a document too
    client.force_login(secretariat)
    text = client.get(reverse("intake:mail_detail", args=[received.pk])).content.decode()
    assert "factuur.pdf.exe" in text and "Dit soort bestand is niet toegestaan" in text
    assert "Het bestand is te groot" in text


def registration_post(course, **overrides):
    data = {
        "action": "register",
        "complainant_name": "Fatma Yılmaz",
        "complainant_email": "fatma@example.org",
        "complainant_language": "nl",
        "course": str(course.pk),
        "complaint_date": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "description": "De trainer maakte opmerkingen over mijn afkomst.",
        "respondent_type": "unknown",
    }
    data.update(overrides)
    return data


def test_the_secretariat_completes_and_registers_a_mail_as_a_complaint_received_by_email(
    organisation, course, secretariat, client, imap
):
    imap.deliver(mail(attachments=[("verslag.pdf", PDF, "application", "pdf")]))
    fetch()
    received = ReceivedMail.objects.get()
    client.force_login(secretariat)
    page = client.get(reverse("intake:mail_detail", args=[received.pk])).content.decode()
    assert 'value="fatma@example.org"' in page  # the sender, ready as the complainant

    response = client.post(
        reverse("intake:mail_detail", args=[received.pk]), registration_post(course)
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[complaint.number])
    assert complaint.channel == "email"
    assert complaint.received_at == received.received_at
    assert complaint.course == course
    assert complaint.complainant_email == "fatma@example.org"
    assert sorted(d.original_name for d in complaint.documents.all()) == [
        "e-mail.eml",
        "verslag.pdf",
    ]
    received.refresh_from_db()
    assert (received.status, received.complaint, received.handled_by) == (
        MailStatus.REGISTERED,
        complaint,
        secretariat,
    )
    again = client.post(
        reverse("intake:mail_detail", args=[received.pk]), registration_post(course)
    )
    assert again.status_code == 400
    assert Complaint.objects.count() == 1  # a second click registers nothing twice


def test_the_secretariat_rejects_a_mail_as_not_a_complaint_and_the_reason_is_kept(
    organisation, secretariat, client, imap
):
    imap.deliver(mail(subject="Vraag over het rooster", body="Wanneer begint de cursus?"))
    fetch()
    received = ReceivedMail.objects.get()
    client.force_login(secretariat)
    url = reverse("intake:mail_detail", args=[received.pk])

    empty = client.post(url, {"action": "reject", "reason": " "})
    assert empty.status_code == 400
    response = client.post(url, {"action": "reject", "reason": "Een vraag over het rooster."})

    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == MailStatus.REJECTED
    assert received.reject_reason == "Een vraag over het rooster."
    assert received.raw.open("rb").read().startswith(b"From:")  # the message is kept
    assert not Complaint.objects.exists()
    listed = client.get(reverse("intake:mail_list") + "?status=rejected").content.decode()
    assert "Vraag over het rooster" in listed


def test_the_password_is_never_sent_unencrypted_to_another_machine(settings):
    settings.IMAP_HOST = "imap.example.org"
    settings.IMAP_SECURITY = "none"
    with pytest.raises(ImproperlyConfigured):
        mailbox.mailbox_fetch(lambda raw, received_at: True)


def test_the_retention_purge_removes_the_mail_a_complaint_came_from(
    organisation, course, secretariat, settings, django_capture_on_commit_callbacks
):
    from klachtroute.cases.services import complaint_withdraw
    from klachtroute.intake.mail_services import received_mail_register
    from klachtroute.privacy.services import complaint_purge

    received_mail_store(raw=mail(), received_at=timezone.now())
    received = ReceivedMail.objects.get()
    complaint = received_mail_register(
        mail=received,
        actor=secretariat,
        **{
            "complainant_name": "Fatma Yılmaz",
            "complainant_email": "fatma@example.org",
            "complainant_language": "nl",
            "course": course,
            "complaint_date": timezone.localdate(),
            "description": "De trainer maakte opmerkingen over mijn afkomst.",
        },
    )
    stored = settings.MEDIA_ROOT / received.raw.name
    assert stored.exists()
    complaint_withdraw(complaint=complaint, actor=secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        complaint_purge(complaint=complaint)

    assert not ReceivedMail.objects.exists()
    assert not stored.exists()


def _stored(secretariat, *, message_id, reject=False, **kwargs) -> ReceivedMail:
    from klachtroute.intake.mail_services import received_mail_reject

    received_mail_store(raw=mail(message_id=message_id, **kwargs), received_at=timezone.now())
    received = ReceivedMail.objects.get(message_id=message_id)
    if reject:
        received = received_mail_reject(mail=received, actor=secretariat, reason="Geen klacht.")
    return received


def _dated(received: ReceivedMail, when: dt.datetime) -> None:
    """As if the message came in (and was decided) at `when`."""
    ReceivedMail.objects.filter(pk=received.pk).update(
        received_at=when, handled_at=when if received.handled_at else None
    )


def test_mail_that_never_became_a_complaint_is_purged_with_its_eml_after_the_retention_period(
    organisation, secretariat, settings, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - dt.timedelta(days=5 * 366 + 2)  # past the five years of LIVP
    rejected = _stored(secretariat, message_id="<vraag@example.org>", reject=True)
    machine = _stored(
        secretariat,
        message_id="<afwezig@example.org>",
        headers={"Auto-Submitted": "auto-replied"},
    )
    waiting = _stored(secretariat, message_id="<wacht@example.org>")
    recent = _stored(secretariat, message_id="<recent@example.org>", reject=True)
    for received in (rejected, machine, waiting):
        _dated(received, long_ago)
    _dated(recent, timezone.now() - dt.timedelta(days=4 * 365))
    files = {r.message_id: settings.MEDIA_ROOT / r.raw.name for r in ReceivedMail.objects.all()}
    assert all(path.exists() for path in files.values())

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_expired", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert set(ReceivedMail.objects.values_list("message_id", flat=True)) == {
        "<wacht@example.org>",  # still waiting for the secretariat: never removed unseen
        "<recent@example.org>",
    }
    assert not files["<vraag@example.org>"].exists()
    assert not files["<afwezig@example.org>"].exists()
    assert files["<wacht@example.org>"].exists() and files["<recent@example.org>"].exists()


def test_mail_that_never_became_a_complaint_appears_in_the_30_day_retention_preview(
    organisation, secretariat, client, html
):
    today = timezone.localdate()
    soon = _stored(
        secretariat, message_id="<binnenkort@example.org>", reject=True, subject="Roostervraag"
    )
    later = _stored(secretariat, message_id="<later@example.org>", reject=True)
    # Kept five years from the day it was rejected: purged 20 days from now, or 40.
    kept_from = today.replace(year=today.year - 5) + dt.timedelta(days=20)
    _dated(soon, timezone.make_aware(dt.datetime.combine(kept_from, dt.time(12))))
    _dated(
        later,
        timezone.make_aware(dt.datetime.combine(kept_from, dt.time(12))) + dt.timedelta(days=20),
    )
    client.force_login(secretariat)

    response = client.get("/bewaartermijn/")  # the retention preview

    table = html(response).get("retention-mails").text
    assert f"E-mail {soon.pk}" in table
    assert f"E-mail {later.pk}" not in table
    assert "Geen klacht" in table
    purge_on = kept_from.replace(year=kept_from.year + 5) + dt.timedelta(days=1)
    assert f"{purge_on.day} " in table and str(purge_on.year) in table
    page = response.content.decode()
    assert "fatma@example.org" not in page and "Roostervraag" not in page  # no personal data
