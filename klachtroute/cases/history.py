"""Checking that complaints' histories were not tampered with.

Each complaint's events (ordered by id) form a keyed hash chain: an event's content_hash
is an HMAC (key: settings.HISTORY_KEY, never in the database) of its own content, its
chain_hash an HMAC of the previous event's chain_hash plus its own content_hash. Someone
who can write the database but lacks the key cannot re-hash an edited row: it no longer
matches its content_hash (or its chain_hash, when they rewrote the hashes too). A removed,
inserted or reordered row breaks the chain at the next event. A redacted event (a
retention purge blanked personal data) is exempt from the content check only: the chain
still runs through its stored content_hash.

Removing a complaint's *last* events (or the complaint with all its events) leaves a
shorter chain that is still valid: the signed checkpoint outside the database catches that.
It holds, per complaint, the number of events and the chain hash of the last one, written
by `verify_history` and `watch_deadlines` (only after a clean check, so that a removal is
never anchored) and into every backup. It is written and read as a stream, one line per
complaint, beside the walk of the events.
"""

import hashlib
import hmac
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from .hashing import EventAtText, event_hashers, json_canonical_of_stored
from .models import Complaint, Event

CHECKPOINT_FORMAT = "klachtroute-history-checkpoint/2"
_EARLIER_FORMAT = "klachtroute-history-checkpoint/1"


@dataclass(frozen=True)
class Problem:
    """The first broken link in one complaint's history."""

    complaint_number: str
    event_id: int | None
    at: datetime | None
    kind: str
    reason: str

    def __str__(self) -> str:
        if self.event_id is None:
            return f"complaint {self.complaint_number}: {self.reason}"
        return (
            f"complaint {self.complaint_number}: event {self.event_id} "
            f"({timezone.localtime(self.at):%Y-%m-%d %H:%M:%S %Z}, {self.kind}) — {self.reason}"
        )


@dataclass(frozen=True)
class VerifyResult:
    events: int
    complaints: int
    problems: list[Problem]
    checkpoint_at: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


NO_HASH = "no hash stored"
CONTENT_CHANGED = (
    "content changed: its keyed content hash does not match (edited, "
    "re-hashed or not, by someone without the history key)"
)
CHAIN_BROKEN = (
    "chain broken: an earlier event was removed, inserted or moved, "
    "or this event's hashes were rewritten without the history key"
)


# --- the checkpoint outside the database ------------------------------------------------
#
# One JSON value per line, so that it is written and read as a stream whatever the number
# of complaints: a header (format, time of writing), one line per complaint in the order
# of its id ([id, number, events, head]), and a trailer with the number of complaints and
# the keyed signature of every line before it. The walk reads the lines beside the events,
# both in the order of the complaint id, so neither is held in memory.

_SIGNED = b"checkpoint:"


class Anchor(NamedTuple):
    """What a checkpoint holds of one complaint."""

    complaint_id: int | None  # None: anchored by an earlier format, and no longer here
    number: str
    events: int
    head: str


class CheckpointError(Exception):
    pass


def _key() -> bytes:
    return settings.HISTORY_KEY.encode("utf-8")


