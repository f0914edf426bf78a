"""Backing up a whole installation to one archive and restoring it into an empty one.

The archive is a gzipped tar with three parts:

- ``database.jsonl``: every row of every model, one JSON object per line (Django's
  ``jsonl`` serializer, so both writing and reading stream row by row). Content types
  and permissions are left out and referred to by natural key: a freshly migrated
  database creates its own, under other ids. Sessions are left out.
- ``media/<name>``: every file in the upload storage (``MEDIA_ROOT``).
- ``history-checkpoint.jsonl``: the signed history checkpoint of the same snapshot (each
  complaint's event count and chain head), as ``verify_history`` writes it.
- ``manifest.json``: format version, time of writing, the applied migrations, the
  number of rows per model, and the sha256 and size of every other member.

The format is independent of the database engine: a backup of SQLite restores into
PostgreSQL and the other way round.
"""

import datetime
import hashlib
import io
import json
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from klachtroute.cases.history import CheckpointWriter, history_verify_result
from klachtroute.cases.models import Complaint

FORMAT = "klachtroute-backup"
VERSION = 2
# Version 1 held the history checkpoint inside the manifest; restoring does not read it.
VERSIONS_READ = (1, 2)
DATABASE_MEMBER = "database.jsonl"
MANIFEST_MEMBER = "manifest.json"
HISTORY_MEMBER = "history-checkpoint.jsonl"
MEDIA_PREFIX = "media/"
# Rebuilt by `migrate` in the target (and referred to by natural key), or not worth keeping.
EXCLUDED_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
CHUNK = 1024 * 1024


class LosslessJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps the microseconds
    (the history's hash chain covers them, and a restore must give back every value)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why, in plain words."""


@dataclass
class BackupSummary:
    path: Path
    counts: dict[str, int]
    files: int
    created_at: str

    def __str__(self) -> str:
        rows = sum(self.counts.values())
        return f"{rows} rows in {len(self.counts)} tables and {self.files} files -> {self.path}"


@dataclass
class RestoreSummary:
    counts: dict[str, int]
    files: int
    created_at: str
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        rows = sum(self.counts.values())
        return (
            f"restored {rows} rows in {len(self.counts)} tables and {self.files} files "
            f"from the backup of {self.created_at}"
        )


def backup_models() -> list:
    """The models to back up, referenced models first (as dumpdata orders them)."""
    by_app = []
    for app_config in apps.get_app_configs():
        models = [
            model
            for model in app_config.get_models()
            if model._meta.label_lower not in EXCLUDED_MODELS
            and model._meta.managed
            and not model._meta.proxy
        ]
        if models:
            by_app.append((app_config, models))
    return serializers.sort_dependencies(by_app, allow_cycles=True)


def _label(model) -> str:
    return model._meta.label_lower


def _storage_files(storage, path: str = "") -> list[str]:
    """Every file name in the storage, recursively, sorted."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return []
    names = [f"{path}{name}" for name in files]
    for directory in directories:
        names += _storage_files(storage, f"{path}{directory}/")
    return sorted(names)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _applied_migrations(connection) -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


class _HashingReader:
    """Reads a file for tarfile while hashing what passes."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = mtime
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def backup_write(*, path, using: str = DEFAULT_DB_ALIAS, storage=None) -> BackupSummary:
    """Write the database and every upload to one .tar.gz archive at `path`."""
    storage = storage or default_storage
    path = Path(path)
    connection = connections[using]
    created_at = timezone.now()
    counts: Counter = Counter()
    members: dict[str, dict] = {}
    models = backup_models()

    def rows():
        for model in models:
            queryset = model._default_manager.using(using).order_by(model._meta.pk.name)
            for obj in queryset.iterator(chunk_size=2000):
                counts[_label(model)] += 1
                yield obj

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="klachtroute-backup-") as work:
        dump = Path(work) / DATABASE_MEMBER
        # SET TRANSACTION must open a transaction; inside a caller's (or a test's)
        # transaction the snapshot is whatever that transaction sees.
        outer = connection.in_atomic_block
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and not outer:
                # One snapshot of every table, while the site keeps running.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            applied = _applied_migrations(connection)
            with dump.open("w", encoding="utf-8") as stream:
                serializers.serialize(
                    "jsonl",
                    rows(),
                    stream=stream,
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=False,
                    cls=LosslessJSONEncoder,
                )
            # Of the same snapshot: each complaint's event count and chain head, signed
            # with the history key, so that a restored database can be checked against it.
            with CheckpointWriter(Path(work) / HISTORY_MEMBER) as history:
                history_verify_result(checkpoint=None, writer=history)
                checkpoint = history.commit()
        for member, written in ((DATABASE_MEMBER, dump), (HISTORY_MEMBER, checkpoint)):
            members[member] = {"sha256": _sha256_file(written), "size": written.stat().st_size}

        # The files come after the database snapshot: every file a row refers to was
        # stored before that row was committed, so it is here too.
        mtime = created_at.timestamp()
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=DATABASE_MEMBER, filter=_private)
            archive.add(checkpoint, arcname=HISTORY_MEMBER, filter=_private)
            for name in _storage_files(storage):
                size = storage.size(name)
                info = tarfile.TarInfo(MEDIA_PREFIX + name)
                info.size = size
                info.mtime = mtime
                info.mode = 0o600
                with storage.open(name, "rb") as handle:
                    reader = _HashingReader(handle)
                    archive.addfile(info, reader)
                members[MEDIA_PREFIX + name] = {"sha256": reader.digest.hexdigest(), "size": size}
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": created_at.isoformat(),
                "database_vendor": connection.vendor,
                "migrations": applied,
                "counts": dict(sorted(counts.items())),
                "members": members,
                "history": {
                    "member": HISTORY_MEMBER,
                    "written_at": history.written_at,
                    "complaints": history.complaints,
                },
            }
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
            _add_bytes(archive, MANIFEST_MEMBER, data, mtime)
    partial.replace(path)
    return BackupSummary(
        path=path,
        counts=manifest["counts"],
        files=len(members) - 1,
        created_at=manifest["created_at"],
    )


