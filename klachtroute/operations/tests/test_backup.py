"""Issue 5, point 9: one command backs up the database and every upload, another
restores it into an empty installation, and nothing is lost on the way."""

import datetime as dt
import io
import tarfile
from pathlib import Path

import pytest
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from klachtroute.accounts.models import ApiToken, User
from klachtroute.cases.history import history_verify
from klachtroute.cases.models import Complaint, Document, Event
from klachtroute.cases.services import (
    complaint_assign_handler,
    complaint_register,
    first_contact_record,
    solution_propose,
)
from klachtroute.notifications.models import OutboxMessage
from klachtroute.operations.backup import backup_models
from klachtroute.organisation.models import ClosingDay, Course
from klachtroute.testing.factories import UserFactory, complaint_data, letter_parts

# flush needs real commits; the restore opens its own transaction.
pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def media_root(settings, tmp_path):
    """Point MEDIA_ROOT at a fresh folder; call again for another one."""

    def _use(name: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        settings.MEDIA_ROOT = folder
        return folder

    return _use


@pytest.fixture
def populated(organisation, course, secretariat, director, trainers, media_root):
    """An installation in use: complaints with events, an upload, messages, links."""
    media_root("uploads-before")
    posted = complaint_register(
        **complaint_data(
            actor=secretariat,
            channel="post",
            received_at=timezone.now() - dt.timedelta(hours=2),
            course=course,
            complainant_name="Petra Willems",
            complainant_email="petra@example.org",
            complainant_address="Dorpsstraat 1\n1234 AB Ergens",
            respondent_type="organisation",
            document=SimpleUploadedFile("brief van Petra.pdf", PDF, content_type="application/pdf"),
        )
    )
    if posted.handler_id is None:
        complaint_assign_handler(complaint=posted, handler=trainers[2], actor=secretariat)
    posted.refresh_from_db()
    first_contact_record(
        complaint=posted,
        actor=posted.handler,
        method="phone",
        contacted_at=timezone.now() - dt.timedelta(minutes=5),
        note="Gebeld; klager wil een gesprek. Ça va — één €.",
    )
    solution_propose(
        complaint=posted,
        actor=posted.handler,
        text="Excuses en een extra les.",
        **letter_parts("solution"),
    )
    complaint_register(
        **complaint_data(channel="web", course=course, complainant_name="Karel de Vries")
    )
    ClosingDay.objects.create(date=dt.date(2026, 12, 24), description="Kerstavond")
    ApiToken.objects.create_token(user=director, name="rapportage")
    return posted


def snapshot() -> dict[str, list[dict]]:
    """Every row of every backed-up model, with references by natural key where ids differ."""
    return {
        model._meta.label_lower: serializers.serialize(
            "python",
            model._default_manager.order_by(model._meta.pk.name),
            use_natural_foreign_keys=True,
        )
        for model in backup_models()
    }


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_backup_and_restore_round_trip_a_populated_installation(
    populated, media_root, tmp_path, settings
):
    before = snapshot()
    files_before = files_in(Path(settings.MEDIA_ROOT))
    assert files_before and PDF in files_before.values()
    for label in [
        "cases.complaint",
        "cases.event",
        "cases.document",
        "notifications.outboxmessage",
    ]:
        assert before[label], label
    archive = tmp_path / "klachtroute.tar.gz"

    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "Backup written" in out.getvalue()

    call_command("flush", interactive=False)
    after_root = media_root("uploads-after")
    assert not User.objects.exists() and not Complaint.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert "Restore done" in out.getvalue()
    assert snapshot() == before
    assert files_in(after_root) == files_before
    document = Document.objects.get()
    assert document.file.read() == PDF
    assert history_verify() == []


def test_after_a_restore_new_rows_get_the_next_numbers_and_ids(
    populated, media_root, tmp_path, course, trainers
):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    last = {
        model: model.objects.order_by("-pk").values_list("pk", flat=True).first()
        for model in [Complaint, Event, OutboxMessage, User]
    }
    links = Course.trainers.through.objects.count()
    numbers = sorted(Complaint.objects.values_list("number", flat=True))
    call_command("flush", interactive=False)
    media_root("uploads-after")
    call_command("restore", str(archive))

    fresh = complaint_register(
        **complaint_data(channel="web", course=course, complainant_name="Nieuwe Klager")
    )
    newcomer = UserFactory(username="nieuw", is_trainer=True)
    course.trainers.add(newcomer)

    prefix, sequence = numbers[-1].rsplit("-", 1)
    assert fresh.number == f"{prefix}-{int(sequence) + 1:0{len(sequence)}d}"
    assert fresh.pk > last[Complaint]
    assert Event.objects.filter(complaint=fresh).order_by("pk").first().pk > last[Event]
    assert (
        OutboxMessage.objects.filter(complaint=fresh).order_by("pk").first().pk
        > last[OutboxMessage]
    )
    assert newcomer.pk > last[User]
    # Many-to-many rows are restored without their ids; a new one must still fit in.
    assert Course.trainers.through.objects.count() == links + 1
    assert history_verify() == []


def test_restore_refuses_an_installation_that_is_not_empty(populated, media_root, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    complaints = Complaint.objects.count()
    media = media_root("uploads-other")

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))

    assert Complaint.objects.count() == complaints
    assert files_in(media) == {}


def _rewrite(archive: Path, damaged: Path, change) -> None:
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))


def test_restore_refuses_a_damaged_archive_and_leaves_nothing_behind(
    populated, media_root, tmp_path
):
    archive, damaged = tmp_path / "b.tar.gz", tmp_path / "damaged.tar.gz"
    call_command("backup", str(archive))
    _rewrite(
        archive,
        damaged,
        lambda name, data: data.replace(b"%%EOF", b"%%EOX") if name.startswith("media/") else data,
    )
    call_command("flush", interactive=False)
    media = media_root("uploads-after")

    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(damaged))

    assert not Complaint.objects.exists() and not User.objects.exists()
    assert files_in(media) == {}


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    not_a_backup = tmp_path / "photo.tar.gz"
    not_a_backup.write_bytes(b"nothing here")

    with pytest.raises(CommandError, match="not a readable"):
        call_command("restore", str(not_a_backup))


def test_backup_anchors_each_complaints_history_in_a_signed_checkpoint(
    populated, media_root, tmp_path
):
    import json

    from klachtroute.cases.history import checkpoint_open, history_verify_result

    archive = tmp_path / "klachtroute.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        assert manifest["history"]["member"] == "history-checkpoint.jsonl"
        tar.extract("history-checkpoint.jsonl", tmp_path, filter="data")
    checkpoint_file = tmp_path / "history-checkpoint.jsonl"
    lines = checkpoint_file.read_text().splitlines()
    anchored = {number: (events, head) for _, number, events, head in map(json.loads, lines[1:-1])}
    assert manifest["history"]["complaints"] == len(anchored) == Complaint.objects.count()
    for complaint in Complaint.objects.all():
        events = list(Event.objects.filter(complaint=complaint).order_by("id"))
        assert anchored[complaint.number] == (len(events), events[-1].chain_hash)
    assert json.loads(lines[-1])["signature"]
    # A database whose last event went missing after the backup no longer matches it.
    last = Event.objects.order_by("-id").first()
    Event.objects.filter(pk=last.pk).delete()
    with checkpoint_open(checkpoint_file) as checkpoint:
        problems = history_verify_result(checkpoint=checkpoint).problems
    assert [p.complaint_number for p in problems] == [last.complaint.number]