class CheckpointWriter:
    """Writes a checkpoint line by line to a private temporary file beside `path`; `commit`
    signs it and puts it in place at once, leaving it (or after an error) discards it."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path or settings.HISTORY_CHECKPOINT_FILE)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, self._partial = tempfile.mkstemp(dir=self.path.parent, prefix=".checkpoint-")
        os.fchmod(handle, 0o600)
        self._file = os.fdopen(handle, "wb")
        self._mac = hmac.new(_key(), _SIGNED, hashlib.sha256)
        self.written_at = timezone.now().isoformat()
        self.complaints = 0
        self._put(json.dumps({"format": CHECKPOINT_FORMAT, "written_at": self.written_at}))

    def _put(self, line: str) -> None:
        data = line.encode("utf-8") + b"\n"
        self._mac.update(data)
        self._file.write(data)

    def add(self, complaint_id: int, number: str, events: int, head: str) -> None:
        self._put(f"[{complaint_id},{json.dumps(number)},{events},{json.dumps(head)}]")
        self.complaints += 1

    def commit(self) -> Path:
        trailer = {"complaints": self.complaints, "signature": self._mac.hexdigest()}
        self._file.write(json.dumps(trailer).encode("utf-8") + b"\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self._partial, self.path)
        return self.path

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()
            Path(self._partial).unlink(missing_ok=True)

    def __enter__(self) -> "CheckpointWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.discard()


class Checkpoint:
    """A checkpoint whose signature was checked. It keeps its file open, so that the lines
    walked are the lines checked even when a new checkpoint replaces the file meanwhile."""

    def __init__(self, handle, *, written_at: str, complaints: int, body_end: int):
        self._handle = handle
        self.written_at = written_at
        self.complaints = complaints
        self._body_end = body_end

    def anchors(self) -> Iterator[Anchor]:
        """Each complaint's anchor, in the order of its id."""
        self._handle.seek(0)
        at = len(self._handle.readline())  # the header
        previous = 0
        for line in self._handle:
            at += len(line)
            if at > self._body_end:
                return  # the trailer
            complaint_id, number, events, head = json.loads(line)
            if complaint_id <= previous:
                raise CheckpointError("checkpoint lists its complaints out of order")
            previous = complaint_id
            yield Anchor(complaint_id, number, events, head)

    def close(self) -> None:
        self._handle.close()


class _EarlierCheckpoint:
    """A checkpoint of the earlier format (one JSON document, by complaint number), read
    whole once after an upgrade; the next checkpoint is written in the present format."""

    def __init__(self, data: dict):
        self.written_at = data["written_at"]
        self._by_number = data["complaints"]
        self.complaints = len(self._by_number)

    def anchors(self) -> Iterator[Anchor]:
        numbers = list(self._by_number)
        ids: dict[str, int] = {}
        for start in range(0, len(numbers), 5_000):
            chunk = numbers[start : start + 5_000]
            ids.update(Complaint.objects.filter(number__in=chunk).values_list("number", "pk"))
        anchors = [
            Anchor(ids.get(number), number, mark["events"], mark["head"])
            for number, mark in self._by_number.items()
        ]
        yield from sorted(anchors, key=lambda anchor: anchor.complaint_id or 0)

    def close(self) -> None:
        pass