def installation_is_empty(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    users = get_user_model()._default_manager.using(using)
    return not users.exists() and not Complaint.objects.using(using).exists()


def _extract(archive_path: Path, target: Path) -> dict:
    """Unpack into `target`, refusing anything but the expected members; return the manifest."""
    try:
        archive = tarfile.open(archive_path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive_path} is not a readable .tar.gz archive ({error}).") from None
    with archive:
        for member in archive.getmembers():
            known = member.name in (
                DATABASE_MEMBER,
                MANIFEST_MEMBER,
                HISTORY_MEMBER,
            ) or member.name.startswith(MEDIA_PREFIX)
            if not known or not member.isfile():
                raise BackupError(f"Unexpected member {member.name!r} in the archive.")
        try:
            # The "data" filter refuses absolute paths, "..", links and device files.
            archive.extractall(target, filter="data")
        except (OSError, tarfile.TarError) as error:
            raise BackupError(f"The archive cannot be unpacked: {error}") from None
    manifest_path = target / MANIFEST_MEMBER
    if not manifest_path.is_file():
        raise BackupError("The archive has no manifest.json; it is not a Klachtroute backup.")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError:
        raise BackupError("The manifest of the archive is not valid JSON.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("The archive is not a Klachtroute backup.")
    if manifest.get("version") not in VERSIONS_READ:
        raise BackupError(
            f"Backup format version {manifest.get('version')} is not supported "
            f"(this version reads {' and '.join(map(str, VERSIONS_READ))})."
        )
    return manifest


def _check_members(target: Path, manifest: dict) -> list[str]:
    """Check every member against the manifest; return the upload names."""
    members = manifest.get("members", {})
    if DATABASE_MEMBER not in members:
        raise BackupError("The manifest does not list the database.")
    present = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()} - {
        MANIFEST_MEMBER
    }
    missing = sorted(set(members) - present)
    extra = sorted(present - set(members))
    if missing:
        raise BackupError(f"The archive lacks {len(missing)} member(s), e.g. {missing[0]}.")
    if extra:
        raise BackupError(f"The archive holds member(s) the manifest does not list: {extra[0]}.")
    for name, expected in members.items():
        if _sha256_file(target / name) != expected.get("sha256"):
            raise BackupError(f"{name} does not match its checksum: the archive is damaged.")
    return sorted(name[len(MEDIA_PREFIX) :] for name in members if name.startswith(MEDIA_PREFIX))


def _check_migrations(connection, manifest: dict) -> list[str]:
    applied = {tuple(pair) for pair in _applied_migrations(connection)}
    wanted = {tuple(pair) for pair in manifest.get("migrations", [])}
    unknown = sorted(wanted - applied)
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            f"The backup was made with a newer version (migration {app}.{name} is not "
            "applied here). Install that version and run `manage.py migrate` first."
        )
    newer = sorted(applied - wanted)
    if newer:
        return [f"This installation has {len(newer)} migration(s) the backup predates."]
    return []