def _earlier_checkpoint(handle, path: Path) -> _EarlierCheckpoint:
    handle.seek(0)
    try:
        data = json.loads(handle.read().decode("utf-8"))
        body = {k: v for k, v in data.items() if k != "signature"}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
        expected = hmac.new(_key(), _SIGNED + canonical, hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(str(data.get("signature", "")), expected)
    except (ValueError, AttributeError) as exc:
        raise CheckpointError(f"checkpoint {path} cannot be read: {exc}") from exc
    if not valid or body.get("format") != _EARLIER_FORMAT:
        raise CheckpointError(f"checkpoint {path} is not signed with the history key")
    return _EarlierCheckpoint(data)


def _checked(handle, path: Path) -> "Checkpoint | _EarlierCheckpoint":
    """Check the signature of the open checkpoint file in one streamed pass."""
    first = handle.readline()
    if first.strip() == b"{":
        return _earlier_checkpoint(handle, path)
    size = handle.seek(0, os.SEEK_END)
    handle.seek(max(0, size - 512))
    tail = handle.read()
    cut = tail.rstrip(b"\n").rfind(b"\n")
    if cut < 0:
        raise CheckpointError(f"checkpoint {path} is incomplete")
    body_end = size - len(tail) + cut + 1
    try:
        header = json.loads(first)
        trailer = json.loads(tail[cut + 1 :])
        signature = str(trailer["signature"])
    except (ValueError, TypeError, KeyError) as exc:
        raise CheckpointError(f"checkpoint {path} cannot be read: {exc}") from exc
    mac = hmac.new(_key(), _SIGNED, hashlib.sha256)
    handle.seek(0)
    left = body_end
    while left > 0:
        block = handle.read(min(left, 1 << 20))
        if not block:
            break
        mac.update(block)
        left -= len(block)
    if not hmac.compare_digest(signature, mac.hexdigest()) or not isinstance(header, dict):
        raise CheckpointError(f"checkpoint {path} is not signed with the history key")
    if header.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointError(f"checkpoint {path} has an unknown format")
    return Checkpoint(
        handle,
        written_at=header["written_at"],
        complaints=int(trailer.get("complaints", 0)),
        body_end=body_end,
    )


@contextmanager
def checkpoint_open(path: Path | None = None):
    """The last checkpoint, its signature checked (a forged or damaged one is refused with
    CheckpointError), or None when none was written yet."""
    path = Path(path or settings.HISTORY_CHECKPOINT_FILE)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        yield None
        return
    except OSError as exc:
        raise CheckpointError(f"checkpoint {path} cannot be read: {exc}") from exc
    with handle:
        yield _checked(handle, path)


# --- the walk -------------------------------------------------------------------------

# What the walk reads of each event, in this order: the hashed fields as the hash takes
# them (the time as text, the JSON fields as their stored text), then the stored hashes.
_READ = {
    "pk": "pk",
    "complaint_id": "complaint_id",
    "number": "complaint__number",
    "at_text": EventAtText("at"),
    "actor_id": "actor_id",
    "actor_label": "actor_label",
    "kind": "kind",
    "summary": "summary",
    "before_text": Cast("before", TextField()),
    "after_text": Cast("after", TextField()),
    "message": "message",
    "message_args_text": Cast("message_args", TextField()),
    "content_hash": "content_hash",
    "chain_hash": "chain_hash",
    "redacted_at": "redacted_at",
}
_PK, _AT_TEXT, _KIND = (list(_READ).index(name) for name in ("pk", "at_text", "kind"))


def _event_rows(events) -> Iterator[tuple]:
    """The events as plain tuples in the order of `_READ` (no model instances, no datetime
    or JSON conversion by Django), streamed by a server-side cursor in chunks."""
    return events.values_list(*_READ.values()).iterator(chunk_size=10_000)


def _problem(number: str, row: tuple | None, reason: str) -> Problem:
    """The problem at `row` (an event as `_event_rows` reads it)."""
    return Problem(
        complaint_number=number,
        event_id=row[_PK] if row else None,
        at=datetime.fromisoformat(row[_AT_TEXT]) if row else None,
        kind=row[_KIND] if row else "",
        reason=reason,
    )


class _Anchored:
    """The checkpoint's anchors, met beside the walk (both in the order of the complaint
    id): `take` gives a complaint's anchor and keeps those passed by as `gone` (anchored
    complaints that have no events any more)."""

    def __init__(self, checkpoint):
        self._anchors = checkpoint.anchors() if checkpoint is not None else iter(())
        self._next = next(self._anchors, None)
        self.gone: list[Anchor] = []

    def _advance(self) -> None:
        self._next = next(self._anchors, None)

    def take(self, complaint_id: int) -> Anchor | None:
        while self._next is not None and (self._next.complaint_id or 0) < complaint_id:
            self.gone.append(self._next)
            self._advance()
        if self._next is not None and self._next.complaint_id == complaint_id:
            found = self._next
            self._advance()
            return found
        return None

    def rest(self) -> list[Anchor]:
        while self._next is not None:
            self.gone.append(self._next)
            self._advance()
        return self.gone


LAST = object()  # `history_verify_result(checkpoint=LAST)`: the last checkpoint written


def history_verify_result(
    *, complaint_ids=None, checkpoint=LAST, writer: CheckpointWriter | None = None
) -> VerifyResult:
    """Walk every complaint's chain, report the first broken link of each complaint, and
    compare event counts and heads with `checkpoint` (by default the last one written, or
    none when only some complaints are walked; None compares with nothing). Each
    complaint's count and head go to `writer`, when given, as the walk passes it.

    The events are streamed in one ordered query (by complaint, then id) and the
    checkpoint is read beside them in the same order, so memory and the number of queries
    stay flat however many complaints there are.
    """
    if checkpoint is LAST:
        if complaint_ids is None:
            with checkpoint_open() as last:
                return history_verify_result(checkpoint=last, writer=writer)
        checkpoint = None
    written_at = checkpoint.written_at if checkpoint is not None else ""
    anchored = _Anchored(checkpoint)
    events = Event.objects.order_by("complaint_id", "id")
    if complaint_ids is not None:
        events = events.filter(complaint_id__in=complaint_ids)
    content_digest, chain_digest = event_hashers()
    canonical = json_canonical_of_stored
    problems: list[Problem] = []
    event_count = complaint_count = 0
    current_id = None
    number = ""
    count = 0
    anchored_count, anchored_head = 0, ""
    previous_chain = ""
    broken = False
    last = None  # the last sound event (a row as `_event_rows` reads it)

    def close_complaint() -> None:
        if current_id is None:
            return
        if writer is not None:
            writer.add(current_id, number, count, previous_chain)
        if not broken and count < anchored_count:
            problems.append(
                _problem(
                    number,
                    last,
                    f"last events removed: the checkpoint of {written_at} "
                    f"holds {anchored_count} events, the database {count}",
                )
            )

    for row in _event_rows(events):
        (
            _pk,
            complaint_id,
            row_number,
            at_text,
            actor_id,
            actor_label,
            kind,
            summary,
            before,
            after,
            message,
            message_args,
            content_hash,
            chain_hash,
            redacted_at,
        ) = row
        if complaint_id != current_id:
            close_complaint()
            current_id, number = complaint_id, row_number
            complaint_count += 1
            count, previous_chain, broken, last = 0, "", False, None
            mark = anchored.take(complaint_id)
            anchored_count, anchored_head = (mark.events, mark.head) if mark else (0, "")
        event_count += 1
        count += 1
        if broken:
            continue
        if not content_hash or not chain_hash:
            reason = NO_HASH
        elif redacted_at is None and content_hash != content_digest(
            number,
            at_text,
            actor_id,
            actor_label,
            kind,
            summary,
            canonical(before),
            canonical(after),
            message,
            canonical(message_args),
        ):
            reason = CONTENT_CHANGED
        elif chain_hash != chain_digest(previous_chain, content_hash):
            reason = CHAIN_BROKEN
        elif count == anchored_count and chain_hash != anchored_head:
            reason = (
                "history rewritten: this event's chain hash differs from the head "
                f"anchored in the checkpoint of {written_at}"
            )
        else:
            previous_chain = chain_hash
            last = row
            continue
        problems.append(_problem(number, row, reason))
        broken = True
    close_complaint()

    gone = anchored.rest() if complaint_ids is None else []
    if gone:
        # Which anchored complaints still exist (asked only when some have no events).
        ids = [anchor.complaint_id for anchor in gone if anchor.complaint_id is not None]
        existing = set(Complaint.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for anchor in gone:
            reason = (
                "every event of this complaint was removed"
                if anchor.complaint_id in existing
                else "complaint removed with its history"
            )
            problems.append(
                Problem(
                    complaint_number=anchor.number,
                    event_id=None,
                    at=None,
                    kind="",
                    reason=(
                        f"{reason}: the checkpoint of {written_at} holds {anchor.events} events"
                    ),
                )
            )
    return VerifyResult(
        events=event_count,
        complaints=complaint_count,
        problems=problems,
        checkpoint_at=written_at,
    )


def history_verify(*, complaint_ids=None) -> list[Problem]:
    """The first broken link per complaint; an empty list means every history is intact."""
    return history_verify_result(complaint_ids=complaint_ids).problems


def history_check_due(*, path: Path | None = None) -> bool:
    """Whether the periodic job should walk the histories again: no checkpoint yet, or the
    last one is older than HISTORY_VERIFY_EVERY_MINUTES (a checkpoint that does not verify
    is due at once, so that the walk reports it)."""
    try:
        with checkpoint_open(path) as checkpoint:
            if checkpoint is None:
                return True
            written = datetime.fromisoformat(checkpoint.written_at)
    except CheckpointError:
        return True
    age = timezone.now() - written
    return age.total_seconds() >= 60 * settings.HISTORY_VERIFY_EVERY_MINUTES


def history_checkpoint(*, path: Path | None = None) -> VerifyResult:
    """Verify everything against the last checkpoint and, as the walk goes, write the
    current counts and heads to a new one, which takes its place only when all is sound: a
    broken history is never anchored."""
    with checkpoint_open(path) as checkpoint, CheckpointWriter(path) as writer:
        result = history_verify_result(checkpoint=checkpoint, writer=writer)
        if result.ok:
            writer.commit()
    return result