def _load(dump: Path, *, using: str) -> Counter:
    """Load the rows as loaddata does: raw saves, deferred forward references, checks."""
    connection = connections[using]
    counts: Counter = Counter()
    loaded_models = set()
    deferred = []
    with connection.constraint_checks_disabled(), dump.open(encoding="utf-8") as stream:
        for obj in serializers.deserialize(
            "jsonl", stream, using=using, handle_forward_references=True
        ):
            obj.save(using=using)
            if obj.deferred_fields:
                deferred.append(obj)
            model = obj.object.__class__
            loaded_models.add(model)
            counts[_label(model)] += 1
        for obj in deferred:
            obj.save_deferred_fields(using=using)
    tables = [model._meta.db_table for model in loaded_models]
    connection.check_constraints(table_names=tables)
    # Explicit ids were inserted: move every id sequence past them, including those of
    # the many-to-many tables, which Django's sequence_reset_sql leaves out.
    with_through = set(loaded_models)
    for model in loaded_models:
        for m2m in model._meta.local_many_to_many:
            with_through.add(m2m.remote_field.through)
    statements = connection.ops.sequence_reset_sql(no_style(), sorted(with_through, key=_label))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    return counts


def restore_read(*, path, using: str = DEFAULT_DB_ALIAS, storage=None) -> RestoreSummary:
    """Restore an archive written by backup_write into an empty installation.

    Refuses when the installation holds any complaint or user, when the archive is
    damaged or from a newer version, or when an upload would overwrite a file. The rows
    load in one transaction; files that were copied are removed again when it fails.
    """
    storage = storage or default_storage
    path = Path(path)
    connection = connections[using]
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    if not installation_is_empty(using=using):
        raise BackupError(
            "This installation is not empty (it has complaints or users). A backup is "
            "only restored into a new installation: create an empty database, run "
            "`manage.py migrate`, and restore again."
        )
    with tempfile.TemporaryDirectory(prefix="klachtroute-restore-") as work:
        target = Path(work)
        manifest = _extract(path, target)
        uploads = _check_members(target, manifest)
        warnings = _check_migrations(connection, manifest)
        clashes = [name for name in uploads if storage.exists(name)]
        if clashes:
            raise BackupError(
                f"The upload folder already holds {clashes[0]} (and {len(clashes) - 1} more); "
                "restore into an empty upload folder."
            )
        copied: list[str] = []
        try:
            with transaction.atomic(using=using):
                try:
                    counts = _load(target / DATABASE_MEMBER, using=using)
                except (DeserializationError, DatabaseError) as error:
                    raise BackupError(f"The rows could not be loaded: {error}") from error
                expected = Counter(manifest.get("counts", {}))
                differing = sorted(
                    k for k in set(counts) | set(expected) if counts[k] != expected[k]
                )
                if differing:
                    raise BackupError(
                        f"The rows read differ from the manifest (first: {differing[0]}): "
                        "the archive is damaged."
                    )
                for name in uploads:
                    with (target / MEDIA_PREFIX / name).open("rb") as handle:
                        saved = storage.save(name, File(handle, name=name))
                    copied.append(saved)
                    if saved != name:
                        raise BackupError(f"The upload {name} could not be stored under its name.")
        except BaseException:
            for name in copied:
                storage.delete(name)
            raise
    return RestoreSummary(
        counts=dict(sorted(counts.items())),
        files=len(uploads),
        created_at=manifest.get("created_at", "?"),
        warnings=warnings,
    )
